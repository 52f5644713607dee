/* Frame-pointer backtraces of the hypervisor's own stacks. */
#ifndef SUBFLOOR_BACKTRACE_H
#define SUBFLOOR_BACKTRACE_H

#include <stdint.h>

/* Print rip, then the return addresses found by following rbp. */
void backtrace_print(uintptr_t rip, uintptr_t rbp);

/* Print "<name+0xoff>" for addr into a printk line (or nothing). */
void print_symbol_line(const char *prefix, uintptr_t addr);

#endif
