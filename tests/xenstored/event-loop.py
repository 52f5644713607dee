#!/usr/bin/env python3
"""xenstored's two event loops (io_uring, the default, and poll), seen from
clients on the socket: which one serves, the choice and its errors, and
that a client whose socket is full gets every reply, in order, once it
reads, while other clients are served meanwhile.  Speaks TAP."""
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time

DAEMON = os.path.join(os.environ.get("top_builddir", "../.."),
                      "xenstored", "xenstored-san")
XS_READ, XS_WRITE = 2, 11
HDR = struct.Struct("<IIII")

results = []


def check(ok, name, skip=None):
    results.append((ok, name, skip))


def start(rundir, loop):
    env = dict(os.environ, XENSTORED_RUNDIR=rundir)
    env.pop("XENSTORED_PATH", None)
    env.pop("XENSTORED_EVENT_LOOP", None)
    if loop is not None:
        env["XENSTORED_EVENT_LOOP"] = loop
    trace = os.path.join(rundir, "trace")
    proc = subprocess.Popen([DAEMON, "-N", "-D", "-T", trace], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sock = os.path.join(rundir, "socket")
    for _ in range(500):
        if os.path.exists(sock) or proc.poll() is not None:
            break
        time.sleep(0.01)
    return proc, sock, trace


def stop(proc):
    proc.terminate()
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
    s.connect(path)
    return s


def request(kind, req_id, payload):
    return HDR.pack(kind, req_id, 0, len(payload)) + payload


def recv_exact(s, n):
    data = b""
    while len(data) < n:
        chunk = s.recv(n - len(data))
        if not chunk:
            raise EOFError("daemon closed the connection")
        data += chunk
    return data


def reply(s):
    kind, req_id, tx, length = HDR.unpack(recv_exact(s, HDR.size))
    return kind, req_id, recv_exact(s, length)


def trace_text(path):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return ""


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
            time.sleep(0.5)
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
            rc = stop(proc)
            err = proc.stderr.read().decode(errors="replace")
            check(rc == 0 and "ERROR: AddressSanitizer" not in err,
                  "%s loop: daemon ends cleanly (status %d)" % (label, rc))
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
            rc = proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            rc = stop(proc) or -1
        err = proc.stderr.read().decode(errors="replace")
        check(rc != 0 and "XENSTORED_EVENT_LOOP" in err and "epoll" in err,
              "an unknown XENSTORED_EVENT_LOOP is refused by name "
              "(status %d: %s)" % (rc, err.strip()))

    print("1..%d" % len(results))
    failed = 0
    for i, (ok, name, skip) in enumerate(results, 1):
        if skip:
            print("ok %d - %s # SKIP %s" % (i, name, skip))
        else:
            print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
            failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
