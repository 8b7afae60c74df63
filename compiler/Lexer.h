//===- Lexer.h - Go tokens with automatic semicolons ----------------------===//
//
// Turns a source file into Go's tokens, inserting the semicolons Go's grammar
// implies at line ends. Lexical errors are reported and lexing goes on.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_LEXER_H
#define TOY_LEXER_H

#include "Diagnostics.h"

#include <string>
#include <vector>

namespace toy {

enum class Tok {
  Eof,
  Ident,
  Int,
  Float,
  Imag,
  Rune,
  String,
  // keywords
  KwBreak,
  KwCase,
  KwChan,
  KwConst,
  KwContinue,
  KwDefault,
  KwDefer,
  KwElse,
  KwFallthrough,
  KwFor,
  KwFunc,
  KwGo,
  KwGoto,
  KwIf,
  KwImport,
  KwInterface,
  KwMap,
  KwPackage,
  KwRange,
  KwReturn,
  KwSelect,
  KwStruct,
  KwSwitch,
  KwType,
  KwVar,
  // operators and punctuation
  Add,
  Sub,
  Mul,
  Quo,
  Rem,
  And,
  Or,
  Xor,
  Shl,
  Shr,
  AndNot,
  AddAssign,
  SubAssign,
  MulAssign,
  QuoAssign,
  RemAssign,
  AndAssign,
  OrAssign,
  XorAssign,
  ShlAssign,
  ShrAssign,
  AndNotAssign,
  LAnd,
  LOr,
  Arrow,
  Inc,
  Dec,
  Eql,
  Lss,
  Gtr,
  Assign,
  Not,
  Tilde,
  Neq,
  Leq,
  Geq,
  Define,
  Ellipsis,
  LParen,
  LBrack,
  LBrace,
  Comma,
  Period,
  RParen,
  RBrack,
  RBrace,
  Semicolon,
  Colon,
  Illegal,
};

const char *tokName(Tok t);
/// Appends the UTF-8 encoding of code point r (a valid one: not a surrogate, at most U+10FFFF).
void appendUTF8(std::string &out, uint32_t r);

struct Token {
  Tok kind = Tok::Eof;
  SourceLoc loc;
  std::string text;  // source spelling (for an automatic semicolon: "\n")
  std::string value; // decoded value of a string literal
  uint32_t rune = 0;  // code point of a rune literal
};

class Lexer {
public:
  /// A UTF-8 byte order mark at the start of the file is skipped, as gc does.
  Lexer(const SourceFile &file, DiagEngine &diags)
      : file_(file), src_(file.text()), diags_(diags),
        pos_(src_.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0) {}
  Token next();
  /// Lexes the whole file, ending with one Eof token.
  std::vector<Token> lexAll();
  /// The `//go:linkname` directives lexed so far: where each is, and the text after
  /// "//go:linkname ".
  const std::vector<std::pair<SourceLoc, std::string>> &linknames() const { return linknames_; }

private:
  SourceLoc loc(size_t off) const { return file_.locAt(uint32_t(off)); }
  void error(size_t off, const std::string &msg) { diags_.error(loc(off), msg); }
  Token make(Tok k, size_t start);
  void skipSpaceAndComments(bool &sawNewline);
  Token lexNumber(size_t start);
  Token lexString(size_t start);
  Token lexRawString(size_t start);
  Token lexRune(size_t start);
  bool lexEscape(char quote, std::string &out);

  const SourceFile &file_;
  const std::string &src_;
  DiagEngine &diags_;
  size_t pos_ = 0;
  bool semiNeeded_ = false; // the last token allows an automatic semicolon after it
  bool done_ = false;
  std::vector<std::pair<SourceLoc, std::string>> linknames_;
};

} // namespace toy

#endif
