/*
 * Building dom0 from the multiboot modules (module 0: the PV kernel, an
 * uncompressed ELF64 vmlinux with Xen notes; module 1, optional: the
 * initrd) and starting it.
 */
#ifndef SUBFLOOR_DOM0_BUILD_H
#define SUBFLOOR_DOM0_BUILD_H

#include "arch/x86/boot_info.h"
#include "common/domain.h"

/* Build dom0; dom0_mem is the boot option's value (NULL: default),
 * max_vcpus dom0_max_vcpus= (0: one vCPU; never more than CPUs online,
 * since each vCPU has a CPU of its own, scheduler.h).  Only vCPU 0 starts.
 * Returns the domain, or NULL after logging what was wrong. */
struct domain *dom0_build(const struct boot_info *bi, const char *dom0_mem,
                          unsigned int max_vcpus);

/* Enter dom0's vCPU 0 at its entry point, at ring 3.  Never returns: from
 * here on the hypervisor only runs when the guest traps into it. */
__attribute__((noreturn)) void dom0_start(struct domain *d);

#endif
