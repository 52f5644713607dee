/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the two test programs of the domain configuration library share:
 * reading a text as "t.cfg" into settings or a domain, the one error a
 * text gives, temporary files, and the comparison of two domains.
 */
#ifndef SUBFLOOR_CHECK_XL_CFG_H
#define SUBFLOOR_CHECK_XL_CFG_H

#include <check.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xl_cfg.h"

#define BASE "name = \"guest\"\nkernel = \"/boot/vmlinuz\"\n"

/* The settings of text, read as "t.cfg"; fails the test on an error. */
static inline void parse_settings(struct xl_cfg *cfg, const char *text)
{
    char *err = NULL;
    xl_cfg_init(cfg);
    int rc = xl_cfg_parse_text(cfg, "t.cfg", text, strlen(text), &err);
    ck_assert_msg(rc == 0, "parse failed: %s", err);
}

static inline void domain_ok(const char *text, struct xl_domain_config *dc)
{
    struct xl_cfg cfg;
    char *err = NULL;
    parse_settings(&cfg, text);
    int rc = xl_domain_config_from_cfg(&cfg, dc, NULL, &err);
    ck_assert_msg(rc == 0, "domain failed: %s", err);
    xl_cfg_dispose(&cfg);
}

/* The one message that text (as t.cfg) gives, syntax or meaning;
 * malloc'd. */
static inline char *error_of(const char *text)
{
    struct xl_cfg cfg;
    struct xl_domain_config dc;
    char *err = NULL;
    xl_cfg_init(&cfg);
    if (xl_cfg_parse_text(&cfg, "t.cfg", text, strlen(text), &err) == 0) {
        int rc = xl_domain_config_from_cfg(&cfg, &dc, NULL, &err);
        ck_assert_msg(rc == -1, "'%s' was accepted", text);
        /* Nothing is left behind on failure. */
        ck_assert_ptr_null(dc.name);
        ck_assert_ptr_null(dc.kernel);
    } else {
        ck_assert_ptr_null(cfg.first);
    }
    xl_cfg_dispose(&cfg);
    ck_assert_ptr_nonnull(err);
    return err;
}

#define ck_error(text, expected) do {                     \
        char *e_ = error_of(text);                        \
        ck_assert_str_eq(e_, expected);                   \
        free(e_);                                         \
    } while (0)

static inline char *write_temp(const char *text)
{
    char *path = strdup("/tmp/check_xl_cfg.XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    return path;
}
static inline void assert_same(const struct xl_domain_config *a,
                        const struct xl_domain_config *b)
{
    ck_assert_str_eq(a->name, b->name);
    ck_assert_int_eq(a->uuid_given, b->uuid_given);
    if (a->uuid_given)
        ck_assert(!memcmp(a->uuid, b->uuid, 16));
    ck_assert_uint_eq(a->memory_kb, b->memory_kb);
    ck_assert_uint_eq(a->maxmem_kb, b->maxmem_kb);
    ck_assert_uint_eq(a->vcpus, b->vcpus);
    ck_assert_uint_eq(a->maxvcpus, b->maxvcpus);
    ck_assert_str_eq(a->kernel, b->kernel);
    ck_assert_pstr_eq(a->ramdisk, b->ramdisk);
    ck_assert_pstr_eq(a->cmdline, b->cmdline);
    ck_assert_pstr_eq(a->pool, b->pool);
    ck_assert_int_eq(a->on_poweroff, b->on_poweroff);
    ck_assert_int_eq(a->on_reboot, b->on_reboot);
    ck_assert_int_eq(a->on_watchdog, b->on_watchdog);
    ck_assert_int_eq(a->on_crash, b->on_crash);
    ck_assert_int_eq(a->on_soft_reset, b->on_soft_reset);
    ck_assert_int_eq(a->nr_cpumaps, b->nr_cpumaps);
    ck_assert_int_eq(a->cpumap_per_vcpu, b->cpumap_per_vcpu);
    for (int i = 0; i < a->nr_cpumaps; i++)
        ck_assert(!memcmp(&a->cpumaps[i], &b->cpumaps[i],
                          sizeof(a->cpumaps[i])));
    ck_assert_uint_eq(a->cpu_weight, b->cpu_weight);
    ck_assert_int_eq(a->cap_given, b->cap_given);
    ck_assert_uint_eq(a->cap, b->cap);
    ck_assert_int_eq(a->disk.n, b->disk.n);
    for (int i = 0; i < a->disk.n; i++)
        ck_assert_str_eq(a->disk.v[i], b->disk.v[i]);
    ck_assert_int_eq(a->vif.n, b->vif.n);
    for (int i = 0; i < a->vif.n; i++)
        ck_assert_str_eq(a->vif.v[i], b->vif.v[i]);
}

#endif
