#!/bin/sh
# Compatibility of our xenstore-* tools with Xen 4.17's (Debian's
# xenstore-utils), both against this tree's xenstored: the same scenario
# runs with each as the tools under test, the other preparing and
# checking the store; every step's output must be identical.
srcdir=${srcdir:-$(dirname "$0")}
top_builddir=${top_builddir:-../..}
. "$srcdir/daemon.sh"

XEN_TOOLS=${XEN_TOOLS:-/usr/bin/xenstore-}
OUR_TOOLS=${OUR_TOOLS:-$top_builddir/libxenstore/xenstore-}

if [ ! -x "${XEN_TOOLS}read" ]; then
    echo "1..1"
    echo "not ok 1 - Xen's tools missing at ${XEN_TOOLS}read: install the Debian package xenstore-utils"
    exit 1
fi
if [ ! -x "${OUR_TOOLS}read" ]; then
    echo "1..1"
    echo "not ok 1 - our tools missing at ${OUR_TOOLS}read: build libxenstore/"
    exit 1
fi
if ! start_daemon; then
    echo "1..1"
    echo "not ok 1 - start xenstored"
    exit 1
fi
trap stop_daemon EXIT
work=$(mktemp -d) || exit 1
trap 'stop_daemon; rm -rf "$work"' EXIT

# Debian's /usr/bin/xenstore-control only runs under a hypervisor; the real
# one comes with xen-utils-4.17.  Without it the control step is left out.
XEN_CONTROL=${XEN_CONTROL:-/usr/lib/xen-4.17/bin/xenstore-control}
if [ -x "$XEN_CONTROL" ]; then
    OUR_CONTROL=${OUR_TOOLS}control
else
    XEN_CONTROL="" OUR_CONTROL=""
fi

XS=$XEN_TOOLS OTHER=$OUR_TOOLS CONTROL=$XEN_CONTROL \
    sh "$srcdir/compat-scenario.sh" >"$work/xen"
XS=$OUR_TOOLS OTHER=$XEN_TOOLS CONTROL=$OUR_CONTROL \
    sh "$srcdir/compat-scenario.sh" >"$work/ours"
# Xen's own binaries loaded with our libxenstore.so.4 instead of Xen's:
# the library must be a drop-in replacement, output included.
OUR_LIBDIR=$top_builddir/libxenstore/.libs
LD_LIBRARY_PATH=$OUR_LIBDIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH} \
XS=$XEN_TOOLS OTHER=$OUR_TOOLS CONTROL=$XEN_CONTROL \
    sh "$srcdir/compat-scenario.sh" >"$work/xenlib"

# Split both runs at the "## step" markers and compare step by step.
steps=$(grep '^## ' "$work/xen" | sed 's/^## //')
count=$(printf '%s\n' "$steps" | grep -c .)
echo "1..$((count * 2))"
# compare N NAME SIDE LABEL: step NAME of run SIDE against Xen's run.
compare() {
    for side in xen "$3"; do
        awk -v want="## $2" '
            /^## / { on = ($0 == want); next }
            on' "$work/$side" >"$work/$side.$1"
    done
    if diff -u "$work/xen.$1" "$work/$3.$1" >"$work/diff.$1"; then
        echo "ok $1 - $4: $2"
    else
        echo "not ok $1 - $4: $2 (Xen's output first)"
        sed 's/^/# /' "$work/diff.$1"
        return 1
    fi
}
status=0
n=0
for side in ours xenlib; do
    if [ $side = ours ]; then label="our tools"; else label="Xen's tools on our library"; fi
    while IFS= read -r name; do
        n=$((n + 1))
        compare $n "$name" $side "$label" || status=1
    done <<STEPS
$steps
STEPS
done
exit $status
