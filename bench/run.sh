#!/usr/bin/env bash
# Runs each program in bench/programs as toy and as Go on this machine, alternating, and
# prints the median wall time of each and the ratio toy/Go. Needs a built toyc and Go
# (golang-1.19-go); Go is used only here, never to build toy. Arithmetic is awk's (mawk is
# part of every Debian system), so nothing else is needed.
#   bench/run.sh [runs] [name...]   (default 5 runs per program and side; all programs)
set -euo pipefail
runs=${1:-5}
shift || true
source "$(dirname "$0")/lib.sh"

printf '| program | toy (s) | Go (s) | toy/Go |\n|---|---:|---:|---:|\n'
if [ $# -eq 0 ]; then set -- "$here"/programs/*.toy; fi
for src in "$@"; do
  name=$(basename "$src" .toy)
  src=$here/programs/$name.toy
  "$toyc" build -O2 "$src" -o "$work/$name.toy.bin"
  cp "$src" "$work/$name.go"
  "$go" build -o "$work/$name.go.bin" "$work/$name.go"
  : > "$work/t"; : > "$work/g"
  for _ in $(seq "$runs"); do
    walltime "$work/$name.toy.bin" >> "$work/t"
    walltime "$work/$name.go.bin" >> "$work/g"
  done
  t=$(median < "$work/t"); g=$(median < "$work/g")
  printf '| %s | %.3f | %.3f | %.2f |\n' "$name" "$t" "$g" "$(awk -v t="$t" -v g="$g" 'BEGIN { print t / g }')"
done
