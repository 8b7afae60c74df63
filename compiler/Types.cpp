//===- Types.cpp ----------------------------------------------------------===//
#include "Types.h"

#include <algorithm>

namespace toy {

std::string Type::str() const {
  if (alias)
    return alias;
  if (isDefined())
    return pkgPath == "main" || pkgPath.empty() ? name : pkg + "." + name;
  switch (kind) {
  case Invalid:
    return "invalid type";
  case Void:
    return "()";
  case Int:
    return "int";
  case Int8:
    return "int8";
  case Int16:
    return "int16";
  case Int32:
    return "int32";
  case Int64:
    return "int64";
  case Uint:
    return "uint";
  case Uint8:
    return "uint8";
  case Uint16:
    return "uint16";
  case Uint32:
    return "uint32";
  case Uint64:
    return "uint64";
  case Uintptr:
    return "uintptr";
  case Float32:
    return "float32";
  case Float64:
    return "float64";
  case Bool:
    return "bool";
  case String:
    return "string";
  case UntypedInt:
    return "untyped int";
  case UntypedRune:
    return "untyped rune";
  case UntypedFloat:
    return "untyped float";
  case UntypedBool:
    return "untyped bool";
  case UntypedString:
    return "untyped string";
  case UntypedNil:
    return "untyped nil";
  case Tuple: {
    std::string s = "(";
    for (size_t i = 0; i < results.size(); ++i)
      s += (i ? ", " : "") + results[i]->str();
    return s + ")";
  }
  case Array:
    return "[" + std::to_string(len) + "]" + elem->str();
  case Slice:
    return "[]" + elem->str();
  case Pointer:
    return "*" + elem->str();
  case Chan: {
    std::string e = elem->str();
    // chan (<-chan int) keeps its parentheses, as go/types writes it.
    if (dir == SendRecv && elem->kind == Chan && elem->dir == RecvOnly)
      e = "(" + e + ")";
    return (dir == SendOnly ? "chan<- " : dir == RecvOnly ? "<-chan " : "chan ") + e;
  }
  case Map:
    return "map[" + key->str() + "]" + elem->str();
  case Struct: {
    std::string s = "struct{";
    for (size_t i = 0; i < fields.size(); ++i)
      s += (i ? "; " : "") +
           (fields[i].embedded ? "" : fields[i].name + " ") + fields[i].type->str();
    return s + "}";
  }
  case Interface: {
    // types2 writes the empty interface as any (universe's) and others as interface{M()}.
    if (fields.empty())
      return "any";
    std::string s = "interface{";
    for (size_t i = 0; i < fields.size(); ++i)
      s += (i ? "; " : "") + fields[i].name + fields[i].type->str().substr(4);
    return s + "}";
  }
  case Func: {
    std::string s = "func(";
    for (size_t i = 0; i < params.size(); ++i)
      s += (i ? ", " : "") +
           (variadic && i + 1 == params.size() ? "..." + params[i]->elem->str() : params[i]->str());
    s += ")";
    if (results.size() == 1)
      s += " " + results[0]->str();
    else if (results.size() > 1) {
      s += " (";
      for (size_t i = 0; i < results.size(); ++i)
        s += (i ? ", " : "") + results[i]->str();
      s += ")";
    }
    return s;
  }
  }
  return "?";
}

bool Type::comparable() const {
  switch (kind) {
  case Array:
    return elem->comparable();
  case Struct:
    for (auto &f : fields)
      if (!f.type->comparable())
        return false;
    return true;
  default:
    return kind != Func && kind != Slice && kind != Map;
  }
}

unsigned Type::bits() const {
  switch (kind) {
  case Int8:
  case Uint8:
    return 8;
  case Int16:
  case Uint16:
    return 16;
  case Int32:
  case Uint32:
  case Float32:
    return 32;
  default:
    return 64;
  }
}

TypeContext::TypeContext() {
  for (int k = Type::Invalid; k < Type::Func; ++k)
    basic_.push_back(std::make_unique<Type>(Type::Kind(k)));
  byte_ = std::make_unique<Type>(Type::Uint8);
  byte_->alias = "byte";
  byte_->canon = uint8T();
  rune_ = std::make_unique<Type>(Type::Int32);
  rune_->alias = "rune";
  rune_->canon = int32T();
}

void TypeContext::canonicalize(Type *t) {
  auto canon = [](const Type *p) { return p ? p->canon : p; };
  auto all = [&](std::vector<const Type *> v) {
    for (auto &p : v)
      p = p->canon;
    return v;
  };
  switch (t->kind) {
  case Type::Func:
    if (all(t->params) != t->params || all(t->results) != t->results)
      t->canon = func(all(t->params), all(t->results), t->variadic);
    return;
  case Type::Tuple:
    if (all(t->results) != t->results)
      t->canon = tuple(all(t->results));
    return;
  case Type::Struct:
  case Type::Interface: {
    std::vector<Type::Field> fields = t->fields;
    for (auto &f : fields)
      f.type = f.type->canon;
    if (fields != t->fields)
      t->canon = t->kind == Type::Struct ? structType(fields) : interfaceType(fields);
    return;
  }
  default:
    if (canon(t->elem) == t->elem && canon(t->key) == t->key)
      return;
    switch (t->kind) {
    case Type::Array:
      t->canon = array(t->elem->canon, t->len);
      return;
    case Type::Slice:
      t->canon = slice(t->elem->canon);
      return;
    case Type::Pointer:
      t->canon = pointer(t->elem->canon);
      return;
    case Type::Chan:
      t->canon = chan(t->elem->canon, t->dir);
      return;
    case Type::Map:
      t->canon = map(t->key->canon, t->elem->canon);
      return;
    default:
      return;
    }
  }
}

const Type *TypeContext::addComposite(std::unique_ptr<Type> t) {
  Type *made = t.get();
  composites_.push_back(std::move(t));
  canonicalize(made);
  return made;
}

const Type *TypeContext::func(std::vector<const Type *> params, std::vector<const Type *> results,
                              bool variadic) {
  for (auto &f : funcs_)
    if (f->params == params && f->results == results && f->variadic == variadic)
      return f.get();
  auto t = std::make_unique<Type>(Type::Func);
  t->variadic = variadic;
  t->params = std::move(params);
  t->results = std::move(results);
  Type *made = t.get();
  funcs_.push_back(std::move(t));
  canonicalize(made);
  return made;
}

const Type *TypeContext::array(const Type *elem, int64_t len) {
  for (auto &t : composites_)
    if (t->kind == Type::Array && t->elem == elem && t->len == len)
      return t.get();
  auto t = std::make_unique<Type>(Type::Array);
  t->elem = elem;
  t->len = len;
  return addComposite(std::move(t));
}

const Type *TypeContext::slice(const Type *elem) {
  for (auto &t : composites_)
    if (t->kind == Type::Slice && t->elem == elem)
      return t.get();
  auto t = std::make_unique<Type>(Type::Slice);
  t->elem = elem;
  return addComposite(std::move(t));
}

const Type *TypeContext::pointer(const Type *elem) {
  for (auto &t : composites_)
    if (t->kind == Type::Pointer && t->elem == elem)
      return t.get();
  auto t = std::make_unique<Type>(Type::Pointer);
  t->elem = elem;
  return addComposite(std::move(t));
}

const Type *TypeContext::structType(std::vector<Type::Field> fields) {
  for (auto &t : composites_)
    if (t->kind == Type::Struct && t->fields == fields)
      return t.get();
  auto t = std::make_unique<Type>(Type::Struct);
  t->fields = std::move(fields);
  return addComposite(std::move(t));
}

const Type *TypeContext::map(const Type *key, const Type *elem) {
  for (auto &t : composites_)
    if (t->kind == Type::Map && t->key == key && t->elem == elem)
      return t.get();
  auto t = std::make_unique<Type>(Type::Map);
  t->key = key;
  t->elem = elem;
  return addComposite(std::move(t));
}

const Type *TypeContext::interfaceType(std::vector<Type::Field> methods) {
  std::sort(methods.begin(), methods.end(),
            [](const Type::Field &a, const Type::Field &b) { return a.name < b.name; });
  for (auto &t : composites_)
    if (t->kind == Type::Interface && t->fields == methods)
      return t.get();
  auto t = std::make_unique<Type>(Type::Interface);
  t->fields = std::move(methods);
  return addComposite(std::move(t));
}

const Type *TypeContext::chan(const Type *elem, Type::ChanDir dir) {
  for (auto &t : composites_)
    if (t->kind == Type::Chan && t->elem == elem && t->dir == dir)
      return t.get();
  auto t = std::make_unique<Type>(Type::Chan);
  t->elem = elem;
  t->dir = dir;
  return addComposite(std::move(t));
}

const Type *TypeContext::errorType() {
  if (!error_) {
    error_ = defined("error", "", "");
    defineUnderlying(error_, interfaceType({{"Error", func({}, {stringT()})}}));
  }
  return error_;
}

Type *TypeContext::defined(const std::string &name, const std::string &pkg,
                           const std::string &pkgPath) {
  auto t = std::make_unique<Type>(Type::Invalid);
  t->name = name;
  t->pkg = pkg;
  t->pkgPath = pkgPath;
  defined_.push_back(std::move(t));
  return defined_.back().get();
}

void TypeContext::defineUnderlying(Type *t, const Type *under) {
  t->kind = under->kind;
  t->params = under->params;
  t->results = under->results;
  t->elem = under->elem;
  t->key = under->key;
  t->len = under->len;
  t->variadic = under->variadic;
  t->dir = under->dir;
  t->fields = under->fields;
  t->under = under;
}

const Type *TypeContext::tuple(const std::vector<const Type *> &elems) {
  for (auto &t : tuples_)
    if (t->results == elems)
      return t.get();
  auto t = std::make_unique<Type>(Type::Tuple);
  t->results = elems;
  Type *made = t.get();
  tuples_.push_back(std::move(t));
  canonicalize(made);
  return made;
}

const Type *TypeContext::defaultType(const Type *t) const {
  switch (t->kind) {
  case Type::UntypedInt:
    return intT();
  case Type::UntypedRune:
    return runeT();
  case Type::UntypedFloat:
    return basic(Type::Float64);
  case Type::UntypedBool:
    return boolT();
  case Type::UntypedString:
    return stringT();
  default:
    return t;
  }
}

const Method *TypeContext::method(const Type *t, const std::string &name) const {
  auto it = methods_.find(t);
  if (it == methods_.end())
    return nullptr;
  for (const Method &m : it->second)
    if (m.name == name)
      return &m;
  return nullptr;
}

const std::vector<Method> &TypeContext::methods(const Type *t) const {
  static const std::vector<Method> none;
  auto it = methods_.find(t);
  return it == methods_.end() ? none : it->second;
}

} // namespace toy
