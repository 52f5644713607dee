/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl list [-l] [-v] [-Z] [-c] [-n] [Domain]`: every domain, or one, in
 * Xen xl's columns; -l prints the domains' configuration as JSON
 * (xl_json.c).
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

/* The NODE Affinity column: Subfloor keeps no per-domain node affinity,
 * so a domain may use every node there is. */
static void node_affinity(char *out, size_t len)
{
    xc_physinfo_t phys;
    uint8_t all[32] = { 0 };
    int nodes = 1;
    if (xl.xch && xc_physinfo(xl.xch, &phys) == 0 && phys.nr_nodes)
        nodes = (int)phys.nr_nodes;
    if (nodes > (int)sizeof(all) * 8)
        nodes = (int)sizeof(all) * 8;
    for (int i = 0; i < nodes; i++)
        all[i / 8] |= (uint8_t)(1u << (i % 8));
    xl_format_bitmap(out, len, all, nodes);
}

static void print_table(const struct xl_dom *doms, int n, unsigned flags)
{
    char numa[64] = "";
    if (flags & XL_LIST_NUMA)
        node_affinity(numa, sizeof(numa));
    xl_print_list_header(stdout, flags);
    for (int i = 0; i < n; i++) {
        char *name = xl_domid_to_name(doms[i].domid);
        char *pool = NULL;
        if (flags & XL_LIST_CPUPOOL) {
            char path[64];
            snprintf(path, sizeof(path), "/local/pool/%u/name", doms[i].cpupool);
            pool = xl.ops->xs_read(xl.priv, path);
        }
        xl_print_list_line(stdout, &doms[i], name, flags, pool, numa);
        free(pool);
        free(name);
    }
}

static void print_json(const struct xl_dom *doms, int n)
{
    char **names = calloc((size_t)n + 1, sizeof(*names));
    if (!names) {
        fprintf(stderr, "unable to allocate JSON generator\n");
        return;
    }
    for (int i = 0; i < n; i++)
        names[i] = xl_domid_to_name(doms[i].domid);
    char *json = xl_list_json(doms, names, n);
    if (json)
        puts(json);
    else
        fprintf(stderr, "unable to format domain config as JSON\n");
    free(json);
    for (int i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int xl_cmd_list(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "long", no_argument, NULL, 'l' },
        { "verbose", no_argument, NULL, 'v' },
        { "context", no_argument, NULL, 'Z' },
        { "cpupool", no_argument, NULL, 'c' },
        { "numa", no_argument, NULL, 'n' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    unsigned flags = 0;
    bool details = false;
    int opt;
    XL_FOREACH_OPT(opt, "lvZcn", longopts, "list", 0) {
    case 'l': details = true; break;
    case 'v': flags |= XL_LIST_VERBOSE; break;
    case 'Z': flags |= XL_LIST_CONTEXT; break;
    case 'c': flags |= XL_LIST_CPUPOOL; break;
    case 'n': flags |= XL_LIST_NUMA; break;
    }

    struct xl_dom one, *doms;
    int n;
    if (optind >= argc) {
        doms = xl_list_domains(&n);
        if (!doms) {
            fprintf(stderr, "libxl_list_domain failed.\n");
            return EXIT_FAILURE;
        }
    } else if (optind == argc - 1) {
        uint32_t domid = xl_find_domain(argv[optind]);
        int rc = xl_domain_info(domid, &one);
        if (rc == XL_ERROR_DOMAIN_NOTFOUND) {
            fprintf(stderr, "Error: Domain '%s' does not exist.\n", argv[optind]);
            return EXIT_FAILURE;
        }
        if (rc) {
            fprintf(stderr, "libxl_domain_info failed (code %d).\n", rc);
            return EXIT_FAILURE;
        }
        doms = &one;
        n = 1;
    } else {
        xl_help("list");
        return EXIT_FAILURE;
    }

    if (details)
        print_json(doms, n);
    else
        print_table(doms, n, flags);
    if (doms != &one)
        free(doms);
    return EXIT_SUCCESS;
}
