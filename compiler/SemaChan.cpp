//===- SemaChan.cpp - channels and select ---------------------------------===//
//
// Channel types and their assignability, make(chan T[, n]), the receive operator (with the
// comma-ok form), send statements, close, len and cap of channels, range over a channel and
// select statements, with types2's messages.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

namespace toy {

// Go's assignability rule for channels: a bidirectional channel value is assignable to a
// channel type with an identical element type.
bool Sema::chanAssignable(const Type *v, const Type *t) {
  return v->isChan() && t->isChan() && v->dir == Type::SendRecv && identical(v->elem, t->elem);
}

// The size of a value of type t on amd64, as IRGen lays it out; saturates at 1 << 62.
static uint64_t sizeOf(const Type *t) {
  switch (t->kind) {
  case Type::Bool:
    return 1;
  case Type::String:
  case Type::Func: // the code and the environment
    return 16;
  case Type::Slice:
    return 24;
  case Type::Chan:
    return 8;
  case Type::Array: {
    uint64_t e = sizeOf(t->elem);
    return e != 0 && uint64_t(t->len) > (uint64_t(1) << 62) / e ? uint64_t(1) << 62
                                                                : e * uint64_t(t->len);
  }
  default:
    return t->bits() / 8;
  }
}

const Type *Sema::chanType(TypeExpr *t) {
  ++indirect_; // type C chan C
  const Type *elem = resolveType(t->elem.get());
  --indirect_;
  if (elem == types_.invalid())
    return elem;
  // gc's limit, which makechan relies on (its elemsize is 16 bits).
  if (sizeOf(elem) >= 1 << 16) {
    error(t->loc, "channel element type too large (>64kB)");
    return types_.invalid();
  }
  return types_.chan(elem, t->chanDir);
}

// commaOkRecv marks the single value of an assignment of two variables as the comma-ok form
// of a receive, v, ok = <-c, or of a map index, v, ok = m[k], which values() then spreads
// into its two results.
void Sema::commaOkRecv(std::vector<ExprPtr> &vs, size_t vars) {
  if (vars != 2 || vs.size() != 1)
    return;
  Expr *u = unparen(vs[0].get());
  if (u->kind == Expr::Unary && static_cast<UnaryExpr *>(u)->op == Tok::Arrow)
    static_cast<UnaryExpr *>(u)->commaOk = true;
  else if (u->kind == Expr::Index)
    static_cast<IndexExpr *>(u)->commaOk = true; // v, ok = m[k] if m is a map (index decides)
  else if (u->kind == Expr::TypeAssert) // v, ok = x.(T)
    static_cast<TypeAssertExpr *>(u)->commaOk = true;
}

// recv checks <-c: c is a channel that can receive; the value is c's element (and an untyped
// boolean in the comma-ok form, which Go gives type bool).
const Type *Sema::recv(UnaryExpr *e) {
  const Type *t = expr(e->operand.get());
  if (t == types_.invalid())
    return t;
  Expr *x = e->operand.get();
  if (!t->isChan()) {
    error(x->loc, "invalid operation: cannot receive from non-channel " + operand(x));
    return types_.invalid();
  }
  if (t->dir == Type::SendOnly) {
    error(x->loc, "invalid operation: cannot receive from send-only channel " + operand(x));
    return types_.invalid();
  }
  if (e->commaOk)
    return types_.tuple({t->elem, types_.boolT()});
  return t->elem;
}

void Sema::checkSend(SendStmt *s) {
  const Type *ct = expr(s->chan.get());
  const Type *vt = expr(s->value.get());
  if (ct == types_.invalid() || vt == types_.invalid())
    return;
  if (!ct->isChan()) {
    error(s->loc, "invalid operation: cannot send to non-channel " + operand(s->chan.get()));
    return;
  }
  if (ct->dir == Type::RecvOnly) {
    error(s->loc,
          "invalid operation: cannot send to receive-only channel " + operand(s->chan.get()));
    return;
  }
  assign(s->value, ct->elem, "send");
}

// closeBuiltin checks close(c).
const Type *Sema::closeBuiltin(CallExpr *e) {
  if (!oneArg(e))
    return types_.voidT();
  const Type *t = expr(e->args[0].get());
  if (t == types_.invalid())
    return types_.voidT();
  Expr *x = e->args[0].get();
  if (!t->isChan())
    error(x->loc, "invalid operation: cannot close non-channel " + operand(x));
  else if (t->dir == Type::RecvOnly)
    error(x->loc, "invalid operation: cannot close receive-only channel " + operand(x));
  return types_.voidT();
}

// makeChan checks make(chan T) and make(chan T, size); t is the channel type.
const Type *Sema::makeChan(CallExpr *e, const Type *t) {
  auto &args = e->args;
  if (args.size() > 2) {
    error(e->loc, "invalid operation: " + exprString(e) + " expects 1 or 2 arguments; found " +
                      std::to_string(args.size()));
    return types_.invalid();
  }
  if (args.size() == 2 && !checkIndex(args[1].get(), -1))
    return types_.invalid();
  return t;
}

// checkSelect checks each clause's communication (a send or a receive, possibly assigned) and
// body, each clause an implicit block; break leaves the select.
void Sema::checkSelect(SelectStmt *s) {
  const CommClause *firstDefault = nullptr;
  for (CommClause &c : s->clauses) {
    if (!c.comm) {
      if (firstDefault)
        error(c.loc, "multiple defaults (first at " + diags_.where(firstDefault->loc) + ")");
      else
        firstDefault = &c;
    }
    auto isRecv = [&](Expr *e) {
      Expr *u = unparen(e);
      return u->kind == Expr::Unary && static_cast<UnaryExpr *>(u)->op == Tok::Arrow;
    };
    bool valid = true;
    if (Stmt *comm = c.comm.get()) {
      switch (comm->kind) {
      case Stmt::Send:
        break;
      case Stmt::ExprS:
        valid = isRecv(static_cast<ExprStmt *>(comm)->expr.get());
        break;
      case Stmt::Define: {
        auto *d = static_cast<DefineStmt *>(comm);
        valid = d->values.size() == 1 && isRecv(d->values[0].get());
        break;
      }
      case Stmt::Assign: {
        auto *a = static_cast<AssignStmt *>(comm);
        valid = a->op == Tok::Assign && a->rhs.size() == 1 && isRecv(a->rhs[0].get());
        break;
      }
      default:
        valid = false;
      }
      if (!valid) {
        // Go places an expression statement at its expression, a binary one at its operator.
        SourceLoc at = comm->loc;
        if (comm->kind == Stmt::ExprS) {
          Expr *x = static_cast<ExprStmt *>(comm)->expr.get();
          at = x->kind == Expr::Binary ? static_cast<BinaryExpr *>(x)->opLoc : x->loc;
        }
        error(at, "select case must be send or receive (possibly with assignment)");
        continue;
      }
    }
    branches_.targets.push_back(s);
    pushScope(); // each clause is an implicit block, its communication's variables included
    checkStmt(c.comm.get());
    for (auto &b : c.body)
      checkStmt(b.get());
    popScope();
    branches_.targets.pop_back();
  }
}

} // namespace toy
