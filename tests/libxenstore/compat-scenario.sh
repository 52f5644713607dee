#!/bin/sh
# One xenstore-utils scenario, run once with Xen's tools and once with
# ours: $XS is the prefix of the tools under test (their output is
# recorded), $OTHER the prefix of the other implementation, which prepares
# and inspects the store, so each side reads what the other wrote.
# Every step prints "## name", then per command its exit status, stdout
# and stderr; compat.sh diffs the two runs step by step.

run() {
    "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    name=${1##*/}
    shift
    echo "\$ $name $* -> exit $status"
    cat "$tmp/out"
    if [ -s "$tmp/err" ]; then
        echo "stderr:"
        # Usage messages name the binary as invoked; libtool runs ours
        # from .libs/, so compare names, not directories.
        sed 's#[^ ]*/\(xenstore[-a-z]*\)#\1#g' "$tmp/err"
    fi
}
step() { echo "## $1"; }

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
"${OTHER}rm" /compat 2>/dev/null

step "read what the other wrote"
"${OTHER}write" /compat/a 1 /compat/b "hello world" /compat/empty ""
run "${XS}read" /compat/a /compat/b /compat/empty
run "${XS}read" -p /compat/a /compat/b

step "write, read back by the other"
run "${XS}write" /compat/w1 one /compat/w2 "two words"
"${OTHER}read" /compat/w1 /compat/w2

step "escapes"
run "${XS}write" /compat/esc 'tab\there\nnl back\\slash \101\177'
run "${XS}read" /compat/esc
run "${XS}read" -R /compat/esc
run "${XS}write" -R /compat/raw 'no\tescape'
"${OTHER}read" /compat/raw
run "${XS}write" /compat/hex '\x41\xff\x0 \q\'
"${OTHER}read" /compat/hex
run "${XS}read" /compat/hex
bytes=
for i in $(seq 1 31) 92 126 127 128 200 255; do
    bytes="$bytes$(printf '\\%03o' "$i")"
done
run "${XS}write" /compat/bytes "$bytes" /compat/end 'ab\'
run "${XS}read" /compat/bytes /compat/end
"${OTHER}read" /compat/bytes /compat/end

step "read errors"
run "${XS}read" /compat/missing
run "${XS}read" /compat/a /compat/missing
run "${XS}read" bad//path

step "usage errors"
run "${XS}read"
run "${XS}write" /compat/odd
run "${XS}ls" /compat /compat
run "${XS}rm"
run "${XS}read" -h
run "${XS}exists" -p /compat/a

step "ls"
"${OTHER}write" /compat/t/x/y/z deep /compat/t/long \
    "$(printf '%0100d' 7)" /compat/t/nl 'a\nb'
"${OTHER}write" /compat/t/mid "$(printf '%052d' 1)"
run "${XS}ls" /compat/t
run "${XS}ls" -f /compat/t
run "${XS}ls" -p /compat/t
run "${XS}ls" /compat/missing

step "ls line width"
"${OTHER}write" /compat/width/a "$(printf '%071d' 0)" \
    /compat/width/b "$(printf '%072d' 0)" \
    /compat/width/c "$(printf '%0100d' 0)" \
    /compat/width/dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd x
"${OTHER}write" /compat/width/e "$(printf '\\001%.0s' $(seq 1 60))"
run "${XS}ls" /compat/width
run "${XS}ls" -p /compat/width
run "${XS}ls" -f /compat/width

step "multi-call binary and -s"
run "${XS%-}" read /compat/a
run "${XS%-}" ls -f /compat/r
run "${XS%-}" read
run "${XS%-}" frobnicate /compat/a
run "${XS}read" -s /compat/a
run "${XS}list" -s -p /compat/t/x

step "list"
run "${XS}list" /compat/t
run "${XS}list" -p /compat/t /compat/t/x
run "${XS}list" /compat/missing

step "exists"
run "${XS}exists" /compat/a
run "${XS}exists" /compat/a /compat/missing
run "${XS}exists" /compat/missing

step "rm"
"${OTHER}write" /compat/r/one 1 /compat/r/two 2 /compat/tidy/a/b/c leaf
run "${XS}rm" /compat/r/one
run "${XS}rm" /compat/r/missing
run "${XS}rm" -t /compat/tidy/a/b/c
"${OTHER}ls" -f /compat/r
"${OTHER}exists" /compat/tidy; echo "tidy exists: $?"

step "chmod"
"${OTHER}write" /compat/p/q/r v
run "${XS}chmod" /compat/p/q b0 r1 w2 n3
"${OTHER}ls" -p /compat/p
run "${XS}chmod" -r /compat/p r0
"${OTHER}ls" -p /compat/p
run "${XS}chmod" -u /compat/p/q/r n0 r5
"${OTHER}ls" -p /compat
run "${XS}chmod" /compat/p x1
run "${XS}chmod" /compat/missing b0

step "watch"
"${OTHER}write" /compat/watch/n 0
"${XS}watch" -n 2 /compat/watch >"$tmp/watch" 2>&1 &
pid=$!
# The write may precede the registration: keep writing until the watcher
# saw its two events (registration, then one change).  It ends as soon as
# the watcher has; the bound (60 s) only stops a watcher that never does,
# and leaves a slow start on a busy machine all the room it needs.
i=0
while kill -0 $pid 2>/dev/null && [ $i -lt 600 ]; do
    "${OTHER}write" /compat/watch/n $i
    i=$((i + 1))
    sleep 0.1
done
kill $pid 2>/dev/null
wait $pid
echo "watch exit $?"
cat "$tmp/watch"

# $CONTROL is the xenstore-control under test, when there is one.
if [ -n "$CONTROL" ]; then
    step "control"
    run "$CONTROL"
    run "$CONTROL" print hello
    run "$CONTROL" help
    run "$CONTROL" no-such-command
    run "$CONTROL" -s help
fi

"${OTHER}rm" /compat
