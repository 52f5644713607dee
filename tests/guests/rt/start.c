/*
 * Start of day and end of run for every test guest: map shared_info,
 * install traps and callbacks, run the guest's checks, print the result
 * line the runner keys on, power off.
 */
#include <public/sched.h>

#include "guest.h"
#include "traps.h"

start_info_t *start_info;
shared_info_t *shared_info;
enum hcall_route hcall_route = HCALL_PAGE;

/* A page of our image whose mapping is replaced by shared_info. */
static char shared_info_window[PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));

static unsigned int checks_run, checks_failed;

#define PTE_PRESENT  0x001UL
#define PTE_RW       0x002UL
#define PTE_USER     0x004UL
#define PTE_ACCESSED 0x020UL
#define PTE_DIRTY    0x040UL

__attribute__((noreturn)) void rt_shutdown(unsigned int reason)
{
    struct sched_shutdown sd = { .reason = reason };

    for (;;)
        hyp_sched_op(SCHEDOP_shutdown, &sd);
}

static void map_shared_info(void)
{
    uint64_t pte = start_info->shared_info | PTE_PRESENT | PTE_RW | PTE_USER |
                   PTE_ACCESSED | PTE_DIRTY;
    long rc = hyp_update_va_mapping((unsigned long)shared_info_window, pte, UVMF_INVLPG);

    if (rc) {
        con_printf("FAIL: runtime: mapping shared_info at %p returned %ld\n",
                   (void *)shared_info_window, rc);
        rt_abort("no shared_info");
    }
    shared_info = (shared_info_t *)shared_info_window;
}

void rt_start(start_info_t *si)
{
    start_info = si;
    con_printf("GUEST: %s starting\n", guest_name);
    map_shared_info();
    rt_install_traps();
    guest_main();
    rt_finish();
}

bool check(bool ok, const char *name, const char *detail_fmt, ...)
{
    checks_run++;
    if (ok) {
        con_printf("PASS: %s\n", name);
        return true;
    }
    checks_failed++;

    char detail[300];
    va_list ap;
    va_start(ap, detail_fmt);
    rt_vsnprintf(detail, sizeof(detail), detail_fmt, ap);
    va_end(ap);
    con_printf("FAIL: %s: %s\n", name, detail);
    return false;
}

bool check_eq(const char *name, long got, long want)
{
    return check(got == want, name, "got %ld (%#lx), want %ld (%#lx)", got,
                 (unsigned long)got, want, (unsigned long)want);
}

__attribute__((noreturn)) void rt_finish(void)
{
    if (checks_failed)
        con_printf("RESULT: FAIL %u/%u\n", checks_failed, checks_run);
    else
        con_printf("RESULT: PASS %u/%u\n", checks_run, checks_run);
    rt_shutdown(SHUTDOWN_poweroff);
}

__attribute__((noreturn)) void rt_abort(const char *why)
{
    checks_run++;
    checks_failed++;
    con_printf("FAIL: %s: guest cannot continue\n", why);
    rt_finish();
}
