/*
 * events: event channels and timers.  A singleshot timer wakes
 * SCHEDOP_block through VIRQ_TIMER near its deadline; IPI and loopback
 * interdomain ports deliver an upcall on send; the per-vCPU mask holds
 * upcalls back and unmasking delivers what is pending; a per-port mask
 * keeps the port pending but silent until EVTCHNOP_unmask; pending is a
 * bit, not a count; closed ports refuse sends.  The time area a guest
 * registers for its vDSO (VCPUOP_register_vcpu_time_memory_area) holds
 * the same record as vcpu_info's; on Subfloor that record says the TSC
 * is stable.
 */
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <public/version.h>

#include "guest.h"
#include "events.h"

const char guest_name[] = "events";

/* TCG on a shared 2-core machine: timers are late by scheduling noise. */
#define TIMER_DELAY_NS   20000000UL   /* 20 ms */
#define TIMER_EARLY_MAX_NS 1000000UL  /* the hypervisor's timer slop */

/* The area's record and vcpu_info's, evaluated at one TSC reading, may
 * differ by rounding and by the drift of two samples taken apart. */
#define TIME_AREA_AGREE_NS 1000000UL  /* 1 ms */

static bool port_pending(unsigned int port)
{
    return (shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1;
}

static void set_port_mask(unsigned int port, bool masked)
{
    if (masked)
        __atomic_or_fetch(&shared_info->evtchn_mask[port / 64], 1UL << (port % 64), __ATOMIC_SEQ_CST);
    else
        __atomic_and_fetch(&shared_info->evtchn_mask[port / 64], ~(1UL << (port % 64)),
                           __ATOMIC_SEQ_CST);
}

static long send(unsigned int port)
{
    evtchn_send_t s = { .port = port };
    return hyp_event_channel_op(EVTCHNOP_send, &s);
}

static void timer_virq(void)
{
    evtchn_bind_virq_t bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
    long rc = hyp_event_channel_op(EVTCHNOP_bind_virq, &bv);
    check(rc == 0 && bv.port > 0 && bv.port < RT_MAX_PORTS, "bind_virq(VIRQ_TIMER) gives a port",
          "rc %ld port %u", rc, bv.port);
    if (rc)
        return;
    unsigned int port = bv.port;

    /* Xen starts every vCPU with a 10 ms periodic VIRQ_TIMER; Linux turns
     * it off first, and so must we to see our own timer alone. */
    check_eq("stop_periodic_timer", hyp_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL), 0);
    uint64_t deadline = system_time_ns() + TIMER_DELAY_NS;
    vcpu_set_singleshot_timer_t t = { .timeout_abs_ns = deadline };
    check_eq("set_singleshot_timer 20 ms ahead", hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), 0);
    unsigned int before = port_deliveries[port];
    /* block unmasks events itself and returns once one is pending; the
     * upcall runs on the way back. */
    for (int tries = 0; tries < 50 && port_deliveries[port] == before; tries++)
        hyp_sched_op(SCHEDOP_block, NULL);
    events_mask();
    check(port_deliveries[port] == before + 1, "VIRQ_TIMER delivered once after SCHEDOP_block",
          "deliveries %u -> %u", before, port_deliveries[port]);
    int64_t late = (int64_t)(port_delivered_at[port] - deadline);
    con_printf("INFO: timer fired %ld us after its deadline\n", (long)(late / 1000));
    /* Early is wrong on any machine; late only says how busy the host
     * was (QEMU's TCG on a loaded machine), so it is reported, not
     * checked: lateness is a benchmark figure. */
    check(late >= -(int64_t)TIMER_EARLY_MAX_NS,
          "timer did not fire before its deadline (1 ms slack)", "off by %ld ns", (long)late);

    /* A stopped timer stays quiet. */
    t.timeout_abs_ns = system_time_ns() + TIMER_DELAY_NS;
    hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
    check_eq("stop_singleshot_timer", hyp_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL), 0);
    uint64_t until = t.timeout_abs_ns + 2 * TIMER_DELAY_NS;
    before = port_deliveries[port];
    events_unmask();
    while (system_time_ns() < until)
        hyp_sched_op(SCHEDOP_yield, NULL);
    events_mask();
    check_eq("stopped timer does not fire", port_deliveries[port], before);

    /* A deadline of ~0 is long past in Xen's signed time: it fires at
     * once (and must not leave the hypervisor re-arming its own timer for
     * ever, which would stall this very block). */
    t.timeout_abs_ns = ~0ull;
    check_eq("set_singleshot_timer at ~0", hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t), 0);
    before = port_deliveries[port];
    for (int tries = 0; tries < 50 && port_deliveries[port] == before; tries++)
        hyp_sched_op(SCHEDOP_block, NULL);
    events_mask();
    check_eq("a timer at ~0 fires at once", port_deliveries[port], before + 1);
}

static void ipi_and_masks(void)
{
    evtchn_bind_ipi_t bi = { .vcpu = 0 };
    long rc = hyp_event_channel_op(EVTCHNOP_bind_ipi, &bi);
    check(rc == 0 && bi.port > 0 && bi.port < RT_MAX_PORTS, "bind_ipi gives a port", "rc %ld", rc);
    if (rc)
        return;
    unsigned int port = bi.port;
    vcpu_info_t *vi = &shared_info->vcpu_info[0];

    evtchn_status_t st = { .dom = DOMID_SELF, .port = port };
    rc = hyp_event_channel_op(EVTCHNOP_status, &st);
    check(rc == 0 && st.status == EVTCHNSTAT_ipi && st.vcpu == 0, "status of the IPI port",
          "rc %ld status %u vcpu %u", rc, st.status, st.vcpu);

    unsigned int before = port_deliveries[port];
    check_eq("send with events masked succeeds", send(port), 0);
    check(port_pending(port) && vi->evtchn_upcall_pending && port_deliveries[port] == before,
          "masked vCPU: port pending, upcall pending, no upcall yet",
          "pending %d upcall_pending %u deliveries %u", port_pending(port),
          vi->evtchn_upcall_pending, port_deliveries[port] - before);
    events_unmask();
    check(port_deliveries[port] == before + 1 && !port_pending(port),
          "unmasking the vCPU delivers the pending event", "deliveries +%u pending %d",
          port_deliveries[port] - before, port_pending(port));

    /* Events now unmasked: a send is delivered on the way back. */
    before = port_deliveries[port];
    send(port);
    check_eq("send to self with events unmasked upcalls at once", port_deliveries[port], before + 1);

    set_port_mask(port, true);
    before = port_deliveries[port];
    send(port);
    send(port);
    check(port_pending(port) && port_deliveries[port] == before && !vi->evtchn_upcall_pending,
          "masked port: pending, but no upcall", "pending %d deliveries +%u upcall_pending %u",
          port_pending(port), port_deliveries[port] - before, vi->evtchn_upcall_pending);
    evtchn_unmask_t um = { .port = port };
    rc = hyp_event_channel_op(EVTCHNOP_unmask, &um);
    check(rc == 0 && port_deliveries[port] == before + 1,
          "EVTCHNOP_unmask delivers the pending port once (pending is a bit)",
          "rc %ld deliveries +%u", rc, port_deliveries[port] - before);
    events_mask();

    evtchn_close_t cl = { .port = port };
    check_eq("close the IPI port", hyp_event_channel_op(EVTCHNOP_close, &cl), 0);
    check_eq("send on a closed port: -EINVAL", send(port), -XEN_EINVAL);
}

static void loopback(void)
{
    evtchn_alloc_unbound_t au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
    long rc = hyp_event_channel_op(EVTCHNOP_alloc_unbound, &au);
    check_eq("alloc_unbound for ourselves", rc, 0);
    if (rc)
        return;
    evtchn_bind_interdomain_t bd = { .remote_dom = DOMID_SELF, .remote_port = au.port };
    rc = hyp_event_channel_op(EVTCHNOP_bind_interdomain, &bd);
    check(rc == 0 && bd.local_port != au.port, "bind_interdomain to our own unbound port",
          "rc %ld ports %u/%u", rc, au.port, bd.local_port);
    if (rc)
        return;
    unsigned int a = au.port, b = bd.local_port;
    /* Binding raises the new local port once, so that a notification sent
     * to the unbound port before the bind is not lost. */
    unsigned int before_a = port_deliveries[a], before_b = port_deliveries[b];
    events_unmask();
    check(port_deliveries[b] == before_b + 1 && port_deliveries[a] == before_a,
          "bind_interdomain raised the new local port once", "a +%u b +%u",
          port_deliveries[a] - before_a, port_deliveries[b] - before_b);
    before_a = port_deliveries[a];
    before_b = port_deliveries[b];
    send(b);
    check(port_deliveries[a] == before_a + 1 && port_deliveries[b] == before_b,
          "send on one end of a loopback pair arrives at the other", "a +%u b +%u",
          port_deliveries[a] - before_a, port_deliveries[b] - before_b);
    send(a);
    check_eq("and back", port_deliveries[b], before_b + 1);
    events_mask();
}

/* A consistent copy of a record the hypervisor may rewrite meanwhile. */
static bool read_record(const volatile vcpu_time_info_t *t, vcpu_time_info_t *out)
{
    for (int tries = 0; tries < 1000; tries++) {
        uint32_t version = t->version;
        asm volatile("" ::: "memory");
        out->tsc_timestamp = t->tsc_timestamp;
        out->system_time = t->system_time;
        out->tsc_to_system_mul = t->tsc_to_system_mul;
        out->tsc_shift = t->tsc_shift;
        out->flags = t->flags;
        asm volatile("" ::: "memory");
        if (!(version & 1) && version == t->version) {
            out->version = version;
            return true;
        }
    }
    return false;
}

static uint64_t record_ns(const vcpu_time_info_t *r, uint64_t tsc)
{
    uint64_t delta = tsc - r->tsc_timestamp;

    if (r->tsc_shift >= 0)
        delta <<= r->tsc_shift;
    else
        delta >>= -r->tsc_shift;
    return r->system_time + (uint64_t)(((unsigned __int128)delta * r->tsc_to_system_mul) >> 32);
}

/* Subfloor says so in its extraversion; the guest cannot otherwise tell
 * it from Xen, and only there is the stable bit a certainty. */
static bool on_subfloor(void)
{
    static xen_extraversion_t extra;
    static const char tag[] = "-subfloor";

    if (hyp_xen_version(XENVER_extraversion, extra))
        return false;
    size_t n = rt_strlen(extra);
    return n >= sizeof(tag) - 1 && !rt_strncmp(extra + n - (sizeof(tag) - 1), tag, sizeof(tag) - 1);
}

static long register_time_area(uint64_t va)
{
    vcpu_register_time_memory_area_t area = { .addr.p = va };
    return hyp_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, &area);
}

/* Sleep on the singleshot timer (VIRQ_TIMER is bound by timer_virq):
 * the hypervisor republishes our time record when it wakes us. */
static void block_a_while(void)
{
    uint64_t until = system_time_ns() + TIMER_DELAY_NS;
    vcpu_set_singleshot_timer_t t = { .timeout_abs_ns = until };

    hyp_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
    for (int tries = 0; tries < 50 && system_time_ns() < until; tries++)
        hyp_sched_op(SCHEDOP_block, NULL);
    events_mask();
}

static vcpu_time_info_t time_area __attribute__((aligned(64)));

static void compare_with_primary(const char *when)
{
    const volatile vcpu_time_info_t *primary = &shared_info->vcpu_info[0].time;
    vcpu_time_info_t area = { 0 }, prim = { 0 };
    char name[96];

    bool ok = read_record(&time_area, &area) && read_record(primary, &prim);
    rt_snprintf(name, sizeof(name), "%s: the time area and vcpu_info hold readable records", when);
    if (!check(ok, name, "a version stayed odd"))
        return;
    con_printf("INFO: %s: time area version %u, vcpu_info version %u\n", when, area.version,
               prim.version);
    rt_snprintf(name, sizeof(name), "%s: the time area holds a record (even version, not 0)", when);
    check(area.version != 0 && !(area.version & 1), name, "version %u", area.version);
    /* Both are written together, the copy with the primary's version,
     * as long as the vCPU runs in kernel mode (always, here). */
    rt_snprintf(name, sizeof(name), "%s: its version is vcpu_info's", when);
    check(area.version == prim.version, name, "%u against %u", area.version, prim.version);
    rt_snprintf(name, sizeof(name), "%s: its mul/shift are vcpu_info's", when);
    check(area.tsc_to_system_mul == prim.tsc_to_system_mul && area.tsc_shift == prim.tsc_shift,
          name, "mul %u shift %d, vcpu_info mul %u shift %d", area.tsc_to_system_mul,
          area.tsc_shift, prim.tsc_to_system_mul, prim.tsc_shift);
    rt_snprintf(name, sizeof(name), "%s: its flags are vcpu_info's", when);
    check(area.flags == prim.flags, name, "%#x against %#x", area.flags, prim.flags);
    uint64_t tsc = rdtsc();
    int64_t apart = (int64_t)(record_ns(&area, tsc) - record_ns(&prim, tsc));
    rt_snprintf(name, sizeof(name), "%s: both records read the same time (within 1 ms)", when);
    check(apart >= -(int64_t)TIME_AREA_AGREE_NS && apart <= (int64_t)TIME_AREA_AGREE_NS, name,
          "%ld ns apart", (long)apart);
}

static void vdso_time_area(void)
{
    uint8_t flags = shared_info->vcpu_info[0].time.flags;
    bool subfloor = on_subfloor();

    con_printf("INFO: vcpu_info time flags %#x (TSC stable: %s) on %s\n", flags,
               flags & XEN_PVCLOCK_TSC_STABLE_BIT ? "yes" : "no", subfloor ? "Subfloor" : "Xen");
    /* A single CPU always agrees with itself, and run-guests boots one. */
    if (subfloor)
        check(flags & XEN_PVCLOCK_TSC_STABLE_BIT, "Subfloor marks the pvclock TSC-stable",
              "flags %#x", flags);

    rt_memset(&time_area, 0, sizeof(time_area));
    long rc = register_time_area((uint64_t)&time_area);
    check_eq("register_vcpu_time_memory_area", rc, 0);
    if (rc)
        return;
    compare_with_primary("at once");
    block_a_while();
    compare_with_primary("after a block");

    check_eq("register_vcpu_time_memory_area with a bad argument pointer: -EFAULT",
             hyp_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 0, (void *)0x1000), -XEN_EFAULT);
    check_eq("a time area in the hypervisor hole: -EFAULT",
             register_time_area(0xffff830000000000UL), -XEN_EFAULT);
    vcpu_register_time_memory_area_t area = { .addr.p = (uint64_t)&time_area };
    check_eq("register_vcpu_time_memory_area for a vCPU we lack: -ENOENT",
             hyp_vcpu_op(VCPUOP_register_vcpu_time_memory_area, 1, &area), -XEN_ENOENT);

    /* An address nothing maps is only found out when written: accepted,
     * and the writes that fault are the hypervisor's to absorb. */
    uint32_t before = shared_info->vcpu_info[0].time.version;
    check_eq("an unmapped time area is accepted", register_time_area(0x10000), 0);
    block_a_while();
    uint32_t after = shared_info->vcpu_info[0].time.version;
    check(after != before && !(after & 1), "vcpu_info's record is still published beside it",
          "version %u then %u", before, after);

    check_eq("register 0: no time area", register_time_area(0), 0);
    uint32_t left = time_area.version;
    block_a_while();
    check(time_area.version == left, "after register 0 the old area is left alone",
          "version %u became %u", left, time_area.version);
}

void guest_main(void)
{
    timer_virq();
    ipi_and_masks();
    loopback();
    vdso_time_area();
}
