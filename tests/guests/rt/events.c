/*
 * Default event upcall: clear and count every pending, unmasked port.
 * The order (upcall_pending, then the selector, then each word) is the
 * one that never loses an event raised while the handler runs.
 */
#include "guest.h"
#include "traps.h"
#include "events.h"

volatile unsigned long upcall_count;
volatile unsigned int port_deliveries[RT_MAX_PORTS];
volatile uint64_t port_delivered_at[RT_MAX_PORTS];
void (*upcall_hook)(struct trap_frame *f);

void event_upcall(struct trap_frame *f)
{
    vcpu_info_t *vi = &shared_info->vcpu_info[0];
    uint64_t now = system_time_ns();

    if (upcall_hook)
        upcall_hook(f);
    upcall_count++;
    vi->evtchn_upcall_pending = 0;
    unsigned long sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
    while (sel) {
        unsigned int word = (unsigned int)__builtin_ctzl(sel);
        sel &= sel - 1;
        unsigned long bits = shared_info->evtchn_pending[word] & ~shared_info->evtchn_mask[word];
        __atomic_and_fetch(&shared_info->evtchn_pending[word], ~bits, __ATOMIC_SEQ_CST);
        while (bits) {
            unsigned int port = word * 64 + (unsigned int)__builtin_ctzl(bits);
            bits &= bits - 1;
            port_deliveries[port]++;
            port_delivered_at[port] = now;
        }
    }
}

void events_unmask(void)
{
    vcpu_info_t *vi = &shared_info->vcpu_info[0];

    asm volatile("" ::: "memory");
    vi->evtchn_upcall_mask = 0;
    asm volatile("" ::: "memory");
    if (vi->evtchn_upcall_pending)
        hyp_xen_version(0, NULL);
}

uint64_t system_time_ns(void)
{
    volatile vcpu_time_info_t *t = &shared_info->vcpu_info[0].time;
    uint32_t version;
    uint64_t tsc, base, stamp;
    uint32_t mul;
    int8_t shift;

    do {
        version = t->version;
        asm volatile("" ::: "memory");
        stamp = t->tsc_timestamp;
        base = t->system_time;
        mul = t->tsc_to_system_mul;
        shift = t->tsc_shift;
        tsc = rdtsc();
        asm volatile("" ::: "memory");
    } while ((version & 1) || version != t->version);

    uint64_t delta = tsc - stamp;
    if (shift >= 0)
        delta <<= shift;
    else
        delta >>= -shift;
    return base + (uint64_t)(((unsigned __int128)delta * mul) >> 32);
}
