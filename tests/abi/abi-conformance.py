#!/usr/bin/env python3
"""ABI conformance: our public headers against Debian libxen-dev's.

Both define the same names, so they cannot share a translation unit.  The
same generated list of items is compiled twice, once against
hypervisor/include/public and once against /usr/include/xen; each program
prints "key<TAB>value" lines, and this script compares them and speaks TAP.

An item that does not compile on Xen's side is a name Xen does not have:
the compiler's error lines say which items those are, they are dropped and
the program is built again.  Such names must be listed in project-local.list.

Environment: CC (compiler), top_srcdir, XEN_INCLUDE_DIR (default
/usr/include), HAVE_XEN_HEADERS (set by configure; "no" fails the test).
"""

import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import abi_items  # noqa: E402

PROBE_PRELUDE = r"""
#include <stddef.h>
#include <stdio.h>
%(host)s%(includes)s
static void show_signed(const char *k, const char *t, long long v)
{ printf("%%s\t%%lld (%%s)\n", k, v, t); }
static void show_unsigned(const char *k, const char *t, unsigned long long v)
{ printf("%%s\t%%llu (%%s)\n", k, v, t); }
static void show_string(const char *k, const char *t, const char *v)
{ printf("%%s\t\"%%s\" (%%s)\n", k, v, t); }
static void show_pointer(const char *k, const char *t, const volatile void *v)
{ printf("%%s\t%%p (%%s)\n", k, (const void *)v, t); }
static void show_defined(const char *k, int defined)
{ printf("%%s\t%%s\n", k, defined ? "defined" : "<absent>"); }
#define TYPE_NAME(x) _Generic((x), char: "char", signed char: "signed char", \
    unsigned char: "unsigned char", short: "short", \
    unsigned short: "unsigned short", int: "int", unsigned: "unsigned int", \
    long: "long", unsigned long: "unsigned long", long long: "long long", \
    unsigned long long: "unsigned long long", _Bool: "_Bool", \
    char *: "string", const char *: "string", default: "pointer")
#define SHOW(k, x) _Generic((x), char: show_signed, signed char: show_signed, \
    short: show_signed, int: show_signed, long: show_signed, \
    long long: show_signed, unsigned char: show_unsigned, \
    unsigned short: show_unsigned, unsigned: show_unsigned, \
    unsigned long: show_unsigned, unsigned long long: show_unsigned, \
    _Bool: show_unsigned, char *: show_string, const char *: show_string, \
    default: show_pointer)(k, TYPE_NAME(x), (x))
#define SHOW_SIZE(k, x) printf("%%s\t%%zu\n", k, (size_t)(x))
#define SHOW_FLAG(k, x) printf("%%s\t%%s\n", k, (x) ? "signed" : "unsigned")
int main(void)
{
"""


def c_string(text):
    return '"%s"' % text.replace("\\", "\\\\").replace('"', '\\"')


def probe_lines(item):
    """C lines printing one item; every line belongs to this item."""
    key = c_string(item.key)
    if item.kind == "value":
        return ["SHOW(%s, %s);" % (key, item.expr)]
    if item.kind in ("size", "offset"):
        return ["SHOW_SIZE(%s, %s);" % (key, item.expr)]
    if item.kind == "signed":
        return ["SHOW_FLAG(%s, %s);" % (key, item.expr)]
    if item.kind == "table":
        name, fields = item.expr
        shows = " ".join(
            'snprintf(k_, sizeof(k_), "%%s[%%zu]%s", %s, i_); SHOW(k_, %s[i_]%s);'
            % (field, key, name, field) for field in fields)
        return ["SHOW_SIZE(%s, sizeof(%s) / sizeof(%s[0]));" % (key, name, name),
                "for (size_t i_ = 0; i_ < sizeof(%s) / sizeof(%s[0]); i_++) "
                "{ char k_[256]; %s }" % (name, name, shows)]
    if item.kind == "fnmacro":
        return ["#ifdef %s" % item.expr, "show_defined(%s, 1);" % key,
                "#else", "show_defined(%s, 0);" % key, "#endif"]
    raise ValueError(item.kind)


def write_probe(path, includes, items):
    """Write the probe; return {line number: item index}."""
    text = PROBE_PRELUDE % {"includes": includes,
                            "host": abi_items.HOST_PRELUDE}
    line_of = {}
    lines = text.split("\n")
    for index, item in enumerate(items):
        for line in probe_lines(item):
            lines.append(line)
            line_of[len(lines)] = index
    lines += ["return 0;", "}", ""]
    with open(path, "w") as out:
        out.write("\n".join(lines))
    return line_of


def build_and_run(cc, cflags, workdir, name, includes, items):
    """Return ({key: value}, {item index: compiler error}) for one side.

    Items that fail to compile are removed and the probe rebuilt, so one
    missing name costs one TAP line, not the whole run."""
    failed = {}
    for _attempt in range(4):
        live = [i for i in range(len(items)) if i not in failed]
        source = os.path.join(workdir, name + ".c")
        binary = os.path.join(workdir, name)
        line_of = write_probe(source, includes, [items[i] for i in live])
        cmd = [cc] + cflags + ["-std=gnu11", "-w", "-fmax-errors=0",
                               "-ftrack-macro-expansion=0",
                               "-o", binary, source]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode == 0:
            run = subprocess.run([binary], capture_output=True, text=True)
            if run.returncode != 0:
                raise RuntimeError("%s probe exited with %d" %
                                   (name, run.returncode))
            values = {}
            for line in run.stdout.splitlines():
                key, _tab, value = line.partition("\t")
                values[key] = value
            return values, failed
        newly = 0
        pattern = re.compile(r"^%s:(\d+):\d+: error: (.*)$"
                             % re.escape(source))
        for line in proc.stderr.splitlines():
            match = pattern.match(line)
            if match and int(match.group(1)) in line_of:
                index = live[line_of[int(match.group(1))]]
                if index not in failed:
                    failed[index] = match.group(2)
                    newly += 1
        if newly == 0:
            raise RuntimeError("the %s probe does not compile, and not "
                               "because of a checked item:\n%s"
                               % (name, proc.stderr[-4000:]))
    raise RuntimeError("the %s probe still fails after dropping items" % name)


def compare_table(key, ours, xen):
    """Element count, or the first element line that differs."""
    prefix = key + "["
    mine = sorted((k, v) for k, v in ours.items() if k.startswith(prefix))
    theirs = sorted((k, v) for k, v in xen.items() if k.startswith(prefix))
    for (mk, mv), (tk, tv) in zip(mine, theirs):
        if (mk, mv) != (tk, tv):
            return "%s = %s" % (mk, mv), "%s = %s" % (tk, tv)
    return ("%s entries" % ours[key], "%s entries" % xen[key])


def read_project_local(path):
    """name -> reason, from lines "name  # reason"."""
    names = {}
    with open(path) as listing:
        for raw in listing:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, _hash, reason = line.partition("#")
            names[name.strip()] = reason.strip() or "no reason given"
    return names


class Tap:
    def __init__(self):
        self.lines = []
        self.failures = 0

    def result(self, ok, text):
        self.failures += 0 if ok else 1
        self.lines.append("%s %d - %s" % ("ok" if ok else "not ok",
                                         len(self.lines) + 1, text))

    def emit(self):
        print("1..%d" % len(self.lines))
        print("\n".join(self.lines))
        return 1 if self.failures else 0


def bail(message):
    print("1..1")
    print("not ok 1 - " + message.replace("\n", "\n# "))
    return 1


def main():
    top_srcdir = os.environ.get("top_srcdir",
                                os.path.join(os.path.dirname(__file__),
                                             "..", ".."))
    if os.environ.get("HAVE_XEN_HEADERS", "yes") != "yes":
        return bail("ABI conformance needs Xen's public headers: configure "
                    "did not find <xen/xen.h>; install the Debian package "
                    "libxen-dev and re-run configure")
    xen_include = os.environ.get("XEN_INCLUDE_DIR", "/usr/include")
    if not os.path.exists(os.path.join(xen_include, "xen", "xen.h")):
        return bail("%s/xen/xen.h is missing: install the Debian package "
                    "libxen-dev" % xen_include)
    cc = os.environ.get("CC", "cc").split()
    include_dir = os.path.join(top_srcdir, "hypervisor", "include")
    public_dir = os.path.join(include_dir, "public")
    here = os.path.dirname(os.path.abspath(__file__))
    local = read_project_local(os.path.join(here, "project-local.list"))

    headers = abi_items.list_headers(public_dir)
    tap = Tap()
    xen_headers = []
    for header in headers:
        if os.path.exists(os.path.join(xen_include, "xen", header)):
            xen_headers.append(header)
            tap.result(True, "header %s has a Xen counterpart" % header)
        elif "header " + header in local:
            tap.result(True, "header %s: project-local (%s)"
                       % (header, local["header " + header]))
        else:
            tap.result(False, "header %s: Xen has no xen/%s and it is not "
                       "listed in project-local.list" % (header, header))

    try:
        items = abi_items.enumerate_items(cc[0], cc[1:], public_dir,
                                          include_dir, headers)
    except abi_items.ParseError as err:
        return bail("cannot enumerate our headers: %s" % err)

    ours_includes = abi_items.include_lines("public", headers)
    xen_includes = abi_items.include_lines("xen", xen_headers)
    with tempfile.TemporaryDirectory(prefix="abi-") as workdir:
        try:
            ours, ours_failed = build_and_run(
                cc[0], cc[1:] + ["-I", include_dir], workdir, "ours",
                ours_includes, items)
            # __XEN_TOOLS__ selects Xen's newest interface version and the
            # full register names, which is the form our headers expose.
            xen, xen_failed = build_and_run(
                cc[0], cc[1:] + ["-D__XEN_TOOLS__", "-I", xen_include],
                workdir, "xen", xen_includes, items)
        except RuntimeError as err:
            return bail(str(err))

    # Roots Xen knows at all: for those, a failing item is a missing member
    # rather than a missing name.
    xen_roots = {item.root for index, item in enumerate(items)
                 if index not in xen_failed and
                 xen.get(item.key, "<absent>") != "<absent>"}
    defined_roots = set()
    for index, item in enumerate(items):
        defined_roots.add(item.root)
        if index in ours_failed:
            tap.result(False, "%s: not usable from our headers: %s"
                       % (item.key, ours_failed[index]))
            continue
        mine = ours.get(item.key)
        theirs = None if index in xen_failed else xen.get(item.key)
        if item.kind == "table" and theirs is not None:
            mine, theirs = compare_table(item.key, ours, xen)
        if theirs == "<absent>":
            theirs = None
        if item.root in local:
            if theirs is None:
                tap.result(True, "%s = %s: project-local, not in Xen (%s)"
                           % (item.key, mine, local[item.root]))
            else:
                tap.result(False, "%s: listed as project-local but Xen "
                           "defines it (Xen %s)" % (item.key, theirs))
        elif theirs is None and item.root in xen_roots:
            tap.result(False, "%s: Xen's %s has no such member (%s)"
                       % (item.key, item.root,
                          xen_failed.get(index, "not defined")))
        elif theirs is None:
            why = xen_failed.get(index, "not defined")
            tap.result(False, "%s: Xen's headers do not define it (%s); "
                       "fix it or list %r in project-local.list"
                       % (item.key, why, item.root))
        elif mine == theirs:
            tap.result(True, "%s = %s" % (item.key, mine))
        else:
            tap.result(False, "%s: ours %s, Xen %s"
                       % (item.key, mine, theirs))

    for name in sorted(local):
        if name.startswith("header "):
            if name[len("header "):] not in headers:
                tap.result(False, "project-local.list names %s, which does "
                           "not exist" % name)
        elif name not in defined_roots:
            tap.result(False, "project-local.list names %s, which our "
                       "headers do not define" % name)
    return tap.emit()


if __name__ == "__main__":
    sys.exit(main())
