# Writes a random Go/toy program of integer arithmetic to stdout: every binary operation has a
# variable operand (so no untyped constant can overflow), divisors are forced odd, shift
# counts are masked to 0..127. Used to diff toy's output against go run's.
import random
import sys

r = random.Random(int(sys.argv[1]))
names = ["a", "b", "c", "d"]


def leaf():
    if r.random() < 0.6:
        return r.choice(names)
    return str(r.choice([0, 1, 2, 3, 7, 63, 64, 255, 1000]))


def expr(depth):
    if depth == 0 or r.random() < 0.25:
        return leaf()
    op = r.choice(["+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>", "neg", "not"])
    x, y = expr(depth - 1), expr(depth - 1)
    if x[0].isdigit() and y[0].isdigit():
        x = r.choice(names)
    if op == "neg":
        return "(-(" + x + "))"
    if op == "not":
        return "(^(" + x + "))"
    if op in ("/", "%"):
        return "(" + x + " " + op + " (" + y + " | 1))"
    if op in ("<<", ">>"):
        return "(" + x + " " + op + " (" + y + " & 127))"
    return "(" + x + " " + op + " " + y + ")"


out = ["package main", "", "func ident(x int) int {", "\treturn x", "}", "", "func main() {"]
for n in names:
    v = r.choice([0, 1, -1, 5, -9, 123456789, -987654321, 9223372036854775807])
    out.append("\t%s := ident(%d)" % (n, v))
for _ in range(25):
    e = expr(4)
    out.append("\tprintln(%s)" % e)
    if r.random() < 0.3:
        out.append("\t%s = %s" % (r.choice(names), e))
    if r.random() < 0.2:
        out.append("\tprintln(%s < %s, %s == %s)" % (expr(2), expr(2), expr(2), expr(2)))
out.append("\tprintln(a, b, c, d)")
out.append("}")
print("\n".join(out))
