#!/bin/sh
# Turn `nm -n` output (on stdin) into an assembly file holding the
# hypervisor's function names and addresses, sorted by address, for
# backtraces.  With no input it produces an empty table: the first link
# pass uses that, the second the table made from the first pass.
LC_ALL=C awk '
BEGIN { n = 0 }
NF == 3 && $2 ~ /^[tTwW]$/ && $3 !~ /^\./ && $3 !~ /^__/ {
    addr[n] = $1; name[n] = $3; n++
}
END {
    print "\t.section .rodata.symbols, \"a\", @progbits"
    print "\t.balign 8"
    print "\t.globl symbols_count"
    print "symbols_count:\n\t.quad " n + 0
    print "\t.globl symbols_addresses"
    print "symbols_addresses:"
    for (i = 0; i < n; i++) print "\t.quad 0x" addr[i]
    print "\t.globl symbols_name_offsets"
    print "symbols_name_offsets:"
    off = 0
    for (i = 0; i < n; i++) { print "\t.long " off; off += length(name[i]) + 1 }
    print "\t.globl symbols_names"
    print "symbols_names:"
    for (i = 0; i < n; i++) print "\t.asciz \"" name[i] "\""
    print "\t.section .note.GNU-stack, \"\", @progbits"
}'
