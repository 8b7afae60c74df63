# closed-pipe.py PROG ARG FD: runs PROG ARG with descriptor FD (1, 2 or 3) the write end of a
# pipe whose read end is already closed, so the first write to it fails with EPIPE, and
# prints how PROG ended: "exit N" or "signal N".
import os
import subprocess
import sys

prog, arg, fd = sys.argv[1], sys.argv[2], int(sys.argv[3])
r, w = os.pipe()
os.close(r)
kw = {1: {"stdout": w}, 2: {"stderr": w}}.get(fd)
if kw is None:
    os.dup2(w, fd)
    kw = {"pass_fds": (fd,)}
# subprocess restores SIGPIPE's default action in the child (restore_signals).
p = subprocess.run([prog, arg], **kw)
sys.stdout.flush()
print(arg, "signal", -p.returncode if p.returncode < 0 else "none", "exit", max(p.returncode, 0))
