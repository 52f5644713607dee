#!/usr/bin/env python3
"""docs/abi.md's list of hypercalls against the hypervisor's one table.

common/hypercall_table.h is the only place a hypercall is listed:
HYPERCALL(name, who, (types)) for each one Subfloor implements,
UNIMPLEMENTED(name) for the numbers it answers -ENOSYS.  docs/abi.md's
first table ("| # | Hypercall | State | Notes |") describes them for
readers.  This check fails when the two disagree: a hypercall implemented
but missing from the page, or listed there under another number, or a
row that says done/partial for a hypercall the table does not implement,
or -ENOSYS for one it does.  Numbers come from include/public/xen.h.

Prints the disagreements and exits 1 if there is one; with --tap, one
TAP check per rule (make check).
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
TABLE = os.path.join(ROOT, "common", "hypercall_table.h")
XEN_H = os.path.join(ROOT, "include", "public", "xen.h")
ABI_MD = os.path.join(ROOT, "..", "docs", "abi.md")

ROW = re.compile(r"\bHYPERCALL\(\s*(\w+)\s*,\s*(\w+)\s*,\s*\(([^)]*)\)\s*\)")
NOSYS = re.compile(r"\bUNIMPLEMENTED\(\s*(\w+)\s*\)")
NUMBER = re.compile(r"^#define\s+__HYPERVISOR_(\w+)\s+(\d+)\s*$", re.M)
IMPLEMENTED_STATES = ("done", "partial")


def read(path):
    with open(path) as f:
        return f.read()


def table():
    """(implemented names in order, unimplemented names) of the table."""
    text = read(TABLE)
    body = text[text.index("#define HYPERCALL_TABLE"):]
    return [m.group(1) for m in ROW.finditer(body)], NOSYS.findall(body)


def abi_rows():
    """[(numbers, names, state)] of docs/abi.md's hypercall table."""
    rows = []
    in_table = False
    for line in read(ABI_MD).splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not in_table:
            in_table = line.startswith("|") and cells[:3] == ["#", "Hypercall", "State"]
            continue
        if not line.startswith("|"):
            break
        if set(cells[0]) <= set("-: "):
            continue                        # the |---| line
        numbers = [n.strip() for n in cells[0].split(",")]
        names = [n.strip().strip("`") for n in cells[1].split(",") if n.strip()]
        rows.append((numbers, names, cells[2]))
    return rows


def checks():
    implemented, unimplemented = table()
    numbers = {name: int(n) for name, n in NUMBER.findall(read(XEN_H))}
    rows = abi_rows()
    documented = {}                         # name -> (number text, state)
    for nums, names, state in rows:
        for i, name in enumerate(names):
            documented[name] = (nums[i] if i < len(nums) else "?", state)

    results = []

    problems = [f"{name}: no __HYPERVISOR_{name} in include/public/xen.h"
                for name in implemented + unimplemented if name not in numbers]
    seen = {}
    for name in implemented + unimplemented:
        if name in seen:
            problems.append(f"{name}: listed twice")
        seen[name] = True
    if not implemented:
        problems.append("no HYPERCALL rows found in common/hypercall_table.h")
    results.append(("every hypercall in the table has its number in public/xen.h, "
                    "once", problems))

    problems = []
    if not rows:
        problems.append("no '| # | Hypercall | State |' table found in docs/abi.md")
    for name in implemented:
        if name not in documented:
            problems.append(f"{name} (#{numbers.get(name)}) is implemented but "
                            "docs/abi.md has no row for it")
            continue
        num, state = documented[name]
        if num != str(numbers.get(name)):
            problems.append(f"{name}: docs/abi.md says #{num}, public/xen.h "
                            f"#{numbers.get(name)}")
        if state not in IMPLEMENTED_STATES:
            problems.append(f"{name}: implemented, but docs/abi.md says '{state}'")
    results.append(("every implemented hypercall has its row in docs/abi.md, "
                    "with its number and done/partial", problems))

    problems = []
    for name, (num, state) in sorted(documented.items()):
        if state in IMPLEMENTED_STATES and name not in implemented:
            problems.append(f"docs/abi.md says {name} is {state}, but the table "
                            "does not implement it")
        if name in implemented:
            continue                        # number and state checked above
        if name not in unimplemented:
            problems.append(f"docs/abi.md lists {name}, which the table does not "
                            "name (add UNIMPLEMENTED({name}) for its log name)")
        elif name in numbers and num != str(numbers[name]):
            problems.append(f"{name}: docs/abi.md says #{num}, public/xen.h "
                            f"#{numbers[name]}")
    results.append(("every hypercall docs/abi.md names is in the table, "
                    "implemented exactly when it says done/partial", problems))
    return results


def main():
    results = checks()
    if "--tap" in sys.argv:
        print(f"1..{len(results)}")
        for n, (what, problems) in enumerate(results, 1):
            print(f"{'not ok' if problems else 'ok'} {n} - {what}")
            for p in problems:
                print(f"# {p}")
        return 0
    bad = [p for _, problems in results for p in problems]
    for p in bad:
        print(p)
    print(f"{len(bad)} disagreements between docs/abi.md and common/hypercall_table.h")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
