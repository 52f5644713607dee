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
    # -P prints the daemon's pid once it is listening: the socket file
    # alone appears at bind, a moment before.  The wait ends early if the
    # daemon dies; its bound (60 s) is only for one that hangs, and is
    # generous because a sanitized daemon starts slowly on a busy machine.
    XENSTORED_RUNDIR=$daemon_dir "$XENSTORED_BIN" -N -D -P \
        >"$daemon_dir/pid" 2>"$daemon_dir/log" </dev/null &
    daemon_pid=$!
    i=0
    until grep -q '^[0-9][0-9]*$' "$daemon_dir/pid" && [ -S "$daemon_dir/socket" ]; do
        i=$((i + 1))
        if [ $i -gt 6000 ] || ! kill -0 "$daemon_pid" 2>/dev/null; then
            echo "xenstored did not listen on $daemon_dir/socket:" >&2
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
