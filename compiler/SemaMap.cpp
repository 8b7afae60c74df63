//===- SemaMap.cpp - maps -------------------------------------------------===//
//
// Map types (comparable keys), make(map[K]V[, hint]), map literals with their duplicate
// constant keys, m[k] and its comma-ok form, delete, with types2's messages.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

#include <set>

namespace toy {

const Type *Sema::mapType(TypeExpr *t) {
  ++indirect_; // type M map[string]M
  const Type *key = resolveType(t->key.get());
  const Type *elem = resolveType(t->elem.get());
  --indirect_;
  if (key == types_.invalid() || elem == types_.invalid())
    return types_.invalid();
  // A defined key type still being declared is checked once complete, as types2 delays it;
  // toy checks the types it knows now.
  if (key->kind != Type::Invalid && !key->comparable()) {
    error(t->key->loc, "invalid map key type " + key->str());
    return types_.invalid();
  }
  return types_.map(key, elem);
}

// mapIndex checks m[k]: k is assignable to m's key type; the value is m's element, or with
// commaOk (v, ok := m[k]) the element and an untyped boolean, which Go gives type bool.
const Type *Sema::mapIndex(IndexExpr *e, const Type *mt) {
  bool ok = assign(e->index, mt->key, "map index"); // an interface key holds the value
  if (e->commaOk) // still two values after a bad key: the assignment is not a mismatch too
    return types_.tuple({mt->elem, types_.boolT()});
  return ok ? mt->elem : types_.invalid();
}

// makeMap checks make(map[K]V) and make(map[K]V, hint); t is the map type.
const Type *Sema::makeMap(CallExpr *e, const Type *t) {
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

// deleteBuiltin checks delete(m, k).
const Type *Sema::deleteBuiltin(CallExpr *e) {
  auto &args = e->args;
  if (args.size() != 2) {
    for (auto &a : args)
      expr(a.get());
    error(e->loc, std::string("invalid operation: ") +
                      (args.size() < 2 ? "not enough" : "too many") + " arguments for " +
                      exprString(e) + " (expected 2, found " + std::to_string(args.size()) + ")");
    return types_.voidT();
  }
  const Type *mt = expr(args[0].get());
  const Type *kt = expr(args[1].get());
  if (mt == types_.invalid() || kt == types_.invalid())
    return types_.voidT();
  if (!mt->isMap()) {
    error(args[0]->loc, "invalid argument: " + operand(args[0].get()) + " is not a map");
    return types_.voidT();
  }
  assign(args[1], mt->key, "argument to delete");
  return types_.voidT();
}

// constKey gives a constant map literal key's identity (types2's keyVal: equal for two keys
// types2 takes as duplicates) and its text as types2 prints it in "duplicate key"; false when
// the key is not a constant, or is one types2 never finds a duplicate of.
static bool constKey(const Expr *k, std::string &id, std::string &text) {
  if (k->isConstString) {
    std::string s = constString(k), q = "\"";
    for (char c : s) {
      if (c == '"' || c == '\\')
        q += '\\';
      q += c;
    }
    id = text = q + "\"";
    return true;
  }
  if (!k->isConst || !k->type)
    return false;
  if (k->type->isBoolean()) {
    id = text = k->constVal.isZero() ? "false" : "true";
    return true;
  }
  if (!k->type->isFloat()) {
    id = text = k->constVal.str();
    return true;
  }
  // A float key of integer value is the integer (3 and 3.0 are one key); other floats are
  // their float64 value, which the constant, rounded to its type, holds exactly.
  text = k->constFloat.str();
  if (!k->constFloat.isInteger()) {
    id = "f" + k->constFloat.key();
    return true;
  }
  ConstInt v = k->constFloat.toInt();
  // types2 compares an integer beyond int64 and uint64 as a constant.Value, by pointer:
  // two such keys (1e100 twice) are never duplicates.
  if (!v.fitsSigned(64) && !v.fitsUnsigned(64))
    return false;
  id = v.str();
  return true;
}

// mapLit checks a map literal: every element has a key assignable to the key type and a value
// assignable to the element type (either may be a literal with its type elided); constant
// keys are unique.
const Type *Sema::mapLit(CompositeLitExpr *e, const Type *t) {
  bool ok = true;
  std::set<std::string> seen;
  auto part = [&](ExprPtr &x, const Type *want, const char *context) {
    if (x->kind == Expr::CompositeLit && !static_cast<CompositeLitExpr *>(x.get())->litType)
      return elidedLit(x, want);
    expr(x.get());
    return assign(x, want, context); // an interface key or element holds the value
  };
  for (size_t i = 0; i < e->values.size(); ++i) {
    Expr *k = e->keys[i].get();
    if (!k) {
      error(e->values[i]->loc, "missing key in map literal");
      ok = false;
      if (e->values[i]->kind != Expr::CompositeLit)
        expr(e->values[i].get());
      continue;
    }
    if (part(e->keys[i], t->key, "map literal")) {
      k = e->keys[i].get();
      // A constant converted to an interface key type is a duplicate only of a constant of
      // its own type (1 and int64(1) are two keys), as types2 checks.
      std::string type;
      if (k->kind == Expr::ImplicitConv) {
        k = static_cast<ImplicitConvExpr *>(k)->inner.get();
        type = k->type->canon->str() + " ";
      }
      std::string id, text;
      if (constKey(k, id, text) && !seen.insert(type + id).second) {
        error(k->loc, "duplicate key " + text + " in map literal");
        ok = false;
      }
    } else {
      ok = false;
    }
    ok &= part(e->values[i], t->elem, "map literal");
  }
  return ok ? t : types_.invalid();
}

} // namespace toy
