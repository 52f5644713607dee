#!/usr/bin/env python3
"""Writes the seeds of the xenstored fuzzer that use generator chunks
(fuzz_generate.h): thousand-node trees, guests at their node, memory and
watch quotas, transactions flooded with writes, removals and creations
that fail part way, and commits past the node quota.

    tests/fuzz/make-seeds.py [corpus-dir]     (default: next to this file)
"""
import os
import struct
import sys

XS_CONTROL, XS_MKDIR, XS_SET_PERMS = 0, 12, 14
DOM0, GUEST1, GUEST2 = 0, 2, 3

(WRITE, MKDIR, RM, READ, DIRECTORY, SET_PERMS, WATCH, START, COMMIT, ABORT,
 QUOTA) = range(11)
FLAT, TREE, SAME, DEEP = range(4)
SMALL, XEN, TIGHT_MEMORY, ROOMY = range(4)


def chunk(kind, payload):
    return bytes([kind, len(payload) & 0xff, len(payload) >> 8]) + payload


def request(client, kind, *args):
    """One raw request of the client's: strings, each with its NUL."""
    payload = b"".join(a.encode() + b"\0" for a in args)
    return chunk(client, struct.pack("<IIII", kind, 1, 0, len(payload))
                 + payload)


def gen(client, op, count=1, shape=FLAT, txn=0, size=0, prefix=""):
    """A generator command: count requests of op from the client."""
    byte = shape | txn << 2 | size << 4
    return chunk(0x40 | client, bytes([op, count & 0xff, count >> 8, byte])
                 + prefix.encode())


def homes():
    out = b""
    for domid in (1, 2):
        home = "/local/domain/%d" % domid
        out += request(DOM0, XS_MKDIR, home)
        out += request(DOM0, XS_SET_PERMS, home, "n%d" % domid)
    return out


SEEDS = {
    # dom0 builds 1200 nodes and lists them; the guest fills its node
    # quota (in directories of 64: a flat one of 430 children reaches its
    # node-size quota first, as the guest's "f" does); both remove what
    # they made.
    "gen-big-tree":
        gen(DOM0, QUOTA, shape=ROOMY) + homes()
        + gen(DOM0, WRITE, 1200, TREE, size=1, prefix="/big")
        + gen(DOM0, DIRECTORY, 20, TREE, prefix="/big")
        + gen(DOM0, QUOTA, shape=XEN)
        + gen(GUEST1, WRITE, 450, FLAT, prefix="f")
        + gen(GUEST1, RM, 1, SAME, prefix="f")
        + gen(GUEST1, WRITE, 1010, TREE, prefix="t")
        + gen(GUEST1, RM, 1, SAME, prefix="t")
        + gen(DOM0, RM, 1, SAME, prefix="/big"),
    # Three transactions of a guest: two fill its memory quota with
    # 1920-byte values, one writes one node 1000 times; all commit (each
    # under a directory of its own, so that they do not conflict).
    "gen-txn-flood":
        gen(DOM0, QUOTA, shape=XEN) + homes()
        + gen(GUEST1, MKDIR, 1, SAME, prefix="a")
        + gen(GUEST1, MKDIR, 1, SAME, prefix="b")
        + gen(GUEST1, MKDIR, 1, SAME, prefix="s")
        + gen(GUEST1, START, 3)
        + gen(GUEST1, WRITE, 700, TREE, txn=1, size=15, prefix="a")
        + gen(GUEST1, WRITE, 700, TREE, txn=2, size=15, prefix="b")
        + gen(GUEST1, WRITE, 1000, SAME, txn=3, size=1, prefix="s/n")
        + gen(GUEST1, READ, 100, TREE, txn=3, prefix="a")
        + gen(GUEST1, COMMIT),
    # A subtree larger than the transaction may touch: its RM fails and
    # the commit must leave it whole.
    "gen-rm-over-limit":
        gen(DOM0, QUOTA, shape=ROOMY) + homes()
        + gen(GUEST1, WRITE, 100, TREE, prefix="r")
        + gen(DOM0, QUOTA, shape=SMALL)
        + gen(GUEST1, START, 1)
        + gen(GUEST1, RM, 1, SAME, txn=1, prefix="r")
        + gen(GUEST1, WRITE, 3, FLAT, txn=1, prefix="r")
        + gen(GUEST1, COMMIT)
        + gen(GUEST1, RM, 1, SAME, prefix="r"),
    # Transactions each within the node quota, together past it.
    "gen-parallel-commits":
        gen(DOM0, QUOTA, shape=XEN) + homes()
        + gen(GUEST1, MKDIR, 1, SAME, prefix="p1")
        + gen(GUEST1, MKDIR, 1, SAME, prefix="p2")
        + gen(GUEST1, MKDIR, 1, SAME, prefix="p3")
        + gen(GUEST1, START, 3)
        + gen(GUEST1, WRITE, 600, TREE, txn=1, prefix="p1")
        + gen(GUEST1, WRITE, 600, TREE, txn=2, prefix="p2")
        + gen(GUEST1, WRITE, 600, TREE, txn=3, prefix="p3")
        + gen(GUEST1, COMMIT, txn=1) + gen(GUEST1, COMMIT, txn=2)
        + gen(GUEST1, COMMIT, txn=3),
    # Creations that fail after making parents: a name too long for its
    # parent's node-size quota, and chains deeper than a path may be.
    "gen-deep-paths":
        gen(DOM0, QUOTA, shape=XEN) + homes()
        + request(DOM0, XS_CONTROL, "quota", "node-size", "100")
        + gen(GUEST1, WRITE, 5, FLAT, prefix="x/" + "a" * 150)
        + gen(GUEST1, START, 1)
        + gen(GUEST1, MKDIR, 5, FLAT, txn=1, prefix="y/" + "b" * 150)
        + gen(GUEST1, COMMIT)
        + gen(GUEST2, WRITE, 300, DEEP, prefix="deep")
        + gen(GUEST2, RM, 1, SAME, prefix="deep"),
    # Nodes, then watches with long tokens until the memory quota refuses
    # them; changes they fire for, and permissions that hide some.
    "gen-watches":
        gen(DOM0, QUOTA, shape=TIGHT_MEMORY) + homes()
        + gen(GUEST1, WRITE, 40, FLAT, size=2, prefix="w")
        + gen(GUEST1, WATCH, 128, FLAT, size=15, prefix="w")
        + gen(GUEST2, WATCH, 8, FLAT, size=2, prefix="/local/domain/1/w")
        + gen(GUEST1, WRITE, 40, FLAT, size=1, prefix="w")
        + gen(GUEST1, SET_PERMS, 40, FLAT, prefix="w")
        + gen(GUEST1, RM, 1, SAME, prefix="w"),
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "corpus")
    for name, data in SEEDS.items():
        assert len(data) <= 8192, name      # run-fuzz.sh's -max_len
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
