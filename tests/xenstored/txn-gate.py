#!/usr/bin/env python3
"""xenstored's transaction gate (xenstored/xsd_txn_gate.h), seen from dom0
clients on the socket, under both event loops: after a commit fails on a
conflict, a TRANSACTION_START from another connection waits while a
transaction is open and is let in, oldest first, when it ends, so that
it then commits at its first try; a client with a transaction of its own
never waits; an idle holder delays the others only for a bounded time;
a waiter that disconnects leaves nothing stuck; and the gate turns off
once transactions no longer overlap.  Speaks TAP."""
import select
import sys
import tempfile
import time

from xsd_test import (WAIT_S, XS_READ, XS_TRANSACTION_END,
                      XS_TRANSACTION_START, XS_WRITE, check, connect, reply,
                      request, start, stopped_cleanly, tap, trace_text)

WAITS = "transaction start of a dom0 client waits its turn"
IDLE = "open transactions idle too long"
STALLED = "the machine stalled past the gate's bound"

# The gate's bound (xsd_txn_gate.h) lets a waiter in once nobody got in
# for two 10 ms ticks.  A busy machine can stall this script that long
# anywhere, so the checks of what the gate does while it holds are made
# only when its trace shows the bound did not fire; the rest hold either
# way.


class Client:
    def __init__(self, sock):
        self.s = connect(sock)
        self.req = 0

    def send(self, kind, payload, tx=0):
        self.req += 1
        self.s.sendall(request(kind, self.req, payload, tx))

    def rpc(self, kind, payload, tx=0):
        self.send(kind, payload, tx)
        return reply(self.s)

    def start_txn(self):
        kind, _, body = self.rpc(XS_TRANSACTION_START, b"\0")
        assert kind == XS_TRANSACTION_START, body
        return int(body.rstrip(b"\0"))

    def end(self, tx, commit=True):
        kind, _, body = self.rpc(XS_TRANSACTION_END,
                                 b"T\0" if commit else b"F\0", tx)
        return "OK" if kind == XS_TRANSACTION_END else body.rstrip(b"\0").decode()

    def bump(self, tx, path=b"/gate/counter"):
        """Read-modify-write of the counter inside transaction tx."""
        kind, _, body = self.rpc(XS_READ, path + b"\0", tx)
        value = int(body) if kind == XS_READ else 0
        self.rpc(XS_WRITE, path + b"\0" + str(value + 1).encode(), tx)

    def answered_within(self, seconds):
        return bool(select.select([self.s], [], [], seconds)[0])

    def close(self):
        self.s.close()


def wait_for_waiters(trace, count):
    """Until the daemon has said `count` starts wait (the order in which
    they queue is the order in which it read them)."""
    for _ in range(int(WAIT_S / 0.002)):
        if trace_text(trace).count(WAITS) >= count:
            return True
        time.sleep(0.002)
    return False


def conflict(a, b):
    """A and B both bump the counter; A commits, then opens its next
    transaction, and B's commit fails: the gate turns on with A's open
    transaction holding it.  Returns A's open transaction."""
    ta, tb = a.start_txn(), b.start_txn()
    a.bump(ta)
    b.bump(tb)
    assert a.end(ta) == "OK"
    ta2 = a.start_txn()
    assert b.end(tb) == "EAGAIN"
    return ta2


def scenario(loop):
    label = loop or "default"
    with tempfile.TemporaryDirectory(prefix="xsd-gate-") as rundir:
        proc, sock, trace = start(rundir, loop)
        try:
            a, b, c = Client(sock), Client(sock), Client(sock)
            a.rpc(XS_WRITE, b"/gate/counter\0" + b"0")

            # Without a conflict, overlapping transactions run side by side.
            ta = a.start_txn()
            b.send(XS_TRANSACTION_START, b"\0")
            check(b.answered_within(WAIT_S) and WAITS not in trace_text(trace),
                  "%s loop: without contention a start is answered while "
                  "another transaction is open" % label)
            tb = int(reply(b.s)[2].rstrip(b"\0"))
            a.end(ta, False)
            b.end(tb, False)

            # A conflict turns the gate on: B's next start waits for A's
            # open transaction, and is answered when A commits.
            ta = conflict(a, b)
            b.send(XS_TRANSACTION_START, b"\0")
            wait_for_waiters(trace, 1)
            c.send(XS_TRANSACTION_START, b"\0")
            wait_for_waiters(trace, 2)
            check(trace_text(trace).count(WAITS) == 2,
                  "%s loop: after a conflict, two starts wait while a "
                  "transaction is open" % label)
            # A client with its own transaction open never waits.
            ta_more = a.start_txn()
            check(ta_more != ta, "%s loop: a client holding a transaction "
                  "starts another without waiting" % label)
            a.end(ta_more, False)
            a.bump(ta)
            check(a.end(ta) == "OK", "%s loop: the holder commits" % label)
            # Had the bound let B in before that commit, B's transaction
            # overlapped A's (its line is in the trace before the reply).
            stalled = IDLE in trace_text(trace)
            # B was first: it is let in and commits at its first try.
            kind, _, body = reply(b.s)
            tb = int(body.rstrip(b"\0")) if kind == XS_TRANSACTION_START else 0
            c_in = c.answered_within(0.002)
            if stalled or (c_in and IDLE in trace_text(trace)):
                check(True, "%s loop: the waiters go in one at a time, oldest "
                      "first" % label, skip=STALLED)
            else:
                check(not c_in, "%s loop: the waiters go in one at a time, "
                      "oldest first" % label)
            b.bump(tb)
            committed = b.end(tb)
            if stalled and committed == "EAGAIN":
                check(True, "%s loop: a start let in by the gate commits at "
                      "its first try" % label, skip=STALLED)
                # As a client would: again, so that every bump counts.
                for _ in range(10):
                    tb = b.start_txn()
                    b.bump(tb)
                    if b.end(tb) == "OK":
                        break
            else:
                check(committed == "OK", "%s loop: a start let in by the "
                      "gate commits at its first try" % label)
            kind, _, body = reply(c.s)
            tc = int(body.rstrip(b"\0")) if kind == XS_TRANSACTION_START else 0
            check(kind == XS_TRANSACTION_START and tc,
                  "%s loop: the next waiter goes in when that one ends"
                  % label)

            # An idle holder (C, now) delays a start only for a while.
            t0 = time.monotonic()
            b.send(XS_TRANSACTION_START, b"\0")
            kind, _, body = reply(b.s)
            waited = time.monotonic() - t0
            check(kind == XS_TRANSACTION_START and IDLE in trace_text(trace),
                  "%s loop: an idle holder delays a start for a bounded "
                  "time (%.0f ms)" % (label, waited * 1000))
            tb = int(body.rstrip(b"\0"))

            # A waiter that goes away leaves nothing stuck behind it.
            d = Client(sock)
            before = trace_text(trace).count(WAITS)
            d.send(XS_TRANSACTION_START, b"\0")
            waited = wait_for_waiters(trace, before + 1)
            d.close()
            time.sleep(0.05)
            c.end(tc, False)
            b.end(tb, False)
            e = Client(sock)
            te = e.start_txn()
            check(waited and te > 0 and e.end(te, False) == "OK",
                  "%s loop: a waiter that disconnects leaves the gate "
                  "working" % label)

            # No overlap any more: the gate turns off.
            before = trace_text(trace).count(WAITS)
            ta = a.start_txn()
            ta2 = b.start_txn()
            check(trace_text(trace).count(WAITS) == before,
                  "%s loop: once transactions stop overlapping, starts no "
                  "longer wait" % label)
            a.end(ta, False)
            b.end(ta2, False)
            kind, _, body = a.rpc(XS_READ, b"/gate/counter\0")
            check(kind == XS_READ and body == b"3",
                  "%s loop: the counter holds every committed bump (%r)"
                  % (label, body))
            for cl in (a, b, c, e):
                cl.close()
        except (OSError, EOFError, AssertionError, ValueError) as err:
            check(False, "%s loop: gate scenario (%r)" % (label, err))
        finally:
            clean, rc = stopped_cleanly(proc)
            check(clean, "%s loop: daemon ends cleanly (status %d)"
                  % (label, rc))


def main():
    scenario(None)
    scenario("poll")
    return tap()


if __name__ == "__main__":
    sys.exit(main())
