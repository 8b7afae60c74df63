#!/bin/sh
# send-signal.sh SIGS PROGRAM [ACTION]: runs PROGRAM, waits until it has written "ready" (at
# most 10s), sends it each signal of the comma-separated list SIGS in turn with kill, and
# prints the program's output and "exit status N". A program still running 20s later is
# killed (SIGKILL: exit status 137).
# The program starts with SIGINT at its default action (a non-interactive shell would start a
# background command with it ignored), or ignored if ACTION is "ignore-int".
sig=$1
prog=$2
action=--default-signal=INT
if [ "$3" = ignore-int ]; then
  action=--ignore-signal=INT
fi
out=$prog.signal-out
env $action "$prog" > "$out" 2>&1 &
pid=$!
i=0
until grep -q '^ready$' "$out" || [ $i -ge 1000 ]; do
  sleep 0.01
  i=$((i + 1))
done
for s in $(echo "$sig" | tr , ' '); do
  kill -"$s" $pid
done
(sleep 20; kill -KILL $pid) > /dev/null 2>&1 &
watchdog=$!
wait $pid
status=$?
kill $watchdog 2> /dev/null
cat "$out"
echo "exit status $status"
