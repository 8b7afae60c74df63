# Shared by the bench/ scripts (sourced after they set runs): where toyc and Go are, a scratch
# directory removed on exit, and the timing helpers. Arithmetic is awk's (mawk is part of every
# Debian system), so nothing beyond README's install command and Go is needed.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
toyc=${TOYC:-$root/build/compiler/toyc}
# go is empty where Go is not installed.
go=${GO:-$(command -v go || { [ -x /usr/lib/go-1.19/bin/go ] && echo /usr/lib/go-1.19/bin/go; } || true)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export GOCACHE=$work/gocache GO111MODULE=off

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
walltime() { # seconds for one run of "$@", output discarded
  local s e
  s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
  awk -v s="$s" -v e="$e" 'BEGIN { printf "%.6f\n", e - s }'
}
cputime() { # seconds of CPU, user + system, that one run of "$@" used; output discarded
  local t
  t=$( ("$@" >/dev/null 2>&1; times) | tail -n 1)
  echo "$t" | awk '{ n = split($1 " " $2, f, " "); s = 0
    for (i = 1; i <= n; i++) { split(f[i], ms, "m"); s += ms[1] * 60 + ms[2] }
    printf "%.6f\n", s }'
}
