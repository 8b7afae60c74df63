//===- Diagnostics.cpp ----------------------------------------------------===//
#include "Diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace toy {

SourceFile::SourceFile(std::string name, std::string text)
    : name_(std::move(name)), text_(std::move(text)) {
  lineStarts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i)
    if (text_[i] == '\n')
      lineStarts_.push_back(i + 1);
}

SourceLoc SourceFile::locAt(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, text_.size());
  auto it = std::upper_bound(lineStarts_.begin(), lineStarts_.end(), offset);
  uint32_t line = uint32_t(it - lineStarts_.begin());
  return SourceLoc{offset, line, offset - lineStarts_[line - 1] + 1, id_};
}

std::string SourceFile::lineText(uint32_t line) const {
  if (line == 0 || line > lineStarts_.size())
    return "";
  uint32_t start = lineStarts_[line - 1];
  uint32_t end = line < lineStarts_.size() ? lineStarts_[line] - 1 : text_.size();
  return text_.substr(start, end - start);
}

void DiagEngine::emit(const std::string &s) {
  if (capture_)
    *capture_ += s;
  else
    fputs(s.c_str(), stderr);
}

void DiagEngine::error(SourceLoc loc, const std::string &msg) {
  if (errors_ >= kMaxErrors)
    return; // Go stops at the tenth
  const SourceFile &file = *files_[loc.file];
  if (!loc.valid())
    loc = file.locAt(file.text().size());
  // As gc: one syntax error per line (the first found), whatever it says.
  if (msg.rfind("syntax error", 0) == 0) {
    if (lastSyntax_.valid() && lastSyntax_.file == loc.file && lastSyntax_.line == loc.line)
      return;
    lastSyntax_ = loc;
  } else {
    // and only one of equal other errors on a line.
    if (lastOther_.valid() && lastOther_.file == loc.file && lastOther_.line == loc.line &&
        lastOtherMsg_ == msg)
      return;
    lastOther_ = loc;
    lastOtherMsg_ = msg;
  }
  ++errors_;
  if (errors_ == kMaxErrors)
    tenth_ = loc;
  std::string out = where(loc) + ": error: " + msg + "\n";
  // The source line with unprintable bytes shown as '?', then a caret under the column
  // (tabs kept so the caret lines up in a terminal).
  std::string line = file.lineText(loc.line);
  if (line.size() > 200)
    line.resize(200);
  std::string caret;
  for (uint32_t i = 0; i + 1 < loc.col && i < line.size(); ++i) {
    unsigned char c = line[i];
    if (c != '\t' && (c < 0x20 || c == 0x7f))
      line[i] = '?';
    caret += line[i] == '\t' ? '\t' : ' ';
  }
  for (size_t i = loc.col ? loc.col - 1 : 0; i < line.size(); ++i) {
    unsigned char c = line[i];
    if (c != '\t' && (c < 0x20 || c == 0x7f))
      line[i] = '?';
  }
  out += line + "\n" + caret + "^\n";
  pending_.push_back({loc, errors_, out});
}

void DiagEngine::flush() {
  // By position; errors at the same position keep the order they were found in.
  std::sort(pending_.begin(), pending_.end(), [](const Pending &a, const Pending &b) {
    if (a.loc.file != b.loc.file)
      return a.loc.file < b.loc.file;
    return a.loc.offset != b.loc.offset ? a.loc.offset < b.loc.offset : a.seq < b.seq;
  });
  size_t shown = std::min<size_t>(pending_.size(), kMaxErrors);
  for (size_t i = 0; i < shown; ++i)
    emit(pending_[i].text);
  // Like Go, stop at the tenth error (the rest are usually consequences) and say so at its
  // position.
  if (errors_ >= kMaxErrors && !pending_.empty())
    emit(where(tenth_) + ": too many errors\n");
  pending_.clear();
}

} // namespace toy
