//===- Package.cpp --------------------------------------------------------===//
#include "Package.h"
#include "Lexer.h"
#include "Parser.h"

#include <llvm/ADT/SmallString.h>
#include <llvm/Support/FileSystem.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/Path.h>

#include <algorithm>
#include <cstdio>

namespace toy {

static std::string absolute(const std::string &path) {
  llvm::SmallString<256> p(path.empty() ? "." : path);
  llvm::sys::fs::make_absolute(p);
  llvm::sys::path::remove_dots(p, /*remove_dot_dot=*/true);
  return p.str().str();
}

std::vector<std::string> Loader::dirFiles(const std::string &dir, SourceLoc importedAt) {
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    if (name.ends_with(".toy") && !name.ends_with("_test.toy") && !name.starts_with(".") &&
        !name.starts_with("_") && !llvm::sys::fs::is_directory(it->path()))
      files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());
  if (files.empty()) {
    std::string msg = "no toy files in " + absolute(dir);
    if (importedAt.valid())
      diags_.error(importedAt, msg);
    else
      fprintf(stderr, "toyc: %s\n", msg.c_str());
  }
  return files;
}

bool Loader::parseFiles(Package &pkg, const std::vector<std::string> &files, bool &unsupported) {
  unsigned before = diags_.errorCount(), syntaxErrors = 0;
  std::string firstFile;
  for (const std::string &path : files) {
    auto buf = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                           /*RequiresNullTerminator=*/false);
    if (!buf) {
      fprintf(stderr, "toyc: cannot read %s: %s\n", path.c_str(), buf.getError().message().c_str());
      return false;
    }
    unsigned fileBefore = diags_.errorCount();
    SourceFile &src = diags_.addFile(std::make_unique<SourceFile>(path, (*buf)->getBuffer().str()));
    Lexer lexer(src, diags_);
    std::vector<Token> toks = lexer.lexAll();
    for (const Token &t : toks)
      usesRecover_ = usesRecover_ || (t.kind == Tok::Ident && t.text == "recover");
    Parser parser(std::move(toks), diags_);
    std::unique_ptr<File> f = parser.parseFile();
    unsigned fileSyntaxErrors = diags_.errorCount() - fileBefore - parser.unsupportedCount();
    for (auto &[loc, text] : lexer.linknames()) {
      Linkname l{loc, "", ""};
      size_t sp = text.find_first_of(" \t");
      l.local = text.substr(0, sp);
      if (sp != std::string::npos) {
        size_t start = text.find_first_not_of(" \t", sp);
        if (start != std::string::npos)
          l.target = text.substr(start, text.find_first_of(" \t\r", start) - start);
      }
      f->linknames.push_back(std::move(l));
    }
    syntaxErrors += fileSyntaxErrors;
    if (fileSyntaxErrors)
      continue; // a file that did not parse has no trustworthy package clause or imports
    if (firstFile.empty()) {
      firstFile = path;
      pkg.file.package = f->package;
      pkg.file.pkgLoc = f->pkgLoc;
    } else if (f->package != pkg.file.package) {
      // go build's message for files of two packages in one directory.
      fprintf(stderr, "toyc: found packages %s (%s) and %s (%s) in %s\n", pkg.file.package.c_str(),
              llvm::sys::path::filename(firstFile).str().c_str(), f->package.c_str(),
              llvm::sys::path::filename(path).str().c_str(), pkg.dir.c_str());
      return false;
    }
    pkg.file.append(std::move(*f));
  }
  unsigned errors = diags_.errorCount() - before;
  unsupported = errors != 0 && syntaxErrors == 0;
  return errors == 0;
}

bool Loader::load(const std::vector<std::string> &inputs) {
  auto main = std::make_unique<Package>();
  main->path = "main";
  std::vector<std::string> files = inputs;
  if (inputs.size() == 1 && llvm::sys::fs::is_directory(inputs[0])) {
    main->dir = absolute(inputs[0]);
    files = dirFiles(inputs[0], {});
    if (files.empty())
      return false;
  } else {
    // As go build: named files must all be in one directory.
    main->dir = absolute(llvm::sys::path::parent_path(inputs[0]).str());
    for (const std::string &f : inputs) {
      std::string dir = absolute(llvm::sys::path::parent_path(f).str());
      if (dir != main->dir) {
        fprintf(stderr, "toyc: named files must all be in one directory; have %s and %s\n",
                main->dir.c_str(), dir.c_str());
        return false;
      }
    }
  }
  Package &pkg = *main;
  packages_["main"] = std::move(main);
  bool unsupported = false;
  if (!parseFiles(pkg, files, unsupported) && !unsupported)
    return false;
  // Constructs toy lacks do not hide an import toy lacks: each is named.
  if (!loadImports(pkg) || unsupported)
    return false;
  // recover() returns run-time errors as values of package runtime's types (error.toy), whose
  // variables its inittask initialises: a program that says recover gets package runtime, and
  // main's inittask runs runtime's first.
  // Differs from Go: Go links package runtime into every program; toy compiles it only into
  // those that import it or may recover, so that the others' modules hold only their code.
  llvm::SmallString<256> runtimeDir(stdlib_);
  llvm::sys::path::append(runtimeDir, "runtime");
  if (usesRecover_ && llvm::sys::fs::is_directory(runtimeDir)) {
    ImportDecl rt;
    rt.path = "runtime";
    Package *runtimePkg = import(rt);
    if (!runtimePkg)
      return false;
    if (std::find(pkg.imports.begin(), pkg.imports.end(), runtimePkg) == pkg.imports.end())
      pkg.imports.insert(pkg.imports.begin(), runtimePkg);
  }
  order_.push_back(&pkg);
  return true;
}

bool Loader::loadImports(Package &pkg) {
  loading_.push_back(pkg.path);
  bool ok = true;
  for (const ImportDecl &imp : pkg.file.imports) {
    Package *dep = import(imp);
    if (!dep) {
      ok = false;
      continue;
    }
    if (std::find(pkg.imports.begin(), pkg.imports.end(), dep) == pkg.imports.end())
      pkg.imports.push_back(dep);
  }
  loading_.pop_back();
  return ok;
}

Package *Loader::import(const ImportDecl &imp) {
  auto cycleStart = std::find(loading_.begin(), loading_.end(), imp.path);
  if (cycleStart != loading_.end()) {
    std::string chain;
    for (auto it = cycleStart; it != loading_.end(); ++it)
      chain += *it + " imports ";
    diags_.error(imp.loc, "import cycle not allowed: " + chain + imp.path);
    return nullptr;
  }
  if (auto it = packages_.find(imp.path); it != packages_.end()) {
    // Loaded already, through another import; null if it failed, which was reported.
    bool loaded = std::find(order_.begin(), order_.end(), it->second.get()) != order_.end();
    return loaded ? it->second.get() : nullptr;
  }
  llvm::SmallString<256> dir(stdlib_);
  llvm::sys::path::append(dir, imp.path);
  bool valid = !imp.path.empty() && imp.path[0] != '/' &&
               imp.path.find('\\') == std::string::npos && imp.path != "main";
  for (llvm::StringRef part : llvm::split(llvm::StringRef(imp.path), '/'))
    valid = valid && !part.empty() && part != "." && part != "..";
  if (!valid) {
    diags_.error(imp.loc, "invalid import path: \"" + imp.path + "\"");
    return nullptr;
  }
  if (!llvm::sys::fs::is_directory(dir)) {
    diags_.error(imp.loc,
                 "package " + imp.path + " is not in std (" + absolute(dir.str().str()) + ")");
    return nullptr;
  }
  auto owned = std::make_unique<Package>();
  Package &pkg = *owned;
  pkg.path = imp.path;
  pkg.dir = absolute(dir.str().str());
  packages_[imp.path] = std::move(owned);
  std::vector<std::string> files = dirFiles(dir.str().str(), imp.loc);
  bool unsupported = false;
  if (files.empty() || !parseFiles(pkg, files, unsupported) || !loadImports(pkg))
    return nullptr;
  if (pkg.file.package == "main") {
    diags_.error(imp.loc, "import \"" + imp.path + "\" is a program, not an importable package");
    return nullptr;
  }
  order_.push_back(&pkg);
  return &pkg;
}

} // namespace toy
