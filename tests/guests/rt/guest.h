/*
 * The runtime every test guest links against.  A guest provides
 * guest_main(); the runtime has by then installed a trap table and the
 * event/failsafe callbacks, and afterwards prints the final result line
 * and powers the domain off.
 */
#ifndef GUEST_RT_GUEST_H
#define GUEST_RT_GUEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>

#include "hypercall.h"

#define PAGE_SIZE 4096UL
#define GUEST_VIRT_BASE 0xffffffff80000000UL

/* Set before guest_main runs. */
extern start_info_t *start_info;
extern shared_info_t *shared_info;

/* Each guest: its checks, run in order.  Its name heads every line. */
void guest_main(void);
extern const char guest_name[];

/* Console output through console_io(CONSOLEIO_write). */
void con_write(const char *s, size_t len);
void con_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void con_vprintf(const char *fmt, va_list ap);
/* %s %c %d %i %u %x %p, with l/ll/z, width, zero-pad, # (0x), .N for %s. */
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Checks: each prints "PASS: name" or "FAIL: name: detail". */
bool check(bool ok, const char *name, const char *detail_fmt, ...)
    __attribute__((format(printf, 3, 4)));
bool check_eq(const char *name, long got, long want);
/* Prints "RESULT: PASS n/n" or "RESULT: FAIL k/n" and powers off. */
__attribute__((noreturn)) void rt_finish(void);
/* A check the guest cannot continue after: counts as a failure, finishes. */
__attribute__((noreturn)) void rt_abort(const char *why);

__attribute__((noreturn)) void rt_shutdown(unsigned int reason);

/* Pseudo-physical / machine helpers over the p2m list and the M2P. */
static inline unsigned long pfn_to_mfn(unsigned long pfn)
{
    return ((unsigned long *)start_info->mfn_list)[pfn];
}
static inline unsigned long virt_to_pfn(const void *va)
{
    return ((unsigned long)va - GUEST_VIRT_BASE) >> 12;
}
static inline unsigned long virt_to_mfn(const void *va)
{
    return pfn_to_mfn(virt_to_pfn(va));
}
static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return ((uint64_t)hi << 32) | lo;
}

void *rt_memset(void *dst, int c, size_t n);
void *rt_memcpy(void *dst, const void *src, size_t n);
size_t rt_strlen(const char *s);
int rt_strncmp(const char *a, const char *b, size_t n);

#endif
