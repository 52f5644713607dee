/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl pause`, `xl unpause`, `xl destroy`.  As in Xen's xl, pause and
 * unpause report a refusal (dom0 pausing itself, a domain that is not
 * there) and still exit 0; destroy refuses dom0 unless -f, and fails
 * with the hypervisor's answer otherwise.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>

#include "xl.h"
#include "xl_create.h"

int xl_cmd_pause(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "pause", 1) {
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    if (xc_domain_pause(xl.xch, domid) < 0)
        xl_liberr("libxl_domain.c:587:libxl_domain_pause", domid, errno,
                  "Pausing domain");
    return EXIT_SUCCESS;
}

int xl_cmd_unpause(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "unpause", 1) {
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    /* libxl first asks what type of domain it is unpausing. */
    struct xl_dom d;
    if (xl_domain_info(domid, &d)) {
        xl_liberr("libxl_dom.c:37:libxl__domain_type", XL_NO_DOMID, XL_NO_ERRNO,
                  "unable to get domain type for domid=%u", domid);
        return EXIT_SUCCESS;
    }
    if (xc_domain_unpause(xl.xch, domid) < 0)
        xl_liberr("libxl_domain.c:688:domain_unpause_done", domid, errno,
                  "Unpausing domain");
    return EXIT_SUCCESS;
}

static void destroy_failed(uint32_t domid, int rc)
{
    xl_liberr("libxl_domain.c:1137:domain_destroy_callback", domid,
              XL_NO_ERRNO, "Unable to destroy guest");
    xl_liberr("libxl_domain.c:1064:domain_destroy_cb", domid, XL_NO_ERRNO,
              "Destruction of domain failed");
    fprintf(stderr, "destroy failed (rc=%d)\n", rc);
    exit(EXIT_FAILURE);
}

/* A destroyed domain's xenstore entries go with it. */
static void forget_domain(uint32_t domid, const struct xl_dom *d)
{
    int n;
    char **roots = xl_domain_xs_roots(domid, d->uuid, &n);
    for (int i = 0; i < n; i++)
        xs_rm(xl.xsh, XBT_NULL, roots[i]);
    xl_xs_paths_free(roots, n);
}

int xl_cmd_destroy(int argc, char **argv)
{
    bool force = false;
    int opt;
    XL_FOREACH_OPT(opt, "f", NULL, "destroy", 1) {
    case 'f': force = true; break;
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    if (domid == 0 && !force) {
        fprintf(stderr, "Not destroying domain 0; use -f to force.\n"
                        "This can only be done when using a disaggregated "
                        "hardware domain and toolstack.\n\n");
        return EXIT_FAILURE;
    }
    struct xl_dom d;
    if (xl_domain_info(domid, &d)) {
        xl_liberr("libxl_domain.c:1183:libxl__destroy_domid", domid,
                  XL_NO_ERRNO, "Non-existant domain");
        destroy_failed(domid, XL_ERROR_DOMAIN_NOTFOUND);
    }
    /* Stopped first, so that it changes nothing while it goes; then
     * xenstored lets go of its store ring: a dying domain whose frames
     * someone still maps is not freed by Subfloor until that mapping
     * goes (Xen waits the same way for xenstored's unmap).  Its xenstore
     * entries go once it is gone: a refused destroy (dom0's) keeps them. */
    if (xc_domain_pause(xl.xch, domid) < 0)
        xl_liberr("libxl_domain.c:1219:destroy_domid_pci_done", domid,
                  XL_NO_ERRNO, "xc_domain_pause failed");
    if (domid != 0)
        xs_release_domain(xl.xsh, domid);
    if (xc_domain_destroy(xl.xch, domid) < 0) {
        xl_liberr("libxl_domain.c:1616:domain_destroy_domid_cb", domid, errno,
                  "xc_domain_destroy failed");
        destroy_failed(domid, XL_ERROR_FAIL);
    }
    forget_domain(domid, &d);
    return EXIT_SUCCESS;
}
