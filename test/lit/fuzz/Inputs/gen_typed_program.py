# Writes a random valid Go/toy program to stdout, for diffing toy's output against go run's:
# values of every integer width, float32 and float64, arrays and slices. Integer arithmetic
# wraps, shift counts run from 0 to 127 (past every width), conversions go between all the
# numeric types (float to integer too, out of range included), and slices grow by append,
# are copied into and resliced. No run panics: integer divisors are forced odd, indices are
# reduced modulo the length, and every slice keeps at least one element. No binary operation
# has two constant operands and every constant fits its type, so no constant overflows.
#   python3 gen_typed_program.py SEED
import random
import sys

r = random.Random(int(sys.argv[1]))
INTS = ["int8", "int16", "int32", "int64", "int", "uint8", "uint16", "uint32", "uint64", "uint",
        "uintptr"]
FLOATS = ["float32", "float64"]
NUMERIC = INTS + FLOATS
BITS = {"int8": 8, "int16": 16, "int32": 32, "int64": 64, "int": 64, "uint8": 8, "uint16": 16,
        "uint32": 32, "uint64": 64, "uint": 64, "uintptr": 64}


def const(t):
    if t in FLOATS:
        return r.choice(["0.5", "1.5", "-2.25", "3e10", "0.001", "100", "-7", "1e-20"])
    bits = BITS[t]
    if t.startswith("u"):
        return str(r.choice([0, 1, 2, 3, 7, 100, 2 ** (bits - 1), 2 ** bits - 1]))
    return str(r.choice([0, 1, -1, 3, -7, 100, 2 ** (bits - 1) - 1, -(2 ** (bits - 1))]))


class Gen:
    def __init__(self):
        self.serial = 0
        self.lines = []
        self.scalars = []  # (name, type)
        self.arrays = []  # (name, elem, n)
        self.slices = []  # (name, elem)

    def fresh(self, p):
        self.serial += 1
        return "%s%d" % (p, self.serial)

    def emit(self, ind, s):
        self.lines.append("\t" * ind + s)

    def var(self, t):
        return r.choice([n for n, vt in self.scalars if vt == t])

    # --- expressions: every one mentions a variable, so none is constant --------------------
    def expr(self, t, depth):
        k = r.random()
        if depth <= 0 or k < 0.25:
            return self.var(t)
        if k < 0.35:
            return self.element(t, depth)
        if k < 0.5:
            src = r.choice(NUMERIC)
            return "%s(%s)" % (t, self.expr(src, depth - 1))
        if k < 0.58:
            return "(%s%s)" % (r.choice(["-", "+"] if t in FLOATS else ["-", "^", "+"]),
                               self.expr(t, depth - 1))
        x = self.expr(t, depth - 1)
        y = self.expr(t, depth - 1) if r.random() < 0.6 else const(t)
        if t in FLOATS:
            return "(%s %s %s)" % (x, r.choice(["+", "-", "*", "/"]), y)
        op = r.choice(["+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"])
        if op in ("/", "%"):
            return "(%s %s (%s | 1))" % (x, op, self.expr(t, depth - 1))
        if op in ("<<", ">>"):
            count = self.expr(r.choice(INTS), depth - 1)
            return "(%s %s (%s & 127))" % (x, op, count)
        return "(%s %s %s)" % (x, op, y)

    def element(self, t, depth):
        arrays = [(n, k) for n, e, k in self.arrays if e == t]
        slices = [n for n, e in self.slices if e == t]
        i = "int(%s)" % self.expr(r.choice(INTS), depth - 1)
        if arrays and (not slices or r.random() < 0.5):
            n, k = r.choice(arrays)
            return "%s[uint(%s)%%%d]" % (n, i, k)
        if slices:
            s = r.choice(slices)
            return "%s[uint(%s)%%uint(len(%s))]" % (s, i, s)
        return self.var(t)

    def cond(self, depth):
        t = r.choice(NUMERIC)
        return "%s %s %s" % (self.expr(t, depth), r.choice(["==", "!=", "<", "<=", ">", ">="]),
                             self.expr(t, depth))

    # --- statements ---------------------------------------------------------------------
    def assign(self, ind):
        t = r.choice(NUMERIC)
        v = self.var(t)
        k = r.random()
        if k < 0.15:
            self.emit(ind, "%s%s" % (v, r.choice(["++", "--"])))
            return
        ops = ["", "+", "-", "*", "/"] if t in FLOATS else \
            ["", "+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"]
        op = r.choice(ops)
        e = self.expr(t, 3)
        if op in ("/", "%") and t in INTS:
            e = "(%s | 1)" % e
        elif op in ("<<", ">>"):
            e = "(%s & 127)" % self.expr(r.choice(INTS), 2)
        self.emit(ind, "%s %s= %s" % (v, op, e))

    def store(self, ind):
        t = r.choice(NUMERIC)
        arrays = [(n, k) for n, e, k in self.arrays if e == t]
        slices = [n for n, e in self.slices if e == t]
        i = "int(%s)" % self.expr(r.choice(INTS), 1)
        if arrays and r.random() < 0.5:
            n, k = r.choice(arrays)
            self.emit(ind, "%s[uint(%s)%%%d] = %s" % (n, i, k, self.expr(t, 2)))
        elif slices:
            s = r.choice(slices)
            self.emit(ind, "%s[uint(%s)%%uint(len(%s))] += %s" % (s, i, s, self.expr(t, 2)))

    def grow(self, ind):
        s, t = r.choice(self.slices)
        k = r.random()
        if k < 0.4:
            vals = ", ".join(self.expr(t, 2) for _ in range(r.randint(1, 3)))
            self.emit(ind, "%s = append(%s, %s)" % (s, s, vals))
        elif k < 0.55:
            others = [n for n, e in self.slices if e == t]
            self.emit(ind, "%s = append(%s, %s...)" % (s, s, r.choice(others)))
        elif k < 0.7:
            others = [n for n, e in self.slices if e == t] + \
                ["%s[:]" % n for n, e, _ in self.arrays if e == t]
            self.emit(ind, "println(copy(%s, %s))" % (s, r.choice(others)))
        elif k < 0.85:
            # Keeps at least one element: lo < len(s).
            self.emit(ind, "%s = %s[len(%s)/3:]" % (s, s, s))
        else:
            self.emit(ind, "%s = %s[:cap(%s)]" % (s, s, s))
        self.emit(ind, "println(len(%s), cap(%s))" % (s, s))

    def show(self, ind):
        vs = r.sample(self.scalars, r.randint(1, 4))
        self.emit(ind, "println(%s)" % ", ".join(n for n, _ in vs))

    def block(self, ind, depth, count):
        for _ in range(count):
            k = r.random()
            if k < 0.35:
                self.assign(ind)
            elif k < 0.5:
                self.store(ind)
            elif k < 0.62:
                self.grow(ind)
            elif k < 0.72:
                self.emit(ind, "println(%s)" % self.expr(r.choice(NUMERIC), 3))
            elif k < 0.8 and depth > 0:
                i = self.fresh("i")
                self.emit(ind, "for %s := 0; %s < %d; %s++ {" % (i, i, r.randint(1, 4), i))
                self.block(ind + 1, depth - 1, r.randint(1, 4))
                self.emit(ind, "}")
            elif k < 0.88 and depth > 0:
                self.emit(ind, "if %s {" % self.cond(2))
                self.block(ind + 1, depth - 1, r.randint(1, 3))
                if r.random() < 0.5:
                    self.emit(ind, "} else {")
                    self.block(ind + 1, depth - 1, r.randint(1, 3))
                self.emit(ind, "}")
            else:
                self.show(ind)

    def program(self):
        decls = []
        for t in NUMERIC:
            for _ in range(2):
                n = self.fresh("v")
                self.scalars.append((n, t))
                decls.append("\tvar %s %s = %s" % (n, t, const(t)))
        for _ in range(r.randint(3, 5)):
            t, k = r.choice(NUMERIC), r.choice([1, 2, 3, 4, 8])
            n = self.fresh("a")
            self.arrays.append((n, t, k))
            decls.append("\tvar %s [%d]%s" % (n, k, t))
        for _ in range(r.randint(3, 5)):
            t = r.choice(NUMERIC)
            n = self.fresh("s")
            self.slices.append((n, t))
            if r.random() < 0.5:
                decls.append("\t%s := make([]%s, %d, %d)" % (n, t, r.randint(1, 3), r.randint(3, 6)))
            else:
                decls.append("\t%s := []%s{%s}" % (n, t, ", ".join(const(t) for _ in range(r.randint(1, 4)))))
        self.block(1, 2, r.randint(40, 60))
        for n, t, k in self.arrays:
            self.emit(1, "println(%s)" % ", ".join("%s[%d]" % (n, i) for i in range(k)))
            same = [m for m, e, j in self.arrays if e == t and j == k]
            self.emit(1, "println(%s == %s)" % (n, r.choice(same)))
        for s, t in self.slices:
            self.emit(1, "println(len(%s), cap(%s))" % (s, s))
            self.emit(1, "for _, x := range %s {" % s)
            self.emit(2, "print(x, \" \")")
            self.emit(1, "}")
            self.emit(1, "println()")
        self.show(1)
        self.emit(1, "println(%s)" % ", ".join(n for n, _ in self.scalars))
        return "\n".join(["// Generated by gen_typed_program.py %s." % sys.argv[1], "package main", "",
                          "func main() {"] + decls + self.lines + ["}"])


print(Gen().program())
