#!/usr/bin/env python3
"""xenstored's two event loops (io_uring, the default, and poll), seen from
clients on the socket: which one serves, the choice and its errors, and
that a client whose socket is full gets every reply, in order, once it
reads, while other clients are served meanwhile.  Speaks TAP."""
import os
import subprocess
import sys
import tempfile
import time

from xsd_test import (WAIT_S, XS_READ, XS_WRITE, check, connect, reply,
                      request, start, stop, stopped_cleanly, tap, trace_text)


def io_uring_usable():
    """Whether this kernel lets a process set up io_uring at all."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        params = ctypes.create_string_buffer(120)
        fd = libc.syscall(425, 4, params)   # io_uring_setup
        if fd >= 0:
            os.close(fd)
            return True
    except OSError:
        pass
    return False


def wait_for_trace(trace, what, count):
    """Until the trace holds `count` lines with `what`; False if it still
    does not after WAIT_S seconds (a daemon that stopped)."""
    for _ in range(int(WAIT_S / 0.01)):
        if trace_text(trace).count(what) >= count:
            return True
        time.sleep(0.01)
    return False


def stalled_reader(loop):
    """Pipelined reads never read until all are sent fill the client's
    socket; the daemon must keep them, serve another client meanwhile,
    and deliver all of them in order once the client reads."""
    with tempfile.TemporaryDirectory(prefix="xsd-loop-") as rundir:
        proc, sock, trace = start(rundir, loop)
        label = loop or "default"
        try:
            value = b"v" * 200
            setup = connect(sock)
            setup.sendall(request(XS_WRITE, 1, b"/stall/node\0" + value))
            ok = reply(setup)[0] == XS_WRITE
            count = 1200      # ~260 KiB of replies: more than a socket holds
            slow = connect(sock)
            batch = b"".join(request(XS_READ, i, b"/stall/node\0")
                             for i in range(count))
            slow.sendall(batch)
            # Until the daemon has answered every one of them: more than
            # the socket holds, so it is full now.  (Not a fixed sleep: a
            # busy machine can take longer than any.)
            replied = wait_for_trace(trace, "OUT 0 READ ", count)
            check(replied, "%s loop: the daemon answers all %d pipelined "
                  "reads while the client does not read" % (label, count))
            # Another client is served while the slow one's socket is full.
            other = connect(sock)
            t0 = time.monotonic()
            other.sendall(request(XS_READ, 7, b"/stall/node\0"))
            other_ok = reply(other) == (XS_READ, 7, value)
            waited = time.monotonic() - t0
            check(other_ok, "%s loop: another client is answered while one "
                  "does not read (%.0f ms)" % (label, waited * 1000))
            in_order = True
            for i in range(count):
                if reply(slow) != (XS_READ, i, value):
                    in_order = False
                    break
            check(ok and in_order, "%s loop: all %d pipelined replies arrive "
                  "in order once the client reads" % (label, count))
            for s in (setup, slow, other):
                s.close()
        except (OSError, EOFError) as e:
            check(False, "%s loop: stalled reader (%s)" % (label, e))
        finally:
            clean, rc = stopped_cleanly(proc)
            check(clean, "%s loop: daemon ends cleanly (status %d)"
                  % (label, rc))
        return trace_text(trace)


def main():
    uring = io_uring_usable()
    text = stalled_reader(None)
    if uring:
        check("serving with io_uring" in text,
              "the default loop is io_uring where the kernel offers it")
        check("socket of a client is full" in text,
              "the stalled reader did fill its socket (io_uring waited for "
              "it to drain)")
    else:
        check(True, "the default loop is io_uring where the kernel offers it",
              skip="this kernel refuses io_uring")
    text = stalled_reader("poll")
    check("io_uring" not in text,
          "XENSTORED_EVENT_LOOP=poll serves with poll()")

    with tempfile.TemporaryDirectory(prefix="xsd-loop-") as rundir:
        proc, _, _ = start(rundir, "epoll")
        try:
            rc = proc.wait(timeout=WAIT_S)
        except subprocess.TimeoutExpired:
            rc = stop(proc) or -1
        err = proc.stderr.read().decode(errors="replace")
        check(rc != 0 and "XENSTORED_EVENT_LOOP" in err and "epoll" in err,
              "an unknown XENSTORED_EVENT_LOOP is refused by name "
              "(status %d: %s)" % (rc, err.strip()))

    return tap()

if __name__ == "__main__":
    sys.exit(main())
