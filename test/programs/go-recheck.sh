#!/usr/bin/env bash
# Builds every program of test/lit/programs with Go 1.19 and compares what it prints (through
# run-program.sh, as the lit tests run toy's build) with the committed NAME.out beside it.
# Go is needed only here, never to build or test toy.
#   test/programs/go-recheck.sh            compare; exit status 1 if any program differs
#   test/programs/go-recheck.sh --record   write NAME.out from Go's output instead
#   test/programs/go-recheck.sh [--record] NAME.toy...   only these programs
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(dirname "$(dirname "$here")")/test/lit/programs
go=${GO:-$(command -v go || echo /usr/lib/go-1.19/bin/go)}
record=0
if [ "${1:-}" = --record ]; then record=1; shift; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export HOME=$work GOCACHE=$work/cache GO111MODULE=off
unset GOMAXPROCS GODEBUG
[ $# -gt 0 ] || set -- "$dir"/*.toy
failed=0
for src in "$@"; do
  name=$(basename "$src" .toy)
  out=$(dirname "$src")/$name.out
  cp "$src" "$work/$name.go"
  if ! "$go" build -o "$work/$name" "$work/$name.go"; then
    echo "FAIL $name: go build failed"; failed=1; continue
  fi
  "$here/run-program.sh" "$work/$name" > "$work/$name.out"
  if [ "$record" = 1 ]; then
    cp "$work/$name.out" "$out"
  elif ! diff -u "$out" "$work/$name.out"; then
    echo "FAIL $name: go1.19 prints something else than $name.out"; failed=1
  fi
done
[ "$failed" = 0 ] && echo "all $# programs print their committed output under $("$go" version)"
exit "$failed"
