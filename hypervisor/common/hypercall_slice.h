/*
 * What a vCPU's hypercall in progress has done so far: the state behind
 * continuations (continuation.h).  Its own header so that struct vcpu
 * (domain.h) can hold it without the functions that need struct vcpu.
 */
#ifndef SUBFLOOR_HYPERCALL_SLICE_H
#define SUBFLOOR_HYPERCALL_SLICE_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/regs.h"

struct hypercall_slice {
    struct cpu_regs *regs;      /* the guest frame of the hypercall */
    unsigned int units;         /* work charged in this slice */
    bool continued;             /* the guest re-issues it (rip went back) */
    bool in_multicall;          /* running a multicall's entry */
    bool entry_continued;       /* that entry left a continuation ... */
    uint64_t entry_args[5];     /* ... with these arguments */
};

#endif
