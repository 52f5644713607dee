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


def stopped_cleanly(proc):
    """Stops the daemon: whether it ended with 0 and without a sanitizer
    report, and the status."""
    rc = stop(proc)
    err = proc.stderr.read().decode(errors="replace")
    return rc == 0 and "ERROR: AddressSanitizer" not in err, rc


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(20)
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
