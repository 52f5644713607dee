/*
 * start_subfloor(): the boot sequence, from the first C instruction to
 * power-off.  Order matters: traps first so any fault is reported, then
 * the command line (console, log level), then memory, then interrupts.
 */
#include <string.h>
#include "arch/x86/apic.h"
#include "arch/x86/arch_ops.h"
#include "arch/x86/boot_alloc.h"
#include "arch/x86/boot_info.h"
#include "arch/x86/cpu.h"
#include "arch/x86/desc.h"
#include "arch/x86/ipi.h"
#include "arch/x86/paging.h"
#include "arch/x86/percpu.h"
#include "arch/x86/pic.h"
#include "arch/x86/power.h"
#include "arch/x86/serial.h"
#include "arch/x86/smpboot.h"
#include "arch/x86/time.h"
#include "common/boot_options.h"
#include "common/console_input.h"
#include "common/dom0_probe.h"
#include "common/domain.h"
#include "common/hypercall.h"
#include "common/memory_op.h"
#include "common/pv_ops.h"
#include "common/scheduler.h"
#include "common/selftest.h"
#include "common/serial_input.h"
#include "lib/console.h"
#include "lib/format.h"
#include "lib/panic.h"
#include "lib/printk.h"
#include "mm/frame_table.h"
#include "mm/xmalloc.h"
#include "pv/dom0_build.h"
#include "pv/pv_traps.h"

#ifndef SUBFLOOR_VERSION
#error "SUBFLOOR_VERSION must come from the build (configure's PACKAGE_VERSION)"
#endif

#define MIN_RAM_MIB 64

extern const unsigned char __image_start[], __image_end[];

static struct boot_info boot_info;
static struct boot_options boot_options;
static struct memmap full_map;      /* sanitised: what the direct map covers */
static struct memmap usable_map;    /* also clipped by mem=: what we allocate */

void start_subfloor(uint32_t magic, uint32_t info_phys) __attribute__((noreturn));

static uint64_t boot_page_table_frame(void)
{
    return boot_alloc_frames(1, PAGE_SIZE, BOOT_MAPPED_LIMIT);
}

static void print_memmap(const char *title, const struct memmap *m)
{
    printk(LOG_INFO, "%s:", title);
    for (unsigned int i = 0; i < m->n; i++)
        printk(LOG_INFO, "  %016lx - %016lx (%s)", m->e[i].base,
               m->e[i].base + m->e[i].len, memmap_type_name(m->e[i].type));
}

static void print_modules(const struct boot_info *bi)
{
    printk(LOG_INFO, "multiboot modules: %u", bi->nr_modules);
    for (unsigned int i = 0; i < bi->nr_modules; i++) {
        const struct boot_module *m = &bi->modules[i];
        printk(LOG_INFO, "  module %u: '%s' %016lx-%016lx (%lu bytes) cmdline '%s'",
               i, m->name, m->start, m->end, m->end - m->start, m->cmdline);
    }
}

static void memory_init(struct boot_info *bi, const struct boot_options *opts)
{
    const char *why;

    char title[80];

    snprintf(title, sizeof(title), "Memory map (%s, as given)", bi->memmap_source);
    print_memmap(title, &bi->memmap);
    full_map = bi->memmap;
    if (memmap_sanitize(&full_map, &why))
        panic("memory map unusable: %s", why);
    usable_map = full_map;
    if (opts->mem_limit) {
        memmap_clip(&usable_map, opts->mem_limit);
        printk(LOG_INFO, "mem=%lu MiB: RAM above it is left unused", opts->mem_limit >> 20);
    }
    print_memmap("Memory map (sanitised)", &usable_map);
    memory_op_set_machine_map(&usable_map);

    uint64_t ram_mib = memmap_ram_bytes(&usable_map) >> 20;
    if (ram_mib < MIN_RAM_MIB) {
        printk(LOG_ERR, "Subfloor needs at least %u MiB of RAM; this machine has %lu MiB",
               MIN_RAM_MIB, ram_mib);
        machine_power_off();
    }

    boot_alloc_init(&usable_map);
    boot_reserve(0, 0x100000, "first MiB (BIOS and real-mode data)");
    boot_reserve((uintptr_t)__image_start - IMAGE_VIRT_BASE,
                 (uintptr_t)__image_end - IMAGE_VIRT_BASE, "hypervisor image");

    uint64_t ft_bytes;
    uint64_t ft_phys = frame_table_alloc(&usable_map, &ft_bytes);
    paging_init(&full_map, ft_phys, ft_bytes, boot_page_table_frame);
    printk(LOG_INFO, "Reserved memory:");
    boot_reserved_print();
    frame_table_init_allocator(&usable_map);
    xmalloc_init();
    if (xmalloc_selfcheck())
        panic("the heap failed its self-check");
}

void start_subfloor(uint32_t magic, uint32_t info_phys)
{
    const char *why;

    console_set_ops(&serial_com1_console);
    panic_set_ops(&arch_panic_ops);
    arch_set_ops(&pv_arch_ops);
    pv_set_ops(&pv_common_ops);
    gdt_init();
    idt_init();
    paging_drop_identity_map();

    printk(LOG_INFO, "Subfloor " SUBFLOOR_VERSION " (gcc " __VERSION__ ", built " __DATE__ " " __TIME__ ")");
    if (multiboot_parse(magic, info_phys, &boot_info, &why))
        panic("multiboot: %s", why);
    printk(LOG_INFO, "Command line: %s", boot_info.cmdline);
    if (boot_info.image_name[0])
        printk(LOG_INFO, "Image: %s", boot_info.image_name);
    if (boot_info.loader_name[0])
        printk(LOG_INFO, "Boot loader: %s", boot_info.loader_name);

    boot_options_parse(boot_info.cmdline, &boot_options);
    printk_set_console_level(boot_options.loglvl);
    if (boot_options.debug_exit_set)
        power_set_debug_exit_port((uint16_t)boot_options.debug_exit);
    power_set_noreboot(boot_options.noreboot);
    console_start(boot_options.console);

    print_modules(&boot_info);
    memory_init(&boot_info, &boot_options);

    pic_disable();
    apic_init();
    time_init();
    time_show_ticks(100);
    serial_input_init();
    if (boot_options.tsc_unstable)
        tsc_force_unstable();       /* before bring-up reports the verdict */
    smp_boot_cpus(boot_options.nosmp ? 1 :
                  boot_options.maxcpus && boot_options.maxcpus < NR_CPUS ?
                  (unsigned int)boot_options.maxcpus : NR_CPUS);
    sched_init(cpus_online());
    if (!ipi_selftest())
        printk(LOG_ERR, "SMP: IPIs between CPUs do not work; expect trouble on other CPUs");

    selftest_run(boot_options.selftest);

    hypercall_set_trace(boot_options.hypercall_trace);
    domain_set_teardown_audit(boot_options.teardown_audit);
    if (boot_options.teardown_audit)
        printk(LOG_INFO, "teardown_audit: dom0 is torn down and its counts audited when it stops");
    sched_halt_poll_ns = boot_options.halt_poll_us * 1000;
    if (sched_halt_poll_ns)
        printk(LOG_INFO, "halt_poll: an idle CPU watches for work %lu us before halting",
               boot_options.halt_poll_us);
    else
        printk(LOG_INFO, "halt_poll: off, an idle CPU halts at once");
    version_set_commandline(boot_info.cmdline);
    if (dom0_probe(&boot_info) == 0) {
        struct domain *dom0 = dom0_build(&boot_info,
                                         boot_options.dom0_mem[0] ? boot_options.dom0_mem : NULL,
                                         (unsigned int)boot_options.dom0_max_vcpus);
        if (dom0) {
            console_input_endboot(dom0);
            dom0_start(dom0);
        }
        printk(LOG_ERR, "dom0 could not be built: nothing to run");
    }
    machine_power_off();
}
