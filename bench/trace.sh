#!/usr/bin/env bash
# Runs each program of bench/programs, built once by toyc, without and with TOYTRACE set to a
# binary trace (alternating), and prints the median CPU time (user + system, of all threads)
# of each, the ratio, the number of events (records) the trace holds, the bytes a record takes
# and the cost of one event: (traced - untraced) / events. CPU time, not wall time: on a shared
# machine a run's wall time mostly measures the other users. Only toyc is needed.
#   bench/trace.sh [runs] [name...]   (default 5 runs per program and side; all programs)
set -euo pipefail
runs=${1:-5}
shift || true
source "$(dirname "$0")/lib.sh"

traced() { TOYTRACE="$work/trace.trace" "$@"; }
# The records the binary trace holds and their bytes, as `toyc trace json` counts them
# ("wrote ...: N records, B bytes of records (b a record)"): "N B".
records() {
  "$toyc" trace json "$1" -o /dev/null | awk '{ sub(/.*: /, ""); print $1, $3 }'
}

printf '| program | off (CPU s) | on (CPU s) | on/off | events | bytes/event | ns/event |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
if [ $# -eq 0 ]; then set -- "$here"/programs/*.toy; fi
for src in "$@"; do
  name=$(basename "$src" .toy)
  src=$here/programs/$name.toy
  "$toyc" build -O2 "$src" -o "$work/$name.bin"
  : > "$work/off"; : > "$work/on"
  for _ in $(seq "$runs"); do
    cputime "$work/$name.bin" >> "$work/off"
    cputime traced "$work/$name.bin" >> "$work/on"
  done
  off=$(median < "$work/off"); on=$(median < "$work/on"); nb=$(records "$work/trace.trace")
  awk -v name="$name" -v off="$off" -v on="$on" -v nb="$nb" 'BEGIN {
    split(nb, f, " "); n = f[1]; bytes = f[2]
    c = n > 0 ? (on - off) * 1e9 / n : 0
    b = n > 0 ? bytes / n : 0
    printf "| %s | %.3f | %.3f | %.2f | %d | %.1f | %.1f |\n", name, off, on, on / off, n, b, c }'
done
