//===- SemaPackage.cpp - imports, qualified identifiers, runtime hooks ----===//
//
// Each file's imports are declared in that file's own scope (Go's file block),
// between the package scope and the function scopes. pkg.Name resolves to the
// object the imported package's Sema declared, which must be exported; its
// symbol is that package's (path.Name), so one module holds every package's
// code. A function declared without a body is a runtime hook: a
// `//go:linkname local [target]` directive binds it to the runtime's symbol,
// target or, without one, its own path.name (Go's one-argument form). Package
// runtime needs no directive: the C++ runtime defines its body-less functions,
// as Go's runtime defines its own in assembly.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

namespace toy {

Object *Sema::member(const std::string &name) const {
  if (scopes_.size() < 2)
    return nullptr;
  auto it = scopes_[1].names.find(name);
  return it == scopes_[1].names.end() ? nullptr : it->second;
}

Object *Sema::lookupAt(const std::string &name, SourceLoc at) const {
  for (size_t i = scopes_.size(); i-- > 2;) {
    auto it = scopes_[i].names.find(name);
    if (it != scopes_[i].names.end())
      return it->second;
  }
  if (auto it = fileImports_.find({at.file, name}); it != fileImports_.end())
    return it->second;
  for (size_t i = std::min<size_t>(scopes_.size(), 2); i-- > 0;) {
    auto it = scopes_[i].names.find(name);
    if (it != scopes_[i].names.end())
      return it->second;
  }
  return nullptr;
}

void Sema::declareImports(File &f) {
  for (auto &imp : f.imports) {
    auto it = imports_.find(imp.path);
    if (it == imports_.end()) {
      error(imp.loc, "could not import " + imp.path + " (not loaded)");
      // Declared all the same, so its uses are not reported again as undefined.
      std::string name = imp.name.empty() ? imp.path.substr(imp.path.rfind('/') + 1) : imp.name;
      Object *pkg = newObject(Object::Package, name, types_.invalid(), imp.loc);
      pkg->used = true;
      fileImports_.emplace(std::make_pair(imp.loc.file, name), pkg);
      continue;
    }
    if (imp.name == "_")
      continue; // imported for its initialisation only
    if (imp.name == ".") {
      error(imp.nameLoc, "toy does not support dot imports yet");
      continue;
    }
    std::string name = imp.name.empty() ? it->second->packageName() : imp.name;
    Object *pkg = newObject(Object::Package, name, types_.invalid(),
                            imp.name.empty() ? imp.loc : imp.nameLoc);
    pkg->symbol = imp.path;
    packageOf_[pkg] = it->second;
    auto [at, inserted] = fileImports_.emplace(std::make_pair(imp.loc.file, name), pkg);
    if (!inserted) {
      error(pkg->loc, name + " redeclared in this block\n\t" + diags_.where(at->second->loc) +
                          ": other declaration of " + name);
      continue;
    }
    imp.obj = pkg;
  }
}

void Sema::reportUnusedImports(File &f) {
  for (auto &imp : f.imports) {
    if (!imp.obj || imp.obj->used)
      continue;
    std::string elem = imp.path.substr(imp.path.rfind('/') + 1);
    if (imp.name.empty() || imp.name == elem)
      error(imp.obj->loc, "imported and not used: \"" + imp.path + "\"");
    else
      error(imp.obj->loc, "imported and not used: \"" + imp.path + "\" as " + imp.name);
  }
}

Object *Sema::importedMember(Object *pkg, const std::string &sel, SourceLoc at) {
  Object *m = packageOf_.at(pkg)->member(sel);
  if (!m) {
    error(at, "undefined: " + pkg->name + "." + sel);
    return nullptr;
  }
  if (!(sel[0] >= 'A' && sel[0] <= 'Z')) {
    error(at, sel + " not exported by package " + pkg->name);
    return nullptr;
  }
  return m;
}

const Type *Sema::packageMember(SelectorExpr *e, Object *pkg) {
  pkg->used = true;
  if (pkg->symbol.empty())
    return types_.invalid(); // its import was reported
  Object *m = importedMember(pkg, e->sel, e->selLoc);
  if (!m)
    return types_.invalid();
  e->obj = m;
  switch (m->kind) {
  case Object::Var:
    m->used = true;
    return m->type;
  case Object::Const:
    if (m->isConstString)
      e->isConstString = true;
    else
      e->isConst = true;
    e->constVal = m->constVal;
    e->constFloat = m->constFloat;
    return m->type;
  case Object::Func:
    return m->type;
  default:
    error(e->loc, exprString(e) + " (type) is not an expression");
    return types_.invalid();
  }
}

void Sema::bindLinknames(File &f) {
  std::map<std::string, const Linkname *> byName;
  for (auto &l : f.linknames) {
    if (l.local.empty())
      error(l.loc, "usage: //go:linkname localname [linkname]");
    else
      byName[l.local] = &l;
  }
  for (auto &fn : f.funcs) {
    Object *o = fn->name.obj;
    if (!o)
      continue;
    auto it = fn->name.name == "init" || fn->method ? byName.end() : byName.find(fn->name.name);
    if (it != byName.end() && !it->second->target.empty())
      o->symbol = it->second->target;
    if (!fn->body && it == byName.end() && (path_ != "runtime" || fn->name.name == "init"))
      error(fn->name.loc, "missing function body");
  }
}

} // namespace toy
