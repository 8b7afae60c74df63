//===- Package.h - finding, parsing and ordering the packages of a build --===//
//
// A build is package main, from the files named on the command line or all the
// .toy files of a directory, and every package it imports, transitively. An
// import path names a directory of the standard library, stdlib/<path>, whose
// .toy files (without the _test.toy ones) make the package, as `go build`
// reads $GOROOT/src/<path>. Each package's files are parsed into one File
// (declarations in file order, each keeping its own file in its locations);
// the packages are ordered so that each comes after those it imports: the
// order their Semas check them in and their variables and init functions run in.
//
//===----------------------------------------------------------------------===//
#ifndef TOY_PACKAGE_H
#define TOY_PACKAGE_H

#include "AST.h"
#include "Sema.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace toy {

struct Package {
  std::string path;               // the import path ("main" for the program): symbols are path.Name
  std::string dir;                // the directory its files are in, as shown in messages
  File file;                      // the declarations of all its files
  std::vector<Package *> imports; // distinct, in the order first imported
  std::unique_ptr<Sema> sema;     // its checker, which owns its scope's objects
};

class Loader {
public:
  /// stdlibDir is the directory holding the importable packages.
  Loader(DiagEngine &diags, std::string stdlibDir) : diags_(diags), stdlib_(std::move(stdlibDir)) {}
  /// Parses package main from `inputs` (files, or one directory) and loads the packages it
  /// imports, transitively. Returns false after reporting an error.
  bool load(const std::vector<std::string> &inputs);
  /// The packages, each after those it imports; package main last.
  const std::vector<Package *> &order() const { return order_; }

private:
  /// The .toy files of dir (not _test.toy), sorted by name; empty, reported, if none.
  std::vector<std::string> dirFiles(const std::string &dir, SourceLoc importedAt);
  /// Parses `files` into pkg; false after a syntax error. `unsupported` is set when the only
  /// errors were constructs toy lacks, after which imports are still resolved and reported.
  bool parseFiles(Package &pkg, const std::vector<std::string> &files, bool &unsupported);
  /// The package imported at `imp`, loaded with its imports; null after an error.
  Package *import(const ImportDecl &imp);
  bool loadImports(Package &pkg);

  DiagEngine &diags_;
  std::string stdlib_;
  std::map<std::string, std::unique_ptr<Package>> packages_;
  std::vector<Package *> order_;
  std::vector<std::string> loading_; // the import chain being loaded, for cycles
  bool usesRecover_ = false; // some file loaded names recover (so needs package runtime)
};

} // namespace toy

#endif
