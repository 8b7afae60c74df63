//===- AST.cpp - printing the tree ----------------------------------------===//
#include "AST.h"
#include "Lexer.h"

namespace toy {

// a + b + c + ... is a left-deep tree and an else-if chain a right-deep one, as long as the
// source: both are freed along their spine in a loop, so no length exhausts the stack.
BinaryExpr::~BinaryExpr() {
  ExprPtr next = std::move(lhs);
  while (next && next->kind == Expr::Binary) {
    ExprPtr inner = std::move(static_cast<BinaryExpr *>(next.get())->lhs);
    next = std::move(inner);
  }
}

IfStmt::~IfStmt() {
  StmtPtr next = std::move(els);
  while (next && next->kind == Stmt::If) {
    StmtPtr inner = std::move(static_cast<IfStmt *>(next.get())->els);
    next = std::move(inner);
  }
}

std::string exprString(const Expr *e) {
  if (!e)
    return "";
  switch (e->kind) {
  case Expr::IntLit:
    return static_cast<const IntLitExpr *>(e)->text;
  case Expr::FloatLit:
    return static_cast<const FloatLitExpr *>(e)->text;
  case Expr::StringLit:
    return static_cast<const StringLitExpr *>(e)->text;
  case Expr::Ident:
    return static_cast<const IdentExpr *>(e)->name;
  case Expr::Unary: {
    auto *u = static_cast<const UnaryExpr *>(e);
    return std::string(tokName(u->op)) + exprString(u->operand.get());
  }
  case Expr::Binary: {
    // Down a left-deep chain's spine in a loop, then its operators and right operands.
    std::vector<const BinaryExpr *> spine = {static_cast<const BinaryExpr *>(e)};
    while (spine.back()->lhs->kind == Expr::Binary)
      spine.push_back(static_cast<const BinaryExpr *>(spine.back()->lhs.get()));
    std::string s = exprString(spine.back()->lhs.get());
    for (size_t i = spine.size(); i-- > 0;)
      s += std::string(" ") + tokName(spine[i]->op) + " " + exprString(spine[i]->rhs.get());
    return s;
  }
  case Expr::Call: {
    auto *c = static_cast<const CallExpr *>(e);
    std::string s = exprString(c->callee.get()) + "(";
    for (size_t i = 0; i < c->args.size(); ++i)
      s += (i ? ", " : "") + exprString(c->args[i].get());
    return s + (c->hasDots ? "...)" : ")");
  }
  case Expr::Paren:
    return "(" + exprString(static_cast<const ParenExpr *>(e)->inner.get()) + ")";
  case Expr::Selector: {
    auto *s = static_cast<const SelectorExpr *>(e);
    return exprString(s->base.get()) + "." + s->sel;
  }
  case Expr::FuncLit:
    return "func literal";
  case Expr::TupleElem:
    return exprString(static_cast<const TupleElemExpr *>(e)->call);
  case Expr::Index: {
    auto *x = static_cast<const IndexExpr *>(e);
    return exprString(x->base.get()) + "[" + exprString(x->index.get()) + "]";
  }
  case Expr::TypeE:
    return typeString(static_cast<const TypeValueExpr *>(e)->typeExpr.get());
  case Expr::TypeAssert: {
    auto *a = static_cast<const TypeAssertExpr *>(e);
    return exprString(a->x.get()) + ".(" +
           (a->assertType ? typeString(a->assertType.get()) : std::string("type")) + ")";
  }
  case Expr::ImplicitConv:
    return exprString(static_cast<const ImplicitConvExpr *>(e)->inner.get());
  case Expr::CompositeLit: {
    // Go abbreviates a literal's elements in messages: [3]int{…}.
    auto *c = static_cast<const CompositeLitExpr *>(e);
    return (c->litType ? typeString(c->litType.get()) : "") + (c->values.empty() ? "{}" : "{…}");
  }
  case Expr::Slice: {
    auto *x = static_cast<const SliceExpr *>(e);
    std::string s = exprString(x->base.get()) + "[" + exprString(x->lo.get()) + ":" +
                    exprString(x->hi.get());
    if (x->slice3)
      s += ":" + exprString(x->max.get());
    return s + "]";
  }
  }
  return "?";
}

Expr *unparen(Expr *e) {
  while (e && e->kind == Expr::Paren)
    e = static_cast<ParenExpr *>(e)->inner.get();
  return e;
}

bool addressable(const Expr *e) {
  while (e->kind == Expr::Paren)
    e = static_cast<const ParenExpr *>(e)->inner.get();
  if (e->kind == Expr::Ident) {
    const Object *o = static_cast<const IdentExpr *>(e)->obj;
    return o && o->kind == Object::Var;
  }
  if (e->kind == Expr::Unary)
    return static_cast<const UnaryExpr *>(e)->op == Tok::Mul;
  if (e->kind == Expr::Selector) {
    auto *s = static_cast<const SelectorExpr *>(e);
    return s->field >= 0 && (s->deref || addressable(s->base.get()));
  }
  if (e->kind == Expr::Index) {
    const Expr *b = static_cast<const IndexExpr *>(e)->base.get();
    return b->type && (b->type->isSlice() || b->type->isArrayPointer() ||
                       (b->type->isArray() && addressable(b)));
  }
  return false;
}

std::string constString(const Expr *e) {
  // A string constant is literals joined by + (and parenthesised); the walk keeps its own
  // stack, so a chain of any length is joined without recursion.
  std::string s;
  std::vector<const Expr *> todo = {e};
  while (!todo.empty()) {
    const Expr *x = todo.back();
    todo.pop_back();
    if (x->kind == Expr::StringLit) {
      s += static_cast<const StringLitExpr *>(x)->value;
    } else if (x->kind == Expr::Paren) {
      todo.push_back(static_cast<const ParenExpr *>(x)->inner.get());
    } else if (x->kind == Expr::Binary) {
      auto *b = static_cast<const BinaryExpr *>(x);
      todo.push_back(b->rhs.get());
      todo.push_back(b->lhs.get());
    } else if (x->kind == Expr::Ident) { // a string constant declared with const
      s += static_cast<const IdentExpr *>(x)->obj->strVal;
    } else if (x->kind == Expr::Selector) { // an imported package's string constant
      s += static_cast<const SelectorExpr *>(x)->obj->strVal;
    } else if (x->kind == Expr::Call) { // a conversion: S("x"), or string(r) of a constant r
      const Expr *a = static_cast<const CallExpr *>(x)->args[0].get();
      if (a->isConstString) {
        todo.push_back(a);
      } else {
        // As Go, an integer that is no valid code point converts to "\uFFFD".
        int64_t r = a->constVal.small();
        bool valid = r >= 0 && r <= 0x10FFFF && !(r >= 0xD800 && r <= 0xDFFF);
        appendUTF8(s, valid ? uint32_t(r) : 0xFFFD);
      }
    }
  }
  return s;
}

std::string typeString(const TypeExpr *t) {
  if (!t)
    return "?";
  if (t->isSlice)
    return (t->variadic ? "..." : "[]") + typeString(t->elem.get());
  if (t->isPointer)
    return "*" + typeString(t->elem.get());
  if (t->isChan)
    return (t->chanDir == Type::SendOnly   ? "chan<- "
            : t->chanDir == Type::RecvOnly ? "<-chan "
                                           : "chan ") +
           typeString(t->elem.get());
  if (t->isMap)
    return "map[" + typeString(t->key.get()) + "]" + typeString(t->elem.get());
  if (t->isStruct) {
    std::string s = "struct{";
    for (size_t i = 0; i < t->fields.size(); ++i)
      s += (i ? "; " : "") + t->fields[i].name + " " + typeString(t->fields[i].type.get());
    return s + "}";
  }
  if (t->isInterface) {
    if (t->fields.empty())
      return "interface{}";
    std::string s = "interface{";
    for (size_t i = 0; i < t->fields.size(); ++i)
      s += (i ? "; " : "") +
           (t->fields[i].embedded ? typeString(t->fields[i].type.get())
                                  : t->fields[i].name +
                                        typeString(t->fields[i].type.get()).substr(4));
    return s + "}";
  }
  if (t->isArray)
    return "[" + (t->ellipsis ? std::string("...") : exprString(t->arrayLen.get())) + "]" +
           typeString(t->elem.get());
  if (!t->isFunc)
    return t->name;
  std::string s = "func(";
  for (size_t i = 0; i < t->params.size(); ++i)
    s += (i ? ", " : "") + typeString(t->params[i].get());
  s += ")";
  if (!t->results.empty())
    s += " " + typeString(t->results[0].get());
  return s;
}

namespace {
struct Dumper {
  std::string out;
  // A deep tree (a chain of 100,000 operators is 100,000 levels) would make the indentation
  // quadratic in the source: past maxIndent levels, a line shows its depth as a number.
  static constexpr int maxIndent = 64;
  void line(int depth, const std::string &s) {
    if (depth <= maxIndent)
      out += std::string(depth * 2, ' ') + s + "\n";
    else
      out += std::string(maxIndent * 2, ' ') + "[" + std::to_string(depth) + "] " + s + "\n";
  }
  static std::string at(SourceLoc l) {
    return " <" + std::to_string(l.line) + ":" + std::to_string(l.col) + ">";
  }

  void expr(const Expr *e, int d) {
    if (!e)
      return;
    switch (e->kind) {
    case Expr::IntLit:
      line(d, "IntLit " + exprString(e) + at(e->loc));
      break;
    case Expr::FloatLit:
      line(d, "FloatLit " + exprString(e) + at(e->loc));
      break;
    case Expr::StringLit:
      line(d, "StringLit " + exprString(e) + at(e->loc));
      break;
    case Expr::Ident:
      line(d, "Ident " + exprString(e) + at(e->loc));
      break;
    case Expr::Unary: {
      auto *u = static_cast<const UnaryExpr *>(e);
      line(d, std::string("Unary ") + tokName(u->op) + at(e->loc));
      expr(u->operand.get(), d + 1);
      break;
    }
    case Expr::Binary: {
      // Down a left-deep chain's spine in a loop, one level per operator, then its leftmost
      // operand, then the right operands from the innermost out: the recursive order.
      std::vector<const BinaryExpr *> spine = {static_cast<const BinaryExpr *>(e)};
      while (spine.back()->lhs->kind == Expr::Binary)
        spine.push_back(static_cast<const BinaryExpr *>(spine.back()->lhs.get()));
      for (size_t i = 0; i < spine.size(); ++i)
        line(d + int(i), std::string("Binary ") + tokName(spine[i]->op) + at(spine[i]->loc));
      expr(spine.back()->lhs.get(), d + int(spine.size()));
      for (size_t i = spine.size(); i-- > 0;)
        expr(spine[i]->rhs.get(), d + int(i) + 1);
      break;
    }
    case Expr::Call: {
      auto *c = static_cast<const CallExpr *>(e);
      line(d, "Call" + at(e->loc));
      expr(c->callee.get(), d + 1);
      for (auto &a : c->args)
        expr(a.get(), d + 1);
      break;
    }
    case Expr::Paren:
      line(d, "Paren" + at(e->loc));
      expr(static_cast<const ParenExpr *>(e)->inner.get(), d + 1);
      break;
    case Expr::Selector: {
      auto *s = static_cast<const SelectorExpr *>(e);
      line(d, "Selector ." + s->sel + at(e->loc));
      expr(s->base.get(), d + 1);
      break;
    }
    case Expr::Index: {
      auto *x = static_cast<const IndexExpr *>(e);
      line(d, "Index" + at(e->loc));
      expr(x->base.get(), d + 1);
      expr(x->index.get(), d + 1);
      break;
    }
    case Expr::Slice: {
      auto *x = static_cast<const SliceExpr *>(e);
      line(d, std::string(x->slice3 ? "Slice3" : "Slice") + at(e->loc));
      expr(x->base.get(), d + 1);
      for (const Expr *b : {x->lo.get(), x->hi.get(), x->max.get()})
        if (b)
          expr(b, d + 1);
      break;
    }
    case Expr::TypeE:
      line(d, "Type " + exprString(e) + at(e->loc));
      break;
    case Expr::TypeAssert:
      line(d, "TypeAssert " + exprString(e) + at(e->loc));
      expr(static_cast<const TypeAssertExpr *>(e)->x.get(), d + 1);
      break;
    case Expr::ImplicitConv: // made by Sema, after --emit=ast
      expr(static_cast<const ImplicitConvExpr *>(e)->inner.get(), d);
      break;
    case Expr::CompositeLit: {
      auto *c = static_cast<const CompositeLitExpr *>(e);
      line(d, "CompositeLit " + (c->litType ? typeString(c->litType.get()) : "") + at(e->loc));
      for (size_t i = 0; i < c->values.size(); ++i) {
        if (c->keys[i])
          expr(c->keys[i].get(), d + 1);
        expr(c->values[i].get(), d + 1);
      }
      break;
    }
    case Expr::TupleElem: // made by Sema, after --emit=ast
      line(d, "TupleElem " + std::to_string(static_cast<const TupleElemExpr *>(e)->index));
      break;
    case Expr::FuncLit: {
      auto *f = static_cast<const FuncLitExpr *>(e)->fn.get();
      std::string sig = "FuncLit(";
      for (size_t i = 0; i < f->params.size(); ++i)
        sig += (i ? ", " : "") + f->params[i].name.name + " " + typeString(f->params[i].type.get());
      sig += ")";
      for (auto &r : f->results)
        sig += " " + typeString(r.type.get());
      line(d, sig + at(e->loc));
      stmt(f->body.get(), d + 1);
      break;
    }
    }
  }

  static std::string names(const std::vector<NameDef> &ns) {
    std::string s;
    for (size_t i = 0; i < ns.size(); ++i)
      s += (i ? ", " : "") + ns[i].name;
    return s;
  }

  void stmt(const Stmt *s, int d) {
    if (!s)
      return;
    switch (s->kind) {
    case Stmt::Block:
      line(d, "Block" + at(s->loc));
      for (auto &c : static_cast<const BlockStmt *>(s)->stmts)
        stmt(c.get(), d + 1);
      break;
    case Stmt::ExprS:
      line(d, "ExprStmt" + at(s->loc));
      expr(static_cast<const ExprStmt *>(s)->expr.get(), d + 1);
      break;
    case Stmt::VarDecl: {
      auto *v = static_cast<const VarDeclStmt *>(s);
      line(d, "Var " + names(v->names) + (v->type ? " " + typeString(v->type.get()) : "") +
                  at(s->loc));
      for (auto &e : v->values)
        expr(e.get(), d + 1);
      break;
    }
    case Stmt::ConstDecl: {
      auto *c = static_cast<const ConstDeclStmt *>(s);
      line(d, "Const " + names(c->names) + (c->type ? " " + typeString(c->type.get()) : "") +
                  " iota=" + std::to_string(c->iota) + (c->own.empty() ? " (repeats)" : "") +
                  at(s->loc));
      for (auto &e : c->own)
        expr(e.get(), d + 1);
      break;
    }
    case Stmt::TypeDecl: {
      auto *t = static_cast<const TypeDeclStmt *>(s);
      line(d, "Type " + t->name.name + (t->alias ? " = " : " ") + typeString(t->type.get()) +
                  at(s->loc));
      break;
    }
    case Stmt::Define: {
      auto *v = static_cast<const DefineStmt *>(s);
      line(d, "Define " + names(v->names) + at(s->loc));
      for (auto &e : v->values)
        expr(e.get(), d + 1);
      break;
    }
    case Stmt::Assign: {
      auto *a = static_cast<const AssignStmt *>(s);
      line(d, std::string("Assign ") + tokName(a->op) + at(s->loc));
      for (auto &e : a->lhs)
        expr(e.get(), d + 1);
      for (auto &e : a->rhs)
        expr(e.get(), d + 1);
      break;
    }
    case Stmt::IncDec: {
      auto *i = static_cast<const IncDecStmt *>(s);
      line(d, std::string(i->inc ? "Inc" : "Dec") + at(s->loc));
      expr(i->target.get(), d + 1);
      break;
    }
    case Stmt::If: {
      // An else-if chain is walked in a loop, each else-if one level deeper.
      auto *i = static_cast<const IfStmt *>(s);
      for (int dd = d;; ++dd) {
        line(dd, "If" + at(i->loc));
        stmt(i->init.get(), dd + 1);
        expr(i->cond.get(), dd + 1);
        stmt(i->then.get(), dd + 1);
        if (!i->els)
          break;
        line(dd, "Else");
        if (i->els->kind != Stmt::If) {
          stmt(i->els.get(), dd + 1);
          break;
        }
        i = static_cast<const IfStmt *>(i->els.get());
      }
      break;
    }
    case Stmt::For: {
      auto *f = static_cast<const ForStmt *>(s);
      line(d, "For" + at(s->loc));
      if (f->init) {
        line(d + 1, "Init");
        stmt(f->init.get(), d + 2);
      }
      if (f->cond) {
        line(d + 1, "Cond");
        expr(f->cond.get(), d + 2);
      }
      if (f->post) {
        line(d + 1, "Post");
        stmt(f->post.get(), d + 2);
      }
      if (f->rangeX) {
        line(d + 1, f->rangeDefine ? "Range :=" : "Range");
        for (auto &l : f->rangeLhs)
          expr(l.get(), d + 2);
        expr(f->rangeX.get(), d + 2);
      }
      stmt(f->body.get(), d + 1);
      break;
    }
    case Stmt::Go:
      line(d, "Go" + at(s->loc));
      expr(static_cast<const GoStmt *>(s)->call.get(), d + 1);
      break;
    case Stmt::Defer:
      line(d, "Defer" + at(s->loc));
      expr(static_cast<const DeferStmt *>(s)->call.get(), d + 1);
      break;
    case Stmt::Break:
    case Stmt::Continue:
    case Stmt::Fallthrough:
    case Stmt::Goto: {
      auto *b = static_cast<const BranchStmt *>(s);
      const char *name = s->kind == Stmt::Break      ? "Break"
                         : s->kind == Stmt::Continue ? "Continue"
                         : s->kind == Stmt::Goto     ? "Goto"
                                                     : "Fallthrough";
      line(d, name + (b->label.empty() ? "" : " " + b->label) + at(s->loc));
      break;
    }
    case Stmt::Labeled: {
      auto *l = static_cast<const LabeledStmt *>(s);
      line(d, "Label " + l->label + at(s->loc));
      stmt(l->stmt.get(), d + 1);
      break;
    }
    case Stmt::Switch: {
      auto *sw = static_cast<const SwitchStmt *>(s);
      line(d, "Switch" + at(s->loc));
      if (sw->init) {
        line(d + 1, "Init");
        stmt(sw->init.get(), d + 2);
      }
      if (sw->tag) {
        line(d + 1, "Tag");
        expr(sw->tag.get(), d + 2);
      }
      for (auto &c : sw->clauses) {
        line(d + 1, (c.isDefault ? "Default" : "Case") + at(c.loc));
        for (auto &v : c.values)
          expr(v.get(), d + 2);
        for (auto &b : c.body)
          stmt(b.get(), d + 2);
      }
      break;
    }
    case Stmt::Send: {
      auto *snd = static_cast<const SendStmt *>(s);
      line(d, "Send" + at(s->loc));
      expr(snd->chan.get(), d + 1);
      expr(snd->value.get(), d + 1);
      break;
    }
    case Stmt::Select:
      line(d, "Select" + at(s->loc));
      for (auto &c : static_cast<const SelectStmt *>(s)->clauses) {
        line(d + 1, (c.comm ? "Case" : "Default") + at(c.loc));
        stmt(c.comm.get(), d + 2);
        for (auto &b : c.body)
          stmt(b.get(), d + 2);
      }
      break;
    case Stmt::Return:
      line(d, "Return" + at(s->loc));
      for (auto &e : static_cast<const ReturnStmt *>(s)->results)
        expr(e.get(), d + 1);
      break;
    case Stmt::Empty:
      line(d, "Empty" + at(s->loc));
      break;
    }
  }
};
} // namespace

std::string dumpAST(const File &f) {
  Dumper d;
  d.line(0, "File package " + f.package);
  for (auto &i : f.imports)
    d.line(1, "Import " + (i.name.empty() ? "" : i.name + " ") + "\"" + i.path + "\"" +
                  Dumper::at(i.loc));
  for (auto &t : f.types)
    d.stmt(t.get(), 1);
  for (auto &c : f.consts)
    d.stmt(c.get(), 1);
  for (auto &g : f.globals)
    d.stmt(g.get(), 1);
  for (auto &fn : f.funcs) {
    std::string sig = "Func ";
    if (fn->method) {
      sig += "(";
      for (size_t i = 0; i < fn->recv.size(); ++i)
        sig += (i ? ", " : "") + fn->recv[i].name.name + " " + typeString(fn->recv[i].type.get());
      sig += ") ";
    }
    sig += fn->name.name + "(";
    for (size_t i = 0; i < fn->params.size(); ++i)
      sig += (i ? ", " : "") + fn->params[i].name.name + " " + typeString(fn->params[i].type.get());
    sig += ")";
    for (auto &r : fn->results)
      sig += " " + typeString(r.type.get());
    d.line(1, sig + Dumper::at(fn->loc));
    if (fn->body)
      d.stmt(fn->body.get(), 2);
  }
  return d.out;
}

void File::append(File &&other) {
  auto move = [](auto &to, auto &from) {
    for (auto &x : from)
      to.push_back(std::move(x));
  };
  move(imports, other.imports);
  move(funcs, other.funcs);
  move(globals, other.globals);
  move(consts, other.consts);
  move(types, other.types);
  move(linknames, other.linknames);
  move(typeErrors, other.typeErrors);
}

} // namespace toy
