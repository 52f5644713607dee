#!/bin/sh
# Runs the xenstored libFuzzer target for a bounded number of inputs as
# one TAP test: FUZZ_RUNS of them (default 1500, some 20 s on an idle
# two-CPU machine), so that a slow or busy machine takes longer rather
# than tries fewer.  FUZZ_SEED fixes libFuzzer's seed (it prints the one
# it chose); FUZZ_SECONDS instead bounds a longer session by time.
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
if [ -n "$FUZZ_SECONDS" ]; then
    bound="-max_total_time=$FUZZ_SECONDS"
else
    bound="-runs=${FUZZ_RUNS:-1500}"
fi
[ -n "$FUZZ_SEED" ] && bound="$bound -seed=$FUZZ_SEED"
# New inputs go to the scratch corpus; the committed seeds are read only.
# -timeout is per input, which takes a millisecond or so: only a hang
# comes near it, even on a busy machine.
# shellcheck disable=SC2086 # $bound is one or two options
"$bin" $bound -max_len=8192 -timeout=60 \
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
