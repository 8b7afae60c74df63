#!/bin/sh
# Prints a trace's goroutine events (gocreate, gostart, gopark, goready, goend, ...) in time
# order, without their timestamps and Ms: the sequence a seeded run must repeat. Each M writes
# its own buffer, so the file holds them grouped by M; sort restores the order in time.
sed -n 's/.*"ts":\([0-9.]*\),"cat":"g","name":"\([a-z]*\)","args":{"m":[0-9]*,\(.*\)}},*$/\1 \2 \3/p' "$1" |
  sort -s -n -k1,1 | cut -d' ' -f2-
