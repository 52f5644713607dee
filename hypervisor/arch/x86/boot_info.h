/*
 * What the boot loader told us, copied out of its structures so nothing
 * later depends on where the loader put them.
 */
#ifndef SUBFLOOR_BOOT_INFO_H
#define SUBFLOOR_BOOT_INFO_H

#include <stdbool.h>
#include <stdint.h>
#include "arch/x86/memmap.h"

#define BOOT_CMDLINE_MAX   1024
#define BOOT_MODULES_MAX   16
#define BOOT_MODNAME_MAX   256
#define BOOT_MODARGS_MAX   1024

struct boot_module {
    uint64_t start, end;            /* physical [start, end) */
    char name[BOOT_MODNAME_MAX];    /* first word of the loader's string */
    char cmdline[BOOT_MODARGS_MAX]; /* the rest */
};

struct boot_info {
    char image_name[BOOT_MODNAME_MAX];  /* the first word the loader gave */
    char cmdline[BOOT_CMDLINE_MAX];     /* the options after it */
    char loader_name[64];
    struct memmap memmap;           /* as reported, not yet sanitised */
    const char *memmap_source;      /* "multiboot memory map" or "mem_lower/mem_upper" */
    unsigned int nr_modules;
    struct boot_module modules[BOOT_MODULES_MAX];
};

/*
 * Parse the multiboot v1 information at physical address info_phys
 * (reached through the boot direct map) into *bi, reserving the loader's
 * structures and the modules with boot_reserve().  Returns 0, or -1 with
 * *why naming what was wrong.
 */
int multiboot_parse(uint32_t magic, uint32_t info_phys, struct boot_info *bi,
                    const char **why);

#endif
