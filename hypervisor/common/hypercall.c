/* The dispatcher, the trace names and the "not implemented" log, all from
 * the one list of hypercall_table.h; see hypercall.h. */
#include "common/continuation.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "lib/printk.h"
#include "public/errno.h"
#include "public/xen.h"

static bool trace;

#define NAME_OF(name, who, types) [__HYPERVISOR_##name] = #name,
#define NAME_ONLY(name) [__HYPERVISOR_##name] = #name,
static const char *const names[NR_HYPERCALLS] = {
    HYPERCALL_TABLE(NAME_OF, NAME_ONLY)
};

const char *hypercall_name(unsigned int nr)
{
    return nr < NR_HYPERCALLS && names[nr] ? names[nr] : "unknown";
}

void hypercall_set_trace(bool on)
{
    trace = on;
}

static long not_implemented(unsigned int nr)
{
    struct vcpu *v = current_vcpu();
    unsigned int bit = nr < NR_HYPERCALLS ? nr : NR_HYPERCALLS - 1;

    /* Numbers past the table share the last bit: still logged once. */
    if (!(v->domain->enosys_reported & (1ull << bit))) {
        v->domain->enosys_reported |= 1ull << bit;
        printk(LOG_WARNING, "d%u: hypercall %u (%s) not implemented", v->domain->domid, nr,
               hypercall_name(nr));
    }
    return -XEN_ENOSYS;
}

/*
 * A raw argument register as the parameter type the table names: the
 * conversions are the only place a register becomes a typed value.
 */
static inline uint64_t arg_uint64_t(uint64_t raw, struct cpu_regs *regs)
{
    (void)regs;
    return raw;
}

static inline uint32_t arg_uint32_t(uint64_t raw, struct cpu_regs *regs)
{
    (void)regs;
    return (uint32_t)raw;
}

static inline guest_ptr_t arg_guest_ptr_t(uint64_t raw, struct cpu_regs *regs)
{
    (void)regs;
    return guest_ptr(raw);
}

static inline cpu_regs_ptr_t arg_cpu_regs_ptr_t(uint64_t raw, struct cpu_regs *regs)
{
    (void)raw;
    return regs;
}

/* do_<name>(arg_<type0>(a[0], regs), arg_<type1>(a[1], regs), ...). */
#define ARG(type, i) arg_##type(a[i], regs)
#define ARGS_1(t0) ARG(t0, 0)
#define ARGS_2(t0, t1) ARGS_1(t0), ARG(t1, 1)
#define ARGS_3(t0, t1, t2) ARGS_2(t0, t1), ARG(t2, 2)
#define ARGS_4(t0, t1, t2, t3) ARGS_3(t0, t1, t2), ARG(t3, 3)
#define ARGS_5(t0, t1, t2, t3, t4) ARGS_4(t0, t1, t2, t3), ARG(t4, 4)
#define COUNT(...) COUNT_(__VA_ARGS__, 5, 4, 3, 2, 1, 0)
#define COUNT_(a, b, c, d, e, n, ...) n
#define PASTE(a, b) PASTE_(a, b)
#define PASTE_(a, b) a##b
#define ARGS(types) PASTE(ARGS_, COUNT types) types

static bool may_call(enum hypercall_who who)
{
    return who != HC_PRIV || current_vcpu()->domain->privileged;
}

#define CASE(name, who, types)                                                \
    case __HYPERVISOR_##name:                                                 \
        return may_call(who) ? do_##name(ARGS(types)) : -XEN_EPERM;
#define NO_CASE(name)

long hypercall_call(unsigned int nr, const uint64_t a[5], struct cpu_regs *regs)
{
    switch (nr) {
    HYPERCALL_TABLE(CASE, NO_CASE)
    default:
        return not_implemented(nr);
    }
}

void hypercall_dispatch(struct cpu_regs *regs)
{
    uint64_t nr = regs->rax;
    uint64_t args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8 };
    struct vcpu *v = current_vcpu();

    hypercall_slice_begin(regs);
    long rc = nr < (1ull << 32) ? hypercall_call((unsigned int)nr, args, regs)
                                : not_implemented(NR_HYPERCALLS);
    bool continued = hypercall_continued();

    if (trace)
        printk(LOG_INFO, VCPU_FMT " hypercall %lu (%s)(%#lx, %#lx, %#lx, %#lx, %#lx) = %ld%s",
               VCPU_ARGS(v), nr, hypercall_name(nr < NR_HYPERCALLS ? (unsigned int)nr : NR_HYPERCALLS),
               args[0], args[1], args[2], args[3], args[4], rc, continued ? " (continues)" : "");
    /* iret loaded a whole new frame, rax included; a continuation put the
     * hypercall number back in rax. */
    if (continued)
        return;
    if (nr != __HYPERVISOR_iret || rc < 0)
        regs->rax = (uint64_t)rc;
}
