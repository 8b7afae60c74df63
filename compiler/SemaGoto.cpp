//===- SemaGoto.cpp - goto statements and their labels --------------------===//
//
// A goto may jump to a label of its own block or of an enclosing one, backward or forward,
// but not into a block, nor forward over a variable declaration of the label's block. As gc's
// syntax/branches.go does, each block's statements are walked in order: a goto whose label
// is already declared in an enclosing block is resolved at once, the others travel outward
// as forward gotos until a label of their name appears, and those left at the end of the
// body name a label inside a block they are not in, or none.
//
//===----------------------------------------------------------------------===//
#include "Sema.h"

namespace toy {

namespace {

struct GotoLabel {
  LabeledStmt *stmt;
  int block;       // the block it is declared in
  SourceLoc start; // where that block starts
};

class Gotos {
public:
  Gotos(DiagEngine &diags, const std::function<void(const std::string &)> &markUsed)
      : diags_(diags), markUsed_(markUsed) {}

  void body(BlockStmt *b) {
    std::vector<Stmt *> list;
    for (auto &s : b->stmts)
      list.push_back(s.get());
    for (BranchStmt *g : block(b->loc, list)) {
      auto it = labels_.find(g->label);
      if (it == labels_.end()) {
        diags_.error(g->labelLoc, "label " + g->label + " not defined");
        continue;
      }
      markUsed_(g->label);
      diags_.error(g->labelLoc, "goto " + g->label + " jumps into block starting at " +
                                    diags_.where(it->second.start));
    }
  }

private:
  // The forward gotos of the statements `list` of a block starting at `start` that it leaves
  // unresolved.
  std::vector<BranchStmt *> block(SourceLoc start, const std::vector<Stmt *> &list) {
    int id = nextBlock_++;
    chain_.push_back(id);
    std::vector<BranchStmt *> fwd, overVar; // overVar: those before the latest declaration
    SourceLoc varLoc;
    std::string varName;
    auto declared = [&](SourceLoc loc, std::string name) {
      varLoc = loc;
      varName = std::move(name);
      overVar = fwd;
    };
    auto inner = [&](SourceLoc at, const std::vector<Stmt *> &stmts) {
      std::vector<BranchStmt *> out = block(at, stmts);
      fwd.insert(fwd.end(), out.begin(), out.end());
    };
    auto stmts = [](const std::vector<StmtPtr> &ss) {
      std::vector<Stmt *> list;
      for (auto &s : ss)
        list.push_back(s.get());
      return list;
    };
    for (Stmt *s : list) {
      while (s && s->kind == Stmt::Labeled) {
        auto *l = static_cast<LabeledStmt *>(s);
        if (l->label != "_") {
          labels_.try_emplace(l->label, GotoLabel{l, id, start});
          std::vector<BranchStmt *> left;
          for (BranchStmt *g : fwd) {
            if (g->label != l->label) {
              left.push_back(g);
              continue;
            }
            resolve(g, l);
            if (varLoc.valid() && std::find(overVar.begin(), overVar.end(), g) != overVar.end())
              diags_.error(g->labelLoc, "goto " + g->label + " jumps over declaration of " +
                                            varName + " at " + diags_.where(varLoc));
          }
          fwd = std::move(left);
        }
        s = l->stmt.get();
      }
      if (!s)
        continue;
      switch (s->kind) {
      case Stmt::VarDecl:
        // As gc's checkBranches, a var ( … ) group is one declaration: its first name.
        if (!static_cast<VarDeclStmt *>(s)->inGroup)
          declared(static_cast<VarDeclStmt *>(s)->names[0].loc,
                   static_cast<VarDeclStmt *>(s)->names[0].name);
        break;
      case Stmt::Define: {
        std::string names;
        for (auto &n : static_cast<DefineStmt *>(s)->names)
          names += (names.empty() ? "" : ", ") + n.name;
        declared(s->loc, names);
        break;
      }
      case Stmt::Goto: {
        auto *g = static_cast<BranchStmt *>(s);
        auto it = labels_.find(g->label);
        if (it != labels_.end() &&
            std::find(chain_.begin(), chain_.end(), it->second.block) != chain_.end())
          resolve(g, it->second.stmt);
        else
          fwd.push_back(g);
        break;
      }
      case Stmt::Block:
        inner(s->loc, stmts(static_cast<BlockStmt *>(s)->stmts));
        break;
      case Stmt::If: {
        // gc wraps each else in a block of its own, which holds no label or declaration: an
        // else-if chain is walked in a loop, each branch's block directly inside this one.
        auto *i = static_cast<IfStmt *>(s);
        for (;;) {
          inner(i->then->loc, stmts(i->then->stmts));
          if (!i->els)
            break;
          if (i->els->kind != Stmt::If) {
            inner(i->els->loc, stmts(static_cast<BlockStmt *>(i->els.get())->stmts));
            break;
          }
          i = static_cast<IfStmt *>(i->els.get());
        }
        break;
      }
      case Stmt::For: {
        auto *f = static_cast<ForStmt *>(s);
        inner(f->body->loc, stmts(f->body->stmts));
        break;
      }
      case Stmt::Switch:
        for (auto &c : static_cast<SwitchStmt *>(s)->clauses)
          inner(c.loc, stmts(c.body));
        break;
      case Stmt::Select:
        for (auto &c : static_cast<SelectStmt *>(s)->clauses)
          inner(c.loc, stmts(c.body));
        break;
      default:
        break;
      }
    }
    chain_.pop_back();
    return fwd;
  }

  void resolve(BranchStmt *g, LabeledStmt *l) {
    g->target = l;
    l->gotoTarget = true;
    markUsed_(l->label);
  }

  DiagEngine &diags_;
  const std::function<void(const std::string &)> &markUsed_;
  std::map<std::string, GotoLabel> labels_; // the body's labels declared so far
  std::vector<int> chain_;                  // the blocks being walked, outermost first
  int nextBlock_ = 0;
};

} // namespace

void Sema::checkGotos(BlockStmt *body) {
  std::function<void(const std::string &)> markUsed = [&](const std::string &name) {
    if (auto it = branches_.labels.find(name); it != branches_.labels.end())
      it->second.second = true;
  };
  Gotos(diags_, markUsed).body(body);
}

} // namespace toy
