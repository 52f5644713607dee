/* Boot options: the table for cmdline_parse() and its reporting. */
#include <string.h>
#include "common/boot_options.h"
#include "lib/cmdline.h"
#include "lib/printk.h"

static int parse_console(const char *value, void *var)
{
    if (console_parse(value, var) == 0)
        return 0;
    printk(LOG_WARNING, "console='%s': no known console named (this hypervisor has com1 and none)",
           value);
    return -1;
}

static int parse_loglvl(const char *value, void *var)
{
    if (printk_parse_level(value, var) == 0)
        return 0;
    printk(LOG_WARNING, "loglvl='%s': expected none, error, warning, info, debug or all", value);
    return -1;
}

/* tsc=unstable (Xen's name): never tell guests their TSC-based clock is
 * stable.  Xen's other values describe hardware we do not model. */
static int parse_tsc(const char *value, void *var)
{
    bool *unstable = var;

    if (strcmp(value, "unstable")) {
        printk(LOG_WARNING, "tsc='%s': only 'tsc=unstable' is understood", value);
        return -1;
    }
    *unstable = true;
    return 0;
}

/* Xen options a dom0 setup usually passes: accepted so that the same
 * command line boots both, and logged so nobody thinks they took effect. */
static int accept_unused(const char *value, void *var)
{
    const char *name = var;

    if (*value)
        printk(LOG_INFO, "boot option '%s=%s' accepted but not used yet", name, value);
    else
        printk(LOG_INFO, "boot option '%s' accepted but not used yet", name);
    return 0;
}

#define UNUSED_XEN_OPTION(n) { n, CMDLINE_CUSTOM, (void *)n, 0, accept_unused }

static void report_problem(void *ctx, const char *name, const char *msg)
{
    (void)ctx;
    if (!strcmp(msg, "unknown option"))
        printk(LOG_WARNING, "unknown boot option '%s' ignored", name);
    else
        printk(LOG_WARNING, "boot option '%s' ignored: %s", name, msg);
}

void boot_options_parse(const char *cmdline, struct boot_options *opts)
{
    const struct cmdline_option table[] = {
        { "console", CMDLINE_CUSTOM, &opts->console, 0, parse_console },
        { "loglvl", CMDLINE_CUSTOM, &opts->loglvl, 0, parse_loglvl },
        { "mem", CMDLINE_SIZE, &opts->mem_limit, 0, NULL },
        { "debug_exit", CMDLINE_UINT, &opts->debug_exit, 0, NULL },
        { "noreboot", CMDLINE_BOOL, &opts->noreboot, 0, NULL },
        { "selftest", CMDLINE_STRING, opts->selftest, sizeof(opts->selftest), NULL },
        { "dom0_mem", CMDLINE_STRING, opts->dom0_mem, sizeof(opts->dom0_mem), NULL },
        { "hypercall_trace", CMDLINE_BOOL, &opts->hypercall_trace, 0, NULL },
        { "maxcpus", CMDLINE_UINT, &opts->maxcpus, 0, NULL },
        { "nosmp", CMDLINE_BOOL, &opts->nosmp, 0, NULL },
        { "dom0_max_vcpus", CMDLINE_UINT, &opts->dom0_max_vcpus, 0, NULL },
        { "halt_poll", CMDLINE_UINT, &opts->halt_poll_us, 0, NULL },
        { "tsc", CMDLINE_CUSTOM, &opts->tsc_unstable, 0, parse_tsc },
        { "teardown_audit", CMDLINE_BOOL, &opts->teardown_audit, 0, NULL },
        UNUSED_XEN_OPTION("dom0_vcpus_pin"),
        UNUSED_XEN_OPTION("guest_loglvl"),
        UNUSED_XEN_OPTION("smap"),
        UNUSED_XEN_OPTION("smep"),
        UNUSED_XEN_OPTION("com1"),
        UNUSED_XEN_OPTION("sync_console"),
        UNUSED_XEN_OPTION("console_to_ring"),
    };

    memset(opts, 0, sizeof(*opts));
    opts->console = CONSOLE_COM1;
    opts->loglvl = LOG_INFO;
    opts->debug_exit = ~0ull;
    opts->halt_poll_us = HALT_POLL_DEFAULT_US;

    cmdline_parse(cmdline, table, sizeof(table) / sizeof(table[0]),
                  report_problem, NULL);

    if (opts->halt_poll_us > HALT_POLL_MAX_US) {
        printk(LOG_WARNING, "boot option 'halt_poll=%lu' capped at %u microseconds",
               opts->halt_poll_us, HALT_POLL_MAX_US);
        opts->halt_poll_us = HALT_POLL_MAX_US;
    }
    if (opts->debug_exit != ~0ull) {
        if (opts->debug_exit > 0xffff)
            printk(LOG_WARNING, "boot option 'debug_exit' ignored: %#lx is not an I/O port",
                   opts->debug_exit);
        else
            opts->debug_exit_set = true;
    }
}
