"""What the Python tests of xenstored share: starting the sanitized daemon
on a temporary run directory, raw wire-protocol requests over its socket,
and TAP output."""
import os
import socket
import struct
import subprocess
import time

DAEMON = os.path.join(os.environ.get("top_builddir", "../.."),
                      "xenstored", "xenstored-san")
# The bound of every wait on the daemon (start, reply, exit).  Waits end
# on what they wait for; this only turns a hang into a failure, and is
# generous for a sanitized daemon on a busy two-CPU machine.
WAIT_S = 30
XS_READ, XS_TRANSACTION_START, XS_TRANSACTION_END = 2, 6, 7
XS_WRITE, XS_ERROR = 11, 16
HDR = struct.Struct("<IIII")

results = []


def check(ok, name, skip=None):
    results.append((ok, name, skip))


def start(rundir, loop):
    """The daemon with -N -D and a trace file; loop None is the default."""
    env = dict(os.environ, XENSTORED_RUNDIR=rundir)
    env.pop("XENSTORED_PATH", None)
    env.pop("XENSTORED_EVENT_LOOP", None)
    if loop is not None:
        env["XENSTORED_EVENT_LOOP"] = loop
    trace = os.path.join(rundir, "trace")
    proc = subprocess.Popen([DAEMON, "-N", "-D", "-T", trace], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sock = os.path.join(rundir, "socket")
    # Ready once the socket accepts a connection (the file appears at
    # bind, a moment before listen).  The wait ends early if the daemon
    # exits; its bound only stops one that hangs, and is generous because
    # the sanitized daemon starts slowly on a busy machine.
    for _ in range(int(WAIT_S / 0.01)):
        if proc.poll() is not None or listening(sock):
            break
        time.sleep(0.01)
    return proc, sock, trace


def listening(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


def stop(proc):
    proc.terminate()
    try:
        return proc.wait(timeout=WAIT_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.wait()


def stopped_cleanly(proc):
    """Stops the daemon: whether it ended with 0 and without a sanitizer
    report, and the status."""
    rc = stop(proc)
    err = proc.stderr.read().decode(errors="replace")
    return rc == 0 and "ERROR: AddressSanitizer" not in err, rc


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(WAIT_S)
    s.connect(path)
    return s


def request(kind, req_id, payload, tx=0):
    return HDR.pack(kind, req_id, tx, len(payload)) + payload


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


def tap():
    """Prints the plan and the results; the exit status."""
    print("1..%d" % len(results))
    failed = 0
    for i, (ok, name, skip) in enumerate(results, 1):
        if skip:
            print("ok %d - %s # SKIP %s" % (i, name, skip))
        else:
            print("%s %d - %s" % ("ok" if ok else "not ok", i, name))
            failed += not ok
    return 1 if failed else 0
