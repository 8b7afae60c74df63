#!/usr/bin/env bash
# The cost of deterministic simulation: each program of bench/programs built natively and with
# `toyc build --simulate`, run alternately at GOMAXPROCS=2 (the simulated one under
# GODEBUG=schedsim=1 on two simulated CPUs), with the median CPU time (user + system, all
# threads) of each and the ratio; then the exploration throughput, `toyc explore` runs per
# second of wall time on a small program. Only toyc is needed.
#   bench/simulate.sh [runs] [name...]   (default 5 runs per program and side; the channel,
#                                          sync and scheduling programs)
set -euo pipefail
runs=${1:-5}
shift || true
source "$(dirname "$0")/lib.sh"

printf '| program | native (CPU s) | simulated (CPU s) | simulated/native |\n|---|---:|---:|---:|\n'
if [ $# -eq 0 ]; then set -- pingpong buffered select parked mutex waitgroup spawn yield; fi
for name in "$@"; do
  name=$(basename "$name" .toy)
  src=$here/programs/$name.toy
  "$toyc" build -O2 "$src" -o "$work/$name.native"
  "$toyc" build -O2 --simulate "$src" -o "$work/$name.sim"
  : > "$work/native"; : > "$work/sim"
  for _ in $(seq "$runs"); do
    GOMAXPROCS=2 cputime "$work/$name.native" >> "$work/native"
    GOMAXPROCS=2 GODEBUG=schedsim=1 cputime "$work/$name.sim" >> "$work/sim"
  done
  native=$(median < "$work/native"); sim=$(median < "$work/sim")
  awk -v name="$name" -v a="$native" -v b="$sim" 'BEGIN {
    printf "| %s | %.3f | %.3f | %.2f |\n", name, a, b, (a > 0 ? b / a : 0) }'
done

# Exploration: toyc explore builds once and runs each seed as its own process, two at a time.
n=$((runs * 40))
prog=$root/test/lit/sim/Inputs/racy-counter.toy
s=$(date +%s.%N)
"$toyc" explore "$prog" -n "$n" --procs=4 > "$work/explore.out" 2>&1 || true
e=$(date +%s.%N)
awk -v n="$n" -v s="$s" -v e="$e" -v p="$(basename "$prog")" 'BEGIN {
  printf "\nexplore: %d runs of %s at GOMAXPROCS=4 in %.2f s: %.0f runs/s\n", n, p, e - s, n / (e - s) }'
