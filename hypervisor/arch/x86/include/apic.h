/*
 * The local APIC, in whichever mode the firmware left it: xAPIC through
 * uncached MMIO, or x2APIC through MSRs if it is already enabled.
 */
#ifndef SUBFLOOR_APIC_H
#define SUBFLOOR_APIC_H

#include <stdint.h>

#define APIC_ID          0x020
#define APIC_VERSION     0x030
#define APIC_TPR         0x080
#define APIC_EOI         0x0b0
#define APIC_SVR         0x0f0
#define APIC_ESR         0x280
#define APIC_LVT_TIMER   0x320
#define APIC_LVT_LINT0   0x350
#define APIC_LVT_LINT1   0x360
#define APIC_LVT_ERROR   0x370
#define APIC_TIMER_INIT  0x380
#define APIC_TIMER_CUR   0x390
#define APIC_TIMER_DIV   0x3e0

#define APIC_LVT_MASKED        (1u << 16)
#define APIC_TIMER_PERIODIC    (1u << 17)
#define APIC_SVR_ENABLE        (1u << 8)

void apic_init(void);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t value);
void apic_eoi(void);

#endif
