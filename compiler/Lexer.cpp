//===- Lexer.cpp ----------------------------------------------------------===//
#include "Lexer.h"

#include <cstring>
#include <unordered_map>

namespace toy {

const char *tokName(Tok t) {
  switch (t) {
  case Tok::Eof:
    return "EOF";
  case Tok::Ident:
    return "IDENT";
  case Tok::Int:
    return "INT";
  case Tok::Float:
    return "FLOAT";
  case Tok::Imag:
    return "IMAG";
  case Tok::Rune:
    return "CHAR";
  case Tok::String:
    return "STRING";
  case Tok::KwBreak:
    return "break";
  case Tok::KwCase:
    return "case";
  case Tok::KwChan:
    return "chan";
  case Tok::KwConst:
    return "const";
  case Tok::KwContinue:
    return "continue";
  case Tok::KwDefault:
    return "default";
  case Tok::KwDefer:
    return "defer";
  case Tok::KwElse:
    return "else";
  case Tok::KwFallthrough:
    return "fallthrough";
  case Tok::KwFor:
    return "for";
  case Tok::KwFunc:
    return "func";
  case Tok::KwGo:
    return "go";
  case Tok::KwGoto:
    return "goto";
  case Tok::KwIf:
    return "if";
  case Tok::KwImport:
    return "import";
  case Tok::KwInterface:
    return "interface";
  case Tok::KwMap:
    return "map";
  case Tok::KwPackage:
    return "package";
  case Tok::KwRange:
    return "range";
  case Tok::KwReturn:
    return "return";
  case Tok::KwSelect:
    return "select";
  case Tok::KwStruct:
    return "struct";
  case Tok::KwSwitch:
    return "switch";
  case Tok::KwType:
    return "type";
  case Tok::KwVar:
    return "var";
  case Tok::Add:
    return "+";
  case Tok::Sub:
    return "-";
  case Tok::Mul:
    return "*";
  case Tok::Quo:
    return "/";
  case Tok::Rem:
    return "%";
  case Tok::And:
    return "&";
  case Tok::Or:
    return "|";
  case Tok::Xor:
    return "^";
  case Tok::Shl:
    return "<<";
  case Tok::Shr:
    return ">>";
  case Tok::AndNot:
    return "&^";
  case Tok::AddAssign:
    return "+=";
  case Tok::SubAssign:
    return "-=";
  case Tok::MulAssign:
    return "*=";
  case Tok::QuoAssign:
    return "/=";
  case Tok::RemAssign:
    return "%=";
  case Tok::AndAssign:
    return "&=";
  case Tok::OrAssign:
    return "|=";
  case Tok::XorAssign:
    return "^=";
  case Tok::ShlAssign:
    return "<<=";
  case Tok::ShrAssign:
    return ">>=";
  case Tok::AndNotAssign:
    return "&^=";
  case Tok::LAnd:
    return "&&";
  case Tok::LOr:
    return "||";
  case Tok::Arrow:
    return "<-";
  case Tok::Inc:
    return "++";
  case Tok::Dec:
    return "--";
  case Tok::Eql:
    return "==";
  case Tok::Lss:
    return "<";
  case Tok::Gtr:
    return ">";
  case Tok::Assign:
    return "=";
  case Tok::Not:
    return "!";
  case Tok::Tilde:
    return "~";
  case Tok::Neq:
    return "!=";
  case Tok::Leq:
    return "<=";
  case Tok::Geq:
    return ">=";
  case Tok::Define:
    return ":=";
  case Tok::Ellipsis:
    return "...";
  case Tok::LParen:
    return "(";
  case Tok::LBrack:
    return "[";
  case Tok::LBrace:
    return "{";
  case Tok::Comma:
    return ",";
  case Tok::Period:
    return ".";
  case Tok::RParen:
    return ")";
  case Tok::RBrack:
    return "]";
  case Tok::RBrace:
    return "}";
  case Tok::Semicolon:
    return ";";
  case Tok::Colon:
    return ":";
  case Tok::Illegal:
    return "ILLEGAL";
  }
  return "?";
}

static const std::unordered_map<std::string, Tok> &keywords() {
  static const std::unordered_map<std::string, Tok> kw = {
      {"break", Tok::KwBreak},
      {"case", Tok::KwCase},
      {"chan", Tok::KwChan},
      {"const", Tok::KwConst},
      {"continue", Tok::KwContinue},
      {"default", Tok::KwDefault},
      {"defer", Tok::KwDefer},
      {"else", Tok::KwElse},
      {"fallthrough", Tok::KwFallthrough},
      {"for", Tok::KwFor},
      {"func", Tok::KwFunc},
      {"go", Tok::KwGo},
      {"goto", Tok::KwGoto},
      {"if", Tok::KwIf},
      {"import", Tok::KwImport},
      {"interface", Tok::KwInterface},
      {"map", Tok::KwMap},
      {"package", Tok::KwPackage},
      {"range", Tok::KwRange},
      {"return", Tok::KwReturn},
      {"select", Tok::KwSelect},
      {"struct", Tok::KwStruct},
      {"switch", Tok::KwSwitch},
      {"type", Tok::KwType},
      {"var", Tok::KwVar},
  };
  return kw;
}

static bool isLetter(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}
static bool isDigit(unsigned char c) { return c >= '0' && c <= '9'; }
static bool isHex(unsigned char c) {
  return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
static int hexVal(unsigned char c) {
  if (isDigit(c))
    return c - '0';
  return (c | 0x20) - 'a' + 10;
}

void appendUTF8(std::string &out, uint32_t r) {
  if (r < 0x80) {
    out += char(r);
  } else if (r < 0x800) {
    out += char(0xC0 | (r >> 6));
    out += char(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += char(0xE0 | (r >> 12));
    out += char(0x80 | ((r >> 6) & 0x3F));
    out += char(0x80 | (r & 0x3F));
  } else {
    out += char(0xF0 | (r >> 18));
    out += char(0x80 | ((r >> 12) & 0x3F));
    out += char(0x80 | ((r >> 6) & 0x3F));
    out += char(0x80 | (r & 0x3F));
  }
}

/// Length of the valid UTF-8 sequence at s[i], or 0 if it is not valid.
static size_t utf8Len(const std::string &s, size_t i) {
  unsigned char c = s[i];
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  for (size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80)
      return 0;
  return n;
}

/// The code point of the valid n-byte UTF-8 sequence at s[i] (n from utf8Len).
static uint32_t decodeUTF8(const std::string &s, size_t i, size_t n) {
  static const unsigned char lead[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  uint32_t r = static_cast<unsigned char>(s[i]) & lead[n];
  for (size_t k = 1; k < n; ++k)
    r = r << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return r;
}

Token Lexer::make(Tok k, size_t start) {
  Token t;
  t.kind = k;
  t.loc = loc(start);
  t.text = src_.substr(start, pos_ - start);
  switch (k) {
  case Tok::Ident:
  case Tok::Int:
  case Tok::Float:
  case Tok::Imag:
  case Tok::Rune:
  case Tok::String:
  case Tok::KwBreak:
  case Tok::KwContinue:
  case Tok::KwFallthrough:
  case Tok::KwReturn:
  case Tok::Inc:
  case Tok::Dec:
  case Tok::RParen:
  case Tok::RBrack:
  case Tok::RBrace:
    semiNeeded_ = true;
    break;
  case Tok::Illegal: // gc's scanner skips the character: what came before decides
    break;
  default:
    semiNeeded_ = false;
  }
  return t;
}

void Lexer::skipSpaceAndComments(bool &sawNewline) {
  sawNewline = false;
  while (pos_ < src_.size()) {
    char c = src_[pos_];
    if (c == '\n') {
      sawNewline = true;
      if (semiNeeded_)
        return; // the newline becomes a semicolon
      ++pos_;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '/') {
      size_t start = pos_;
      while (pos_ < src_.size() && src_[pos_] != '\n')
        ++pos_;
      // A directive is a line comment at the start of a line, as gc reads them.
      static const std::string linkname = "//go:linkname ";
      if ((start == 0 || src_[start - 1] == '\n') &&
          src_.compare(start, linkname.size(), linkname) == 0)
        linknames_.push_back(
            {loc(start), src_.substr(start + linkname.size(), pos_ - start - linkname.size())});
    } else if (c == '/' && pos_ + 1 < src_.size() && src_[pos_ + 1] == '*') {
      size_t start = pos_;
      size_t end = src_.find("*/", pos_ + 2);
      if (end == std::string::npos) {
        error(start, "comment not terminated");
        pos_ = src_.size();
        return;
      }
      // A general comment containing a newline acts like a newline.
      bool multiline = src_.find('\n', pos_) < end;
      pos_ = end + 2;
      if (multiline) {
        sawNewline = true;
        if (semiNeeded_)
          return;
      }
      continue;
    } else {
      return;
    }
  }
}

// quoteChar formats the character at src[i] as Go's %q formats a rune: 'x', '\n', '\''.
static std::string quoteChar(const std::string &src, size_t i) {
  unsigned char c = src[i];
  switch (c) {
  case '\a': return "'\\a'";
  case '\b': return "'\\b'";
  case '\f': return "'\\f'";
  case '\n': return "'\\n'";
  case '\r': return "'\\r'";
  case '\t': return "'\\t'";
  case '\v': return "'\\v'";
  case '\\': return "'\\\\'";
  case '\'': return "'\\''";
  default: break;
  }
  if (c < 0x20 || c == 0x7f) {
    char buf[8];
    snprintf(buf, sizeof buf, "'\\x%02x'", c);
    return buf;
  }
  size_t len = c < 0x80 ? 1 : utf8Len(src, i);
  return "'" + src.substr(i, std::max<size_t>(len, 1)) + "'";
}

// lexEscape reads the escape at the backslash at pos_, as gc's scanner: an error is reported at
// the character that makes it invalid, which is not consumed. At the end of the input it
// returns true and the literal's caller reports that it is not terminated.
bool Lexer::lexEscape(char quote, std::string &out) {
  ++pos_; // the backslash
  if (pos_ >= src_.size())
    return true;
  char c = src_[pos_];
  static const char simple[] = "abfnrtv\\";
  static const char value[] = "\a\b\f\n\r\t\v\\";
  if (const char *at = c ? strchr(simple, c) : nullptr) {
    out += value[at - simple];
    ++pos_;
    return true;
  }
  if (c == quote) {
    out += c;
    ++pos_;
    return true;
  }
  int n, base;
  uint32_t max;
  if (c >= '0' && c <= '7') {
    n = 3, base = 8, max = 255;
  } else if (c == 'x' || c == 'u' || c == 'U') {
    ++pos_;
    n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
    base = 16;
    max = c == 'x' ? 255 : 0x10FFFF;
  } else {
    error(pos_, "unknown escape");
    return false;
  }
  uint32_t v = 0;
  for (int i = 0; i < n; ++i) {
    if (pos_ >= src_.size())
      return true;
    char d = src_[pos_];
    int dv = isDigit(d) ? d - '0' : isHex(d) ? hexVal(d) : base;
    if (dv >= base) {
      error(pos_, "invalid character " + quoteChar(src_, pos_) + " in " +
                      (base == 8 ? "octal" : "hexadecimal") + " escape");
      return false;
    }
    v = v * base + dv;
    ++pos_;
  }
  if (v > max && base == 8) {
    error(pos_, "octal escape value " + std::to_string(v) + " > 255");
    return false;
  }
  if (v > max || (v >= 0xD800 && v < 0xE000)) {
    char buf[32];
    snprintf(buf, sizeof buf, "U+%04X", v);
    error(pos_, std::string("escape is invalid Unicode code point ") + buf);
    return false;
  }
  if (c == 'x' || base == 8)
    out += char(v);
  else
    appendUTF8(out, v);
  return true;
}

Token Lexer::lexString(size_t start) {
  ++pos_;
  std::string value;
  while (true) {
    if (pos_ >= src_.size()) {
      error(start, "string not terminated");
      break;
    }
    char c = src_[pos_];
    if (c == '\n') {
      error(pos_, "newline in string");
      break;
    }
    if (c == '"') {
      ++pos_;
      break;
    }
    if (c == '\\') {
      lexEscape('"', value);
      continue;
    }
    value += c;
    ++pos_;
  }
  Token t = make(Tok::String, start);
  t.value = std::move(value);
  return t;
}

Token Lexer::lexRawString(size_t start) {
  ++pos_;
  std::string value;
  while (true) {
    if (pos_ >= src_.size()) {
      error(start, "string not terminated");
      break;
    }
    char c = src_[pos_++];
    if (c == '`')
      break;
    if (c != '\r')
      value += c;
  }
  Token t = make(Tok::String, start);
  t.value = std::move(value);
  return t;
}

// lexRune reads a rune literal, reporting (once) what gc's scanner reports.
Token Lexer::lexRune(size_t start) {
  ++pos_;
  std::string value;
  uint32_t rune = 0;
  int n = 0;
  bool ok = true;
  while (true) {
    if (pos_ >= src_.size()) {
      if (ok)
        error(start, "rune literal not terminated");
      break;
    }
    char c = src_[pos_];
    if (c == '\n') {
      if (ok)
        error(pos_, "newline in rune literal");
      break;
    }
    if (c == '\'') {
      if (ok && n == 0)
        error(pos_, "empty rune literal or unescaped '");
      else if (ok && n != 1)
        error(start, "more than one character in rune literal");
      ++pos_;
      break;
    }
    if (c == '\\') {
      // \x and octal escapes name a byte value, the others a code point (UTF-8 in value).
      char kind = pos_ + 1 < src_.size() ? src_[pos_ + 1] : 0;
      size_t before = value.size();
      if (!lexEscape('\'', value))
        ok = false;
      else if (value.size() > before)
        rune = kind == 'x' || (kind >= '0' && kind <= '7')
                   ? static_cast<unsigned char>(value.back())
                   : decodeUTF8(value, before, utf8Len(value, before));
    } else {
      size_t len = utf8Len(src_, pos_);
      rune = len ? decodeUTF8(src_, pos_, len) : 0xFFFD;
      pos_ += std::max<size_t>(1, len);
    }
    ++n;
  }
  Token t = make(Tok::Rune, start);
  t.rune = rune;
  return t;
}

// invalidSep returns the index of the first '_' in a number literal that does not separate two
// digits (a base prefix counts as a digit), or -1; Go's scanner function of the same name.
static int invalidSep(const std::string &x) {
  char x1 = ' ', d = '.';
  size_t i = 0;
  if (x.size() >= 2 && x[0] == '0') {
    x1 = x[1] | 0x20;
    if (x1 == 'x' || x1 == 'o' || x1 == 'b') {
      d = '0';
      i = 2;
    }
  }
  for (; i < x.size(); ++i) {
    char p = d;
    d = x[i];
    if (d == '_') {
      if (p != '0')
        return int(i);
    } else if (isDigit(d) || (x1 == 'x' && isHex(d))) {
      d = '0';
    } else {
      if (p == '_')
        return int(i) - 1;
      d = '.';
    }
  }
  return d == '_' ? int(x.size()) - 1 : -1;
}

Token Lexer::lexNumber(size_t start) {
  bool isFloat = false;
  auto digits = [&](auto ok) {
    while (pos_ < src_.size() && (ok(src_[pos_]) || src_[pos_] == '_'))
      ++pos_;
  };
  auto exponentDigits = [&]() {
    size_t ds = pos_;
    digits([](char c) { return isDigit(c); });
    if (pos_ == ds)
      error(pos_, "exponent has no digits");
  };
  if (src_[pos_] == '0' && pos_ + 1 < src_.size() && std::strchr("xXbBoO", src_[pos_ + 1]) &&
      src_[pos_ + 1] != 0) {
    char base = src_[pos_ + 1] | 0x20;
    pos_ += 2;
    size_t ds = pos_;
    if (base == 'x')
      digits([](char c) { return isHex(c); });
    else
      digits([](char c) { return isDigit(c); });
    // A hexadecimal mantissa may have its digits after the point only (0x.8p0).
    bool none = pos_ == ds;
    if (base == 'x' && pos_ < src_.size() && src_[pos_] == '.') {
      ++pos_;
      size_t fs = pos_;
      digits([](char c) { return isHex(c); });
      none = none && pos_ == fs;
      isFloat = true;
    }
    if (none)
      error(pos_, std::string(base == 'x'   ? "hexadecimal"
                              : base == 'b' ? "binary"
                                            : "octal") +
                      " literal has no digits");
    if (base == 'x' && (isFloat || (pos_ < src_.size() && (src_[pos_] | 0x20) == 'p'))) {
      isFloat = true;
      if (pos_ < src_.size() && (src_[pos_] | 0x20) == 'p') {
        ++pos_;
        if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-'))
          ++pos_;
        exponentDigits();
      } else {
        error(pos_, "hexadecimal mantissa requires a 'p' exponent");
      }
    }
  } else {
    digits([](char c) { return isDigit(c); });
    if (pos_ < src_.size() && src_[pos_] == '.') {
      isFloat = true;
      ++pos_;
      digits([](char c) { return isDigit(c); });
    }
    if (pos_ < src_.size() && (src_[pos_] | 0x20) == 'e') {
      isFloat = true;
      ++pos_;
      if (pos_ < src_.size() && (src_[pos_] == '+' || src_[pos_] == '-'))
        ++pos_;
      exponentDigits();
    }
  }
  if (int i = invalidSep(src_.substr(start, pos_ - start)); i >= 0)
    error(start + i, "'_' must separate successive digits");
  if (pos_ < src_.size() && src_[pos_] == 'i') {
    ++pos_;
    return make(Tok::Imag, start);
  }
  // A letter after the digits starts the next token, as in gc ("12abc" is 12, then abc).
  return make(isFloat ? Tok::Float : Tok::Int, start);
}

Token Lexer::next() {
  if (done_) {
    Token t;
    t.kind = Tok::Eof;
    t.loc = loc(src_.size());
    return t;
  }
  bool sawNewline;
  skipSpaceAndComments(sawNewline);
  if (semiNeeded_ && (sawNewline || pos_ >= src_.size())) {
    Token t;
    t.kind = Tok::Semicolon;
    t.loc = loc(pos_);
    t.text = "\n";
    semiNeeded_ = false;
    if (pos_ < src_.size() && src_[pos_] == '\n')
      ++pos_;
    return t;
  }
  if (pos_ >= src_.size()) {
    done_ = true;
    Token t;
    t.kind = Tok::Eof;
    t.loc = loc(src_.size());
    return t;
  }
  size_t start = pos_;
  unsigned char c = src_[pos_];
  if (isLetter(c)) {
    while (pos_ < src_.size()) {
      unsigned char d = src_[pos_];
      if (d >= 0x80) {
        size_t n = utf8Len(src_, pos_);
        if (n == 0) {
          error(pos_, "invalid UTF-8 encoding");
          n = 1;
        }
        pos_ += n;
      } else if (isLetter(d) || isDigit(d)) {
        ++pos_;
      } else {
        break;
      }
    }
    std::string word = src_.substr(start, pos_ - start);
    auto it = keywords().find(word);
    return make(it == keywords().end() ? Tok::Ident : it->second, start);
  }
  if (isDigit(c) || (c == '.' && pos_ + 1 < src_.size() && isDigit(src_[pos_ + 1])))
    return lexNumber(start);
  if (c == '"')
    return lexString(start);
  if (c == '`')
    return lexRawString(start);
  if (c == '\'')
    return lexRune(start);

  // Operators: longest match first.
  static const struct {
    const char *s;
    Tok t;
  } ops[] = {
      {"&^=", Tok::AndNotAssign},
      {"<<=", Tok::ShlAssign},
      {">>=", Tok::ShrAssign},
      {"...", Tok::Ellipsis},
      {"+=", Tok::AddAssign},
      {"-=", Tok::SubAssign},
      {"*=", Tok::MulAssign},
      {"/=", Tok::QuoAssign},
      {"%=", Tok::RemAssign},
      {"&=", Tok::AndAssign},
      {"|=", Tok::OrAssign},
      {"^=", Tok::XorAssign},
      {"<<", Tok::Shl},
      {">>", Tok::Shr},
      {"&^", Tok::AndNot},
      {"&&", Tok::LAnd},
      {"||", Tok::LOr},
      {"<-", Tok::Arrow},
      {"++", Tok::Inc},
      {"--", Tok::Dec},
      {"==", Tok::Eql},
      {"!=", Tok::Neq},
      {"<=", Tok::Leq},
      {">=", Tok::Geq},
      {":=", Tok::Define},
      {"+", Tok::Add},
      {"-", Tok::Sub},
      {"*", Tok::Mul},
      {"/", Tok::Quo},
      {"%", Tok::Rem},
      {"&", Tok::And},
      {"|", Tok::Or},
      {"^", Tok::Xor},
      {"<", Tok::Lss},
      {">", Tok::Gtr},
      {"=", Tok::Assign},
      {"!", Tok::Not},
      {"~", Tok::Tilde},
      {"(", Tok::LParen},
      {"[", Tok::LBrack},
      {"{", Tok::LBrace},
      {",", Tok::Comma},
      {".", Tok::Period},
      {")", Tok::RParen},
      {"]", Tok::RBrack},
      {"}", Tok::RBrace},
      {";", Tok::Semicolon},
      {":", Tok::Colon},
  };
  for (const auto &op : ops) {
    size_t n = std::strlen(op.s);
    if (src_.compare(pos_, n, op.s) == 0) {
      pos_ += n;
      return make(op.t, start);
    }
  }
  // Anything else is an invalid character; report it the way Go does.
  char buf[64];
  size_t n = c >= 0x80 ? utf8Len(src_, pos_) : 1;
  if (n == 0) {
    error(start, "invalid UTF-8 encoding");
    n = 1;
  } else if (c < 0x20 || c == 0x7f || c >= 0x80 || c == '#' || c == '$' || c == '?' || c == '@' ||
             c == '\\') {
    uint32_t r = c;
    if (n > 1) {
      r = c & (0xFF >> (n + 1));
      for (size_t k = 1; k < n; ++k)
        r = (r << 6) | (static_cast<unsigned char>(src_[pos_ + k]) & 0x3F);
    }
    if (c >= 0x20 && c < 0x7f)
      snprintf(buf, sizeof buf, "invalid character U+%04X '%c'", r, c);
    else
      snprintf(buf, sizeof buf, "invalid character U+%04X", r);
    error(start, buf);
  }
  pos_ += n;
  return make(Tok::Illegal, start);
}

std::vector<Token> Lexer::lexAll() {
  std::vector<Token> toks;
  while (true) {
    toks.push_back(next());
    if (toks.back().kind == Tok::Eof)
      break;
  }
  return toks;
}

} // namespace toy
