# gdb script for steal-rounds-gdb.toy: counts, per thread, the runqgrab calls made since that
# thread last entered stealWork, and prints the count when main.stolen starts running (the G
# the stealing M found). All-stop mode: while a breakpoint's stop() runs, every thread waits.
import gdb

grabs = {}


class Count(gdb.Breakpoint):
    def __init__(self, spec, reset):
        super().__init__(spec, internal=True)
        self.reset = reset

    def stop(self):
        t = gdb.selected_thread().num
        grabs[t] = 0 if self.reset else grabs.get(t, 0) + 1
        return False


class Report(gdb.Breakpoint):
    def stop(self):
        n = grabs.get(gdb.selected_thread().num)
        print("runqgrab calls in the stealWork that found main.stolen:", n)
        return True


# "*function": the entry address itself; the line gdb would pick after the prologue may be
# inside the loop over the rounds.
gdb.execute("set language c++")
Count("*runtime::stealWork", True)
Count("*runtime::runqgrab", False)
Report("main.stolen")
