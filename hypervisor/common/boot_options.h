/* The boot command-line options the hypervisor understands. */
#ifndef SUBFLOOR_BOOT_OPTIONS_H
#define SUBFLOOR_BOOT_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include "lib/console.h"

struct boot_options {
    enum console_kind console;      /* console=com1|none */
    int loglvl;                     /* loglvl=none|error|warning|info|debug|all */
    uint64_t mem_limit;             /* mem=: 0 = no limit */
    uint64_t debug_exit;            /* debug_exit=PORT */
    bool debug_exit_set;
    bool noreboot;                  /* noreboot: halt, not reboot, on panic */
    char selftest[16];              /* selftest=fault|pf|ud|de|gp|df|panic */
    char dom0_mem[64];              /* dom0_mem=, Xen's syntax (dom0_mem.h) */
    bool hypercall_trace;           /* log every hypercall and its result */
    uint64_t maxcpus;               /* maxcpus=N: CPUs to bring up, 0 = all */
    bool nosmp;                     /* nosmp: the boot CPU only */
    uint64_t dom0_max_vcpus;        /* dom0_max_vcpus=N: 0 = 1 (capped at CPUs online) */
    uint64_t halt_poll_us;          /* halt_poll=US: watch for a wake-up before hlt */
    bool tsc_unstable;              /* tsc=unstable: PV clock never marked stable */
    bool teardown_audit;            /* tear dom0 down when it stops, audit its counts */
};

/* halt_poll= default and ceiling, in microseconds. */
#define HALT_POLL_DEFAULT_US 200
#define HALT_POLL_MAX_US 10000

/* Parse cmdline into *opts (defaults first), logging every problem and
 * every accepted-but-unused Xen option.  Never fails: bad options are
 * reported and ignored, as Xen does. */
void boot_options_parse(const char *cmdline, struct boot_options *opts);

#endif
