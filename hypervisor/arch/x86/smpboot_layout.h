/* Where the secondary-CPU trampoline runs; shared by assembly and C. */
#ifndef SUBFLOOR_SMPBOOT_LAYOUT_H
#define SUBFLOOR_SMPBOOT_LAYOUT_H

/* A STARTUP IPI vector names a 4 KiB page below 1 MiB; this one is
 * conventional memory that neither the BIOS data area, the EBDA nor the
 * option ROMs use.  Its old contents are put back once CPUs are up. */
#define TRAMPOLINE_PHYS     0x8000
#define TRAMPOLINE_VECTOR   (TRAMPOLINE_PHYS >> 12)

#endif
