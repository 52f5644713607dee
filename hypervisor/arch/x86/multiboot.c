/*
 * Multiboot v1 information: everything is reached through the boot
 * direct map (first GiB), and every pointer is checked against it first,
 * so a broken loader gets a message instead of a fault.
 */
#include <string.h>
#include "arch/x86/boot_alloc.h"
#include "arch/x86/boot_info.h"
#include "arch/x86/paging.h"
#include "lib/format.h"
#include "lib/printk.h"

#define MULTIBOOT_BOOT_MAGIC  0x2badb002u

#define MBI_MEM       (1u << 0)
#define MBI_CMDLINE   (1u << 2)
#define MBI_MODS      (1u << 3)
#define MBI_MMAP      (1u << 6)
#define MBI_LOADER    (1u << 9)

struct multiboot_info {
    uint32_t flags;
    uint32_t mem_lower, mem_upper;      /* KiB */
    uint32_t boot_device;
    uint32_t cmdline;
    uint32_t mods_count, mods_addr;
    uint32_t syms[4];
    uint32_t mmap_length, mmap_addr;
    uint32_t drives_length, drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;
} __attribute__((packed));

struct multiboot_module {
    uint32_t mod_start, mod_end;
    uint32_t string;
    uint32_t reserved;
} __attribute__((packed));

static const void *mb_ptr(uint64_t phys, uint64_t len)
{
    return directmap_covers(phys, len) ? phys_to_virt(phys) : NULL;
}

/* Copy a loader string of unknown length; false if unreachable or unterminated. */
static bool copy_string(uint32_t phys, char *dst, size_t cap, uint64_t *len_out)
{
    for (size_t i = 0; i < cap; i++) {
        const char *c = mb_ptr(phys + i, 1);
        if (!c)
            return false;
        dst[i] = *c;
        if (!*c) {
            *len_out = i + 1;
            return true;
        }
    }
    dst[cap - 1] = '\0';
    *len_out = cap;
    return false;
}

static void split_module_string(const char *s, struct boot_module *m)
{
    size_t n = 0;

    while (*s == ' ')
        s++;
    while (s[n] && s[n] != ' ' && n + 1 < sizeof(m->name)) {
        m->name[n] = s[n];
        n++;
    }
    m->name[n] = '\0';
    while (s[n] && s[n] != ' ')
        n++;                        /* the rest of an over-long name */
    while (s[n] == ' ')
        n++;
    size_t len = strnlen(s + n, sizeof(m->cmdline) - 1);
    memcpy(m->cmdline, s + n, len);
    m->cmdline[len] = '\0';
}

static int parse_modules(const struct multiboot_info *mbi, struct boot_info *bi,
                         const char **why)
{
    uint64_t bytes = (uint64_t)mbi->mods_count * sizeof(struct multiboot_module);
    const struct multiboot_module *mods = mb_ptr(mbi->mods_addr, bytes);

    if (mbi->mods_count && !mods) {
        *why = "the multiboot module list is outside the first GiB";
        return -1;
    }
    boot_reserve(mbi->mods_addr, mbi->mods_addr + bytes, "multiboot module list");
    if (mbi->mods_count > BOOT_MODULES_MAX)
        printk(LOG_WARNING, "multiboot: %u modules given, only the first %u are used",
               mbi->mods_count, BOOT_MODULES_MAX);

    for (uint32_t i = 0; i < mbi->mods_count && i < BOOT_MODULES_MAX; i++) {
        struct boot_module *m = &bi->modules[bi->nr_modules];
        char raw[BOOT_MODNAME_MAX + BOOT_MODARGS_MAX];
        uint64_t len = 0;

        if (mods[i].mod_end < mods[i].mod_start) {
            *why = "a multiboot module ends before it starts";
            return -1;
        }
        m->start = mods[i].mod_start;
        m->end = mods[i].mod_end;
        raw[0] = '\0';
        if (mods[i].string && !copy_string(mods[i].string, raw, sizeof(raw), &len))
            printk(LOG_WARNING, "multiboot: module %u's string is unreadable or too long", i);
        boot_reserve(mods[i].string, mods[i].string + len, "multiboot module string");
        split_module_string(raw, m);
        boot_reserve(m->start, m->end, "multiboot module");
        bi->nr_modules++;
    }
    return 0;
}

int multiboot_parse(uint32_t magic, uint32_t info_phys, struct boot_info *bi,
                    const char **why)
{
    const struct multiboot_info *mbi = mb_ptr(info_phys, sizeof(*mbi));
    uint64_t len;

    memset(bi, 0, sizeof(*bi));
    if (magic != MULTIBOOT_BOOT_MAGIC) {
        *why = "not started by a multiboot loader (bad magic)";
        return -1;
    }
    if (!mbi) {
        *why = "the multiboot information is outside the first GiB";
        return -1;
    }
    boot_reserve(info_phys, info_phys + sizeof(*mbi), "multiboot information");

    if ((mbi->flags & MBI_CMDLINE) && mbi->cmdline) {
        char raw[BOOT_CMDLINE_MAX + BOOT_MODNAME_MAX];
        struct boot_module image;

        if (!copy_string(mbi->cmdline, raw, sizeof(raw), &len))
            printk(LOG_WARNING, "multiboot: command line unreadable or longer than %zu bytes: truncated",
                   sizeof(raw) - 1);
        boot_reserve(mbi->cmdline, mbi->cmdline + len, "multiboot command line");
        /* Loaders put the image's own name first, as for modules. */
        split_module_string(raw, &image);
        memcpy(bi->image_name, image.name, sizeof(bi->image_name));
        memcpy(bi->cmdline, image.cmdline, sizeof(bi->cmdline));
    }
    if ((mbi->flags & MBI_LOADER) && mbi->boot_loader_name)
        copy_string(mbi->boot_loader_name, bi->loader_name,
                    sizeof(bi->loader_name), &len);

    if (mbi->flags & MBI_MMAP) {
        const void *buf = mb_ptr(mbi->mmap_addr, mbi->mmap_length);
        if (!buf) {
            *why = "the multiboot memory map is outside the first GiB";
            return -1;
        }
        if (memmap_parse_multiboot(&bi->memmap, buf, mbi->mmap_length, why))
            return -1;
        boot_reserve(mbi->mmap_addr, mbi->mmap_addr + mbi->mmap_length,
                     "multiboot memory map");
        bi->memmap_source = "multiboot memory map";
    } else if (mbi->flags & MBI_MEM) {
        /* Only two sizes: conventional memory, and RAM from 1 MiB up to
         * the first hole. */
        bi->memmap.e[0] = (struct memmap_entry){ 0, (uint64_t)mbi->mem_lower << 10, MEMMAP_RAM };
        bi->memmap.e[1] = (struct memmap_entry){ 0x100000, (uint64_t)mbi->mem_upper << 10, MEMMAP_RAM };
        bi->memmap.n = 2;
        bi->memmap_source = "mem_lower/mem_upper";
    } else {
        *why = "the boot loader gave no memory information (neither a memory map nor mem_lower/mem_upper)";
        return -1;
    }

    if (mbi->flags & MBI_MODS)
        return parse_modules(mbi, bi, why);
    return 0;
}
