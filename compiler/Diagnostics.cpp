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
  return SourceLoc{offset, line, offset - lineStarts_[line - 1] + 1};
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
  if (errors_ >= kMaxErrors) {
    if (!announcedTooMany_) {
      announcedTooMany_ = true;
      emit(file_.name() + ": too many errors\n");
    }
    return;
  }
  ++errors_;
  if (!loc.valid())
    loc = file_.locAt(file_.text().size());
  std::string out = file_.name() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col) +
                    ": error: " + msg + "\n";
  // The source line with unprintable bytes shown as '?', then a caret under the column
  // (tabs kept so the caret lines up in a terminal).
  std::string line = file_.lineText(loc.line);
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
  emit(out);
  // Like Go, give up after ten errors: the rest are usually consequences.
  if (errors_ == kMaxErrors && !announcedTooMany_) {
    announcedTooMany_ = true;
    emit(file_.name() + ": too many errors\n");
  }
}

} // namespace toy
