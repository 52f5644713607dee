/*
 * dom0-domu-run-test: domUs that run.  dom0 builds tiny 64-bit PV guests
 * by hand through our libxenctrl (page tables, a hypercall page in Xen's
 * stub layout, a few instructions, XEN_DOMCTL_setvcpucontext), unpauses
 * them and watches from outside: a guest that records a shutdown code
 * and shuts down, one that executes ud2 with no trap table (crashed,
 * dom0 unharmed), two 2-vCPU guests spinning beside dom0 (all make
 * progress), VIRQ_DOM_EXC reaching dom0 for each stop and each destroy,
 * and the machine's free memory back after each.  Also the refusals of
 * setvcpucontext, each with Xen 4.17's errno.  Runs on Xen 4.17 and on
 * Subfloor; PASS/FAIL lines, exit 0 only when every check passed.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>

#include "domu_common.h"
#include <xen/evtchn.h>

/* Linux's privcmd interface (its header needs the kernel's tree). */
struct privcmd_hypercall {
    uint64_t op;
    uint64_t arg[5];
};
#define IOCTL_PRIVCMD_HYPERCALL _IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall))

#define PAGE          4096u
#define GUEST_PAGES   16u
/* Frames by pfn: four page-table levels, then what the guest maps at
 * GUEST_VA + pfn * PAGE (the tables themselves stay unmapped). */
enum { PFN_L4, PFN_L3, PFN_L2, PFN_L1, PFN_HCALL, PFN_CODE, PFN_STACK0, PFN_STACK1,
       PFN_DATA, PFN_FIRST_UNMAPPED };
#define GUEST_VA      0x400000ul        /* L4[0] L3[0] L2[2] */
#define VA_OF(pfn)    (GUEST_VA + (uint64_t)(pfn) * PAGE)
#define PTE_FLAGS     0x67ul            /* present, rw, user, accessed, dirty */
#define SHUTDOWN_MARK 0x5ca1ab1eu

/*
 * The guests' code, position independent: rbx is the vCPU's word in the
 * data page, r12 the hypercall page.  shutdown records SHUTDOWN_reboot
 * with SCHEDOP_shutdown_code, then asks SCHEDOP_shutdown(poweroff): the
 * first code recorded is the one reported.  Anything after it running
 * would write a mark dom0 sees.
 */
extern const uint8_t guest_shutdown[], guest_shutdown_end[];
extern const uint8_t guest_ud2[], guest_ud2_end[];
extern const uint8_t guest_spin[], guest_spin_end[];
__asm__(".pushsection .rodata\n"
        "guest_shutdown:\n"
        "  movl $0x5ca1ab1e, (%rbx)\n"
        "  movl $1, 8(%rbx)\n"              /* SHUTDOWN_reboot */
        "  mov $5, %edi\n"                  /* SCHEDOP_shutdown_code */
        "  lea 8(%rbx), %rsi\n"
        "  lea 928(%r12), %rax\n"           /* entry 29: sched_op */
        "  call *%rax\n"
        "  movl $0, 8(%rbx)\n"              /* SHUTDOWN_poweroff */
        "  mov $2, %edi\n"                  /* SCHEDOP_shutdown */
        "  lea 8(%rbx), %rsi\n"
        "  lea 928(%r12), %rax\n"
        "  call *%rax\n"
        "  movl $0xbad, 4(%rbx)\n"
        "1: jmp 1b\n"
        "guest_shutdown_end:\n"
        "guest_ud2:\n"
        "  ud2\n"
        "guest_ud2_end:\n"
        "guest_spin:\n"
        "1: lock incq (%rbx)\n"
        "  jmp 1b\n"
        "guest_spin_end:\n"
        ".popsection\n");

/* Xen's hypercall page for a 64-bit PV kernel: entry i (32 bytes) is
 * push %rcx; push %r11; mov $i, %eax; syscall; pop %r11; pop %rcx; ret. */
static void write_hypercall_page(uint8_t *p)
{
    memset(p, 0xcc, PAGE);
    for (uint32_t i = 0; i < PAGE / 32; i++) {
        uint8_t *e = p + i * 32;
        const uint8_t head[] = { 0x51, 0x41, 0x53, 0xb8 };
        const uint8_t tail[] = { 0x0f, 0x05, 0x41, 0x5b, 0x59, 0xc3 };
        memcpy(e, head, sizeof(head));
        memcpy(e + 4, &i, 4);
        memcpy(e + 8, tail, sizeof(tail));
    }
}

struct guest {
    uint32_t domid;
    unsigned int vcpus;
    xen_pfn_t mfn[GUEST_PAGES];
    volatile uint64_t *data;        /* dom0's mapping of PFN_DATA */
};

/* vCPU id's first context: kernel mode, online, at the code page with
 * its own stack and word. */
static void guest_context(const struct guest *g, unsigned int id, vcpu_guest_context_any_t *any)
{
    struct vcpu_guest_context *c = &any->c;

    memset(any, 0, sizeof(*any));
    c->flags = VGCF_in_kernel | VGCF_online;
    c->user_regs.rip = VA_OF(PFN_CODE);
    c->user_regs.rsp = VA_OF(PFN_STACK0 + id % 2) + PAGE - 64;
    c->user_regs.rbx = VA_OF(PFN_DATA) + 64 * id;
    c->user_regs.r12 = VA_OF(PFN_HCALL);
    c->user_regs.cs = FLAT_KERNEL_CS;
    c->user_regs.ss = FLAT_KERNEL_SS;
    c->user_regs.rflags = 0x200;
    c->kernel_ss = FLAT_KERNEL_SS;
    c->kernel_sp = c->user_regs.rsp;
    c->ctrlreg[3] = (uint64_t)g->mfn[PFN_L4] << 12;
}

/* Create the domain, give it its frames, write its tables, hypercall
 * page and code through dom0's mappings, and let every mapping of a
 * table go before the hypervisor types them. */
static bool build(xc_interface *xch, struct guest *g, unsigned int vcpus,
                  const uint8_t *code, size_t code_len, const char *name)
{
    struct xen_domctl_createdomain cfg = domu_pv_config(vcpus);
    char what[64];

    memset(g, 0, sizeof(*g));
    g->vcpus = vcpus;
    for (unsigned int i = 0; i < GUEST_PAGES; i++)
        g->mfn[i] = i;
    snprintf(what, sizeof(what), "%s-build", name);
    if (xc_domain_create(xch, &g->domid, &cfg) ||
        xc_domain_max_vcpus(xch, g->domid, vcpus) ||
        xc_domain_setmaxmem(xch, g->domid, GUEST_PAGES * 4) ||
        xc_domain_populate_physmap_exact(xch, g->domid, GUEST_PAGES, 0, 0, g->mfn))
        return check(false, what, "create/memory (errno %d)", errno);
    uint8_t *m = xc_map_foreign_pages(xch, g->domid, PROT_READ | PROT_WRITE, g->mfn,
                                      GUEST_PAGES);
    if (!m)
        return check(false, what, "map its frames (errno %d)", errno);
    uint64_t *l4 = (uint64_t *)(m + PFN_L4 * PAGE), *l3 = (uint64_t *)(m + PFN_L3 * PAGE);
    uint64_t *l2 = (uint64_t *)(m + PFN_L2 * PAGE), *l1 = (uint64_t *)(m + PFN_L1 * PAGE);
    l4[0] = ((uint64_t)g->mfn[PFN_L3] << 12) | PTE_FLAGS;
    l3[0] = ((uint64_t)g->mfn[PFN_L2] << 12) | PTE_FLAGS;
    l2[(GUEST_VA >> 21) & 511] = ((uint64_t)g->mfn[PFN_L1] << 12) | PTE_FLAGS;
    for (unsigned int pfn = PFN_HCALL; pfn < PFN_FIRST_UNMAPPED; pfn++)
        l1[pfn] = ((uint64_t)g->mfn[pfn] << 12) | PTE_FLAGS;
    write_hypercall_page(m + PFN_HCALL * PAGE);
    memcpy(m + PFN_CODE * PAGE, code, code_len);
    munmap(m, GUEST_PAGES * PAGE);
    g->data = xc_map_foreign_pages(xch, g->domid, PROT_READ | PROT_WRITE, &g->mfn[PFN_DATA], 1);
    return check(g->data != NULL, what, "d%u: %u vCPUs, %u frames, L4 mfn %#lx", g->domid,
                 vcpus, GUEST_PAGES, (unsigned long)g->mfn[PFN_L4]);
}

static bool start(xc_interface *xch, struct guest *g, const char *name)
{
    vcpu_guest_context_any_t ctx;
    char what[64];

    snprintf(what, sizeof(what), "%s-start", name);
    for (unsigned int id = 0; id < g->vcpus; id++) {
        guest_context(g, id, &ctx);
        if (xc_vcpu_setcontext(xch, g->domid, id, &ctx))
            return check(false, what, "setvcpucontext of vCPU %u (errno %d)", id, errno);
    }
    int rc = xc_domain_unpause(xch, g->domid);
    return check(rc == 0, what, "d%u unpaused (errno %d)", g->domid, rc ? errno : 0);
}

/* VIRQ_DOM_EXC through /dev/xen/evtchn: -1 when another listener holds
 * it (xenstored may), which the checks then say. */
static int dom_exc_fd = -1;

static void bind_dom_exc(void)
{
    int fd = open("/dev/xen/evtchn", O_RDWR);
    struct ioctl_evtchn_bind_virq bind = { .virq = VIRQ_DOM_EXC };

    if (fd < 0 || ioctl(fd, IOCTL_EVTCHN_BIND_VIRQ, &bind) < 0) {
        printf("note: VIRQ_DOM_EXC not bindable here (errno %d): its checks are skipped\n",
               errno);
        if (fd >= 0)
            close(fd);
        return;
    }
    dom_exc_fd = fd;
}

/* Whether VIRQ_DOM_EXC fired within ms (and re-arm it). */
static bool dom_exc_within(unsigned int ms)
{
    struct pollfd p = { .fd = dom_exc_fd, .events = POLLIN };
    bool seen = false;

    while (poll(&p, 1, (int)ms) > 0) {
        uint32_t port;
        if (read(dom_exc_fd, &port, sizeof(port)) != sizeof(port))
            break;
        if (write(dom_exc_fd, &port, sizeof(port)) != sizeof(port))
            break;
        seen = true;
        ms = 0;     /* drain what else is pending */
    }
    return seen;
}

static void check_dom_exc(const char *name, const char *when)
{
    if (dom_exc_fd < 0)
        return;
    check(dom_exc_within(3000), name, "VIRQ_DOM_EXC reached dom0 %s", when);
}

/* The domain's info once XEN_DOMINF_shutdown shows (or the last seen). */
static xc_domaininfo_t wait_shutdown(xc_interface *xch, uint32_t domid)
{
    xc_domaininfo_t info;

    memset(&info, 0, sizeof(info));
    for (int i = 0; i < 100; i++) {
        if (xc_domain_getinfo_single(xch, domid, &info) == 0 &&
            (info.flags & XEN_DOMINF_shutdown))
            break;
        sleep_ms(50);
    }
    return info;
}

static unsigned int shutdown_code(const xc_domaininfo_t *info)
{
    return (info->flags >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
}

static void destroy(xc_interface *xch, struct guest *g, uint64_t before, const char *name)
{
    char what[64];

    if (g->data)
        munmap((void *)g->data, PAGE);
    g->data = NULL;
    dom_exc_within(0);
    int rc = xc_domain_destroy(xch, g->domid);
    snprintf(what, sizeof(what), "%s-destroy", name);
    check(rc == 0, what, "d%u (errno %d)", g->domid, rc ? errno : 0);
    snprintf(what, sizeof(what), "%s-destroy-virq", name);
    check_dom_exc(what, "on destroy");
    if (!before)
        return;     /* another domain still holds memory: checked with it */
    uint64_t after = free_pages_settled(xch, before, 150);
    snprintf(what, sizeof(what), "%s-free-pages", name);
    check(after == before, what, "free pages %lu before, %lu after", (unsigned long)before,
          (unsigned long)after);
}

/* setvcpucontext's refusals, and a second context replacing the first. */
static void context_checks(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    struct guest g;
    vcpu_guest_context_any_t ctx, back;

    if (!build(xch, &g, 1, guest_spin, (size_t)(guest_spin_end - guest_spin), "ctx"))
        return;
    guest_context(&g, 0, &ctx);
    int e = ERRNO_OF(xc_vcpu_setcontext(xch, g.domid, 1, &ctx));
    check(e == EINVAL, "ctx-vcpu-past-count", "errno %d (EINVAL %d)", e, EINVAL);
    e = ERRNO_OF(xc_vcpu_setcontext(xch, 0, 0, &ctx));
    check(e == EINVAL, "ctx-own-domain", "errno %d (EINVAL %d)", e, EINVAL);
    e = ERRNO_OF(xc_vcpu_setcontext(xch, 4000, 0, &ctx));
    check(e == ESRCH, "ctx-unknown-domain", "errno %d (ESRCH %d)", e, ESRCH);

    xc_domaininfo_t d0;
    if (xc_domain_getinfo_single(xch, 0, &d0) == 0) {
        guest_context(&g, 0, &ctx);
        ctx.c.ctrlreg[3] = (uint64_t)d0.shared_info_frame << 12;
        e = ERRNO_OF(xc_vcpu_setcontext(xch, g.domid, 0, &ctx));
        check(e == EINVAL, "ctx-cr3-not-its-own", "dom0's frame as L4: errno %d (EINVAL %d)",
              e, EINVAL);
    }
    guest_context(&g, 0, &ctx);
    ctx.c.user_regs.rip = 0x0000800000000000ul;
    e = ERRNO_OF(xc_vcpu_setcontext(xch, g.domid, 0, &ctx));
    check(e == EINVAL, "ctx-rip-noncanonical", "errno %d (EINVAL %d)", e, EINVAL);
    /* A refused context left the vCPU without one. */
    e = ERRNO_OF(xc_vcpu_getcontext(xch, g.domid, 0, &back));
    check(e == ENODATA, "ctx-refused-left-nothing", "getvcpucontext errno %d", e);
    /* Canonical, but the hypervisor's: Xen takes it (the guest would
     * fault there later), Subfloor refuses it up front. */
    guest_context(&g, 0, &ctx);
    ctx.c.event_callback_eip = 0xffff800000001000ul;
    e = ERRNO_OF(xc_vcpu_setcontext(xch, g.domid, 0, &ctx));
    check(e == EINVAL || e == 0, "ctx-callback-in-hypervisor-hole",
          "errno %d (Subfloor EINVAL; Xen takes any canonical address)", e);

    /* An MXCSR with reserved bits in a valid FPU image: the hypervisor
     * must not fault loading it. */
    guest_context(&g, 0, &ctx);
    ctx.c.flags |= VGCF_i387_valid;
    uint32_t bad_mxcsr = 0xffffffffu, fcw = 0x37f;
    memcpy((uint8_t *)&ctx.c.fpu_ctxt + 24, &bad_mxcsr, 4);
    memcpy((uint8_t *)&ctx.c.fpu_ctxt, &fcw, 2);
    int rc = xc_vcpu_setcontext(xch, g.domid, 0, &ctx);
    check(rc == 0 || errno == EINVAL, "ctx-set", "with a hostile MXCSR: rc %d errno %d",
          rc, rc ? errno : 0);
    if (rc) {
        guest_context(&g, 0, &ctx);
        rc = xc_vcpu_setcontext(xch, g.domid, 0, &ctx);
    }
    rc = rc ? rc : xc_vcpu_getcontext(xch, g.domid, 0, &back);
    check(rc == 0 && back.c.user_regs.rip == VA_OF(PFN_CODE) &&
          (back.c.ctrlreg[3] >> 12) == g.mfn[PFN_L4], "ctx-read-back",
          "rip %#lx cr3 %#lx", (unsigned long)back.c.user_regs.rip,
          (unsigned long)back.c.ctrlreg[3]);

    /* Other tables for a vCPU that has a context: Xen's -EOPNOTSUPP
     * (Xen has by then taken the refused context's registers; Subfloor
     * changes nothing, so this comes before the next one). */
    guest_context(&g, 0, &ctx);
    ctx.c.ctrlreg[3] = (uint64_t)g.mfn[PFN_FIRST_UNMAPPED] << 12;
    e = ERRNO_OF(xc_vcpu_setcontext(xch, g.domid, 0, &ctx));
    check(e == EOPNOTSUPP, "ctx-other-tables", "errno %d (EOPNOTSUPP %d)", e, EOPNOTSUPP);
    /* Again, same tables: accepted, no second type reference. */
    guest_context(&g, 0, &ctx);
    ctx.c.user_regs.rbx += 8;
    rc = xc_vcpu_setcontext(xch, g.domid, 0, &ctx);
    check(rc == 0, "ctx-set-again", "same tables (errno %d)", rc ? errno : 0);

    /* It runs with the second context: its word 8 bytes on counts. */
    if (xc_domain_unpause(xch, g.domid) == 0) {
        sleep_ms(300);
        check(g.data[1] > 0 && g.data[0] == 0, "ctx-second-context-runs",
              "word 1 %lu, word 0 %lu", (unsigned long)g.data[1], (unsigned long)g.data[0]);
    }
    destroy(xch, &g, before, "ctx");
}

/* A raw hypercall through privcmd, for the MMU operations a domain
 * builder issues (our libxenctrl has no call for them yet): its
 * argument in a locked page, the result or -errno. */
static long raw_hypercall(unsigned int op, void *arg, size_t len, uint64_t a2, uint64_t a3,
                          uint64_t a4)
{
    static int fd = -1;
    static void *page;

    if (fd < 0)
        fd = open("/dev/xen/privcmd", O_RDWR);
    if (!page) {
        page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (page == MAP_FAILED || mlock(page, PAGE))
            page = NULL;
    }
    if (fd < 0 || !page || len > PAGE)
        return -ENODEV;
    memcpy(page, arg, len);
    struct privcmd_hypercall call = { op, { (uint64_t)(uintptr_t)page, a2, a3, a4, 0 } };
    long rc = ioctl(fd, IOCTL_PRIVCMD_HYPERCALL, &call);
    memcpy(arg, page, len);
    return rc < 0 ? -errno : rc;
}

static long mmuext(xc_interface *xch, unsigned int cmd, uint64_t mfn, uint32_t domid)
{
    struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

    (void)xch;
    return raw_hypercall(__HYPERVISOR_mmuext_op, &op, sizeof(op), 1, 0, domid);
}

static long mmu_update(uint64_t ptr, uint64_t val, uint32_t foreigndom)
{
    struct mmu_update req = { ptr, val };

    return raw_hypercall(__HYPERVISOR_mmu_update, &req, sizeof(req), 1, 0, foreigndom);
}

/*
 * What a domain builder asks of the hypervisor about a domU's frames,
 * from dom0 with the domU as foreign domain: pin its L4 (the whole tree
 * validates), a second pin refused, unpin and pin again; write an entry
 * of its pinned L1 (mmu_update with the domU as table owner); set an M2P
 * entry of its frame (and refused for a frame it does not own).  The
 * guest then runs on the pinned tables.
 */
static void foreign_mmu(xc_interface *xch, struct guest *g)
{
    uint32_t d = g->domid;
    long rc = mmuext(xch, MMUEXT_PIN_L4_TABLE, g->mfn[PFN_L4], d);
    check(rc == 0, "mmu-pin-l4", "foreign pin of d%u's L4: %ld", d, rc);
    rc = mmuext(xch, MMUEXT_PIN_L4_TABLE, g->mfn[PFN_L4], d);
    check(rc == -EINVAL, "mmu-pin-twice", "%ld (-EINVAL %d)", rc, -EINVAL);
    rc = mmuext(xch, MMUEXT_PIN_L1_TABLE, g->mfn[PFN_CODE], d);
    check(rc == -EINVAL, "mmu-pin-code-as-l1", "a frame its own L1 maps writable: %ld", rc);
    rc = mmuext(xch, MMUEXT_UNPIN_TABLE, g->mfn[PFN_L4], d);
    check(rc == 0, "mmu-unpin", "%ld", rc);
    rc = mmuext(xch, MMUEXT_UNPIN_TABLE, g->mfn[PFN_L4], d);
    check(rc == -EINVAL, "mmu-unpin-twice", "%ld (-EINVAL %d)", rc, -EINVAL);
    rc = mmuext(xch, MMUEXT_PIN_L4_TABLE, g->mfn[PFN_L4], d);
    check(rc == 0, "mmu-pin-again", "%ld", rc);

    /* L1 slot of the first unmapped frame, written from dom0. */
    uint64_t slot = ((uint64_t)g->mfn[PFN_L1] << 12) + 8u * PFN_FIRST_UNMAPPED;
    uint64_t pte = ((uint64_t)g->mfn[PFN_FIRST_UNMAPPED] << 12) | PTE_FLAGS;
    uint32_t fd = ((d + 1) << 16) | d;      /* table owner d, frames of d */
    rc = mmu_update(slot | MMU_NORMAL_PT_UPDATE, pte, fd);
    check(rc == 0, "mmu-update-foreign-l1", "%ld", rc);
    const uint64_t *l1 = xc_map_foreign_pages(xch, d, PROT_READ, &g->mfn[PFN_L1], 1);
    check(l1 && (l1[PFN_FIRST_UNMAPPED] & ~0xfffull) == pte >> 12 << 12, "mmu-update-seen",
          "the L1 reads %#lx", l1 ? (unsigned long)l1[PFN_FIRST_UNMAPPED] : 0ul);
    if (l1)
        munmap((void *)l1, PAGE);
    rc = mmu_update(slot | MMU_NORMAL_PT_UPDATE, 0, fd);
    check(rc == 0, "mmu-update-foreign-clear", "%ld", rc);

    rc = mmu_update(((uint64_t)g->mfn[PFN_FIRST_UNMAPPED] << 12) | MMU_MACHPHYS_UPDATE,
                    PFN_FIRST_UNMAPPED, d);
    check(rc == 0, "mmu-machphys", "%ld", rc);
    xc_domaininfo_t d0;
    if (xc_domain_getinfo_single(xch, 0, &d0) == 0) {
        rc = mmu_update(((uint64_t)d0.shared_info_frame << 12) | MMU_MACHPHYS_UPDATE, 5, d);
        check(rc == -EINVAL, "mmu-machphys-not-owned", "dom0's frame through d%u: %ld", d, rc);
    }
}

static void shutdown_guest(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    struct guest g;

    if (!build(xch, &g, 1, guest_shutdown, (size_t)(guest_shutdown_end - guest_shutdown),
               "shutdown"))
        return;
    foreign_mmu(xch, &g);
    dom_exc_within(0);
    if (!start(xch, &g, "shutdown"))
        return;
    xc_domaininfo_t info = wait_shutdown(xch, g.domid);
    check(info.flags & XEN_DOMINF_shutdown, "shutdown-flag", "flags %#x", info.flags);
    check(shutdown_code(&info) == SHUTDOWN_reboot, "shutdown-code",
          "code %u (the first recorded, SHUTDOWN_reboot %u, not poweroff)",
          shutdown_code(&info), SHUTDOWN_reboot);
    check(g.data[0] == SHUTDOWN_MARK, "shutdown-ran", "the guest wrote %#lx",
          (unsigned long)g.data[0]);
    sleep_ms(200);
    check((g.data[0] >> 32) == 0, "shutdown-stays-stopped", "nothing ran after the shutdown");
    check_dom_exc("shutdown-virq", "on shutdown");
    destroy(xch, &g, before, "shutdown");
}

static void crash_guest(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    struct guest g;

    if (!build(xch, &g, 1, guest_ud2, (size_t)(guest_ud2_end - guest_ud2), "crash"))
        return;
    dom_exc_within(0);
    if (!start(xch, &g, "crash"))
        return;
    xc_domaininfo_t info = wait_shutdown(xch, g.domid);
    check((info.flags & XEN_DOMINF_shutdown) && shutdown_code(&info) == SHUTDOWN_crash,
          "crash-shutdown-crash", "flags %#x code %u (SHUTDOWN_crash %u)", info.flags,
          shutdown_code(&info), SHUTDOWN_crash);
    check_dom_exc("crash-virq", "on crash");
    xc_domaininfo_t d0;
    check(xc_domain_getinfo_single(xch, 0, &d0) == 0 && !(d0.flags & XEN_DOMINF_shutdown),
          "crash-dom0-unharmed", "dom0 flags %#x", d0.flags);
    destroy(xch, &g, before, "crash");
}

/* Two 2-vCPU spinners and dom0's vCPUs share the CPUs: every vCPU's
 * counter rises while dom0 keeps answering.  Xen 4.17 keeps a frame or
 * two each time (in this image; 1-vCPU guests come back whole): there
 * the free-memory figure is a note, on Subfloor a check. */
static void spinners(xc_interface *xch)
{
    uint64_t before = free_pages(xch);
    struct guest g[2];
    uint64_t first[2][2], second[2][2];

    if (!build(xch, &g[0], 2, guest_spin, (size_t)(guest_spin_end - guest_spin), "spin0"))
        return;
    if (!build(xch, &g[1], 2, guest_spin, (size_t)(guest_spin_end - guest_spin), "spin1")) {
        destroy(xch, &g[0], before, "spin0");
        return;
    }
    if (!start(xch, &g[0], "spin0") || !start(xch, &g[1], "spin1"))
        return;
    sleep_ms(500);
    for (int d = 0; d < 2; d++)
        for (int v = 0; v < 2; v++)
            first[d][v] = g[d].data[8 * v];
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    sleep_ms(1000);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    for (int d = 0; d < 2; d++)
        for (int v = 0; v < 2; v++)
            second[d][v] = g[d].data[8 * v];
    long slept_ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    for (int d = 0; d < 2; d++)
        for (int v = 0; v < 2; v++) {
            char what[32];
            snprintf(what, sizeof(what), "spin-d%d-v%d-progress", d, v);
            check(second[d][v] > first[d][v] && first[d][v] > 0, what,
                  "counter %lu then %lu", (unsigned long)first[d][v],
                  (unsigned long)second[d][v]);
        }
    check(slept_ms < 5000, "spin-dom0-responsive", "a 1000 ms sleep in dom0 took %ld ms",
          slept_ms);
    destroy(xch, &g[0], 0, "spin0");
    if (on_subfloor(xch)) {
        destroy(xch, &g[1], before, "spin1");
    } else {
        destroy(xch, &g[1], 0, "spin1");
        uint64_t after = free_pages_settled(xch, before, 150);
        printf("note: Xen: free pages %lu before, %lu after\n", (unsigned long)before,
               (unsigned long)after);
    }
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        fprintf(stderr, "usage: dom0-domu-run-test\n");
        return 2;
    }
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch) {
        fprintf(stderr, "dom0-domu-run-test: cannot open the hypervisor interface: %s\n",
                strerror(errno));
        return 1;
    }
    bind_dom_exc();
    context_checks(xch);
    shutdown_guest(xch);
    crash_guest(xch);
    spinners(xch);
    xc_interface_close(xch);
    printf("dom0-domu-run-test: %u failed\n", domu_failures);
    return domu_failures ? 1 : 0;
}
