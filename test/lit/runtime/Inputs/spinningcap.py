# gdb script for knob-spinningcap-gdb.toy: when main.blocker starts on P1's M, pretend one
# more M is spinning. At GOMAXPROCS=2, with main's P busy, findRunnable's limit
# (2*nmspinning < gomaxprocs-npidle) then keeps P1's M from stealing once blocker blocks;
# when that M stops (stopm), the script prints schedstats' count of such refusals and lets
# main finish. All-stop
# mode: while a breakpoint's stop() runs, every thread waits, so nothing here races.
import gdb

blocker_thread = []


class Blocker(gdb.Breakpoint):
    def stop(self):
        blocker_thread.append(gdb.selected_thread().num)
        gdb.execute("set var runtime::sched.nmspinning = runtime::sched.nmspinning + 1")
        self.enabled = False
        return False


class Stopm(gdb.Breakpoint):
    def stop(self):
        if blocker_thread and gdb.selected_thread().num == blocker_thread[0]:
            n = gdb.parse_and_eval("runtime::schedstats.nospin")
            print("nospin when blocker's M stopped:", int(n))
            gdb.execute("set var *(long *) &'main.flag' = 2")  # main may finish now
            blocker_thread.clear()
            # No breakpoint left in the exiting process: gdb fails removing one from a thread
            # that has gone.
            self.enabled = False
        return False


gdb.execute("set language c++")
Blocker("main.blocker", internal=True)
Stopm("*runtime::stopm", internal=True)
