#!/bin/sh
# Runs a built program and prints what the committed .out files of test/lit/programs hold:
# its stdout and stderr together, cut after a panic's `goroutine N [running]:` line (the
# traceback below it names addresses and paths that differ between toy and Go), then
# `exit status N` when the status is not 0, as `go run` reports it.
#   test/programs/run-program.sh BINARY
"$1" > "$1.raw" 2>&1
status=$?
sed '/^goroutine [0-9]* \[running\]:$/q' "$1.raw"
rm -f "$1.raw"
[ "$status" -eq 0 ] || echo "exit status $status"
