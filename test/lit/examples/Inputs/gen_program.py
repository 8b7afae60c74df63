# Writes a random valid Go/toy program to stdout, for diffing toy's output against go run's:
# helper functions, closures (counters, closures capturing loop variables and fresh per-iteration
# variables, chains of closures), goroutines (go with a function, with a literal, nested go),
# if/else chains, bounded for loops with break and continue, and int, int64, uint8, bool and
# string values. Only main prints. Each goroutine writes its own variable and main reads them
# after waiting for every goroutine with a sync.WaitGroup, so the output never depends on the
# order goroutines run in. As in gen_arith.py, divisors are forced odd and shift counts masked,
# so no run panics; no binary operation has two constant operands, so no constant overflows.
import random
import sys

# With --go-in-goroutine, goroutines also start through functions that themselves run a go
# statement (go spawn(x), where spawn does go func(...){...}(...)).
SPAWNERS = "--go-in-goroutine" in sys.argv[2:]
r = random.Random(int(sys.argv[1]))
INT_TYPES = ["int", "int64", "uint8"]
WORDS = ["a", "go", "toy", "x y", "\\t", "", "Zz", "\\\"q\\\""]


class Scope:
    def __init__(self, parent=None):
        self.parent = parent
        self.vars = []  # (name, type, assignable)
        self.pending = []  # names not yet used

    def all(self):
        s, out = self, []
        while s:
            out += s.vars
            s = s.parent
        return out

    def of(self, t, assignable=False):
        return [n for n, vt, a in self.all() if vt == t and (a or not assignable)]


class Gen:
    def __init__(self):
        self.serial = 0
        self.funcs = []  # (name, [param types], result type)
        self.goresults = []  # package variables goroutines write: (name, type)
        self.lines = []

    def fresh(self, p):
        self.serial += 1
        return "%s%d" % (p, self.serial)

    # --- expressions: return (text, is_constant) ---------------------------------------------
    def const(self, t):
        if t == "bool":
            return r.choice(["true", "false"])
        if t == "string":
            return '"%s"' % r.choice(WORDS)
        if t == "uint8":
            return str(r.choice([0, 1, 2, 7, 128, 200, 255]))
        return str(r.choice([0, 1, 2, 3, 7, 63, 64, 255, 1000, 123456789]))

    def leaf(self, t, sc):
        vs = sc.of(t)
        if vs and r.random() < 0.75:
            return r.choice(vs), False
        return self.const(t), True

    def call(self, t, sc, depth):
        cands = [f for f in self.funcs if f[2] == t]
        if not cands:
            return None
        name, params, _ = r.choice(cands)
        return "%s(%s)" % (name, ", ".join(self.expr(p, sc, depth - 1) for p in params)), False

    def nonconst(self, t, sc, depth):
        e, c = self.gen(t, sc, depth)
        if c:
            vs = sc.of(t)
            if vs:
                return r.choice(vs), False
            return "ident%s(%s)" % (t, e), False
        return e, c

    def gen(self, t, sc, depth):
        if depth <= 0 or r.random() < 0.2:
            return self.leaf(t, sc)
        k = r.random()
        if k < 0.15:
            c = self.call(t, sc, depth)
            if c:
                return c
        if t == "bool":
            return self.boolexpr(sc, depth)
        if t == "string":
            return self.strexpr(sc, depth)
        return self.intexpr(t, sc, depth)

    def expr(self, t, sc, depth):
        return self.gen(t, sc, depth)[0]

    def intexpr(self, t, sc, depth):
        k = r.random()
        if k < 0.1:
            src = r.choice([u for u in INT_TYPES if u != t])
            e, c = self.nonconst(src, sc, depth - 1)
            return "%s(%s)" % (t, e), False
        if k < 0.17 and t == "int":
            e, c = self.nonconst("string", sc, depth - 1)
            return "len(%s)" % e, False
        if k < 0.25:
            e, c = self.nonconst(t, sc, depth - 1)
            return "(%s(%s))" % (r.choice(["-", "^", "+"]), e), False
        op = r.choice(["+", "-", "*", "/", "%", "&", "|", "^", "&^", "<<", ">>"])
        x, cx = self.gen(t, sc, depth - 1)
        y, cy = self.gen(t, sc, depth - 1)
        if cx and cy:
            x, cx = self.nonconst(t, sc, depth - 1)
        if op in ("/", "%"):
            return "(%s %s (%s | 1))" % (x, op, y), False
        if op in ("<<", ">>"):
            # A constant left operand of a shift would be an untyped constant: keep it typed.
            if cx:
                x = "%s(%s)" % (t, x)
            return "(%s %s (%s & 127))" % (x, op, y), False
        return "(%s %s %s)" % (x, op, y), False

    def boolexpr(self, sc, depth):
        k = r.random()
        if k < 0.5:
            t = r.choice(INT_TYPES + ["string"])
            x, cx = self.gen(t, sc, depth - 1)
            y, cy = self.gen(t, sc, depth - 1)
            if cx and cy:
                x, cx = self.nonconst(t, sc, depth - 1)
            return "(%s %s %s)" % (x, r.choice(["==", "!=", "<", "<=", ">", ">="]), y), False
        if k < 0.65:
            e, c = self.gen("bool", sc, depth - 1)
            return "!(%s)" % e, c
        x, cx = self.gen("bool", sc, depth - 1)
        y, cy = self.gen("bool", sc, depth - 1)
        return "(%s %s %s)" % (x, r.choice(["&&", "||", "==", "!="]), y), cx and cy

    def strexpr(self, sc, depth):
        # At most one string variable per expression, so strings grow additively in loops.
        parts = []
        used_var = False
        for _ in range(r.randint(2, 3)):
            k = r.random()
            vs = sc.of("string")
            if k < 0.4 and vs and not used_var:
                parts.append(r.choice(vs))
                used_var = True
            elif k < 0.7:
                parts.append("itoa(%s)" % self.expr("int", sc, depth - 1))
            else:
                parts.append(self.const("string"))
        if all(p.startswith('"') for p in parts):
            parts[0] = "ident%s(%s)" % ("string", parts[0])
        return "(" + " + ".join(parts) + ")", False

    def strexpr_leafy(self, sc):
        return self.strexpr(sc, 1)[0]

    # --- statements ----------------------------------------------------------------------
    def emit(self, ind, s):
        self.lines.append("\t" * ind + s)

    def declare(self, sc, ind, t=None):
        t = t or r.choice(INT_TYPES + ["bool", "string"])
        n = self.fresh("v")
        e = self.expr(t, sc, 3)
        if t == "uint8" or t == "int64" or r.random() < 0.3:
            self.emit(ind, "var %s %s = %s" % (n, t, e))
        else:
            self.emit(ind, "%s := %s" % (n, e if t != "int" else "int(%s)" % e))
        sc.vars.append((n, t, True))
        sc.pending.append(n)

    def assign(self, sc, ind):
        t = r.choice(INT_TYPES + ["bool", "string"])
        vs = sc.of(t, assignable=True)
        if not vs:
            return self.declare(sc, ind, t)
        v = r.choice(vs)
        if t == "string":
            self.emit(ind, "%s = %s" % (v, self.strexpr_leafy(sc)))
        elif t == "bool":
            self.emit(ind, "%s = %s" % (v, self.expr("bool", sc, 3)))
        elif r.random() < 0.2:
            self.emit(ind, "%s%s" % (v, r.choice(["++", "--"])))
        else:
            op = r.choice(["", "+", "-", "*", "^", "|", "&", "/", "%", "<<", ">>"])
            e = self.expr(t, sc, 3)
            if op in ("/", "%"):
                e = "(%s | 1)" % e
            elif op in ("<<", ">>"):
                e = "(%s & 127)" % e
            self.emit(ind, "%s %s= %s" % (v, op, e))

    def printall(self, sc, ind):
        if sc.pending and self.printing:
            self.emit(ind, "println(%s)" % ", ".join(sc.pending))
        else:
            self.blank(sc, ind)
        sc.pending = []

    def blank(self, sc, ind):
        # Go rejects a local that is declared and never used.
        for n in sc.pending:
            self.emit(ind, "_ = %s" % n)
        sc.pending = []

    def ifstmt(self, sc, ind, depth, inloop):
        self.emit(ind, "if %s {" % self.expr("bool", sc, 3))
        self.block(Scope(sc), ind + 1, depth - 1, inloop)
        for _ in range(r.randint(0, 2)):
            self.emit(ind, "} else if %s {" % self.expr("bool", sc, 3))
            self.block(Scope(sc), ind + 1, depth - 1, inloop)
        if r.random() < 0.5:
            self.emit(ind, "} else {")
            self.block(Scope(sc), ind + 1, depth - 1, inloop)
        self.emit(ind, "}")

    def forstmt(self, sc, ind, depth):
        i = self.fresh("i")
        self.emit(ind, "for %s := 0; %s < %d; %s++ {" % (i, i, r.randint(1, 4), i))
        inner = Scope(sc)
        inner.vars.append((i, "int", False))
        self.block(inner, ind + 1, depth - 1, True)
        self.emit(ind, "}")

    def closurechain(self, sc, ind):
        # A chain of closures built in a loop: each captures the loop variable (one variable
        # for the whole loop, as in Go 1.19) and a fresh per-iteration copy.
        f, i, k = self.fresh("chain"), self.fresh("i"), self.fresh("k")
        self.emit(ind, "%s := func() int { return 0 }" % f)
        self.emit(ind, "for %s := 0; %s < %d; %s++ {" % (i, i, r.randint(1, 5), i))
        self.emit(ind + 1, "%s := %s * %d" % (k, i, r.randint(2, 9)))
        self.emit(ind + 1, "prev := %s" % f)
        self.emit(ind + 1, "%s = func() int { return prev()*%d + %s + %s }" % (f, r.randint(2, 5), k, i))
        self.emit(ind, "}")
        self.emit(ind, "println(%s())" % f)

    def counter(self, sc, ind):
        c = self.fresh("next")
        self.emit(ind, "%s := counter(%s)" % (c, self.expr("int", sc, 2)))
        n = r.randint(1, 3)
        self.emit(ind, "println(%s)" % ", ".join(["%s()" % c] * n))

    def closure(self, sc, ind):
        # A literal that reads and writes a captured variable.
        acc, f = self.fresh("acc"), self.fresh("f")
        self.emit(ind, "%s := %s" % (acc, r.choice(["0", "1", "-5"])))
        self.emit(ind, "%s := func(x int) int {" % f)
        inner = Scope(sc)
        inner.vars += [("x", "int", True), (acc, "int", True)]
        self.emit(ind + 1, "%s += x" % acc)
        for _ in range(r.randint(0, 2)):
            self.assign(inner, ind + 1)
        self.blank(inner, ind + 1)
        self.emit(ind + 1, "return %s" % self.expr("int", inner, 2))
        self.emit(ind, "}")
        self.emit(ind, "println(%s(%s), %s(%s), %s)" % (f, self.expr("int", sc, 2), f,
                                                      self.expr("int", sc, 2), acc))

    def gostmt(self, sc, ind):
        t = r.choice(["int", "string", "bool"])
        g = self.fresh("g")
        self.goresults.append((g, t))
        if SPAWNERS and r.random() < 0.3:
            w, p = "spawn_%s" % g, self.fresh("p")
            self.spawners.append((w, g, t, p))
            self.emit(ind, "wg.Add(1)")
            self.emit(ind, "go %s(%s)" % (w, self.expr("int", sc, 2)))
            return
        k = r.random()
        if k < 0.35:
            cands = [f for f in self.funcs if f[2] == t]
            if cands:
                name, params, _ = r.choice(cands)
                args = ", ".join(self.expr(p, sc, 2) for p in params)
                w = "gowrite_%s" % g
                self.goworkers.append((w, g, name, params))
                self.emit(ind, "wg.Add(1)")
                self.emit(ind, "go %s(%s)" % (w, args))
                return
        if k < 0.55:
            # Nested: the goroutine starts another goroutine that writes a second variable.
            g2 = self.fresh("g")
            self.goresults.append((g2, "int"))
            p = self.fresh("p")
            self.emit(ind, "wg.Add(1)")
            self.emit(ind, "go func(%s int) {" % p)
            self.emit(ind + 1, "defer wg.Done()")
            self.emit(ind + 1, "wg.Add(1)")
            self.emit(ind + 1, "go func() { defer wg.Done(); %s = %s * 3 }()" % (g2, p))
            inner = Scope()
            inner.vars.append((p, "int", False))
            self.emit(ind + 1, "%s = %s" % (g, self.expr(t, inner, 2)))
            self.emit(ind, "}(%s)" % self.expr("int", sc, 2))
            return
        # A literal with parameters (copied at the go statement) and no other captures.
        ps = [(self.fresh("p"), r.choice(INT_TYPES + ["string"])) for _ in range(r.randint(1, 3))]
        inner = Scope()
        inner.vars += [(n, pt, False) for n, pt in ps]
        self.emit(ind, "wg.Add(1)")
        self.emit(ind, "go func(%s) {" % ", ".join("%s %s" % p for p in ps))
        self.emit(ind + 1, "defer wg.Done()")
        if r.random() < 0.5:
            self.emit(ind + 1, "runtime.Gosched()")
        self.emit(ind + 1, "%s = %s" % (g, self.expr(t, inner, 3)))
        self.emit(ind, "}(%s)" % ", ".join(self.expr(pt, sc, 2) for _, pt in ps))

    def join(self, ind, last=False):
        if self.goresults or last:
            self.emit(ind, "wg.Wait()")
        if self.goresults:
            self.emit(ind, "println(%s)" % ", ".join(g for g, _ in self.goresults))
            self.joined += self.goresults
            self.goresults = []

    def block(self, sc, ind, depth, inloop, main=False):
        for _ in range(r.randint(30, 45) if main else r.randint(1, 5 if depth > 0 else 3)):
            k = r.random()
            if k < 0.25:
                self.declare(sc, ind)
            elif k < 0.45:
                self.assign(sc, ind)
            elif k < 0.55 and depth > 0:
                self.ifstmt(sc, ind, depth, inloop)
            elif k < 0.65 and depth > 0:
                self.forstmt(sc, ind, depth)
            elif k < 0.7 and main:
                self.closurechain(sc, ind)
            elif k < 0.75 and main:
                self.counter(sc, ind)
            elif k < 0.8 and main:
                self.closure(sc, ind)
            elif k < 0.9 and main:
                self.gostmt(sc, ind)
            elif k < 0.95 and main:
                self.join(ind)
            else:
                self.emit(ind, "println(%s)" % self.expr(r.choice(INT_TYPES + ["bool", "string"]), sc, 3))
        self.printall(sc, ind)
        if inloop and r.random() < 0.3:
            self.emit(ind, "if %s {" % self.expr("bool", sc, 2))
            self.emit(ind + 1, r.choice(["break", "continue"]))
            self.emit(ind, "}")

    def func(self):
        name = self.fresh("fn")
        params = [(self.fresh("a"), r.choice(INT_TYPES + ["bool", "string"])) for _ in range(r.randint(0, 3))]
        res = r.choice(INT_TYPES + ["bool", "string"])
        body = Scope()
        body.vars += [(n, t, True) for n, t in params]
        self.lines = []
        self.printing = False  # helpers never print: goroutines call them
        for _ in range(r.randint(1, 4)):
            k = r.random()
            if k < 0.4:
                self.declare(body, 1)
            elif k < 0.7:
                self.assign(body, 1)
            else:
                i = self.fresh("i")
                self.lines.append("\tfor %s := 0; %s < %d; %s++ {" % (i, i, r.randint(1, 3), i))
                inner = Scope(body)
                inner.vars.append((i, "int", False))
                self.assign(inner, 2)
                self.blank(inner, 2)
                self.lines.append("\t}")
        self.blank(body, 1)
        self.lines.append("\treturn %s" % self.expr(res, body, 3))
        text = ["func %s(%s) %s {" % (name, ", ".join("%s %s" % p for p in params), res)]
        text += self.lines + ["}", ""]
        self.funcs.append((name, [t for _, t in params], res))
        return text

    def program(self):
        self.goworkers = []
        self.spawners = []
        self.joined = []
        helpers = []
        for _ in range(r.randint(2, 5)):
            helpers += self.func()
        body = Scope()
        self.lines = []
        self.printing = True
        self.block(body, 1, 3, False, main=True)
        self.join(1, last=True)
        mainlines = self.lines
        out = ["// Generated by gen_program.py %s." % " ".join(sys.argv[1:]), "package main", "",
               'import (']
        if any("runtime." in l for l in mainlines):
            out.append('\t"runtime"')
        out += ['\t"sync"', ')', "", "var wg sync.WaitGroup"]
        for g, t in self.joined:
            out.append("var %s %s" % (g, t))
        out += ["", PRELUDE] + helpers
        for w, g, name, params in self.goworkers:
            ps = ", ".join("q%d %s" % (j, t) for j, t in enumerate(params))
            args = ", ".join("q%d" % j for j in range(len(params)))
            out += ["func %s(%s) {" % (w, ps), "\tdefer wg.Done()",
                    "\t%s = %s(%s)" % (g, name, args), "}", ""]
        for w, g, t, p in self.spawners:
            inner = Scope()
            inner.vars.append(("q", "int", False))
            out += ["func %s(%s int) {" % (w, p), "\tdefer wg.Done()", "\twg.Add(1)",
                    "\tgo func(q int) {", "\t\tdefer wg.Done()",
                    "\t\t%s = %s" % (g, self.expr(t, inner, 2)), "\t}(%s)" % p, "}", ""]
        out += ["func main() {"] + mainlines + ["}"]
        return "\n".join(out)


PRELUDE = """func identint(x int) int { return x }

func identint64(x int64) int64 { return x }

func identuint8(x uint8) uint8 { return x }

func identbool(x bool) bool { return x }

func identstring(x string) string { return x }

func digit(d int) string {
	if d == 0 {
		return "0"
	} else if d == 1 {
		return "1"
	} else if d == 2 {
		return "2"
	} else if d == 3 {
		return "3"
	} else if d == 4 {
		return "4"
	} else if d < 8 {
		if d == 5 {
			return "5"
		}
		if d == 6 {
			return "6"
		}
		return "7"
	} else if d == 8 {
		return "8"
	}
	return "9"
}

// itoa prints n mod 10000 in decimal.
func itoa(n int) string {
	n = n % 10000
	if n < 0 {
		return "-" + itoa(-n)
	}
	if n < 10 {
		return digit(n)
	}
	return itoa(n/10) + digit(n%10)
}

func counter(start int) func() int {
	n := start
	return func() int {
		n++
		return n
	}
}
"""

print(Gen().program())
