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
#include <string>
#include <vector>

namespace toy {

/// A position in the source: byte offset plus 1-based line and column (bytes, as Go counts).
struct SourceLoc {
  uint32_t offset = 0;
  uint32_t line = 0;
  uint32_t col = 0;
  bool valid() const { return line != 0; }
};

/// The text of one source file and the start offsets of its lines.
class SourceFile {
public:
  SourceFile(std::string name, std::string text);
  const std::string &name() const { return name_; }
  const std::string &text() const { return text_; }
  SourceLoc locAt(uint32_t offset) const;
  /// The text of a 1-based line, without its newline.
  std::string lineText(uint32_t line) const;

private:
  std::string name_;
  std::string text_;
  std::vector<uint32_t> lineStarts_;
};

/// Collects errors and prints them sorted by position, as Go does: at most ten, then
/// `file:line:col: too many errors` at the tenth.
class DiagEngine {
public:
  explicit DiagEngine(const SourceFile &file) : file_(file) {}
  ~DiagEngine() { flush(); }

  /// Reports an error (printed by flush). The front end stops once tooMany() holds.
  void error(SourceLoc loc, const std::string &msg);
  unsigned errorCount() const { return errors_; }
  /// "file:line:col", as a message names another position ("multiple defaults (first at …)").
  std::string where(SourceLoc loc) const {
    return file_.name() + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col);
  }
  bool tooMany() const { return errors_ > kMaxErrors; }
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
  const SourceFile &file_;
  unsigned errors_ = 0;
  std::vector<Pending> pending_;
  std::string *capture_ = nullptr;
};

} // namespace toy

#endif
