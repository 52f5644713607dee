/*
 * Bringing up the other CPUs.  The MADT lists the CPUs' APIC ids; each
 * one gets INIT, then two STARTUP IPIs (the classic sequence: the second
 * covers CPUs that miss the first), starts in the trampoline
 * (boot/trampoline.S) and arrives in ap_start() in long mode on its own
 * stack.  There it loads its own GDT/TSS, the IDT and the hypervisor's
 * page tables, sets up its local APIC, says it is online and idles,
 * taking IPIs.  Each new CPU's TSC is compared with the boot CPU's
 * before the next one starts (time.c), so that guests learn whether their
 * PV clock is stable.
 */
#include <string.h>
#include "arch/x86/apic.h"
#include "arch/x86/arch_ops.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/ipi.h"
#include "arch/x86/madt.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/smpboot.h"
#include "arch/x86/smpboot_layout.h"
#include "arch/x86/time.h"
#include "lib/printk.h"

/* How long to wait for a started CPU to say it is online.  Generous:
 * under QEMU's TCG a CPU can take a while to be scheduled. */
#define AP_START_TIMEOUT_MS 2000

extern const unsigned char trampoline_start[], trampoline_end[], trampoline_params[];

struct trampoline_params {
    uint64_t cr3, efer, stack, entry;
};

/* The trampoline's page tables: the hypervisor's L4 plus an identity map
 * of the first 2 MiB, so the instruction after enabling paging is still
 * mapped.  In the image, hence below 4 GiB as a 32-bit CR3 must be. */
static uint64_t ap_l4[512] __attribute__((aligned(4096)));
static uint64_t ap_l3_low[512] __attribute__((aligned(4096)));
static uint64_t ap_l2_low[512] __attribute__((aligned(4096)));

/* Control registers the secondary CPUs copy from the boot CPU. */
static uint64_t bsp_cr0, bsp_cr4, bsp_cr3;

void ap_start(void) __attribute__((noreturn));

void ap_start(void)
{
    unsigned int cpu = smp_processor_id();

    /* The final tables leave out the identity map the trampoline needed. */
    write_cr3(bsp_cr3);
    write_cr0(bsp_cr0);
    write_cr4(bsp_cr4);
    gdt_init_cpu(cpu);
    idt_load();
    apic_init_secondary();
    percpu_area[cpu].cpu = cpu;
    percpu_area[cpu].apic_id = apic_current_id();
    time_init_secondary();
    __atomic_store_n(&percpu_area[cpu].online, true, __ATOMIC_RELEASE);
    tsc_sync_secondary(cpu);
    /* Idle until the scheduler hands this CPU a vCPU (VCPUOP_up). */
    arch_ops->secondary_idle();
}

static void build_trampoline_tables(void)
{
    const uint64_t *hv_l4 = paging_hypervisor_l4();

    memcpy(ap_l4, hv_l4, sizeof(ap_l4));
    ap_l2_low[0] = 0x0 | PTE_PRESENT | PTE_WRITE | PTE_PSE;
    ap_l3_low[0] = image_virt_to_phys(ap_l2_low) | PTE_PRESENT | PTE_WRITE;
    ap_l4[0] = image_virt_to_phys(ap_l3_low) | PTE_PRESENT | PTE_WRITE;
}

static bool wait_online(unsigned int cpu, unsigned int ms)
{
    uint64_t deadline = time_now_ns() + (uint64_t)ms * 1000000;

    while (time_now_ns() < deadline) {
        if (__atomic_load_n(&percpu_area[cpu].online, __ATOMIC_ACQUIRE))
            return true;
        cpu_relax();
    }
    return false;
}

static bool start_cpu(unsigned int cpu, uint32_t apic_id)
{
    struct trampoline_params *params =
        phys_to_virt(TRAMPOLINE_PHYS + (uint64_t)(trampoline_params - trampoline_start));

    params->cr3 = image_virt_to_phys(ap_l4);
    params->efer = rdmsr(MSR_EFER);
    params->stack = percpu_stack_top(cpu);
    params->entry = (uint64_t)(uintptr_t)ap_start;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);

    if (!apic_send_ipi(apic_id, APIC_DM_INIT | APIC_ICR_ASSERT))
        return false;
    udelay(10000);
    for (int i = 0; i < 2; i++) {
        if (!apic_send_ipi(apic_id, APIC_DM_STARTUP | TRAMPOLINE_VECTOR))
            return false;
        udelay(200);
        if (__atomic_load_n(&percpu_area[cpu].online, __ATOMIC_ACQUIRE))
            return true;
    }
    return wait_online(cpu, AP_START_TIMEOUT_MS);
}

static void start_secondary_cpus(unsigned int max_cpus)
{
    uint32_t ids[NR_CPUS * 4];
    unsigned int count, next = 1;
    const char *why;
    uint32_t bsp_id = apic_current_id();
    size_t tramp_len = (size_t)(trampoline_end - trampoline_start);
    static unsigned char saved_low_page[4096];

    percpu_area[0].cpu = 0;
    percpu_area[0].apic_id = bsp_id;
    percpu_area[0].online = true;
    ipi_init();

    if (max_cpus > NR_CPUS)
        max_cpus = NR_CPUS;
    if (madt_cpu_apic_ids(ids, sizeof(ids) / sizeof(ids[0]), &count, &why)) {
        printk(LOG_WARNING, "SMP: %s; running on the boot CPU only", why);
        return;
    }
    printk(LOG_INFO, "SMP: the MADT lists %u CPU%s; boot CPU has APIC id %u",
           count, count == 1 ? "" : "s", bsp_id);
    if (count <= 1 || max_cpus <= 1) {
        printk(LOG_INFO, "SMP: 1 CPU online");
        return;
    }

    _Static_assert(TRAMPOLINE_PHYS + 4096 <= 0x100000, "trampoline below 1 MiB");
    if (tramp_len > sizeof(saved_low_page)) {
        printk(LOG_ERR, "SMP: the trampoline (%zu bytes) exceeds a page; boot CPU only",
               tramp_len);
        return;
    }
    bsp_cr0 = read_cr0();
    bsp_cr4 = read_cr4();
    bsp_cr3 = read_cr3();
    build_trampoline_tables();
    memcpy(saved_low_page, phys_to_virt(TRAMPOLINE_PHYS), sizeof(saved_low_page));
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), trampoline_start, tramp_len);

    for (unsigned int i = 0; i < count && i < sizeof(ids) / sizeof(ids[0]); i++) {
        if (ids[i] == bsp_id)
            continue;
        if (next >= max_cpus) {
            printk(LOG_INFO, "SMP: APIC id %u left offline (limit of %u CPUs)",
                   ids[i], max_cpus);
            continue;
        }
        if (start_cpu(next, ids[i])) {
            printk(LOG_INFO, "CPU%u up (APIC id %u)", next, percpu_area[next].apic_id);
            tsc_sync_check_cpu(next);
        } else {
            printk(LOG_ERR, "CPU with APIC id %u did not come up; continuing without it",
                   ids[i]);
            /* It may still come up late, with a TSC nobody compared. */
            tsc_sync_unchecked(next);
        }
        /* A CPU that is merely late still owns the stack it was given:
         * never hand that slot to another one. */
        next++;
    }
    memcpy(phys_to_virt(TRAMPOLINE_PHYS), saved_low_page, sizeof(saved_low_page));
    printk(LOG_INFO, "SMP: %u CPUs online", cpus_online());
}

void smp_boot_cpus(unsigned int max_cpus)
{
    start_secondary_cpus(max_cpus);
    tsc_sync_report();
}
