/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl console`: the terminal on a guest's PV console ring, directly.
 * There is no xenconsoled in this dom0 yet, so xl is the ring's back
 * end: it maps the page the builder gave the guest (console/ring-ref is
 * a frame number for a PV guest), binds the guest's console event
 * channel, copies the output ring to stdout and stdin to the input ring.
 * Ctrl-] detaches, as with Xen's xenconsole; the console also ends when
 * the domain shuts down or goes away (nothing else would consume the
 * ring then).
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <termios.h>
#include <unistd.h>

#include <xenevtchn.h>
#include <xenstore.h>

#include "public/io/console.h"
#include "xl.h"

#define ESCAPE_CHAR 0x1d    /* Ctrl-] */

struct xl_console {
    uint32_t domid;
    volatile struct xencons_interface *ring;
    xenevtchn_handle *xce;
    evtchn_port_t local_port;
};

static bool read_number(uint32_t domid, const char *node, uint64_t *out)
{
    char path[80];
    snprintf(path, sizeof(path), "/local/domain/%u/console/%s", domid, node);
    char *v = xs_read(xl.xsh, XBT_NULL, path, NULL);
    if (!v)
        return false;
    char *end;
    errno = 0;
    *out = strtoull(v, &end, 10);
    bool ok = *v && !*end && !errno;
    free(v);
    return ok;
}

struct xl_console *xl_console_attach(uint32_t domid)
{
    uint64_t mfn, port;
    if (!read_number(domid, "ring-ref", &mfn) ||
        !read_number(domid, "port", &port)) {
        fprintf(stderr, "xl: console: domain %u has no PV console in "
                        "xenstore (console/ring-ref and console/port)\n",
                domid);
        return NULL;
    }
    struct xl_console *c = calloc(1, sizeof(*c));
    if (!c)
        return NULL;
    c->domid = domid;
    c->ring = xc_map_foreign_range(xl.xch, domid, XC_PAGE_SIZE,
                                   PROT_READ | PROT_WRITE, (unsigned long)mfn);
    if (!c->ring) {
        fprintf(stderr, "xl: console: cannot map domain %u's console ring "
                        "(frame %#llx): %s\n", domid, (unsigned long long)mfn,
                strerror(errno));
        free(c);
        return NULL;
    }
    c->xce = xenevtchn_open(NULL, 0);
    int lp = c->xce ? xenevtchn_bind_interdomain(c->xce, domid,
                                                 (evtchn_port_t)port) : -1;
    if (lp < 0) {
        fprintf(stderr, "xl: console: cannot bind domain %u's console event "
                        "channel %llu: %s\n", domid, (unsigned long long)port,
                strerror(errno));
        xenevtchn_close(c->xce);
        munmap((void *)c->ring, XC_PAGE_SIZE);
        free(c);
        return NULL;
    }
    c->local_port = (evtchn_port_t)lp;
    return c;
}

void xl_console_detach(struct xl_console *c)
{
    if (!c)
        return;
    xenevtchn_unbind(c->xce, c->local_port);
    xenevtchn_close(c->xce);
    munmap((void *)c->ring, XC_PAGE_SIZE);
    free(c);
}

/* Writes all of buf, or gives up on a closed terminal. */
static void put_out(const char *buf, size_t n)
{
    while (n) {
        ssize_t w = write(STDOUT_FILENO, buf, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        buf += w;
        n -= (size_t)w;
    }
}

/* What the guest wrote, to stdout; true when there was any. */
static bool drain_output(struct xl_console *c)
{
    volatile struct xencons_interface *r = c->ring;
    XENCONS_RING_IDX cons = r->out_cons;
    XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
    if (prod - cons > sizeof(r->out))
        cons = prod - sizeof(r->out);   /* indexes out of step: keep the newest */
    if (cons == prod)
        return false;
    char buf[sizeof(r->out)];
    size_t n = 0;
    while (cons != prod)
        buf[n++] = r->out[MASK_XENCONS_IDX(cons++, r->out)];
    __atomic_store_n(&r->out_cons, cons, __ATOMIC_RELEASE);
    put_out(buf, n);
    return true;
}

/* Keyboard input into the guest's input ring, as far as it has room. */
static void feed_input(struct xl_console *c, const char *buf, size_t n)
{
    volatile struct xencons_interface *r = c->ring;
    XENCONS_RING_IDX prod = r->in_prod;
    XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
    for (size_t i = 0; i < n && prod - cons < sizeof(r->in); i++)
        r->in[MASK_XENCONS_IDX(prod++, r->in)] = buf[i];
    __atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
}

static bool domain_ended(uint32_t domid)
{
    struct xl_dom d;
    return xl_domain_info(domid, &d) != 0 || d.shutdown || d.dying;
}

int xl_console_run(struct xl_console *c)
{
    struct termios saved, raw;
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
    if (tty) {
        raw = saved;
        cfmakeraw(&raw);
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
    }
    bool stdin_open = true;
    int rc = EXIT_SUCCESS;
    for (;;) {
        if (drain_output(c))
            xenevtchn_notify(c->xce, c->local_port);
        if (domain_ended(c->domid)) {
            drain_output(c);
            break;
        }
        struct pollfd pfd[2] = {
            { .fd = xenevtchn_fd(c->xce), .events = POLLIN },
            { .fd = stdin_open ? STDIN_FILENO : -1, .events = POLLIN },
        };
        /* The timeout notices a domain that went without a word. */
        int n = poll(pfd, 2, 200);
        if (n < 0 && errno != EINTR) {
            rc = EXIT_FAILURE;
            break;
        }
        if (n > 0 && (pfd[0].revents & POLLIN)) {
            int p = xenevtchn_pending(c->xce);
            if (p >= 0)
                xenevtchn_unmask(c->xce, (evtchn_port_t)p);
        }
        if (n > 0 && (pfd[1].revents & (POLLIN | POLLHUP))) {
            char buf[256];
            ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
            if (r <= 0) {
                stdin_open = false;     /* EOF: output only from now on */
                continue;
            }
            char *esc = memchr(buf, ESCAPE_CHAR, (size_t)r);
            if (esc && tty) {
                feed_input(c, buf, (size_t)(esc - buf));
                xenevtchn_notify(c->xce, c->local_port);
                break;
            }
            feed_input(c, buf, (size_t)r);
            xenevtchn_notify(c->xce, c->local_port);
        }
    }
    if (tty)
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    return rc;
}

int xl_cmd_console(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "n:t:", NULL, "console", 1) {
    case 't':
        if (strcmp(optarg, "pv") && strcmp(optarg, "serial")) {
            fprintf(stderr, "console type supported are: pv, serial\n");
            return EXIT_FAILURE;
        }
        if (!strcmp(optarg, "serial")) {
            fprintf(stderr, "xl: console: a PV guest has no emulated serial "
                            "console; use -t pv\n");
            return EXIT_FAILURE;
        }
        break;
    case 'n':
        if (strcmp(optarg, "0")) {
            fprintf(stderr, "xl: console: only console 0 exists\n");
            return EXIT_FAILURE;
        }
        break;
    }
    uint32_t domid = xl_find_domain(argv[optind]);
    struct xl_console *c = xl_console_attach(domid);
    if (!c)
        return EXIT_FAILURE;
    int rc = xl_console_run(c);
    xl_console_detach(c);
    return rc;
}
