"""Writes a toy program with go statements and function literals in many functions.

Every goroutine that does work sets its own bit of mask, so a wrapper reused for another
go statement or a goroutine that never runs shows in the printed count and mask. Run it with
GOMAXPROCS=1: mark's updates are then never interleaved.
Usage: go-names.py first|last  (main declared before or after the functions it starts)
"""
import sys

FUNCS = 12  # 5 marks each: 60 bits


def worker(k):
    b = 5 * k
    return f"""
func f{k}(a int, s string) {{
	go mark({b})
	go func() {{
		mark({b + 1})
	}}()
	go func(x int) {{
		mark(x)
	}}(a + {b + 2})
	g := func() {{
		go func() {{
			mark({b + 3})
		}}()
	}}
	g()
	h := mark
	go h(len(s) + {b + 3})
}}
"""


STARTS = "".join(f'\tgo f{k}(0, "x")\n' for k in range(FUNCS))
MAIN = f"""
func main() {{
{STARTS}	for i := 0; i < 100000 && count < {5 * FUNCS}; i++ {{
		runtime.Gosched()
	}}
	println(count, mask)
}}
"""

MARK = """
func mark(k int) {
	count = count + 1
	mask |= 1 << k
}
"""

workers = "".join(worker(k) for k in range(FUNCS))
body = MAIN + MARK + workers if sys.argv[1] == "first" else workers + MARK + MAIN
print('package main\n\nimport "runtime"\n\nvar count int\nvar mask int\n' + body)
