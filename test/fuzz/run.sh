#!/usr/bin/env bash
# Fuzzes toyc's front end and IR generation with libFuzzer (build/test/fuzz/toy-fuzz).
#   test/fuzz/run.sh [build-dir [runs [libFuzzer flags...]]]
# Defaults: build, 1000000 runs, one job. The seeds are every .toy file under test/ and
# examples/; inputs that add coverage collect in $TOY_FUZZ_CORPUS (default
# <build-dir>/test/fuzz/corpus), and a crasher is written to crash-<sha1> in the current
# directory (it belongs in test/lit/fuzz/ then).
# Inputs stay under 4096 bytes, which keeps each execution fast.
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-build}"
runs="${2:-1000000}"
shift $(($# < 2 ? $# : 2))
corpus="${TOY_FUZZ_CORPUS:-$build/test/fuzz/corpus}"
mkdir -p "$corpus"
seeds="$build/test/fuzz/seeds.txt"
find "$src/test" "$src/examples" -name '*.toy' | sort | paste -sd, > "$seeds"
exec "$build/test/fuzz/toy-fuzz" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=4096 \
  -dict="$src/test/fuzz/toy.dict" -seed_inputs=@"$seeds" -print_final_stats=1 "$@" "$corpus"
