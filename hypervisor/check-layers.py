#!/usr/bin/env python3
"""The hypervisor's layers and the one direction their includes may point.

    lib < arch/x86 < mm < mmu < common < pv        (public/ under all)

A source file may include headers of its own layer and of the layers
below it, named by their path from hypervisor/ ("lib/printk.h",
"mm/heap.h"; ABI headers as "public/xen.h").  An upward call goes through
an *_ops table the lower layer declares and the upper layer fills in
(docs/architecture.md).  Prints every include that breaks the rule, and
exits 1 if there is one; with --graph, prints the folder graph; with
--tap, reports one TAP check per layer and one for circles (make check).
"""
import os
import re
import sys

LAYERS = ["lib", "arch", "mm", "mmu", "common", "pv"]
ROOT = os.path.dirname(os.path.abspath(__file__))
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def layer_of(path):
    """The layer a hypervisor-relative path belongs to, or None."""
    if path.startswith("include/public/") or path.startswith("public/"):
        return "public"
    top = path.split("/")[0]
    return top if top in LAYERS else None


def sources():
    for layer in LAYERS:
        folder = "arch/x86" if layer == "arch" else layer
        for dirpath, _, names in os.walk(os.path.join(ROOT, folder)):
            for name in sorted(names):
                if name.endswith((".c", ".h", ".S")):
                    yield os.path.relpath(os.path.join(dirpath, name), ROOT)


def resolve(inc):
    """Where #include "inc" lands with the hypervisor's -I paths."""
    for base in ("", "include"):
        candidate = os.path.join(base, inc)
        if os.path.exists(os.path.join(ROOT, candidate)):
            return candidate
    return None


def main():
    problems = []
    edges = {}
    for src in sources():
        here = layer_of(src)
        with open(os.path.join(ROOT, src)) as f:
            text = f.read()
        for inc in INCLUDE.findall(text):
            target = resolve(inc)
            if target is None:
                problems.append(f"{src}: #include \"{inc}\" names no header "
                                "by its path from hypervisor/")
                continue
            there = layer_of(target)
            if there is None:
                problems.append(f"{src}: #include \"{inc}\" is outside every layer")
                continue
            if there == "public" or there == here:
                continue
            edges.setdefault((here, there), []).append(src)
            if LAYERS.index(there) > LAYERS.index(here):
                problems.append(f"{src}: {here} includes \"{inc}\" of the higher "
                                f"layer {there}")
    cycles = [(a, b) for (a, b) in edges if (b, a) in edges and a < b]
    if "--tap" in sys.argv:
        print(f"1..{len(LAYERS) + 1}")
        for n, layer in enumerate(LAYERS, 1):
            mine = [p for p in problems if layer_of(p.split(":")[0]) == layer]
            print(f"{'not ok' if mine else 'ok'} {n} - {layer}/ includes only "
                  "its own layer and those below it")
            for p in mine:
                print(f"# {p}")
        print(f"{'not ok' if cycles else 'ok'} {len(LAYERS) + 1} - no include "
              "circle between the layer folders")
        for a, b in cycles:
            print(f"# include circle: {a} <-> {b}")
        return 0
    if "--graph" in sys.argv:
        for (a, b), files in sorted(edges.items()):
            print(f"{a} -> {b}: {len(files)} includes")
    for p in problems:
        print(p)
    for a, b in cycles:
        print(f"include circle: {a} <-> {b}")
    print(f"{len(problems)} upward or unresolved includes, "
          f"{len(cycles)} folder circles")
    return 1 if problems or cycles else 0


if __name__ == "__main__":
    sys.exit(main())
