/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A domain configuration as xl.cfg text (`xl domxml-to-xl`): every key
 * that xl_domain_config_from_cfg reads, written so that reading the text
 * back gives the same configuration; keys at their default are left out,
 * except the ones a reader looks for (type, memory, vcpus, on_poweroff,
 * on_reboot, on_crash).
 */
#include <stdlib.h>
#include <string.h>

#include <uuid/uuid.h>

#include "xl_cfg.h"

char *xl_cfg_quote(const char *s)
{
    static const char plain[] = "\"\\\a\b\f\n\r\t\v";
    static const char escaped[] = "\"\\abfnrtv";
    char *out = malloc(strlen(s) * 2 + 3);
    if (!out)
        abort();
    size_t n = 0;
    out[n++] = '"';
    for (; *s; s++) {
        const char *k = strchr(plain, *s);
        if (k) {
            out[n++] = '\\';
            out[n++] = escaped[k - plain];
        } else {
            out[n++] = *s;
        }
    }
    out[n++] = '"';
    out[n] = '\0';
    return out;
}

static void put_string(FILE *f, const char *key, const char *value)
{
    if (!value)
        return;
    char *q = xl_cfg_quote(value);
    fprintf(f, "%s = %s\n", key, q);
    free(q);
}

static void put_list(FILE *f, const char *key, const struct xl_strings *l)
{
    if (!l->n)
        return;
    fprintf(f, "%s = [\n", key);
    for (int i = 0; i < l->n; i++) {
        char *q = xl_cfg_quote(l->v[i]);
        fprintf(f, "    %s,\n", q);
        free(q);
    }
    fprintf(f, "]\n");
}

static void put_cpus(FILE *f, const struct xl_domain_config *dc)
{
    char text[XL_CPUMAP_TEXT];
    if (!dc->nr_cpumaps)
        return;
    if (!dc->cpumap_per_vcpu) {
        xl_cpumap_format(&dc->cpumaps[0], text, sizeof(text));
        put_string(f, "cpus", text);
        return;
    }
    fprintf(f, "cpus = [");
    for (int i = 0; i < dc->nr_cpumaps; i++) {
        xl_cpumap_format(&dc->cpumaps[i], text, sizeof(text));
        fprintf(f, "%s\"%s\"", i ? ", " : " ", text);
    }
    fprintf(f, " ]\n");
}

static void put_action(FILE *f, const char *key, enum xl_action a,
                       enum xl_action def, bool always)
{
    if (always || a != def)
        fprintf(f, "%s = \"%s\"\n", key, xl_action_name(a));
}

char *xl_domain_config_to_cfg(const struct xl_domain_config *dc)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        abort();
    put_string(f, "name", dc->name);
    if (dc->uuid_given) {
        char u[37];
        uuid_unparse_lower(dc->uuid, u);
        put_string(f, "uuid", u);
    }
    fprintf(f, "type = \"pv\"\n");
    put_string(f, "pool", dc->pool);
    fprintf(f, "memory = %llu\n", (unsigned long long)(dc->memory_kb / 1024));
    if (dc->maxmem_kb != dc->memory_kb)
        fprintf(f, "maxmem = %llu\n",
                (unsigned long long)(dc->maxmem_kb / 1024));
    fprintf(f, "vcpus = %u\n", dc->vcpus);
    if (dc->maxvcpus != dc->vcpus)
        fprintf(f, "maxvcpus = %u\n", dc->maxvcpus);
    put_cpus(f, dc);
    if (dc->cpu_weight)
        fprintf(f, "cpu_weight = %u\n", dc->cpu_weight);
    if (dc->cap_given)
        fprintf(f, "cap = %u\n", dc->cap);
    put_string(f, "kernel", dc->kernel);
    put_string(f, "ramdisk", dc->ramdisk);
    put_string(f, "cmdline", dc->cmdline);
    put_action(f, "on_poweroff", dc->on_poweroff, XL_ACTION_DESTROY, true);
    put_action(f, "on_reboot", dc->on_reboot, XL_ACTION_RESTART, true);
    put_action(f, "on_watchdog", dc->on_watchdog, XL_ACTION_DESTROY, false);
    put_action(f, "on_crash", dc->on_crash, XL_ACTION_DESTROY, true);
    put_action(f, "on_soft_reset", dc->on_soft_reset, XL_ACTION_SOFT_RESET,
               false);
    put_list(f, "disk", &dc->disk);
    put_list(f, "vif", &dc->vif);
    if (fclose(f))
        abort();
    return text;
}
