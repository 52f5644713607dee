#!/bin/sh
# xenstore-shell driven through a pipe (non-interactive mode): each case
# feeds commands and compares stdout, stderr and the exit status.
srcdir=${srcdir:-$(dirname "$0")}
top_builddir=${top_builddir:-../..}
. "$srcdir/daemon.sh"
SHELL_BIN=$top_builddir/libxenstore/xenstore-shell

echo "1..8"
if [ ! -x "$SHELL_BIN" ] || ! start_daemon; then
    for i in 1 2 3 4 5 6 7 8; do
        echo "not ok $i - no xenstore-shell at $SHELL_BIN or no xenstored"
    done
    exit 1
fi
work=$(mktemp -d) || exit 1
trap 'stop_daemon; rm -rf "$work"' EXIT
n=0
status=0

# check NAME EXPECTED-EXIT EXPECTED-OUTPUT  (commands on stdin; stderr is
# appended to the output after a "stderr:" line)
check() {
    n=$((n + 1))
    "$SHELL_BIN" >"$work/out" 2>"$work/err"
    rc=$?
    if [ -s "$work/err" ]; then
        { echo "stderr:"; cat "$work/err"; } >>"$work/out"
    fi
    echo "exit $rc" >>"$work/out"
    printf '%s\nexit %s\n' "$3" "$2" >"$work/want"
    if diff -u "$work/want" "$work/out" >"$work/diff"; then
        echo "ok $n - $1"
    else
        echo "not ok $n - $1"
        sed 's/^/# /' "$work/diff"
        status=1
    fi
}

check "write then read" 0 'hello world
a\tb' <<'CMDS'
write /sh/a "hello world"
write /sh/b 'a\tb'
read /sh/a /sh/b
CMDS

check "ls, list, exists" 0 'a = "1"
 b = "2"
b
yes
no' <<'CMDS'
write /sh2/a 1
write /sh2/a/b 2
ls /sh2
list /sh2/a
exists /sh2/a/b
exists /sh2/nope
CMDS

check "rm and mkdir" 0 'd
no' <<'CMDS'
write /sh3/x 1
mkdir /sh3/d
rm /sh3/x
list /sh3
exists /sh3/x
CMDS

check "chmod and perms" 0 'b0 r1 n7' <<'CMDS'
write /sh4/p v
chmod /sh4/p b0 r1 n7
perms /sh4/p
CMDS

check "watch prints the registration event" 0 '/sh5' <<'CMDS'
watch /sh5 1
CMDS

check "errors name what was wrong and set the exit status" 1 'stderr:
read: /sh6/missing: No such file or directory
unknown command '"'"'frobnicate'"'"' (try help)
usage: write PATH VALUE
chmod: bad permission '"'"'x1'"'"' (want n|r|w|b followed by a domain id)
unterminated quote' <<'CMDS'
read /sh6/missing
frobnicate
write /sh6/only-path
chmod /sh6 x1
write /sh6/q "open
CMDS

check "quit stops reading" 0 '1' <<'CMDS'
write /sh7 1
read /sh7
quit
read /sh7/missing
CMDS

n=$((n + 1))
if printf 'help\n' | "$SHELL_BIN" | grep -q '^  watch ' ; then
    echo "ok $n - help lists the verbs"
else
    echo "not ok $n - help lists the verbs"
    status=1
fi
exit $status
