#!/usr/bin/env bash
# Compile time on long straight-line functions, with DWARF (toyc's default) and -O2, against
# `go build` where Go is installed: prints the median wall time of each and the ratio
# toyc/go build. The inputs are generated here:
#   increments  one function of 100,000 `x++` statements
#   decls       one function of 20,000 declaration pairs `vN := x` / `x = vN + 1`
#   arrays      functions with [20000]int and 160 KB struct variables zeroed and copied
# Go is used only here, never to build toy.
#   bench/compile-time.sh [runs]        (default 3 runs per input and compiler)
set -euo pipefail
runs=${1:-3}
source "$(dirname "$0")/lib.sh"

python3 - "$work" <<'PY'
import sys
work = sys.argv[1]
head = "package main\n\nfunc main() {\n\tx := 0\n"
with open(f"{work}/increments.toy", "w") as f:
    f.write(head + "\tx++\n" * 100000 + "\tprintln(x)\n}\n")
with open(f"{work}/decls.toy", "w") as f:
    f.write(head + "".join(f"\tv{i} := x\n\tx = v{i} + 1\n" for i in range(20000)) +
            "\tprintln(x)\n}\n")
with open(f"{work}/arrays.toy", "w") as f:
    f.write("package main\n\ntype S struct {\n\ta [20000]int\n\tn int\n}\n\n"
            "var g [20000]int\n\n" +
            "".join(f"func f{k}(i int) int {{\n\tvar a [20000]int\n\ta[i] = {k}\n"
                    f"\tb := a\n\tg = b\n\tvar s S\n\ts.a = b\n\tt := s\n"
                    f"\treturn a[i] + t.a[i] + g[i]\n}}\n\n" for k in range(10)) +
            "func main() {\n\tprintln(" + " + ".join(f"f{k}(1)" for k in range(10)) + ")\n}\n")
PY

if [ -n "$go" ]; then
  # Fill the build cache with the runtime first, so go build compiles and links main only.
  printf 'package main\n\nfunc main() {}\n' > "$work/warm.go"
  "$go" build -o "$work/warm" "$work/warm.go"
  printf '| input | toyc -O2 (s) | go build (s) | toyc/go |\n|---|---:|---:|---:|\n'
else
  printf '| input | toyc -O2 (s) |\n|---|---:|\n'
fi
for src in "$work"/increments.toy "$work"/decls.toy "$work"/arrays.toy; do
  name=$(basename "$src" .toy)
  : > "$work/t"; : > "$work/g"
  for i in $(seq "$runs"); do
    walltime "$toyc" build -O2 "$src" -o "$work/$name.toy.bin" >> "$work/t"
    if [ -n "$go" ]; then
      # A different comment each run: go build cannot reuse the previous run's result.
      { cat "$src"; echo "// run $i"; } > "$work/$name.go"
      walltime "$go" build -o "$work/$name.go.bin" "$work/$name.go" >> "$work/g"
    fi
  done
  t=$(median < "$work/t")
  if [ -n "$go" ]; then
    g=$(median < "$work/g")
    printf '| %s | %.2f | %.2f | %.2f |\n' "$name" "$t" "$g" "$(awk -v t="$t" -v g="$g" 'BEGIN { print t / g }')"
  else
    printf '| %s | %.2f |\n' "$name" "$t"
  fi
done
