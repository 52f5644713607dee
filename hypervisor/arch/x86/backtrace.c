/*
 * Every function keeps a frame pointer (-fno-omit-frame-pointer), so
 * [rbp] is the caller's rbp and [rbp + 8] the return address.  The walk
 * only follows pointers into a hypervisor stack, and only upwards, so a
 * corrupt chain ends the trace instead of faulting again.
 */
#include "arch/x86/backtrace.h"
#include "arch/x86/desc.h"
#include "lib/printk.h"
#include "lib/symbols.h"

#define BACKTRACE_MAX_FRAMES 32

void print_symbol_line(const char *prefix, uintptr_t addr)
{
    uintptr_t off;
    const char *name = symbols_lookup(addr, &off);

    if (name)
        printk(LOG_ERR, "%s[<%016lx>] %s+0x%lx", prefix, addr, name, off);
    else
        printk(LOG_ERR, "%s[<%016lx>] ?", prefix, addr);
}

void backtrace_print(uintptr_t rip, uintptr_t rbp)
{
    printk(LOG_ERR, "Backtrace (resolve with addr2line -f -e hypervisor/subfloor):");
    print_symbol_line("   ", rip);
    for (int depth = 0; depth < BACKTRACE_MAX_FRAMES; depth++) {
        if (rbp & 7 || !addr_on_hypervisor_stack(rbp, 16))
            return;
        const uintptr_t *frame = (const uintptr_t *)rbp;
        uintptr_t ret = frame[1];
        uintptr_t next = frame[0];

        if (ret == 0)
            return;
        print_symbol_line("   ", ret);
        if (next <= rbp)
            return;
        rbp = next;
    }
    printk(LOG_ERR, "   ... (more frames not shown)");
}
