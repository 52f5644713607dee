/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The configuration file of `xl create FILE [KEY=VALUE ...]`: xl.cfg or
 * libvirt domain XML, told apart by the content (XML starts with '<'),
 * never by the name; then the overrides, which Xen's xl appends to the
 * file's text, so that they are read with the same syntax and replace
 * (or with += extend) the file's settings.  Here they are read as their
 * own text named "command line", one line per argument, so that a
 * mistake in one is not blamed on the file.  An XML file with overrides
 * goes through its xl.cfg form, which reads back to the same domain.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xl_cfg.h"

/* Larger than any configuration; a mistaken path to a disk image stops
 * here instead of being read whole. */
#define MAX_CONFIG_BYTES (1u << 20)

char *xl_cfg_read_file(const char *path, size_t *len, char **err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xl_cfg_printf("Failed to read config file: %s: %s", path,
                             strerror(errno));
        return NULL;
    }
    char *buf = malloc(MAX_CONFIG_BYTES + 1);
    if (!buf)
        abort();
    size_t n = fread(buf, 1, MAX_CONFIG_BYTES + 1, f);
    int read_error = ferror(f) ? errno : 0;
    fclose(f);
    if (read_error || n > MAX_CONFIG_BYTES) {
        *err = read_error
            ? xl_cfg_printf("Failed to read config file: %s: %s", path,
                            strerror(read_error))
            : xl_cfg_printf("%s: larger than %u bytes: not a configuration",
                            path, MAX_CONFIG_BYTES);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

bool xl_cfg_text_is_xml(const char *text, size_t len)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]) && text[i])
        i++;
    return i < len && text[i] == '<';
}

static int add_overrides(struct xl_cfg *cfg, char *const overrides[],
                         int nr, char **err)
{
    if (!nr)
        return 0;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        abort();
    for (int i = 0; i < nr; i++)
        fprintf(f, "%s\n", overrides[i]);
    if (fclose(f))
        abort();
    int rc = xl_cfg_parse_text(cfg, "command line", text, len, err);
    free(text);
    return rc;
}

int xl_domain_config_load(const char *path, char *const overrides[],
                          int nr_overrides, struct xl_domain_config *dc,
                          FILE *warn, char **err)
{
    size_t len;
    xl_domain_config_init(dc);
    char *text = xl_cfg_read_file(path, &len, err);
    if (!text)
        return -1;
    struct xl_cfg cfg;
    xl_cfg_init(&cfg);
    int rc;
    if (xl_cfg_text_is_xml(text, len)) {
        rc = xl_domain_config_from_xml(path, text, len, dc, err);
        if (rc || !nr_overrides)
            goto out;
        free(text);
        text = xl_domain_config_to_cfg(dc);
        len = strlen(text);
        bool uuid_given = dc->uuid_given;
        uint8_t uuid[16];
        memcpy(uuid, dc->uuid, sizeof(uuid));
        xl_domain_config_dispose(dc);
        rc = xl_cfg_parse_text(&cfg, path, text, len, err) ||
             add_overrides(&cfg, overrides, nr_overrides, err) ||
             xl_domain_config_from_cfg(&cfg, dc, warn, err) ? -1 : 0;
        /* The XML's generated UUID stays the domain's unless an
         * override names one. */
        if (!rc && !uuid_given && !dc->uuid_given)
            memcpy(dc->uuid, uuid, sizeof(uuid));
        goto out;
    }
    rc = xl_cfg_parse_text(&cfg, path, text, len, err) ||
         add_overrides(&cfg, overrides, nr_overrides, err) ||
         xl_domain_config_from_cfg(&cfg, dc, warn, err) ? -1 : 0;
out:
    xl_cfg_dispose(&cfg);
    free(text);
    return rc;
}
