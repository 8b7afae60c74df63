#!/usr/bin/env bash
# Before/after: runs every program in bench/programs built against two runtime libraries, A
# and B, alternating A, B and Go, and prints one Markdown table: median and min–max wall time
# of each side, the ratio B/A, and Go's median where Go is installed. It also writes the table
# as compare.md and compare.csv, and an SVG bar chart of the ratios (compare.svg) drawn by
# python3 itself, into the output directory.
#
# A and B are each a path to a built libtoyrt.a, or a git revision of this repository: the
# revision is checked out (git worktree) and its runtime library built, once, into the cache
# directory. The compiler and the stdlib are this tree's for both sides (build/compiler/toyc
# unless TOYC says otherwise), so the table compares runtimes only; a runtime from before
# stacks grew by segments (55db144) lacks the __morestack that code calls, and cannot link.
#
#   bench/compare.sh [-n runs] [-o dir] [-d programs-dir] A B [name...]
#     -n runs  runs per program and side (default 5)
#     -o dir   where compare.md, compare.csv and compare.svg go (default bench/out)
#     -d dir   the programs (default bench/programs); all unless names are given
#   TOY_BENCH_CACHE  cache of per-revision builds (default build/bench-cache)
#   GO=none  leaves the Go column out even where Go is installed
#
# Example: bench/compare.sh main HEAD        (the runtime on main against this commit's)
set -euo pipefail
runs=5
out=
progdir=
while getopts n:o:d: opt; do
  case $opt in
  n) runs=$OPTARG ;;
  o) out=$OPTARG ;;
  d) progdir=$OPTARG ;;
  *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
if [ $# -lt 2 ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//' >&2
  exit 2
fi
a=$1 b=$2
shift 2
source "$(dirname "$0")/lib.sh"
[ "${GO:-}" = none ] && go=
out=${out:-$here/out}
progdir=${progdir:-$here/programs}
cache=${TOY_BENCH_CACHE:-$root/build/bench-cache}
mkdir -p "$out"

# runtime_lib SIDE prints the path of the libtoyrt.a that SIDE names, building it if SIDE is a
# revision not yet in the cache.
runtime_lib() {
  local side=$1 rev dir
  if [ -f "$side" ]; then
    (cd "$(dirname "$side")" && echo "$PWD/$(basename "$side")")
    return
  fi
  if ! rev=$(git -C "$root" rev-parse --verify --quiet "$side^{commit}"); then
    echo "compare.sh: $side is neither a file nor a git revision" >&2
    return 1
  fi
  dir=$cache/$rev
  if [ ! -f "$dir/build/runtime/libtoyrt.a" ]; then
    echo "compare.sh: building the runtime of $side (${rev:0:12}) in $dir" >&2
    rm -rf "$dir/src"
    mkdir -p "$dir"
    # --force: a worktree left registered by an interrupted run may be missing its directory.
    git -C "$root" worktree add --detach --force "$dir/src" "$rev" >&2
    local launcher=()
    if command -v ccache >/dev/null; then
      launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
    fi
    cmake -S "$dir/src" -B "$dir/build" -G Ninja "${launcher[@]}" >&2
    cmake --build "$dir/build" --target toyrt >&2
    git -C "$root" worktree remove --force "$dir/src"
  fi
  echo "$dir/build/runtime/libtoyrt.a"
}

liba=$(runtime_lib "$a")
libb=$(runtime_lib "$b")

if [ $# -eq 0 ]; then set -- "$progdir"/*.toy; fi
: > "$work/times.csv"
for src in "$@"; do
  name=$(basename "$src" .toy)
  src=$progdir/$name.toy
  TOY_RUNTIME=$liba "$toyc" build -O2 "$src" -o "$work/$name.a.bin"
  TOY_RUNTIME=$libb "$toyc" build -O2 "$src" -o "$work/$name.b.bin"
  if [ -n "$go" ]; then
    cp "$src" "$work/$name.go"
    "$go" build -o "$work/$name.go.bin" "$work/$name.go"
  fi
  for _ in $(seq "$runs"); do
    echo "$name,A,$(walltime "$work/$name.a.bin")" >> "$work/times.csv"
    echo "$name,B,$(walltime "$work/$name.b.bin")" >> "$work/times.csv"
    if [ -n "$go" ]; then
      echo "$name,Go,$(walltime "$work/$name.go.bin")" >> "$work/times.csv"
    fi
  done
done

python3 - "$work/times.csv" "$out" "$a" "$b" <<'PY'
import csv
import html
import statistics
import sys

times_path, out, name_a, name_b = sys.argv[1:5]
runs = {}  # program -> side -> [seconds]
for prog, side, secs in csv.reader(open(times_path)):
    runs.setdefault(prog, {}).setdefault(side, []).append(float(secs))
has_go = any("Go" in sides for sides in runs.values())


def median(v):
    return statistics.median(v)


rows = []
for prog, sides in runs.items():
    ta, tb = sides["A"], sides["B"]
    row = {
        "program": prog,
        "a_median": median(ta), "a_min": min(ta), "a_max": max(ta),
        "b_median": median(tb), "b_min": min(tb), "b_max": max(tb),
    }
    row["ratio"] = row["b_median"] / row["a_median"] if row["a_median"] > 0 else float("nan")
    if has_go:
        row["go_median"] = median(sides["Go"])
    rows.append(row)

head = ["program", f"A: {name_a} median (s)", "A min–max (s)", f"B: {name_b} median (s)",
        "B min–max (s)", "B/A"]
if has_go:
    head.append("Go median (s)")
lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
for r in rows:
    cells = [r["program"], f"{r['a_median']:.3f}", f"{r['a_min']:.3f}–{r['a_max']:.3f}",
             f"{r['b_median']:.3f}", f"{r['b_min']:.3f}–{r['b_max']:.3f}", f"{r['ratio']:.2f}"]
    if has_go:
        cells.append(f"{r['go_median']:.3f}")
    lines.append("| " + " | ".join(cells) + " |")
table = "\n".join(lines) + "\n"
sys.stdout.write(table)
with open(f"{out}/compare.md", "w") as f:
    f.write(table)

fields = ["program", "a_median", "a_min", "a_max", "b_median", "b_min", "b_max", "ratio"]
if has_go:
    fields.append("go_median")
with open(f"{out}/compare.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(fields)
    for r in rows:
        w.writerow([r["program"]] + [f"{r[k]:.6f}" for k in fields[1:]])

# The chart: one horizontal bar per program, its length the ratio B/A on a linear axis from 0
# to the largest ratio (at least 1.5), with a line at 1 (no change).
bar, gap, left, width = 18, 6, 110, 420
top = 30
height = top + len(rows) * (bar + gap) + 30
scale_max = max([1.5] + [r["ratio"] for r in rows if r["ratio"] == r["ratio"]])
x = lambda v: left + width * v / scale_max
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 60}" height="{height}"'
       ' font-family="sans-serif" font-size="12">',
       f'<text x="{left}" y="18">B/A wall time: {html.escape(name_b)} against '
       f'{html.escape(name_a)} (median of each)</text>']
for i, r in enumerate(rows):
    y = top + i * (bar + gap)
    v = r["ratio"] if r["ratio"] == r["ratio"] else 0
    color = "#c0504d" if v > 1 else "#4f81bd"
    svg.append(f'<text x="{left - 6}" y="{y + bar - 5}" text-anchor="end">'
               f'{html.escape(r["program"])}</text>')
    svg.append(f'<rect x="{left}" y="{y}" width="{x(v) - left:.1f}" height="{bar}" '
               f'fill="{color}"/>')
    svg.append(f'<text x="{x(v) + 4:.1f}" y="{y + bar - 5}">{v:.2f}</text>')
one = x(1)
svg.append(f'<line x1="{one:.1f}" y1="{top - 4}" x2="{one:.1f}" y2="{height - 26}" '
           'stroke="black" stroke-dasharray="4 3"/>')
svg.append(f'<text x="{one:.1f}" y="{height - 12}" text-anchor="middle">1.00</text>')
svg.append("</svg>")
with open(f"{out}/compare.svg", "w") as f:
    f.write("\n".join(svg) + "\n")
PY
