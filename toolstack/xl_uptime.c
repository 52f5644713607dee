/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl uptime [-s] [Domain...]`: how long each domain has run.  dom0's is
 * the kernel's own /proc/uptime; another domain's is measured from
 * /vm/UUID/start_time, which the toolstack writes when it creates one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "xl.h"

static void print_one(uint32_t domid, unsigned long secs, bool short_mode,
                      time_t now)
{
    char up[64];
    char *name = xl_domid_to_name(domid);
    xl_format_uptime(up, sizeof(up), secs, short_mode);
    if (short_mode) {
        char clock[16] = "";
        struct tm tm;
        if (localtime_r(&now, &tm))
            strftime(clock, sizeof(clock), "%H:%M:%S", &tm);
        printf(" %s up %s, %s (%u)\n", clock, up, name ? name : "(null)", domid);
    } else {
        printf("%-33s %4u %s\n", name ? name : "(null)", domid, up);
    }
    free(name);
}

static void dom0_uptime(bool short_mode, time_t now)
{
    FILE *f = fopen("/proc/uptime", "r");
    double secs;
    if (!f || fscanf(f, "%lf", &secs) != 1) {
        if (f)
            fclose(f);
        fprintf(stderr, "Can not get Dom0 uptime.\n");
        exit(-1);
    }
    fclose(f);
    print_one(0, (unsigned long)secs, short_mode, now);
}

static void domu_uptime(uint32_t domid, bool short_mode, time_t now)
{
    struct xl_dom d;
    char *start = NULL;
    if (xl_domain_info(domid, &d) == 0) {
        char uuid[37], path[80];
        xl_format_uuid(uuid, d.uuid);
        snprintf(path, sizeof(path), "/vm/%s/start_time", uuid);
        start = xl.ops->xs_read(xl.priv, path);
    }
    if (!start) {
        xl_liberr("libxl_domain.c:2231:libxl_vm_get_start_time", domid,
                  XL_NO_ERRNO, "Can't get start time of domain");
        return;
    }
    unsigned long started = strtoul(start, NULL, 10);
    free(start);
    print_one(domid, (unsigned long)now - started, short_mode, now);
}

int xl_cmd_uptime(int argc, char **argv)
{
    bool short_mode = false;
    int opt;
    XL_FOREACH_OPT(opt, "s", NULL, "uptime", 0) {
    case 's': short_mode = true; break;
    }
    int nr = argc - optind;
    uint32_t *ids = calloc(nr > 0 ? (size_t)nr : 1, sizeof(*ids));
    if (!ids)
        return EXIT_FAILURE;
    for (int i = 0; i < nr; i++)
        ids[i] = xl_find_domain(argv[optind + i]);

    time_t now = time(NULL);
    if (!short_mode)
        printf("%-33s %4s %s\n", "Name", "ID", "Uptime");
    if (nr == 0) {
        dom0_uptime(short_mode, now);
        int n;
        struct xl_dom *doms = xl_list_domains(&n);
        if (!doms) {
            fprintf(stderr, "Could not list vms.\n");
        } else {
            for (int i = 0; i < n; i++)
                if (doms[i].domid != 0)
                    domu_uptime(doms[i].domid, short_mode, now);
            free(doms);
        }
    }
    for (int i = 0; i < nr; i++) {
        if (ids[i] == 0)
            dom0_uptime(short_mode, now);
        else
            domu_uptime(ids[i], short_mode, now);
    }
    free(ids);
    return EXIT_SUCCESS;
}
