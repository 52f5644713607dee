/*
 * Test fixture: a few fake domains, each with its own shared_info page in
 * memory and evtchn_domain state, wired together through the hooks the
 * hypervisor will provide (domain lookup, vcpu_info, kick, allocation).
 */
#ifndef SUBFLOOR_TEST_FAKE_DOMAINS_H
#define SUBFLOOR_TEST_FAKE_DOMAINS_H

#include "common/evtchn.h"

#define FAKE_NR_DOMAINS 3
#define FAKE_NR_VCPUS 4

struct fake_domain {
    struct evtchn_domain ev;
    struct shared_info shared;
    bool live;
    bool paused;                       /* by its controller */
    bool hide_vcpu_info[FAKE_NR_VCPUS];
    unsigned int kicks[FAKE_NR_VCPUS];
    unsigned int xen_notifies;
    evtchn_port_t last_xen_port;
};

/* dom0 (privileged), dom1 and dom2, all live, default max_port 1023. */
extern struct fake_domain fake[FAKE_NR_DOMAINS];
extern const struct evtchn_ops fake_evtchn_ops;

void fake_setup(void);
void fake_teardown(void);
/* (Re)create domain `i` with its own limits; returns evtchn_domain_init's rc. */
int fake_init_domain(unsigned int i, domid_t domid, bool privileged,
                     unsigned int nr_vcpus, unsigned int max_port);

/* Allocation accounting: outstanding blocks, and failure injection. */
extern long fake_live_allocs;
extern long fake_allocs_until_failure;   /* <0: never fail */

unsigned int total_kicks(const struct fake_domain *f);
bool port_pending(const struct fake_domain *f, evtchn_port_t port);
bool port_masked(const struct fake_domain *f, evtchn_port_t port);
void mask_port(struct fake_domain *f, evtchn_port_t port);
xen_ulong_t pending_sel(const struct fake_domain *f, unsigned int vcpu);
/* What a guest's upcall handler does first: clear upcall_pending and sel. */
void guest_ack_upcall(struct fake_domain *f, unsigned int vcpu);

/* Issue an operation as domain `cur`; out fields land in *port etc. */
int alloc_unbound(struct fake_domain *cur, domid_t dom, domid_t remote,
                  evtchn_port_t *port);
int bind_interdomain(struct fake_domain *cur, domid_t rdom,
                     evtchn_port_t rport, evtchn_port_t *lport);
int status_of(struct fake_domain *cur, domid_t dom, evtchn_port_t port,
              struct evtchn_status *st);
uint32_t state_of(struct fake_domain *f, evtchn_port_t port);
int bind_ipi(struct fake_domain *cur, uint32_t vcpu, evtchn_port_t *port);
int bind_vcpu(struct fake_domain *cur, evtchn_port_t port, uint32_t vcpu);
/* dom1 offers a port to dom0 and dom0 binds it: both ends. */
void connect_d1_to_d0(evtchn_port_t *p1, evtchn_port_t *p0);

#endif
