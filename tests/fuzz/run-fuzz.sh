#!/bin/sh
# Runs the xenstored libFuzzer target for a bounded time as one TAP test.
# FUZZ_SECONDS overrides the default 20 seconds.
echo "1..1"
name="fuzz xenstored dispatcher"
if [ -z "$FUZZ_CLANG" ]; then
    echo "not ok 1 - $name: not built, configure found no clang (install clang and libclang-rt-14-dev, then re-run configure)"
    exit 0
fi
bin=./fuzz_xenstored
if [ ! -x "$bin" ]; then
    echo "not ok 1 - $name: $bin was not built"
    exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-xenstored.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
log="$work/log"
seconds=${FUZZ_SECONDS:-20}
# New inputs go to the scratch corpus; the committed seeds are read only.
"$bin" -max_total_time="$seconds" -max_len=8192 -timeout=10 \
    -artifact_prefix="$work/" "$work" "$top_srcdir/tests/fuzz/corpus" \
    >"$log" 2>&1
rc=$?
runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -n 1)
if [ "$rc" -eq 0 ] && [ -n "$runs" ]; then
    echo "ok 1 - $name $runs runs, no crash"
else
    sed 's/^/# /' "$log" | tail -n 60
    for f in "$work"/crash-* "$work"/leak-* "$work"/timeout-*; do
        [ -e "$f" ] || continue
        cp "$f" . && echo "# reproducer kept as $(basename "$f")"
    done
    echo "not ok 1 - $name: libFuzzer exit status $rc"
fi
