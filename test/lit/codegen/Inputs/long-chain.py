"""Writes a toy program whose main holds one long chain.

Usage: long-chain.py add|and|or|str|else|return N
  add, and, or, str: println of an N-term chain x+x+..., b && b && ..., b || b || ...,
                     s+s+...+"ok" (s is empty, so running it copies nothing)
  else:              an if with N-1 else-if branches; the last one is taken
  return:            the same chain in a function whose every branch returns, ending in an
                     else, so it needs no final return
"""
import sys

kind, n = sys.argv[1], int(sys.argv[2])
if kind == "add":
    body = "\tx := 1\n\tprintln(" + "+".join(["x"] * n) + ")\n"
elif kind == "and":
    body = "\tb := true\n\tprintln(" + " && ".join(["b"] * n) + ")\n"
elif kind == "or":
    body = "\tb := false\n\tprintln(" + " || ".join(["b"] * n) + ")\n"
elif kind == "str":
    body = '\ts := ""\n\tprintln(' + "+".join(["s"] * (n - 1)) + '+"ok")\n'
elif kind == "else":
    branches = "".join(f"\t}} else if x == {i} {{\n\t\tprintln({i})\n" for i in range(1, n))
    body = f"\tx := {n - 1}\n\tif x == 0 {{\n\t\tprintln(0)\n" + branches + "\t}\n"
else:
    branches = "".join(f"\t}} else if x == {i} {{\n\t\treturn {i}\n" for i in range(1, n))
    f = "func f(x int) int {\n\tif x == 0 {\n\t\treturn 0\n" + branches
    body = f"\tprintln(f({n - 1}))\n}}\n\n{f}\t}} else {{\n\t\treturn -1\n\t}}\n"
print("package main\n\nfunc main() {\n" + body + "}")
