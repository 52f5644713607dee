/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl create`: a PV guest from xl.cfg or domain XML, built by
 * libxenctrl's domain builder, announced in xenstore with libxl's layout
 * (xl_create_layout.c) and introduced to xenstored.  The steps and their
 * undoing on failure are xl_create_steps.c's; this file does each step.
 * There is no monitoring process after creation (Xen's xl forks one that
 * applies on_poweroff= and friends): a guest that shuts down stays until
 * `xl destroy`.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xenstore.h>

#include "xc_dom.h"
#include "xl.h"
#include "xl_create.h"

struct create_state {
    struct xl_domain_config dc;
    struct xl_build_result r;
    bool have_domid;
    struct xl_console *console;
};

static void step_error(struct create_state *st, const char *what)
{
    fprintf(stderr, "xl: create: domain %u: %s: %s\n", st->r.domid, what,
            strerror(errno));
}

static int do_createdomain(struct create_state *st)
{
    struct xen_domctl_createdomain cfg = {
        .flags = 0,     /* PV */
        .max_vcpus = st->dc.maxvcpus,
        .max_evtchn_port = XL_MAX_EVTCHN_PORT,
        .max_grant_frames = XL_MAX_GRANT_FRAMES,
        .max_maptrack_frames = XL_MAX_MAPTRACK_FRAMES,
        .grant_opts = XEN_DOMCTL_GRANT_version(1),
    };
    memcpy(cfg.handle, st->dc.uuid, sizeof(cfg.handle));
    uint32_t domid = 0;
    if (xc_domain_create(xl.xch, &domid, &cfg) < 0) {
        xl_liberr("libxl_create.c:682:libxl__domain_make", XL_NO_DOMID, errno,
                  "domain creation fail");
        return -1;
    }
    st->r.domid = domid;
    st->have_domid = true;
    return 0;
}

static int do_build(struct create_state *st)
{
    const struct xl_domain_config *dc = &st->dc;
    if (!dc->kernel) {
        fprintf(stderr, "xl: create: no kernel= in the configuration: a PV "
                        "guest needs one\n");
        return -1;
    }
    struct xc_dom_image *dom = xc_dom_allocate(xl.xch, dc->cmdline, NULL);
    if (!dom) {
        fprintf(stderr, "xl: create: the domain builder could not start\n");
        return -1;
    }
    dom->console_evtchn = st->r.console_port;
    dom->xenstore_evtchn = st->r.store_port;
    dom->console_domid = dom->xenstore_domid = 0;
    int rc = -1;
    if (xc_dom_kernel_file(dom, dc->kernel) < 0 ||
        (dc->ramdisk && xc_dom_ramdisk_file(dom, dc->ramdisk) < 0) ||
        xc_dom_boot_xen_init(dom, xl.xch, st->r.domid) < 0 ||
        xc_dom_parse_image(dom) < 0 ||
        xc_dom_mem_init(dom, (unsigned)(dc->memory_kb / 1024)) < 0 ||
        xc_dom_boot_mem_init(dom) < 0 ||
        xc_dom_build_image(dom) < 0 ||
        xc_dom_boot_image(dom) < 0 ||
        xc_dom_gnttab_init(dom) < 0) {
        /* The builder's message names the domain when it concerns it. */
        fprintf(stderr, "xl: create: %s\n", dom->last_error);
    } else {
        st->r.console_mfn = dom->console_mfn;
        st->r.store_mfn = dom->xenstore_mfn;
        rc = 0;
    }
    xc_dom_release(dom);
    return rc;
}

static struct xs_permissions *perms_of(enum xl_xs_perm p, uint32_t domid,
                                       struct xs_permissions buf[2],
                                       unsigned *n)
{
    switch (p) {
    case XL_PERM_RO:
        buf[0] = (struct xs_permissions){ .id = 0, .perms = XS_PERM_NONE };
        buf[1] = (struct xs_permissions){ .id = domid, .perms = XS_PERM_READ };
        *n = 2;
        return buf;
    case XL_PERM_RW:
        buf[0] = (struct xs_permissions){ .id = domid, .perms = XS_PERM_NONE };
        *n = 1;
        return buf;
    case XL_PERM_NONE:
        buf[0] = (struct xs_permissions){ .id = 0, .perms = XS_PERM_NONE };
        *n = 1;
        return buf;
    case XL_PERM_FRONT:
        buf[0] = (struct xs_permissions){ .id = domid, .perms = XS_PERM_NONE };
        buf[1] = (struct xs_permissions){ .id = 0, .perms = XS_PERM_READ };
        *n = 2;
        return buf;
    default:
        return NULL;
    }
}

static void rm_nodes(void *priv);

static int do_xenstore(struct create_state *st)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    st->r.start_sec = (uint64_t)now.tv_sec;
    st->r.start_centisec = (unsigned)(now.tv_nsec / 10000000);
    struct xl_xs_layout l;
    xl_create_layout(&st->dc, &st->r, &l);
    for (int attempt = 0; attempt < 10; attempt++) {
        /* Left-overs of an earlier guest with this id or uuid go first. */
        rm_nodes(st);
        xs_transaction_t t = xs_transaction_start(xl.xsh);
        if (t == XBT_NULL)
            break;
        bool ok = true;
        for (int i = 0; ok && i < l.n; i++) {
            const struct xl_xs_entry *e = &l.e[i];
            ok = xs_write(xl.xsh, t, e->path, e->value, strlen(e->value));
            struct xs_permissions pb[2];
            unsigned np = 0;
            struct xs_permissions *p = perms_of(e->perm, st->r.domid, pb, &np);
            if (ok && p)
                ok = xs_set_permissions(xl.xsh, t, e->path, p, np);
            if (!ok)
                fprintf(stderr, "xl: create: writing %s: %s\n", e->path,
                        strerror(errno));
        }
        if (!ok) {
            xs_transaction_end(xl.xsh, t, true);
            break;
        }
        if (xs_transaction_end(xl.xsh, t, false)) {
            xl_xs_layout_dispose(&l);
            return 0;
        }
        if (errno != EAGAIN)
            break;
    }
    xl_xs_layout_dispose(&l);
    return -1;
}

static int run_step(void *priv, enum xl_create_step s)
{
    struct create_state *st = priv;
    const struct xl_domain_config *dc = &st->dc;
    int port;
    switch (s) {
    case XL_STEP_CREATEDOMAIN:
        return do_createdomain(st);
    case XL_STEP_MAX_VCPUS:
        if (xc_domain_max_vcpus(xl.xch, st->r.domid, dc->maxvcpus) < 0) {
            step_error(st, "max_vcpus");
            return -1;
        }
        return 0;
    case XL_STEP_MAX_MEM:
        if (xc_domain_setmaxmem(xl.xch, st->r.domid,
                                dc->maxmem_kb + XL_MAXMEM_SLACK_KB) < 0) {
            step_error(st, "max_mem");
            return -1;
        }
        return 0;
    case XL_STEP_EVTCHN:
        /* The store's port first, then the console's, as libxl. */
        port = xc_evtchn_alloc_unbound(xl.xch, st->r.domid, 0);
        if (port < 0) {
            step_error(st, "event channel for xenstore");
            return -1;
        }
        st->r.store_port = (uint32_t)port;
        port = xc_evtchn_alloc_unbound(xl.xch, st->r.domid, 0);
        if (port < 0) {
            step_error(st, "event channel for the console");
            return -1;
        }
        st->r.console_port = (uint32_t)port;
        return 0;
    case XL_STEP_BUILD:
        return do_build(st);
    case XL_STEP_XENSTORE:
        return do_xenstore(st);
    case XL_STEP_INTRODUCE:
        if (!xs_introduce_domain(xl.xsh, st->r.domid, st->r.store_mfn,
                                 st->r.store_port)) {
            step_error(st, "introducing the domain to xenstored");
            return -1;
        }
        return 0;
    case XL_STEP_CONSOLE:
        st->console = xl_console_attach(st->r.domid);
        return st->console ? 0 : -1;
    case XL_STEP_UNPAUSE:
        if (xc_domain_unpause(xl.xch, st->r.domid) < 0) {
            xl_liberr("libxl_domain.c:688:domain_unpause_done", st->r.domid,
                      errno, "Unpausing domain");
            return -1;
        }
        return 0;
    default:
        return -1;
    }
}

static void release(void *priv)
{
    struct create_state *st = priv;
    xs_release_domain(xl.xsh, st->r.domid);
}

static void rm_nodes(void *priv)
{
    struct create_state *st = priv;
    int n;
    char **roots = xl_domain_xs_roots(st->r.domid, st->dc.uuid, &n);
    for (int i = 0; i < n; i++)
        xs_rm(xl.xsh, XBT_NULL, roots[i]);
    xl_xs_paths_free(roots, n);
}

static void destroy(void *priv)
{
    struct create_state *st = priv;
    if (st->console) {
        xl_console_detach(st->console);
        st->console = NULL;
    }
    if (xc_domain_destroy(xl.xch, st->r.domid) < 0)
        fprintf(stderr, "xl: create: destroying the half-built domain %u: "
                        "%s\n", st->r.domid, strerror(errno));
}

static const struct xl_create_ops real_ops = {
    .run = run_step, .release = release, .rm_nodes = rm_nodes,
    .destroy = destroy,
};

int xl_cmd_create(int argc, char **argv)
{
    static const struct option opts[] = {
        { "dryrun", no_argument, NULL, 'n' },
        { "quiet", no_argument, NULL, 'q' },
        { "defconfig", required_argument, NULL, 'f' },
        { "vncviewer", no_argument, NULL, 'V' },
        { "vncviewer-autopass", no_argument, NULL, 'A' },
        { "ignore-global-affinity-masks", no_argument, NULL, 'i' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool quiet = false, paused = false, console = false, dryrun = xl.dryrun;
    const char *file = NULL;
    int opt;
    XL_FOREACH_OPT(opt, "Fnqf:pcdeVA", opts, "create", 0) {
    case 'q': quiet = true; break;
    case 'p': paused = true; break;
    case 'c': console = true; break;
    case 'n': dryrun = true; break;
    case 'f': file = optarg; break;
    case 'F': case 'd': case 'e': case 'i':
        break;  /* foreground/debug/no monitor: there is no monitor */
    case 'V': case 'A':
        fprintf(stderr, "xl: create: a PV guest here has no VNC viewer\n");
        return EXIT_FAILURE;
    }
    if (!file && optind < argc && !strchr(argv[optind], '='))
        file = argv[optind++];
    if (!file) {
        fprintf(stderr, "xl: create: no configuration file given\n");
        xl_help("create");
        return 2;
    }
    if (!quiet)
        fprintf(stderr, "Parsing config from %s\n", file);
    struct create_state st = { 0 };
    xl_domain_config_init(&st.dc);
    char *err = NULL;
    if (xl_domain_config_load(file, argv + optind, argc - optind, &st.dc,
                              stderr, &err) < 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        xl_domain_config_dispose(&st.dc);
        return EXIT_FAILURE;
    }
    if (dryrun) {
        char *text = xl_domain_config_to_cfg(&st.dc);
        fputs(text, stdout);
        free(text);
        xl_domain_config_dispose(&st.dc);
        return EXIT_SUCCESS;
    }
    unsigned skip = 0;
    if (!console)
        skip |= 1u << XL_STEP_CONSOLE;
    if (paused)
        skip |= 1u << XL_STEP_UNPAUSE;
    int failed = xl_create_run_steps(&real_ops, &st, skip);
    int rc = EXIT_SUCCESS;
    if (failed) {
        rc = EXIT_FAILURE;
    } else if (st.console) {
        rc = xl_console_run(st.console);
        xl_console_detach(st.console);
    }
    xl_domain_config_dispose(&st.dc);
    return rc;
}
