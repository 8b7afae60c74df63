# gdb script for stack-check-async-preempt-gdb.toy: makes sysmon's preemption request and its
# SIGURG meet main.f's prologue check where a loaded request is still in a register. It stops
# at the check's load of g.stackguard0, makes the request as preemptone does (stackguard0 =
# stackPreempt, g.preempt = true), executes the load, and delivers SIGURG to the thread at the
# compare that follows, as preemptM's tgkill would.
import gdb

gdb.execute("set language c++")
gdb.execute("handle SIGURG nostop noprint pass")

# `mov 0x10(%rax),%rax; cmp %rax,%rsp`: the load is the instruction before the compare.
load = None
prev = None
for line in gdb.execute("disassemble 'main.f'", to_string=True).splitlines():
    fields = line.split()
    if len(fields) < 2 or not fields[0].startswith("0x"):
        continue
    if fields[-1] == "%rax,%rsp" and fields[-2].startswith("cmp"):
        load = prev
        break
    prev = fields[0]
if load is None:
    raise gdb.GdbError("no stack check in main.f")

bp = gdb.Breakpoint("*" + load, internal=True)
gdb.execute("run")
gdb.execute("set var $g = (runtime::g *)*(long *)($fs_base - 8)")
gdb.execute("set var $g->stackguard0 = 0xfffffffffffffade")  # stackPreempt
gdb.execute("set var $g->preempt = true")
bp.delete()
gdb.execute("stepi")
print("loaded stackguard0:", gdb.parse_and_eval("$rax").format_string(format="x"))
gdb.execute("signal SIGURG")
