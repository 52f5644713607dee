#!/bin/sh
# Every public ABI header must compile when included alone (it includes
# what it uses), twice in a row (its include guard works), both as strict
# C11 userspace code and freestanding with only the compiler's own headers,
# as the hypervisor and the test guests build.  Headers that mention
# __ASSEMBLY__, and headers of macros only (which assembly files include
# for note types and feature bits), must also work from assembly.
# Speaks TAP.  Environment: CC, top_srcdir.

: "${CC:=cc}"
: "${top_srcdir:=$(dirname "$0")/../..}"
include_dir=$top_srcdir/hypervisor/include
public_dir=$include_dir/public

work=$(mktemp -d "${TMPDIR:-/tmp}/abi-standalone.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT INT TERM

headers=$(cd "$public_dir" && find . -name '*.h' | sed 's|^\./||' | LC_ALL=C sort)
if [ -z "$headers" ]; then
    echo "1..1"
    echo "not ok 1 - no headers found under $public_dir"
    exit 1
fi

compiler_include=$($CC -print-file-name=include)
n=0
failed=0
results=$work/results
: > "$results"

macros_only() {   # macros_only HEADER: preprocesses to nothing at all
    ! $CC -E -P -x c -I "$include_dir" "$public_dir/$1" 2>/dev/null |
        grep -q '[^[:space:]]'
}

check() {   # check NAME LANGUAGE HEADER FLAGS...
    name=$1 language=$2 header=$3
    shift 3
    n=$((n + 1))
    src=$work/probe
    {
        printf '#include <public/%s>\n#include <public/%s>\n' "$header" "$header"
        # A header of macros only would leave ISO C an empty unit.
        [ "$language" = c ] && echo 'typedef int probe_translation_unit_is_not_empty;'
    } > "$src"
    # shellcheck disable=SC2086
    if $CC -x "$language" "$@" -I "$include_dir" -c -o "$work/probe.o" \
            "$src" > "$work/log" 2>&1; then
        echo "ok $n - $header: $name" >> "$results"
    else
        failed=$((failed + 1))
        echo "not ok $n - $header: $name" >> "$results"
        head -n 15 "$work/log" | sed 's/^/# /' >> "$results"
    fi
}

for header in $headers; do
    check "C11 userspace" c "$header" -std=c11 -pedantic-errors \
        -Wall -Wextra -Werror
    check "freestanding, compiler headers only" c "$header" -std=gnu11 \
        -ffreestanding -nostdinc -isystem "$compiler_include" \
        -fno-pic -mno-red-zone -mcmodel=kernel -Wall -Wextra -Werror
    if grep -q __ASSEMBLY__ "$public_dir/$header" || macros_only "$header"; then
        check "assembly" assembler-with-cpp "$header" -D__ASSEMBLY__
    fi
done

echo "1..$n"
cat "$results"
[ "$failed" -eq 0 ]
