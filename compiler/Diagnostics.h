//===- Diagnostics.h - source files, locations and error reporting --------===//
//
// Every error toyc reports flows through one DiagEngine: it formats
// `file:line:col: error: message`, then the source line and a caret, in the
// style of Go's and clang's tools.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_DIAGNOSTICS_H
#define TOY_DIAGNOSTICS_H

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace toy {

/// A position in the source: the file (its DiagEngine number), byte offset plus 1-based line and
/// column (bytes, as Go counts).
struct SourceLoc {
  uint32_t offset = 0;
  uint32_t line = 0;
  uint32_t col = 0;
  uint32_t file = 0;
  bool valid() const { return line != 0; }
};

/// The text of one source file and the start offsets of its lines.
class SourceFile {
public:
  SourceFile(std::string name, std::string text);
  const std::string &name() const { return name_; }
  /// The number DiagEngine gave the file; its locations carry it.
  uint32_t id() const { return id_; }
  const std::string &text() const { return text_; }
  SourceLoc locAt(uint32_t offset) const;
  /// The text of a 1-based line, without its newline.
  std::string lineText(uint32_t line) const;

private:
  friend class DiagEngine;
  std::string name_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
  uint32_t id_ = 0;
};

/// Collects errors in the files of one build and prints them sorted by position (file, then
/// offset), as Go does: at most ten, then `file:line:col: too many errors` at the tenth found.
/// As gc, a line shows at most one syntax error (a message starting "syntax error"), and an
/// error is not repeated on the line of the last one with the same message.
class DiagEngine {
public:
  DiagEngine() = default;
  /// An engine for one file, numbered 0.
  explicit DiagEngine(SourceFile &file) { addFile(file); }
  ~DiagEngine() { flush(); }
  /// Numbers `file` (before it is lexed) so that locations in it name it.
  void addFile(SourceFile &file) {
    file.id_ = uint32_t(files_.size());
    files_.push_back(&file);
  }
  /// addFile for a file the engine keeps for as long as it reports.
  SourceFile &addFile(std::unique_ptr<SourceFile> file) {
    owned_.push_back(std::move(file));
    addFile(*owned_.back());
    return *owned_.back();
  }
  /// The names of the files, by number.
  std::vector<std::string> fileNames() const {
    std::vector<std::string> names;
    for (const SourceFile *f : files_)
      names.push_back(f->name());
    return names;
  }

  /// Reports an error (printed by flush). The front end stops once tooMany() holds.
  void error(SourceLoc loc, const std::string &msg);
  unsigned errorCount() const { return errors_; }
  /// "file:line:col", as a message names another position ("multiple defaults (first at …)").
  std::string where(SourceLoc loc) const {
    return files_[loc.file]->name() + ":" + std::to_string(loc.line) + ":" +
           std::to_string(loc.col);
  }
  bool tooMany() const { return errors_ >= kMaxErrors; }
  /// Prints the errors collected so far, in source order.
  void flush();
  /// Where diagnostics go; tests capture them in a string.
  void setCapture(std::string *out) { capture_ = out; }

  static constexpr unsigned kMaxErrors = 10;

private:
  struct Pending {
    SourceLoc loc;
    unsigned seq;     // discovery order, for equal positions
    std::string text; // the whole report: header line, source line, caret
  };
  void emit(const std::string &s);
  std::vector<const SourceFile *> files_;
  std::vector<std::unique_ptr<SourceFile>> owned_;
  unsigned errors_ = 0;
  SourceLoc lastSyntax_; // the last syntax error reported
  SourceLoc lastOther_;  // the last other error reported, and its message
  std::string lastOtherMsg_;
  SourceLoc tenth_;      // where the tenth error was found
  std::vector<Pending> pending_;
  std::string *capture_ = nullptr;
};

} // namespace toy

#endif
