/*
 * Each test triggers one kind of fatal fault.  Success is the fault dump
 * and "panic" in the log; returning would mean the fault went unnoticed.
 */
#include <stdint.h>
#include <string.h>
#include "common/selftest.h"
#include "lib/panic.h"
#include "lib/printk.h"

/* Kept in memory so the compiler cannot see the fault coming. */
static volatile uintptr_t unmapped_address = 0x1000;

static void fault_page_fault(void)
{
    *(volatile uint64_t *)unmapped_address = 0x5a;
}

static void fault_invalid_opcode(void)
{
    __asm__ volatile("ud2");
}

static void fault_divide_error(void)
{
    __asm__ volatile("xor %%ecx, %%ecx; div %%ecx" : : : "eax", "ecx", "edx");
}

static void fault_general_protection(void)
{
    /* A non-canonical address faults with #GP rather than #PF. */
    __asm__ volatile("mov (%0), %%rax" : : "r"(0x8000000000000000ull) : "rax");
}

static void fault_double_fault(void)
{
    /* With an unusable stack no exception frame can be pushed: only the
     * #DF handler on its own IST stack can report this. */
    __asm__ volatile("mov %0, %%rsp; push %%rax" : : "r"(unmapped_address) : "memory");
}

static void fault_panic(void)
{
    panic("selftest=panic requested on the command line");
}

void selftest_run(const char *name)
{
    static const struct {
        const char *name;
        void (*run)(void);
        const char *what;
    } tests[] = {
        { "fault", fault_page_fault, "a page fault" },
        { "pf", fault_page_fault, "a page fault" },
        { "ud", fault_invalid_opcode, "an invalid opcode" },
        { "de", fault_divide_error, "a divide error" },
        { "gp", fault_general_protection, "a general protection fault" },
        { "df", fault_double_fault, "a double fault" },
        { "panic", fault_panic, "a panic" },
    };

    if (!*name)
        return;
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (strcmp(name, tests[i].name))
            continue;
        printk(LOG_WARNING, "selftest=%s: triggering %s now", name, tests[i].what);
        tests[i].run();
        panic("selftest=%s: %s did not stop the hypervisor", name, tests[i].what);
    }
    printk(LOG_WARNING, "selftest=%s: unknown test (known: fault pf ud de gp df panic) ignored",
           name);
}
