/*
 * The local APIC, in whichever mode the firmware left it: xAPIC through
 * uncached MMIO, or x2APIC through MSRs if it is already enabled.
 */
#ifndef SUBFLOOR_APIC_H
#define SUBFLOOR_APIC_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_ID          0x020
#define APIC_VERSION     0x030
#define APIC_TPR         0x080
#define APIC_EOI         0x0b0
#define APIC_SVR         0x0f0
#define APIC_ESR         0x280
#define APIC_ICR_LOW     0x300
#define APIC_ICR_HIGH    0x310
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
/* The same setup on another CPU, once apic_init has run on the first. */
void apic_init_secondary(void);
/* This CPU's APIC id (8 bits in xAPIC mode, 32 in x2APIC mode). */
uint32_t apic_current_id(void);

/* Interrupt command register: delivery modes and flags of its low word. */
#define APIC_DM_FIXED        (0u << 8)
#define APIC_DM_NMI          (4u << 8)
#define APIC_DM_INIT         (5u << 8)
#define APIC_DM_STARTUP      (6u << 8)
#define APIC_ICR_BUSY        (1u << 12)
#define APIC_ICR_ASSERT      (1u << 14)

/* Send an interprocessor interrupt to one APIC id (physical destination);
 * icr_low carries the delivery mode and vector.  Returns false if the
 * xAPIC never accepted it (delivery still pending after ~1 s). */
bool apic_send_ipi(uint32_t apic_id, uint32_t icr_low);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t value);
void apic_eoi(void);

#endif
