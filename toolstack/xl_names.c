/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl domid NAME` and `xl domname ID`: a domain's id from its name and
 * its name from its id, with Xen xl's messages for either missing.
 */
#include <stdlib.h>
#include <string.h>

#include "xl.h"

int xl_cmd_domid(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "domid", 1) {
    }
    const char *name = argv[optind];
    uint32_t domid;
    if (xl_name_to_domid(name, &domid)) {
        fprintf(stderr, "Can't get domid of domain name '%s', maybe this domain does not exist.\n", name);
        return EXIT_FAILURE;
    }
    printf("%u\n", domid);
    return EXIT_SUCCESS;
}

int xl_cmd_domname(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "domname", 1) {
    }
    const char *text = argv[optind];
    char *end;
    /* As Xen's xl: strtol's value, trailing text ignored; only a word
     * with no digits at its start is refused. */
    uint32_t domid = (uint32_t)strtol(text, &end, 10);
    if (domid == 0 && end == text) {
        fprintf(stderr, "Invalid domain id.\n\n");
        return EXIT_FAILURE;
    }
    char *name = xl_domid_to_name(domid);
    if (!name) {
        fprintf(stderr, "Can't get domain name of domain id '%u', maybe this domain does not exist.\n", domid);
        return EXIT_FAILURE;
    }
    printf("%s\n", name);
    free(name);
    return EXIT_SUCCESS;
}
