/* Inspection of the dom0 kernel module (building dom0 comes later). */
#ifndef SUBFLOOR_DOM0_PROBE_H
#define SUBFLOOR_DOM0_PROBE_H

#include "arch/x86/boot_info.h"

/* Log what module 0 is: a PV kernel (with its Xen notes) or why not.
 * Returns 0 for a usable PV kernel, -1 otherwise (including no module). */
int dom0_probe(const struct boot_info *bi);

#endif
