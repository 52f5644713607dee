/*
 * dom0-devices-test: run every device check, exit 0 only when all pass.
 * Runs in dom0 (scripts/mkdom0 carries it); on any other system the
 * devices are missing and each check fails saying which one.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "devices_test.h"

bool report(bool ok, const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("%s %s: ", ok ? "PASS" : "FAIL", name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
    return ok;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        bool (*run)(void);
    } checks[] = {
        { "privcmd", check_privcmd_version },
        { "evtchn", check_evtchn_loopback },
        { "grant", check_grant_self_map },
    };
    unsigned int failed = 0, ran = 0;

    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        /* Arguments pick checks by name; none means all. */
        bool wanted = argc < 2;
        for (int a = 1; a < argc; a++)
            wanted |= strcmp(argv[a], checks[i].name) == 0;
        if (!wanted)
            continue;
        ran++;
        if (!checks[i].run())
            failed++;
    }
    if (ran == 0) {
        fprintf(stderr, "dom0-devices-test: no check named like that; checks are privcmd, evtchn, grant\n");
        return 2;
    }
    printf("dom0-devices-test: %u of %u checks passed\n", ran - failed, ran);
    return failed ? 1 : 0;
}
