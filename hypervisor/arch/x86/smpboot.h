/* Secondary-CPU bring-up (smpboot.c). */
#ifndef SUBFLOOR_SMPBOOT_H
#define SUBFLOOR_SMPBOOT_H

/* Start every CPU the MADT lists, up to max_cpus in all (the boot CPU
 * included); each idles once up.  Logs "CPUn up (APIC id m)" per CPU.
 * Needs the final page tables, the APIC, time and interrupts set up. */
void smp_boot_cpus(unsigned int max_cpus);

#endif
