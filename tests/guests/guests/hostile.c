/*
 * hostile: every hypercall number, by the page and by syscall, with
 * arguments that are all bad: unmapped, inside the hypervisor, non-
 * canonical, all ones.  Each must come back with a sane value, and
 * afterwards the hypervisor must still serve us: version, traps, events.  (That the
 * hypervisor itself survives shows in the runner: a crash or hang
 * leaves no RESULT line.)
 */
#include <public/event_channel.h>
#include <public/version.h>

#include "guest.h"
#include "events.h"
#include "pagetable.h"
#include "traps.h"

const char guest_name[] = "hostile";

static const unsigned long bad_args[] = {
    0x1000UL,                  /* unmapped user address */
    0xffff830000000000UL,      /* the hypervisor's own memory */
    0x8000000000000000UL,      /* non-canonical */
    ~0UL,
};
#define NR_BAD (sizeof(bad_args) / sizeof(bad_args[0]))

/*
 * Many hypercalls read their command as a 32-bit int, so a "bad pointer"
 * in that slot is a valid small command (0x8000000000000000 is command
 * 0): acceptance alone proves nothing.  What must hold for every call is
 * that it comes back, with 0, a positive count or a Xen errno (-1 to
 * -4095), never anything else; and that our memory, tables, traps and
 * events are intact afterwards.
 */
static void barrage(enum hcall_route route, const char *how)
{
    unsigned int odd = 0, calls = 0, accepted = 0;
    hcall_route = route;
    for (unsigned int nr = 0; nr < 64; nr++) {
        if (nr == __HYPERVISOR_iret)   /* does not return by design */
            continue;
        for (unsigned int i = 0; i < NR_BAD; i++) {
            unsigned long a = bad_args[i], b = bad_args[(i + 1) % NR_BAD];
            long rc = hcall5(nr, a, b, a, b, a);
            calls++;
            if (rc >= 0)
                accepted++;
            if (rc < -4095 && !odd++)
                con_printf("INFO: %s: hypercall %u returned %ld\n", how, nr, rc);
        }
    }
    hcall_route = HCALL_PAGE;
    con_printf("INFO: %s: %u of %u garbage calls were taken as valid values\n", how, accepted,
               calls);
    char name[80];
    rt_snprintf(name, sizeof(name), "%u garbage hypercalls by %s returned 0, a count or an errno",
                calls, how);
    check(odd == 0, name, "%u returned something else", odd);
}

static unsigned long image_mfns[8];

static void snapshot_image(void)
{
    for (unsigned int i = 0; i < 8; i++) {
        struct pt_walk w;
        pt_walk((unsigned long)guest_main + i * PAGE_SIZE, &w);
        image_mfns[i] = (w.entry[1] & PTE_MFN_MASK) >> 12;
    }
}

static void still_alive(void)
{
    unsigned int moved = 0;
    for (unsigned int i = 0; i < 8; i++) {
        struct pt_walk w;
        pt_walk((unsigned long)guest_main + i * PAGE_SIZE, &w);
        if (((w.entry[1] & PTE_MFN_MASK) >> 12) != image_mfns[i] ||
            mfn_to_pfn(image_mfns[i]) != virt_to_pfn((char *)guest_main + i * PAGE_SIZE))
            moved++;
    }
    check_eq("our mappings and M2P entries are unchanged", moved, 0);
    /* set_callbacks and set_gdt may have taken garbage values: reinstall. */
    rt_install_traps();
    hyp_fpu_taskswitch(0);
    check_eq("xen_version still answers", hyp_xen_version(XENVER_version, NULL), (4 << 16) | 17);

    unsigned int faults = trap_last.count;
    TRAP_PROVOKE("ud2", "i"(0));
    check_eq("traps still delivered", trap_last.count, faults + 1);

    evtchn_bind_ipi_t bi = { .vcpu = 0 };
    long rc = hyp_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    unsigned int before = bi.port < RT_MAX_PORTS ? port_deliveries[bi.port] : 0;
    evtchn_send_t s = { .port = bi.port };
    if (rc == 0) {
        hyp_event_channel_op(EVTCHNOP_send, &s);
        events_unmask();
        events_mask();
    }
    check(rc == 0 && port_deliveries[bi.port] == before + 1, "events still delivered",
          "bind rc %ld", rc);
}

void guest_main(void)
{
    snapshot_image();
    barrage(HCALL_PAGE, "page");
    barrage(HCALL_SYSCALL, "syscall");
    /* Numbers past the table, which only the syscall route can reach. */
    long worst = -1;
    for (unsigned long nr = 64; nr < 4096; nr += 61) {
        long rc = hcall_syscall5((unsigned int)nr, bad_args[0], bad_args[1], 0, 0, 0);
        if (rc >= 0)
            worst = (long)nr;
    }
    check(worst < 0, "hypercall numbers past the table refused", "number %ld accepted", worst);
    still_alive();
}
