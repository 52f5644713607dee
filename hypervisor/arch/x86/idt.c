/*
 * The IDT points every vector at its stub in entry.S; all are interrupt
 * gates so handlers start with interrupts off.  A ring-3 PV guest may
 * raise #BP (int3), #OF (into) and the hypercall vector itself, so those
 * gates are DPL 3; its `int n` on any other vector becomes a #GP that the
 * hypervisor decodes.
 */
#include "arch/x86/desc.h"

struct idt_gate {
    uint16_t offset_low;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr;
    uint16_t offset_mid;
    uint32_t offset_high;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "64-bit IDT gate");

#define GATE_INTERRUPT_DPL0  0x8e
#define GATE_INTERRUPT_DPL3  0xee
#define ENTRY_STUB_SIZE      16

extern const unsigned char entry_stubs[], entry_stubs_end[];

static struct idt_gate idt[256] __attribute__((aligned(16)));

static bool guest_may_raise(unsigned int vector)
{
    return vector == 3 || vector == 4 || vector == HYPERCALL_VECTOR;
}

static unsigned int ist_for_vector(unsigned int vector)
{
    switch (vector) {
    case 2:  return IST_NMI;
    case 8:  return IST_DOUBLE_FAULT;
    case 18: return IST_MACHINE_CHECK;
    default: return 0;
    }
}

void idt_load(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) descr;

    descr.limit = sizeof(idt) - 1;
    descr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" : : "m"(descr) : "memory");
}

void idt_init(void)
{

    for (unsigned int v = 0; v < 256; v++) {
        uint64_t target = (uint64_t)(uintptr_t)(entry_stubs + v * ENTRY_STUB_SIZE);

        idt[v].offset_low = target & 0xffff;
        idt[v].selector = HYPERVISOR_CS;
        idt[v].ist = (uint8_t)ist_for_vector(v);
        idt[v].type_attr = guest_may_raise(v) ? GATE_INTERRUPT_DPL3
                                             : GATE_INTERRUPT_DPL0;
        idt[v].offset_mid = (target >> 16) & 0xffff;
        idt[v].offset_high = (uint32_t)(target >> 32);
        idt[v].reserved = 0;
    }
    idt_load();
}
