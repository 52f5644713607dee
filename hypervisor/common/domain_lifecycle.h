/*
 * The toolstack's life cycle of a domain other than dom0, as Xen 4.17
 * runs it: XEN_DOMCTL_createdomain makes a domain with no memory, no
 * vCPU context and one pause by the toolstack; the toolstack gives it
 * memory, builds it and unpauses it; XEN_DOMCTL_destroydomain kills it
 * and gives back everything it held.
 *
 * Every value here comes from dom0's toolstack: privileged, but its bad
 * input gets Xen's error and leaves nothing behind (docs/security.md).
 */
#ifndef SUBFLOOR_DOMAIN_LIFECYCLE_H
#define SUBFLOOR_DOMAIN_LIFECYCLE_H

#include "common/domain.h"
#include "public/domctl.h"

/* Pauses the toolstack may stack on one domain (Xen's limit). */
#define CONTROLLER_PAUSE_MAX 255u

/*
 * XEN_DOMCTL_createdomain: check cfg as Xen does (-EINVAL for unknown or
 * unsupported flags and options, HVM, HAP, no vCPU or too many, a grant
 * version or limit we cannot give, a cpupool other than 0; -EOPNOTSUPP
 * for x86 emulation we do not have), take the domain id (*domid between
 * 1 and DOMID_FIRST_RESERVED: that one, -EEXIST when taken; otherwise
 * the next free after the last one given, as Xen's rover) and create the
 * domain: shared_info, event channels, grant table, every vCPU down,
 * paused once by the toolstack.  cfg is updated with what was applied.
 * 0 and *domid set, or a negated Xen errno with nothing created.
 */
long domain_create_for_toolstack(uint16_t *domid, struct xen_domctl_createdomain *cfg);

/* d's shared_info page: fresh, shared with d, every vcpu_info's events
 * masked; then its system time and event channels.  0 or -1 (out of
 * memory). */
int domain_make_shared_info(struct domain *d);

/* XEN_DOMCTL_pausedomain / unpausedomain: one more or one fewer pause by
 * the toolstack (-EOVERFLOW past CONTROLLER_PAUSE_MAX; -EINVAL when
 * there is none to undo).  Each holds one scheduler pause
 * (sched_domain_pause); the last unpause lets the domain's vCPUs that
 * have a context run. */
long domain_pause_by_controller(struct domain *d);
long domain_unpause_by_controller(struct domain *d);

/* Whether the toolstack keeps d paused (XEN_DOMINF_paused). */
static inline bool domain_controller_paused(const struct domain *d)
{
    return d->controller_pause_count > 0;
}

/*
 * XEN_DOMCTL_destroydomain of d by caller: -EINVAL for the caller itself
 * or dom0; -HYPERCALL_RESTART (the call is made again) while one of d's
 * vCPUs is still on a CPU after the first call paused it.  Then d dies:
 * its event channels close (peers see them unbound), the grants it maps
 * go, VIRQ_DOM_EXC reaches every privileged domain, its page tables, pins
 * and frames are released and its memory goes back to the machine.  When
 * nothing outside still references its frames, d is gone (its id free
 * again); otherwise it stays listed as dying until then.  0 or a negated
 * Xen errno.
 */
long domain_kill(struct domain *caller, struct domain *d);

#endif
