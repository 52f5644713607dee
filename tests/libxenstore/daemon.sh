# Sourced by the shell tests: start_daemon runs this tree's xenstored
# (or $XENSTORED_BIN) with -N -D in a fresh directory and exports
# XENSTORED_PATH; stop_daemon ends it.  Both are safe to call twice.
XENSTORED_BIN=${XENSTORED_BIN:-${top_builddir:-../..}/xenstored/xenstored}
daemon_pid=
daemon_dir=

start_daemon() {
    if [ ! -x "$XENSTORED_BIN" ]; then
        echo "no xenstored at $XENSTORED_BIN: build xenstored/ or set XENSTORED_BIN" >&2
        return 1
    fi
    daemon_dir=$(mktemp -d /tmp/xs-sh-XXXXXX) || return 1
    XENSTORED_RUNDIR=$daemon_dir "$XENSTORED_BIN" -N -D \
        >"$daemon_dir/log" 2>&1 </dev/null &
    daemon_pid=$!
    i=0
    while [ ! -S "$daemon_dir/socket" ]; do
        i=$((i + 1))
        if [ $i -gt 500 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
            echo "xenstored did not create $daemon_dir/socket:" >&2
            cat "$daemon_dir/log" >&2
            stop_daemon
            return 1
        fi
        sleep 0.01
    done
    XENSTORED_PATH=$daemon_dir/socket
    export XENSTORED_PATH
}

stop_daemon() {
    if [ -n "$daemon_pid" ]; then
        kill "$daemon_pid" 2>/dev/null
        wait "$daemon_pid" 2>/dev/null
        daemon_pid=
    fi
    if [ -n "$daemon_dir" ]; then
        rm -rf "$daemon_dir"
        daemon_dir=
    fi
}
