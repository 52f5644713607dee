#!/bin/sh
# Starts each xenstored it can on a private socket (-N -D), runs
# xenstore-bench against it with the daemon's pid for the memory figure,
# and stops it: first this tree's, then Xen's C xenstored when installed
# (Debian's xen-utils-4.17), so both are measured by the same run.
# Extra arguments go to xenstore-bench (e.g. -t 3 -c 8).
top_builddir=${top_builddir:-../..}
BENCH=${BENCH:-./xenstore-bench}
OUR_DAEMON=${OUR_DAEMON:-$top_builddir/xenstored/xenstored}
XEN_DAEMON=${XEN_DAEMON:-/usr/lib/xen-4.17/bin/xenstored}

measure() {
    name=$1 daemon=$2
    shift 2
    echo "== $name: $daemon"
    if [ ! -x "$daemon" ]; then
        echo "   not found; skipped"
        return 0
    fi
    dir=$(mktemp -d /tmp/xs-bench-XXXXXX) || return 1
    env -u XENSTORED_PATH XENSTORED_RUNDIR="$dir" "$daemon" -N -D \
        >"$dir/log" 2>&1 </dev/null &
    pid=$!
    i=0
    while [ ! -S "$dir/socket" ] && kill -0 $pid 2>/dev/null && [ $i -lt 500 ]; do
        sleep 0.01
        i=$((i + 1))
    done
    XENSTORED_PATH=$dir/socket "$BENCH" -p $pid "$@"
    rc=$?
    if ! kill -0 $pid 2>/dev/null; then
        wait $pid
        echo "   $name exited with status $? during the run; its log:"
        sed 's/^/   | /' "$dir/log" | tail -5
        rc=1
    else
        kill $pid
        wait $pid 2>/dev/null
    fi
    rm -rf "$dir"
    return $rc
}

status=0
measure "Subfloor xenstored" "$OUR_DAEMON" "$@" || status=1
# Xen's C daemon started with -D has no dom0 to account nodes to and
# crashes on the first request when no hypervisor is present; the run
# reports that instead of figures.
measure "Xen 4.17 C xenstored" "$XEN_DAEMON" "$@" ||
    echo "   (Xen's daemon could not be measured on this host)"
exit $status
