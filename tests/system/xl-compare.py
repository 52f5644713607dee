#!/usr/bin/env python3
"""Compare what our xl and Debian's Xen 4.17 xl printed in dom0.

    xl-compare.py same HV FILE          ours against Xen's xl, one run
    xl-compare.py cross FILE_SF FILE_XEN  ours on Subfloor against ours on Xen

FILE is the output of xl-compare-dom0: blocks headed "=== ours: ARGS" or
"=== xen: ARGS", ended by "=== rc=N", followed by any "=== state: ..."
lines.  Prints one TAP line per compared block (no plan: the caller
counts them) and exits 1 when one differs.

Allowed to differ, and nothing else: versions, times and memory figures
(the normaliser below), the state letters r and b (a vCPU runs or waits
for an event at the moment it is read), and the deliberate differences
docs/man/xl.1 lists ("DIFFERENCES FROM XEN'S XL").  Across hypervisors
also what the hypervisor is, not what xl prints: its build and command
line, CPU features, and the vCPU affinity.  The CPU a vCPU is on is
never compared: it moves between two reads on both hypervisors.
"""
import re
import sys

LIST = re.compile(r'^(.{40}) +(\d+) +(\d+) +(\d+) +([-rbpscwSd?]{6}) +([\d.]+)(.*)$')
VCPU = re.compile(r'^(.{32}) +(\d+) +(\d+) +(\S+) +([-rbp]{3}) +([\d.]+)  (\S+) / (\S+)$')
UPTIME = re.compile(r'^(.{33}) +(\d+) +(?:\d+ days?, )?[ \d]\d:\d\d:\d\d$')
UPTIME_S = re.compile(r'^ \d\d:\d\d:\d\d up (?:\d+ days?, )?[ \d]\d:\d\d, (.*)$')
MEMORY_INFO = ('total_memory', 'free_memory')
# `xl info` lines whose values are the hypervisor's, not xl's.
HYPERVISOR_INFO = ('xen_extra', 'xen_version', 'xen_caps', 'xen_scheduler',
                   'xen_changeset', 'xen_commandline', 'cc_compiler',
                   'cc_compile_by', 'cc_compile_domain', 'cc_compile_date',
                   'build_id', 'hw_caps', 'virt_caps', 'cpu_mhz',
                   'platform_params', 'version', 'release')


# On Subfloor Xen's xl meets hypercalls the hypervisor does not have yet
# and prints their failure; ours prints what they would say on one node.
SUBFLOOR_GAPS = {
    'list -n': "Xen's xl needs domctl getnodeaffinity, which Subfloor lacks",
    'info -n': "Xen's xl needs sysctl pcitopoinfo, which Subfloor lacks",
}


def blocks(path):
    """[(who, args, [lines], rc)], states attached to the block before."""
    out, cur = [], None
    with open(path, errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            m = re.match(r'^=== (ours|xen): ?(.*)$', line)
            if m:
                cur = [m.group(1), m.group(2), [], None]
                out.append(cur)
                continue
            if cur is None:
                continue
            m = re.match(r'^=== rc=(\d+)$', line)
            if m:
                cur[3] = int(m.group(1))
                continue
            if line.startswith('=== state: '):
                cur[2].append(line)
                continue
            if line == '=== end':
                cur = None
                continue
            cur[2].append(line)
    return out


def normalise(lines, cross):
    res = []
    for line in lines:
        line = line.replace('/usr/lib/xen-4.17/bin/xl:', 'xl:')
        # Deliberate: no stale errno after this libxl message in ours.
        line = re.sub(r'(memory_static_max must be greater than or or equal to '
                      r'memory_dynamic_max): Function not implemented$', r'\1', line)
        m = LIST.match(line)
        if m:
            state = '..' + m.group(5)[2:]
            line = f'{m.group(1)} {m.group(2)} MEM {m.group(4)} {state} TIME{m.group(7)}'
        m = VCPU.match(line)
        if m:
            state = m.group(5) if m.group(5).endswith('p') else '..-'
            aff = 'AFFINITY' if cross else f'{m.group(7)} / {m.group(8)}'
            # The CPU a vCPU is on moves between two reads, on both.
            line = f'{m.group(1)} {m.group(2)} {m.group(3)} CPU {state} TIME {aff}'
        m = UPTIME.match(line)
        if m:
            line = f'{m.group(1)} {m.group(2)} UPTIME'
        m = UPTIME_S.match(line)
        if m:
            line = f' NOW up UPTIME, {m.group(1)}'
        # Memory figures.
        line = re.sub(r'"(max_memkb|target_memkb)": \d+', r'"\1": KB', line)
        key = line.split(':', 1)[0].strip()
        if key in MEMORY_INFO or (cross and key in HYPERVISOR_INFO):
            line = re.sub(r':.*$', ': VALUE', line, count=1)
        if re.match(r'^ *\d+: +\d+ +\d+ +\d', line):      # numa_info rows
            line = re.sub(r'^( *\d+:) +\d+ +\d+', r'\1 MEM MEM', line)
        if line.startswith('=== state: ') and cross:
            line = re.sub(r'\d+', 'N', line)
        # Deliberate: credit2's weight and cap are not read yet.
        if re.match(r'^ +"(weight|cap)": \d+,?$', line):
            continue
        line = re.sub(r'^( +"sched": "[a-z0-9]+"),$', r'\1', line)
        if cross:
            line = re.sub(r'^( +"sched": )"[a-z0-9]+"$', r'\1"SCHED"', line)
        res.append(line)
    return res


def tap(ok, n, desc, diff=()):
    print(f'{"ok" if ok else "not ok"} - {desc}')
    for d in diff:
        print(f'#   {d}')


def show_diff(a, b, la='ours', lb='xen'):
    out = []
    for i in range(max(len(a), len(b))):
        x = a[i] if i < len(a) else '<none>'
        y = b[i] if i < len(b) else '<none>'
        if x != y:
            out.append(f'{la}: {x!r}')
            out.append(f'{lb}: {y!r}')
            if len(out) > 12:
                break
    return out


# Subcommands of ours that Xen's xl does not have (xl.1, "DIFFERENCES"):
# their lines in the full help have no match in Xen's.
OURS_ONLY = ('domxml-to-xl', 'vcpu-stats')


def is_full_help(args):
    return args in ('help', '', 'help help')


def compare_same(hv, path):
    bs = blocks(path)
    n = failed = 0
    i = 0
    while i < len(bs):
        if bs[i][0] != 'ours' or i + 1 >= len(bs) or bs[i + 1][0] != 'xen' \
                or bs[i + 1][1] != bs[i][1]:
            i += 1
            continue
        ours, xen = bs[i], bs[i + 1]
        i += 2
        args = ours[1]
        if hv == 'subfloor' and args in SUBFLOOR_GAPS:
            n += 1
            print(f'skip - {hv}: xl {args} - {SUBFLOOR_GAPS[args]}')
            continue
        a, b = normalise(ours[2], False), normalise(xen[2], False)
        if is_full_help(args):
            # Ours lists only what it implements: each of its lines must
            # be one of Xen's.
            missing = [l for l in a if l not in b and
                       not any(l.split()[:1] == [c] for c in OURS_ONLY)]
            ok = not missing and ours[3] == xen[3]
            diff = [f'not in Xen\'s list: {l!r}' for l in missing[:6]]
        else:
            ok = a == b and ours[3] == xen[3]
            diff = show_diff(a, b)
            if ours[3] != xen[3]:
                diff.append(f'exit status: ours {ours[3]}, xen {xen[3]}')
        n += 1
        failed += not ok
        tap(ok, n, f'{hv}: xl {args or "(no arguments)"}: ours prints what Xen\'s xl prints'
                   f' (exit {xen[3]})', diff)
    return n, failed


def cross_normalise(args, lines):
    """What each hypervisor's own text is, beyond normalise(): its
    console ring, and `xl info KEY` for a key that is the hypervisor's."""
    words = args.split()
    if words and words[0] == 'dmesg' and not any(w in ('-h', '-x') for w in words):
        return ['RING' if lines else 'EMPTY RING']
    if len(words) == 2 and words[0] == 'info' and words[1] in HYPERVISOR_INFO:
        return ['VALUE']
    return lines


def compare_cross(path_sf, path_xen):
    sf = [b for b in blocks(path_sf) if b[0] == 'ours']
    xen = [b for b in blocks(path_xen) if b[0] == 'ours']
    n = failed = 0
    for a, b in zip(sf, xen):
        if a[1] != b[1]:
            continue
        na = cross_normalise(a[1], normalise(a[2], True))
        nb = cross_normalise(b[1], normalise(b[2], True))
        ok = na == nb and a[3] == b[3]
        diff = show_diff(na, nb, 'subfloor', 'xen')
        if a[3] != b[3]:
            diff.append(f'exit status: subfloor {a[3]}, xen {b[3]}')
        n += 1
        failed += not ok
        tap(ok, n, f'our xl {a[1] or "(no arguments)"}: the same on Subfloor and on Xen 4.17', diff)
    if len(sf) != len(xen) or n == 0:
        n += 1
        failed += 1
        tap(False, n, f'both runs ran every command (subfloor {len(sf)}, xen {len(xen)})')
    return n, failed


def main():
    if len(sys.argv) == 4 and sys.argv[1] == 'same':
        n, failed = compare_same(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 4 and sys.argv[1] == 'cross':
        n, failed = compare_cross(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
    if n == 0:
        print('not ok - no xl output to compare')
        sys.exit(1)
    sys.exit(1 if failed else 0)


if __name__ == '__main__':
    main()
