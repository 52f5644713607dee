/* Check that module 0 is a 64-bit PV kernel, through the ELF loader. */
#include "arch/x86/paging.h"
#include "common/dom0_probe.h"
#include "common/elf.h"
#include "lib/printk.h"

static void print_string_note(const char *label, const struct xen_elfnotes *n,
                              unsigned int type, const struct xen_elfnote_string *s)
{
    if (xen_elfnotes_has(n, type))
        printk(LOG_INFO, "  %s: %.*s", label, (int)s->len, s->s);
}

int dom0_probe(const struct boot_info *bi)
{
    const struct boot_module *m = &bi->modules[0];
    struct elf_image img;
    struct xen_elfnotes notes;
    const char *why;

    if (bi->nr_modules == 0) {
        printk(LOG_WARNING, "no dom0 kernel given (no multiboot modules): nothing to start");
        return -1;
    }
    uint64_t size = m->end - m->start;
    if (!directmap_covers(m->start, size)) {
        printk(LOG_ERR, "module 0 '%s': not a PV kernel: it lies outside RAM", m->name);
        return -1;
    }
    if (elf_open(&img, phys_to_virt(m->start), size, &why) ||
        elf_xen_notes(&img, &notes, &why)) {
        printk(LOG_ERR, "module 0 '%s': not a PV kernel: %s", m->name, why);
        return -1;
    }

    uint64_t entry = xen_elfnotes_has(&notes, XEN_ELFNOTE_ENTRY) ? notes.entry : img.entry;
    const struct xen_elfnote_string *os = &notes.guest_os;
    printk(LOG_INFO, "dom0 kernel: ELF64, entry %#lx, virt_base %#lx, guest_os %.*s",
           entry, notes.virt_base,
           xen_elfnotes_has(&notes, XEN_ELFNOTE_GUEST_OS) ? (int)os->len : 1,
           xen_elfnotes_has(&notes, XEN_ELFNOTE_GUEST_OS) ? os->s : "?");
    print_string_note("xen_version", &notes, XEN_ELFNOTE_XEN_VERSION, &notes.xen_version);
    print_string_note("features", &notes, XEN_ELFNOTE_FEATURES, &notes.features);
    if (xen_elfnotes_has(&notes, XEN_ELFNOTE_HYPERCALL_PAGE))
        printk(LOG_INFO, "  hypercall_page: %#lx", notes.hypercall_page);
    printk(LOG_INFO, "  %u loadable segments, physical extent %#lx-%#lx",
           elf_segment_count(&img), img.paddr_start, img.paddr_end);
    return 0;
}
