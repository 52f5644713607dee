/*
 * Privileged instructions of a ring-3 PV kernel, decoded after the #GP
 * they raise: rdmsr/wrmsr, mov to and from control registers, clts,
 * wbinvd, cli/sti, and port I/O when the virtual IOPL or the I/O bitmap
 * permits it (physdev_io_permitted).  Anything else (and anything but
 * port I/O from guest-user mode) is refused, so the #GP goes to the
 * guest.
 */
#include "arch/x86/cpu.h"
#include "arch/x86/guest_access.h"
#include "common/hypercall.h"
#include "lib/printk.h"
#include "pv/ioport_policy.h"
#include "pv/physdev.h"
#include "pv/pv_msr.h"
#include "pv/pv_traps.h"
#include "pv/vcpu_context.h"

#define MAX_INSN_LEN 15
#define X86_CR4_TSD  (1ul << 2)
#define X86_CR4_DE   (1ul << 3)

struct insn {
    uint8_t bytes[MAX_INSN_LEN];
    unsigned int len;           /* bytes fetched */
    unsigned int pos;           /* decode position */
    unsigned int rex;
    bool opsize16;
};

static uint64_t *gpr(struct cpu_regs *r, unsigned int index)
{
    switch (index & 15) {
    case 0: return &r->rax;  case 1: return &r->rcx;  case 2: return &r->rdx;
    case 3: return &r->rbx;  case 4: return &r->rsp;  case 5: return &r->rbp;
    case 6: return &r->rsi;  case 7: return &r->rdi;  case 8: return &r->r8;
    case 9: return &r->r9;   case 10: return &r->r10; case 11: return &r->r11;
    case 12: return &r->r12; case 13: return &r->r13; case 14: return &r->r14;
    default: return &r->r15;
    }
}

/* Fetch as much of the instruction as is mapped (up to 15 bytes). */
static bool fetch(struct insn *in, uint64_t rip)
{
    in->len = 0;
    for (unsigned int i = 0; i < MAX_INSN_LEN; i++) {
        if (copy_from_guest(&in->bytes[i], guest_ptr(rip + i), 1))
            break;
        in->len++;
    }
    return in->len > 0;
}

static bool next(struct insn *in, uint8_t *b)
{
    if (in->pos >= in->len)
        return false;
    *b = in->bytes[in->pos++];
    return true;
}

static bool emulate_mov_cr(struct vcpu *v, struct cpu_regs *r, struct insn *in, bool to_cr)
{
    uint8_t modrm;

    if (!next(in, &modrm) || (modrm >> 6) != 3)
        return false;
    unsigned int cr = ((modrm >> 3) & 7) | ((in->rex & 4) ? 8 : 0);
    uint64_t *reg = gpr(r, (modrm & 7) | ((in->rex & 1) ? 8 : 0));

    if (!to_cr) {
        switch (cr) {
        case 0: *reg = pv_guest_cr0(v); return true;
        case 2: *reg = v->last_fault_addr; return true;
        case 3: *reg = (v->kernel_mode ? v->mm.guest_table : v->mm.guest_table_user) << 12; return true;
        case 4: *reg = v->vcr4; return true;
        default: return false;
        }
    }
    switch (cr) {
    case 0:
        /* Only TS is the guest's; everything else stays as it is. */
        if ((*reg ^ read_cr0()) & ~X86_CR0_TS)
            return false;
        do_fpu_taskswitch(*reg & X86_CR0_TS);
        return true;
    case 2:
        v->last_fault_addr = *reg;
        return true;
    case 4:
        /* The guest may flip TSD and DE in its view; none of it reaches
         * the hardware, which keeps the hypervisor's settings. */
        v->vcr4 = (v->vcr4 & ~(X86_CR4_TSD | X86_CR4_DE)) | (*reg & (X86_CR4_TSD | X86_CR4_DE));
        return true;
    default:
        return false;   /* CR3 goes through mmuext_op */
    }
}

static bool emulate_msr(struct vcpu *v, struct cpu_regs *r, bool write)
{
    uint32_t msr = (uint32_t)r->rcx;
    /* With no #GP handler yet, Xen reads 0 and drops writes rather than
     * kill a kernel that probes an MSR before its trap table exists. */
    bool lenient = !v->trap_table[13].address;

    if (write) {
        uint64_t val = (r->rdx << 32) | (uint32_t)r->rax;
        if (pv_msr_write(v, msr, val))
            return true;
        if (lenient)
            printk(LOG_WARNING, VCPU_FMT " wrmsr %#x (%#lx) dropped: no #GP handler yet",
                   VCPU_ARGS(v), msr, val);
        return lenient;
    }
    uint64_t val = 0;
    if (!pv_msr_read(v, msr, &val)) {
        if (!lenient)
            return false;
        printk(LOG_WARNING, VCPU_FMT " rdmsr %#x reads 0: no #GP handler yet", VCPU_ARGS(v), msr);
        val = 0;
    }
    r->rax = (uint32_t)val;
    r->rdx = val >> 32;
    return true;
}

/* Port I/O: what it reaches is ioport_policy.c's decision. */
static bool emulate_io(struct vcpu *v, struct cpu_regs *r, struct insn *in, uint8_t op)
{
    unsigned int size = (op & 1) ? (in->opsize16 ? 2 : 4) : 1;
    uint8_t imm;

    unsigned int port = (uint16_t)r->rdx;
    if (op == 0xe4 || op == 0xe5 || op == 0xe6 || op == 0xe7) {
        if (!next(in, &imm))
            return false;
        port = imm;
    }
    if (!physdev_io_permitted(v, port, size))
        return false;
    bool is_in = op == 0xe4 || op == 0xe5 || op == 0xec || op == 0xed;
    if (is_in) {
        uint64_t mask = size == 1 ? 0xff : size == 2 ? 0xffff : 0xffffffffull;
        uint64_t val = ioport_guest_read(v->domain, port, size);
        if (size == 4)
            r->rax = val;                /* 32-bit writes zero-extend */
        else
            r->rax = (r->rax & ~mask) | (val & mask);
    } else {
        ioport_guest_write(v->domain, port, size, (uint32_t)r->rax);
    }
    return true;
}

bool pv_emulate_privileged(struct vcpu *v, struct cpu_regs *r)
{
    struct insn in = { 0 };
    uint8_t b;

    /* Guest-user mode may only do port I/O (IOPL 3 or its I/O bitmap). */
    if (!fetch(&in, r->rip))
        return false;
    /* Legacy prefixes, then REX. */
    for (;;) {
        if (!next(&in, &b))
            return false;
        if (b == 0x66) { in.opsize16 = true; continue; }
        if (b == 0xf2 || b == 0xf3 || b == 0x2e || b == 0x3e || b == 0x26 ||
            b == 0x36 || b == 0x64 || b == 0x65)
            continue;
        break;
    }
    if ((b & 0xf0) == 0x40) {
        in.rex = b & 0x0f;
        if (!next(&in, &b))
            return false;
    }

    bool done = false;
    if (!v->kernel_mode && !(b >= 0xe4 && b <= 0xe7) && !(b >= 0xec && b <= 0xef))
        return false;
    if (b == 0x0f) {
        uint8_t op;
        if (!next(&in, &op))
            return false;
        switch (op) {
        case 0x30: done = emulate_msr(v, r, true); break;
        case 0x32: done = emulate_msr(v, r, false); break;
        case 0x20: done = emulate_mov_cr(v, r, &in, false); break;
        case 0x22: done = emulate_mov_cr(v, r, &in, true); break;
        case 0x06: do_fpu_taskswitch(0); done = true; break;      /* clts */
        case 0x09: done = true; break;                            /* wbinvd */
        default: break;
        }
    } else if (b == 0xfa || b == 0xfb) {
        done = v->iopl >= 1;            /* cli/sti: vIOPL allows, nothing to do */
    } else if (b == 0xe4 || b == 0xe5 || b == 0xe6 || b == 0xe7 ||
               b == 0xec || b == 0xed || b == 0xee || b == 0xef) {
        done = emulate_io(v, r, &in, b);
    }
    if (done)
        pv_emul_done(v, r, in.pos);
    return done;
}
