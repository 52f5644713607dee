/*
 * Writable page tables: a guest kernel that stores straight into one of
 * its L1 tables (read-only to it, as every table in use) takes a write
 * fault; with VMASST_TYPE_writable_pagetables on, the hypervisor decodes
 * the store, validates the whole new entry through the PV MMU and steps
 * over the instruction, as Xen does (the step is the caller's, through
 * the one helper every emulation completes with, pv_emul_done).  Only the forms compilers and Linux
 * use on PTEs are decoded (see decode_store); a partial write (Linux
 * clears _PAGE_RW with a byte `and`) changes its part of the entry.
 * Anything else is the guest's page fault.
 */
#include "arch/x86/guest_access.h"
#include "arch/x86/pte.h"
#include "mmu/page_type.h"
#include "mmu/pv_mmu.h"

#define PF_EC_PRESENT  (1u << 0)
#define PF_EC_WRITE    (1u << 1)
#define PF_EC_RSVD     (1u << 3)
#define PF_EC_FETCH    (1u << 4)
#define EFLAGS_CF      (1ul << 0)
#define EFLAGS_PF      (1ul << 2)
#define EFLAGS_ZF      (1ul << 6)
#define EFLAGS_SF      (1ul << 7)
#define EFLAGS_OF      (1ul << 11)
#define MAX_INSN_LEN   15

enum store_op { OP_MOV, OP_XCHG, OP_CMPXCHG, OP_AND, OP_OR, OP_XOR, OP_BTS, OP_BTR, OP_BTC };

#define EA_NO_REG  (-1)
#define EA_RIP     (-2)

/* The memory operand: base + index * scale + disp (rip-relative: the
 * next instruction's rip + disp). */
struct mem_operand {
    int base, index;            /* register numbers, EA_NO_REG or EA_RIP */
    unsigned int scale;
    int64_t disp;
};

struct decoded_store {
    enum store_op op;
    unsigned int size;          /* operand bytes: 1, 2, 4 or 8 */
    bool has_imm;
    uint64_t imm;
    unsigned int reg;           /* ModRM.reg with REX.R: the register operand */
    bool rex;                   /* any REX: byte registers 4-7 are spl..dil */
    unsigned int rex_x, rex_b;
    struct mem_operand mem;
    unsigned int len;
};

struct insn_reader {
    uint64_t rip;
    unsigned int pos;
    bool failed;
};

static uint8_t next_byte(struct insn_reader *r)
{
    uint8_t b = 0;

    if (r->pos >= MAX_INSN_LEN || copy_from_guest(&b, guest_ptr(r->rip + r->pos), 1))
        r->failed = true;
    r->pos++;
    return b;
}

static uint64_t read_imm(struct insn_reader *r, unsigned int bytes)
{
    uint64_t v = 0;

    for (unsigned int i = 0; i < bytes; i++)
        v |= (uint64_t)next_byte(r) << (8 * i);
    /* Immediates are sign-extended to the operand size. */
    unsigned int shift = 64 - 8 * bytes;
    return (uint64_t)((int64_t)(v << shift) >> shift);
}

/* The ModRM's memory operand (SIB, displacement); false for a register
 * operand, which cannot be the faulting store. */
static bool read_memory_operand(struct insn_reader *r, uint8_t modrm, struct decoded_store *st)
{
    unsigned int mod = modrm >> 6, rm = modrm & 7;
    struct mem_operand *m = &st->mem;

    if (mod == 3)
        return false;
    m->base = (int)(rm | (st->rex_b << 3));
    m->index = EA_NO_REG;
    m->scale = 1;
    m->disp = 0;
    if (rm == 4) {
        uint8_t sib = next_byte(r);
        unsigned int index = ((sib >> 3) & 7) | (st->rex_x << 3);
        m->scale = 1u << (sib >> 6);
        m->index = index == 4 ? EA_NO_REG : (int)index;    /* rsp: no index */
        m->base = (int)((sib & 7) | (st->rex_b << 3));
        if (mod == 0 && (sib & 7) == 5) {
            m->base = EA_NO_REG;
            m->disp = (int64_t)read_imm(r, 4);
        }
    } else if (mod == 0 && rm == 5) {
        m->base = EA_RIP;
        m->disp = (int64_t)read_imm(r, 4);
    }
    if (mod == 1)
        m->disp = (int64_t)read_imm(r, 1);
    else if (mod == 2)
        m->disp = (int64_t)read_imm(r, 4);
    return true;
}

/* The group-1 ALU operations a PTE update uses (or, and, xor). */
static bool group1_op(unsigned int n, enum store_op *op)
{
    switch (n) {
    case 1: *op = OP_OR; return true;
    case 4: *op = OP_AND; return true;
    case 6: *op = OP_XOR; return true;
    default: return false;
    }
}

/*
 * The read-modify-write and store forms seen on PTEs: mov (reg, imm),
 * xchg, cmpxchg, and/or/xor (reg, imm), bts/btr/btc (imm, reg), any
 * operand size, with lock or the ds prefix Linux patches over lock on
 * one CPU.
 */
static bool decode_store(uint64_t rip, struct decoded_store *out)
{
    struct insn_reader r = { .rip = rip };
    bool opsize16 = false, rex_w = false;
    unsigned int rex_r = 0, imm_bytes = 0;
    uint8_t b = next_byte(&r);

    while (b == 0xf0 || b == 0x3e || b == 0x2e || b == 0x26 || b == 0x36 || b == 0x66) {
        opsize16 |= b == 0x66;
        b = next_byte(&r);
    }
    if ((b & 0xf0) == 0x40) {
        out->rex = true;
        rex_w = b & 8;
        rex_r = (b >> 2) & 1;
        out->rex_x = (b >> 1) & 1;
        out->rex_b = b & 1;
        b = next_byte(&r);
    }
    unsigned int full = rex_w ? 8 : opsize16 ? 2 : 4;
    bool byte_op = false;
    int group = -1;             /* ModRM.reg selects the operation */

    if (b == 0x0f) {
        b = next_byte(&r);
        switch (b) {
        case 0xb0: case 0xb1: out->op = OP_CMPXCHG; byte_op = b == 0xb0; break;
        case 0xab: out->op = OP_BTS; break;
        case 0xb3: out->op = OP_BTR; break;
        case 0xbb: out->op = OP_BTC; break;
        case 0xba: group = 0xba; imm_bytes = 1; break;
        default: return false;
        }
    } else {
        switch (b) {
        case 0x88: case 0x89: out->op = OP_MOV; byte_op = b == 0x88; break;
        case 0x86: case 0x87: out->op = OP_XCHG; byte_op = b == 0x86; break;
        case 0x08: case 0x09: out->op = OP_OR; byte_op = b == 0x08; break;
        case 0x20: case 0x21: out->op = OP_AND; byte_op = b == 0x20; break;
        case 0x30: case 0x31: out->op = OP_XOR; byte_op = b == 0x30; break;
        case 0xc6: group = 0xc6; byte_op = true; imm_bytes = 1; break;
        case 0xc7: group = 0xc6; imm_bytes = full == 2 ? 2 : 4; break;
        case 0x80: group = 0x80; byte_op = true; imm_bytes = 1; break;
        case 0x81: group = 0x80; imm_bytes = full == 2 ? 2 : 4; break;
        case 0x83: group = 0x80; imm_bytes = 1; break;
        default: return false;
        }
    }
    out->size = byte_op ? 1 : full;
    uint8_t modrm = next_byte(&r);
    if (r.failed || !read_memory_operand(&r, modrm, out))
        return false;
    unsigned int n = (modrm >> 3) & 7;
    out->reg = n | (rex_r << 3);
    if (group == 0xc6 && n == 0)
        out->op = OP_MOV;
    else if (group == 0x80 && !group1_op(n, &out->op))
        return false;
    else if (group == 0xba && (n < 5 || n > 7))
        return false;       /* bt itself never writes */
    else if (group == 0xba)
        out->op = n == 5 ? OP_BTS : n == 6 ? OP_BTR : OP_BTC;
    else if (group == 0xc6)
        return false;
    out->has_imm = imm_bytes != 0;
    if (imm_bytes)
        out->imm = read_imm(&r, imm_bytes);
    if (r.failed || r.pos > MAX_INSN_LEN)
        return false;
    out->len = r.pos;
    return true;
}

static uint64_t *reg_slot(struct cpu_regs *regs, unsigned int n)
{
    uint64_t *const slots[16] = {
        &regs->rax, &regs->rcx, &regs->rdx, &regs->rbx, &regs->rsp, &regs->rbp,
        &regs->rsi, &regs->rdi, &regs->r8, &regs->r9, &regs->r10, &regs->r11,
        &regs->r12, &regs->r13, &regs->r14, &regs->r15,
    };
    return slots[n & 15];
}

/* Where the decoded store writes (the segment bases of the prefixes the
 * decoder takes are all 0 in 64-bit mode). */
static uint64_t store_address(struct cpu_regs *regs, const struct decoded_store *st)
{
    const struct mem_operand *m = &st->mem;
    uint64_t ea = (uint64_t)m->disp;

    if (m->base == EA_RIP)
        ea += regs->rip + st->len;
    else if (m->base != EA_NO_REG)
        ea += *reg_slot(regs, (unsigned int)m->base);
    if (m->index != EA_NO_REG)
        ea += *reg_slot(regs, (unsigned int)m->index) * m->scale;
    return ea;
}

static uint64_t size_mask(unsigned int size)
{
    return size == 8 ? ~0ull : (1ull << (8 * size)) - 1;
}

/* A register operand as the instruction sees it (ah..bh without REX). */
static uint64_t reg_read(struct cpu_regs *regs, const struct decoded_store *st)
{
    if (st->size == 1 && !st->rex && st->reg >= 4 && st->reg < 8)
        return (*reg_slot(regs, st->reg - 4) >> 8) & 0xff;
    return *reg_slot(regs, st->reg) & size_mask(st->size);
}

static void reg_write(struct cpu_regs *regs, const struct decoded_store *st, unsigned int n,
                      uint64_t val)
{
    uint64_t *r;
    unsigned int shift = 0;

    if (st->size == 1 && !st->rex && n >= 4 && n < 8) {
        r = reg_slot(regs, n - 4);
        shift = 8;
    } else {
        r = reg_slot(regs, n);
    }
    if (st->size == 4) {
        *r = val & 0xffffffffull;   /* 32-bit results zero-extend */
        return;
    }
    uint64_t m = size_mask(st->size) << shift;
    *r = (*r & ~m) | ((val << shift) & m);
}

static void set_logic_flags(struct cpu_regs *regs, uint64_t res, unsigned int size)
{
    regs->rflags &= ~(EFLAGS_CF | EFLAGS_PF | EFLAGS_ZF | EFLAGS_SF | EFLAGS_OF);
    if (!res)
        regs->rflags |= EFLAGS_ZF;
    if (res >> (8 * size - 1) & 1)
        regs->rflags |= EFLAGS_SF;
    if (!__builtin_parity((unsigned int)(res & 0xff)))
        regs->rflags |= EFLAGS_PF;
}

/* The L1 table the guest wrote: what the faulting address maps, if it is
 * mapped read-only and in use as an L1. */
static bool written_l1(struct pv_mm_vcpu *v, uint64_t cr2, uint64_t *l1_mfn)
{
    uint64_t map_l1;
    unsigned int slot;

    if (pv_find_l1_slot(v, cr2, &map_l1, &slot))
        return false;
    const uint64_t *t = frame_map(map_l1);
    uint64_t pte = t[slot];
    frame_unmap((void *)t);
    if (!pte_present(pte) || (pte & PTE_RW))
        return false;
    *l1_mfn = pte_mfn(pte);
    return page_type_in_use(*l1_mfn) == PGT_l1_page_table;
}

unsigned int pv_ptwr_fault(struct pv_mm_vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                           uint32_t ec)
{
    struct decoded_store st = { 0 };
    uint64_t l1_mfn;

    if ((ec & (PF_EC_PRESENT | PF_EC_WRITE | PF_EC_RSVD | PF_EC_FETCH)) !=
        (PF_EC_PRESENT | PF_EC_WRITE))
        return 0;
    if (!written_l1(v, cr2, &l1_mfn) || !decode_store(regs->rip, &st))
        return 0;
    /* The operand must lie within one entry; the entry is what changes. */
    unsigned int off = (unsigned int)(cr2 & 7);
    if (off + st.size > 8)
        return 0;

    const uint64_t *t = frame_map(l1_mfn);
    uint64_t old_entry = t[(cr2 & (PT_PAGE_SIZE - 1)) / 8];
    frame_unmap((void *)t);
    uint64_t mask = size_mask(st.size);
    uint64_t cur = (old_entry >> (8 * off)) & mask;
    uint64_t src = (st.has_imm ? st.imm : reg_read(regs, &st)) & mask;
    uint64_t res;
    bool write = true;

    switch (st.op) {
    case OP_MOV: case OP_XCHG: res = src; break;
    case OP_AND: res = cur & src; break;
    case OP_OR: res = cur | src; break;
    case OP_XOR: res = cur ^ src; break;
    case OP_CMPXCHG:
        res = src;
        write = cur == (regs->rax & mask);
        break;
    default: {                  /* bts, btr, btc */
        if (!st.has_imm && src >= 8 * st.size)
            return 0;       /* a register bit offset may leave the operand */
        uint64_t bit = 1ull << (src & (8 * st.size - 1));
        res = st.op == OP_BTS ? cur | bit : st.op == OP_BTR ? cur & ~bit : cur ^ bit;
        break;
    }
    }
    if (write) {
        uint64_t entry = (old_entry & ~(mask << (8 * off))) | (res << (8 * off));
        if (pv_ptwr_emulate(v, cr2 & ~7ull, l1_mfn, entry, false, NULL) < 0)
            return 0;
    }

    switch (st.op) {
    case OP_XCHG:
        reg_write(regs, &st, st.reg, cur);
        break;
    case OP_CMPXCHG:
        regs->rflags &= ~EFLAGS_ZF;
        if (write)
            regs->rflags |= EFLAGS_ZF;
        else
            reg_write(regs, &st, 0, cur);
        break;
    case OP_AND: case OP_OR: case OP_XOR:
        set_logic_flags(regs, res, st.size);
        break;
    case OP_BTS: case OP_BTR: case OP_BTC:
        regs->rflags &= ~EFLAGS_CF;
        if ((cur >> (src & (8 * st.size - 1))) & 1)
            regs->rflags |= EFLAGS_CF;
        break;
    default:
        break;
    }
    return st.len;
}

/*
 * Read-only I/O memory (pt_iomem_access says IOMEM_READ_ONLY: the
 * IO-APICs, the HPET).  As Xen 4.17 emulates such a write for the
 * hardware domain: a plain store (mov), naturally aligned, that writes
 * exactly at cr2 is dropped and the guest goes on; anything else, a
 * read-modify-write among them, is the guest's page fault.
 */
unsigned int pv_mmio_ro_fault(struct pv_mm_vcpu *v, struct cpu_regs *regs, uint64_t cr2,
                              uint32_t ec)
{
    struct decoded_store st = { 0 };
    uint64_t l1;
    unsigned int slot;

    if ((ec & (PF_EC_PRESENT | PF_EC_WRITE | PF_EC_RSVD | PF_EC_FETCH)) !=
        (PF_EC_PRESENT | PF_EC_WRITE))
        return 0;
    if (pv_find_l1_slot(v, cr2, &l1, &slot))
        return 0;
    const uint64_t *t = frame_map(l1);
    uint64_t pte = t[slot];
    frame_unmap((void *)t);
    if (!pte_present(pte) || (pte & PTE_RW) || !pt_frame_is_iomem(pte_mfn(pte)) ||
        pt_iomem_access(v->d, pte_mfn(pte)) != IOMEM_READ_ONLY)
        return 0;
    if (!decode_store(regs->rip, &st) || st.op != OP_MOV || (cr2 & (st.size - 1)) ||
        store_address(regs, &st) != cr2)
        return 0;
    return st.len;
}
