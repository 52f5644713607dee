/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl shutdown` and `xl reboot`: a PV guest is asked through xenstore
 * (control/shutdown = poweroff or reboot, which its xenbus driver
 * watches and acknowledges by clearing).  -F: a guest that has not
 * acknowledged within ACK_WAIT seconds (no PV drivers, paused, hung) is
 * shut down by the hypervisor (SCHEDOP_remote_shutdown).  -w: wait until
 * the domain has shut down or gone.  -a: every guest.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <xenstore.h>

#include "xl.h"

#define ACK_WAIT 5

static bool domain_down(uint32_t domid)
{
    struct xl_dom d;
    return xl_domain_info(domid, &d) != 0 || d.shutdown || d.dying;
}

static bool wait_until(uint32_t domid, bool (*done)(uint32_t), int secs)
{
    for (int i = 0; secs < 0 || i < secs * 10; i++) {
        if (done(domid))
            return true;
        usleep(100000);
    }
    return done(domid);
}

static bool acknowledged(uint32_t domid)
{
    char path[64];
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    char *v = xs_read(xl.xsh, XBT_NULL, path, NULL);
    bool acked = !v || !*v;
    free(v);
    return acked || domain_down(domid);
}

static int ask(uint32_t domid, const char *cmd, bool fallback)
{
    char path[64];
    snprintf(path, sizeof(path), "/local/domain/%u/control/shutdown", domid);
    if (!xs_write(xl.xsh, XBT_NULL, path, cmd, strlen(cmd))) {
        xl_liberr("libxl_domain.c:796:pvcontrol_cb", domid, errno,
                  "guest didn't acknowledge control request");
        return -1;
    }
    if (!fallback || wait_until(domid, acknowledged, ACK_WAIT))
        return 0;
    fprintf(stderr, "xl: %s: domain %u did not acknowledge the request "
                    "within %d s: shutting it down through the hypervisor\n",
            strcmp(cmd, "reboot") ? "shutdown" : "reboot", domid, ACK_WAIT);
    int reason = strcmp(cmd, "reboot") ? SHUTDOWN_poweroff : SHUTDOWN_reboot;
    if (xc_domain_shutdown(xl.xch, domid, reason) < 0) {
        fprintf(stderr, "xl: %s: SCHEDOP_remote_shutdown of domain %u: %s\n",
                cmd, domid, strerror(errno));
        return -1;
    }
    return 0;
}

static int shutdown_or_reboot(int argc, char **argv, const char *cmdname,
                              const char *request)
{
    bool all = false, wait = false, fallback = false;
    static const struct option opts[] = {
        { "all", no_argument, NULL, 'a' },
        { "wait", no_argument, NULL, 'w' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int opt;
    XL_FOREACH_OPT(opt, "awF", opts, cmdname, 0) {
    case 'a': all = true; break;
    case 'w': wait = true; break;
    case 'F': fallback = true; break;
    }
    if (!all && optind >= argc) {
        fprintf(stderr, "You must specify -a or a domain id.\n\n");
        xl_help(cmdname);
        return EXIT_FAILURE;
    }
    if (all && optind < argc) {
        fprintf(stderr, "You must specify either -a or a domain id, not "
                        "both.\n\n");
        xl_help(cmdname);
        return EXIT_FAILURE;
    }
    uint32_t ids[1024];
    int n = 0;
    if (all) {
        int nd;
        struct xl_dom *doms = xl_list_domains(&nd);
        if (!doms) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_FAILURE;
        }
        for (int i = 0; i < nd && n < 1024; i++)
            if (doms[i].domid != 0)
                ids[n++] = doms[i].domid;
        free(doms);
    } else {
        ids[n++] = xl_find_domain(argv[optind]);
    }
    int rc = EXIT_SUCCESS;
    for (int i = 0; i < n; i++) {
        if (ask(ids[i], request, fallback) < 0)
            rc = EXIT_FAILURE;
        else if (wait)
            /* A reboot leaves a shut-down domain for the monitor to
             * restart; there is none, so both wait for the same thing. */
            wait_until(ids[i], domain_down, -1);
    }
    for (int i = 0; wait && rc == EXIT_SUCCESS && i < n; i++) {
        struct xl_dom d;
        if (xl_domain_info(ids[i], &d) == 0 && d.shutdown)
            fprintf(stderr, "Domain %u has been shut down, reason code %u\n",
                    ids[i], d.shutdown_reason);
        else
            fprintf(stderr, "Domain %u has been destroyed.\n", ids[i]);
    }
    return rc;
}

int xl_cmd_shutdown(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, "shutdown", "poweroff");
}

int xl_cmd_reboot(int argc, char **argv)
{
    return shutdown_or_reboot(argc, argv, "reboot", "reboot");
}
