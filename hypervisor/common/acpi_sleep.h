/*
 * XENPF_enter_acpi_sleep: how Linux dom0 powers the machine off (its
 * ACPI driver computes the PM1 values and hands them to the hypervisor
 * rather than writing the ports itself).
 */
#ifndef SUBFLOOR_ACPI_SLEEP_H
#define SUBFLOOR_ACPI_SLEEP_H

#include <stdint.h>
#include "public/platform.h"   /* XENPF_ACPI_SLEEP_EXTENDED */

/* Xen 4.17's struct xenpf_enter_acpi_sleep (interface >= 0x00040300). */
struct xenpf_enter_acpi_sleep {
    uint16_t val_a;         /* PM1a_CNT value (or sleep control, extended) */
    uint16_t val_b;         /* PM1b_CNT value (or sleep status, extended) */
    uint32_t sleep_state;   /* ACPI S-state, 1-5 */
    uint32_t flags;
};

/* 0 never (S5 powers off), or a negated Xen errno. */
long acpi_enter_sleep(const struct xenpf_enter_acpi_sleep *s);

#endif
