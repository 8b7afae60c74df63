#!/usr/bin/env python3
# Checks the conformance table of docs/language.md against toyc: each row's example (a
# statement in main, or package-level declarations when it begins with func, type, import or
# const) must build when the row says "yes", and fail with the row's diagnostic
# otherwise. With --go GO, also that Go 1.19 builds the "yes" and "not yet" examples and
# rejects the "never" ones that are not Go 1.19 (all but the imports, which Go has and toy
# never will).
#   test/programs/conformance.py TOYC [--go GO]
import os
import re
import subprocess
import sys
import tempfile

root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
toyc = sys.argv[1]
go = sys.argv[sys.argv.index("--go") + 1] if "--go" in sys.argv else None


def cells(line):
    # A table row's cells; `\|` is a literal bar inside a cell.
    parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
    return [p.strip().replace("\\|", "|") for p in parts]


def code(cell):
    m = re.fullmatch(r"(`+) ?(.*?) ?\1", cell)
    return m.group(2) if m else None


def program(example):
    if re.match(r"(func|type|import|const)\b", example):
        return "package main\n\n%s\n\nfunc main() {}\n" % example
    return "package main\n\nfunc main() {\n\t%s\n}\n" % example


text = open(os.path.join(root, "docs", "language.md"), encoding="utf-8").read()
section = text.split("## Conformance to Go 1.19", 1)[1].split("\n## ", 1)[0]
rows = [cells(l) for l in section.splitlines() if l.startswith("| ") and not l.startswith("| spec")]
work = tempfile.mkdtemp()
env = dict(os.environ, HOME=work, GOCACHE=os.path.join(work, "cache"), GO111MODULE="off")
failures, checked = 0, 0
for sec, construct, status, example, diagnostic in rows:
    src = code(example)
    if src is None:
        continue
    checked += 1
    path = os.path.join(work, "t.go")
    with open(path, "w", encoding="utf-8") as f:
        f.write(program(src))
    r = subprocess.run([toyc, path, "--emit=llvm", "-o", os.devnull], capture_output=True, text=True)
    want = code(diagnostic) if diagnostic else None
    what = "%s: %s (%s)" % (sec, construct, src)
    if status == "yes" and r.returncode != 0:
        print("FAIL %s: toyc rejects it:\n%s" % (what, r.stderr))
        failures += 1
    elif status != "yes" and (r.returncode != 1 or want is None or "error: " + want not in r.stderr):
        print("FAIL %s: want `%s`, toyc says:\n%s" % (what, want, r.stderr or "(no error)\n"))
        failures += 1
    if go:
        g = subprocess.run([go, "build", "-o", os.path.join(work, "bin"), path],
                           capture_output=True, text=True, env=env)
        go_rejects = status == "never" and not src.startswith("import")
        if (g.returncode == 0) == go_rejects:
            print("FAIL %s: go build says:\n%s" % (what, g.stderr or "(no error)\n"))
            failures += 1
        elif go_rejects and want not in g.stderr:
            print("FAIL %s: Go's message is not `%s`:\n%s" % (what, want, g.stderr))
            failures += 1
print("%d of %d examples as the table says" % (checked - failures, checked))
sys.exit(1 if failures else 0)
