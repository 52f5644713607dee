/*
 * ACPI S5: find the RSDP in the BIOS areas, follow the XSDT (or RSDT) to
 * the FADT, take the PM1a/PM1b control ports from it and the sleep type
 * values from the DSDT's \_S5_ package, then write SLP_TYP | SLP_EN.
 * Every table is checked (reachable, sane length, checksum) before use.
 */
#include <stdbool.h>
#include <string.h>
#include "arch/x86/acpi.h"
#include "arch/x86/io.h"
#include "arch/x86/paging.h"
#include "lib/printk.h"

#define SLP_EN        (1u << 13)
#define SLP_TYP_SHIFT 10
#define SLP_TYP_MASK  (7u << SLP_TYP_SHIFT)
#define SCI_EN        1u

#define TABLE_MAX_LEN (16u << 20)

struct acpi_header {
    char signature[4];
    uint32_t length;
    uint8_t revision;
    uint8_t checksum;
    char oem_id[6];
    char oem_table_id[8];
    uint32_t oem_revision;
    uint32_t creator_id;
    uint32_t creator_revision;
} __attribute__((packed));

struct rsdp {
    char signature[8];
    uint8_t checksum;
    char oem_id[6];
    uint8_t revision;
    uint32_t rsdt;
    uint32_t length;        /* revision >= 2 from here */
    uint64_t xsdt;
    uint8_t ext_checksum;
    uint8_t reserved[3];
} __attribute__((packed));

/* FADT offsets used (ACPI spec, table "FADT format"). */
#define FADT_DSDT          40
#define FADT_SMI_CMD       48
#define FADT_ACPI_ENABLE   52
#define FADT_PM1A_CNT      64
#define FADT_PM1B_CNT      68
#define FADT_X_DSDT        140

static bool checksum_ok(const void *p, uint32_t len)
{
    const uint8_t *b = p;
    uint8_t sum = 0;

    for (uint32_t i = 0; i < len; i++)
        sum += b[i];
    return sum == 0;
}

static const struct rsdp *rsdp_scan(uint64_t base, uint64_t len)
{
    if (!directmap_covers(base, len))
        return NULL;
    for (uint64_t off = 0; off + 20 <= len; off += 16) {
        const struct rsdp *r = phys_to_virt(base + off);
        if (!memcmp(r->signature, "RSD PTR ", 8) && checksum_ok(r, 20))
            return r;
    }
    return NULL;
}

static const struct rsdp *find_rsdp(void)
{
    const uint16_t *ebda_seg = phys_to_virt(0x40e);
    const struct rsdp *r = NULL;

    if (directmap_covers(0x40e, 2) && *ebda_seg)
        r = rsdp_scan((uint64_t)*ebda_seg << 4, 1024);
    return r ? r : rsdp_scan(0xe0000, 0x20000);
}

/* A checked table: reachable, length sane, checksum right. */
static const struct acpi_header *map_table(uint64_t phys, const char **why)
{
    const struct acpi_header *h;

    if (!phys || !directmap_covers(phys, sizeof(*h))) {
        *why = "an ACPI table pointer leads outside mapped memory";
        return NULL;
    }
    h = phys_to_virt(phys);
    if (h->length < sizeof(*h) || h->length > TABLE_MAX_LEN ||
        !directmap_covers(phys, h->length)) {
        *why = "an ACPI table has an impossible length";
        return NULL;
    }
    if (!checksum_ok(h, h->length)) {
        *why = "an ACPI table has a bad checksum";
        return NULL;
    }
    return h;
}

static const struct acpi_header *find_in_root(const struct rsdp *r, const char sig[4],
                                              const char **why)
{
    bool use_xsdt = r->revision >= 2 && r->xsdt;
    const struct acpi_header *root = map_table(use_xsdt ? r->xsdt : r->rsdt, why);
    unsigned int entry_size = use_xsdt ? 8 : 4;

    if (!root)
        return NULL;
    const uint8_t *entries = (const uint8_t *)(root + 1);
    uint32_t n = (root->length - sizeof(*root)) / entry_size;
    for (uint32_t i = 0; i < n; i++) {
        uint64_t phys = 0;
        memcpy(&phys, entries + i * entry_size, entry_size);
        const struct acpi_header *t = map_table(phys, why);
        if (t && !memcmp(t->signature, sig, 4))
            return t;
    }
    *why = "table not in the ACPI root table";
    return NULL;
}

static const struct acpi_header *find_fadt(const struct rsdp *r, const char **why)
{
    const struct acpi_header *t = find_in_root(r, "FACP", why);

    if (!t)
        *why = "no FADT in the ACPI root table";
    return t;
}

const void *acpi_find_table(const char sig[4], uint32_t *len, const char **why)
{
    const struct rsdp *r = find_rsdp();
    const struct acpi_header *t;

    if (!r) {
        *why = "no ACPI RSDP found in the EBDA or BIOS area";
        return NULL;
    }
    t = find_in_root(r, sig, why);
    if (t)
        *len = t->length;
    return t;
}

static uint32_t fadt_u32(const struct acpi_header *f, uint32_t off)
{
    uint32_t v = 0;

    if (off + 4 <= f->length)
        memcpy(&v, (const uint8_t *)f + off, 4);
    return v;
}

/* One AML integer of the \_S5_ package; false if not a constant. */
static bool aml_integer(const uint8_t **p, const uint8_t *end, uint32_t *out)
{
    if (*p >= end)
        return false;
    switch (**p) {
    case 0x00: *out = 0; (*p)++; return true;       /* ZeroOp */
    case 0x01: *out = 1; (*p)++; return true;       /* OneOp */
    case 0x0a:                                      /* BytePrefix */
        if (*p + 2 > end)
            return false;
        *out = (*p)[1];
        *p += 2;
        return true;
    case 0x0b:                                      /* WordPrefix */
        if (*p + 3 > end)
            return false;
        *out = (*p)[1] | (uint32_t)(*p)[2] << 8;
        *p += 3;
        return true;
    default:
        return false;
    }
}

static bool find_s5(const struct acpi_header *dsdt, uint32_t *typ_a, uint32_t *typ_b)
{
    const uint8_t *aml = (const uint8_t *)dsdt;
    const uint8_t *end = aml + dsdt->length;

    for (const uint8_t *p = aml + sizeof(*dsdt); p + 4 < end; p++) {
        if (memcmp(p, "_S5_", 4))
            continue;
        /* NameOp, optionally with a root prefix, then a package. */
        if (!(p[-1] == 0x08 || (p[-1] == '\\' && p[-2] == 0x08)))
            continue;
        const uint8_t *q = p + 4;
        if (q >= end || *q++ != 0x12)                /* PackageOp */
            continue;
        if (q >= end)
            return false;
        q += 1 + (*q >> 6);                          /* PkgLength */
        q++;                                         /* NumElements */
        if (!aml_integer(&q, end, typ_a))
            return false;
        if (!aml_integer(&q, end, typ_b))
            *typ_b = *typ_a;
        return true;
    }
    return false;
}

void acpi_power_off(const char **why)
{
    const struct rsdp *r = find_rsdp();
    uint32_t typ_a, typ_b;

    if (!r) {
        *why = "no ACPI RSDP found in the EBDA or BIOS area";
        return;
    }
    const struct acpi_header *fadt = find_fadt(r, why);
    if (!fadt)
        return;

    uint64_t dsdt_phys = fadt_u32(fadt, FADT_DSDT);
    if (fadt->length >= FADT_X_DSDT + 8) {
        uint64_t x;
        memcpy(&x, (const uint8_t *)fadt + FADT_X_DSDT, 8);
        if (x)
            dsdt_phys = x;
    }
    const struct acpi_header *dsdt = map_table(dsdt_phys, why);
    if (!dsdt)
        return;
    if (!find_s5(dsdt, &typ_a, &typ_b)) {
        *why = "the DSDT has no usable \\_S5_ object";
        return;
    }

    uint32_t pm1a = fadt_u32(fadt, FADT_PM1A_CNT);
    uint32_t pm1b = fadt_u32(fadt, FADT_PM1B_CNT);
    if (!pm1a || pm1a > 0xffff || pm1b > 0xffff) {
        *why = "the FADT gives no usable PM1a control port";
        return;
    }

    /* Firmware may leave ACPI mode off; the SMI command turns it on. */
    uint32_t smi_cmd = fadt_u32(fadt, FADT_SMI_CMD);
    uint8_t enable = (uint8_t)fadt_u32(fadt, FADT_ACPI_ENABLE);
    if (!(inw((uint16_t)pm1a) & SCI_EN) && smi_cmd && smi_cmd <= 0xffff && enable) {
        outb((uint16_t)smi_cmd, enable);
        for (unsigned int i = 0; i < 1000000 && !(inw((uint16_t)pm1a) & SCI_EN); i++)
            __asm__ volatile("pause");
    }

    uint16_t v = inw((uint16_t)pm1a) & ~SLP_TYP_MASK;
    outw((uint16_t)pm1a, v | (uint16_t)((typ_a << SLP_TYP_SHIFT) & SLP_TYP_MASK) | SLP_EN);
    if (pm1b) {
        v = inw((uint16_t)pm1b) & ~SLP_TYP_MASK;
        outw((uint16_t)pm1b, v | (uint16_t)((typ_b << SLP_TYP_SHIFT) & SLP_TYP_MASK) | SLP_EN);
    }
    for (unsigned int i = 0; i < 10000000; i++)
        __asm__ volatile("pause");
    *why = "the machine was still running after writing SLP_EN";
}
