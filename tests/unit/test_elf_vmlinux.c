/*
 * The ELF loader on Debian's real kernel: the uncompressed vmlinux of the
 * package linux-image-amd64 depends on, named by SUBFLOOR_VMLINUX.  Only
 * facts that hold for every Debian 6.1 kernel are asserted, never the
 * exact version (see docs/linux-pv-guest.md 1.1-1.2).
 * Without the variable the test reports a TAP skip, not a pass.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "common/elf.h"

#define KERNEL_PADDR     0x1000000ull            /* CONFIG_PHYSICAL_START */
#define VIRT_BASE        0xffffffff80000000ull   /* __START_KERNEL_map */
#define HV_START_LOW     0xffff800000000000ull
#define XENFEAT_dom0     11

static unsigned char *kernel;
static size_t kernel_size;
static const char *kernel_path;
static const char *load_error;

static void load_kernel(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        load_error = strerror(errno);
        return;
    }
    if (fseek(f, 0, SEEK_END) == 0) {
        long len = ftell(f);
        rewind(f);
        if (len > 0) {
            kernel = malloc((size_t)len);
            if (kernel && fread(kernel, 1, (size_t)len, f) == (size_t)len)
                kernel_size = (size_t)len;
        }
    }
    if (!kernel_size)
        load_error = "could not read the file";
    fclose(f);
}

static struct elf_image img;
static struct xen_elfnotes notes;

static void open_kernel(void)
{
    const char *why = NULL;
    ck_assert_msg(kernel_size > 0, "cannot read SUBFLOOR_VMLINUX=%s: %s",
                  kernel_path, load_error);
    ck_assert_msg(elf_open(&img, kernel, kernel_size, &why) == 0,
                  "elf_open(%s): %s", kernel_path, why);
    ck_assert_msg(elf_xen_notes(&img, &notes, &why) == 0,
                  "elf_xen_notes(%s): %s", kernel_path, why);
}

START_TEST(kernel_opens)
{
    open_kernel();
    /* The native entry is the start of the image, not the PV entry. */
    ck_assert_uint_eq(img.entry, KERNEL_PADDR);
    ck_assert_uint_ge(elf_segment_count(&img), 2);
    uint64_t start, end;
    elf_phys_extent(&img, &start, &end);
    ck_assert_uint_eq(start, KERNEL_PADDR);
    ck_assert_uint_gt(end, start + (16ull << 20));   /* a real kernel, not a stub */
    ck_assert_uint_lt(end, 1ull << 30);             /* fits the first GiB */
}
END_TEST

struct walk {
    uint64_t last_end;
    int segments;
    int percpu_seen;    /* the .data..percpu segment: vaddr 0 */
};

static int check_segment(void *ctx, uint64_t paddr, const void *src,
                         uint64_t filesz, uint64_t memsz)
{
    struct walk *w = ctx;
    ck_assert_uint_le(filesz, memsz);
    ck_assert_uint_ge(paddr, KERNEL_PADDR);
    ck_assert_uint_ge(paddr, w->last_end);        /* ascending, disjoint */
    ck_assert(src >= (const void *)kernel &&
              (const unsigned char *)src + filesz <= kernel + kernel_size);
    w->last_end = paddr + memsz;
    w->segments++;
    return 0;
}

START_TEST(segments_load_by_paddr)
{
    open_kernel();
    struct walk w = { 0, 0, 0 };
    ck_assert_int_eq(elf_load(&img, check_segment, &w), 0);
    ck_assert_int_eq(w.segments, (int)elf_segment_count(&img));
    struct elf_segment seg;
    for (unsigned int i = 0; elf_segment(&img, i, &seg) == 0; i++)
        if (seg.vaddr == 0 && seg.paddr > KERNEL_PADDR)
            w.percpu_seen = 1;
    ck_assert_msg(w.percpu_seen, "no vaddr-0 (per-CPU) segment: loading by vaddr would not show");
}
END_TEST

START_TEST(xen_notes_are_linux)
{
    open_kernel();
    ck_assert(xen_elfnote_string_is(&notes.guest_os, "linux"));
    ck_assert(xen_elfnote_string_is(&notes.xen_version, "xen-3.0"));
    ck_assert(xen_elfnote_string_is(&notes.loader, "generic"));
    ck_assert(xen_elfnotes_has(&notes, XEN_ELFNOTE_GUEST_VERSION));
    ck_assert(xen_elfnotes_has(&notes, XEN_ELFNOTE_VIRT_BASE));
    ck_assert_uint_eq(notes.virt_base, VIRT_BASE);
    ck_assert(xen_elfnotes_has(&notes, XEN_ELFNOTE_PADDR_OFFSET));
    ck_assert_uint_eq(notes.paddr_offset, 0);
    ck_assert_uint_eq(notes.hv_start_low, HV_START_LOW);
    ck_assert(xen_elfnotes_has(&notes, XEN_ELFNOTE_SUPPORTED_FEATURES));
    ck_assert(notes.supported_features & (1u << XENFEAT_dom0));
    ck_assert_uint_eq(notes.l1_mfn_valid_mask, 1);
    ck_assert_uint_eq(notes.l1_mfn_valid_value, 1);
    ck_assert_uint_eq(notes.suspend_cancel, 1);
    ck_assert_uint_eq(notes.mod_start_pfn, 1);
    /* FEATURES is written without a NUL; its first entry is required. */
    ck_assert_uint_gt(notes.features.len, 20);
    ck_assert_int_eq(strncmp(notes.features.s, "!writable_page_tables", 21), 0);
}
END_TEST

START_TEST(pv_entry_inside_the_kernel)
{
    open_kernel();
    ck_assert(xen_elfnotes_has(&notes, XEN_ELFNOTE_ENTRY));
    uint64_t start, end;
    elf_phys_extent(&img, &start, &end);
    uint64_t lo = notes.virt_base + start - notes.paddr_offset;
    uint64_t hi = notes.virt_base + end - notes.paddr_offset;
    ck_assert_uint_ge(notes.entry, lo);
    ck_assert_uint_lt(notes.entry, hi);
    ck_assert_uint_ne(notes.entry, notes.virt_base + img.entry);
    /* Kernels before 6.1.0-29 name a hypercall page; newer ones do not. */
    if (xen_elfnotes_has(&notes, XEN_ELFNOTE_HYPERCALL_PAGE)) {
        ck_assert_uint_eq(notes.hypercall_page & 0xfff, 0);
        ck_assert_uint_ge(notes.hypercall_page, lo);
        ck_assert_uint_lt(notes.hypercall_page, hi);
    }
}
END_TEST

int main(void)
{
    kernel_path = getenv("SUBFLOOR_VMLINUX");
    if (!kernel_path || !*kernel_path) {
        printf("1..1\nok 1 - real Debian vmlinux # SKIP SUBFLOOR_VMLINUX is not set\n");
        return EXIT_SUCCESS;
    }
    load_kernel(kernel_path);

    Suite *s = suite_create("elf_vmlinux");
    TCase *tc = tcase_create("debian");
    tcase_add_test(tc, kernel_opens);
    tcase_add_test(tc, segments_load_by_paddr);
    tcase_add_test(tc, xen_notes_are_linux);
    tcase_add_test(tc, pv_entry_inside_the_kernel);
    tcase_set_timeout(tc, 60);
    suite_add_tcase(s, tc);
    int rc = run_suite(s);
    free(kernel);
    return rc;
}
