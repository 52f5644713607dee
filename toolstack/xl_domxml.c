/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl domxml-to-xl FILE`: libvirt domain XML to xl.cfg text on stdout,
 * what libvirt's `virsh domxml-to-native xen-xl` does, for a dom0 without
 * libvirt.  Xen's xl has no such command; the name follows Xen's
 * domxml-to-native and its output reads back with `xl create`.  It needs
 * no hypervisor: the conversion is only the configuration library's.
 */
#include <stdlib.h>

#include "xl.h"
#include "xl_cfg.h"

int xl_cmd_domxml_to_xl(int argc, char **argv)
{
    int opt;
    XL_FOREACH_OPT(opt, "", NULL, "domxml-to-xl", 1) {
    }
    const char *path = argv[optind];
    char *err = NULL;
    size_t len;
    char *text = xl_cfg_read_file(path, &len, &err);
    if (!text) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return EXIT_FAILURE;
    }
    struct xl_domain_config dc;
    int rc = EXIT_FAILURE;
    if (!xl_cfg_text_is_xml(text, len)) {
        fprintf(stderr, "%s: not libvirt domain XML (its first character "
                "other than white space is not '<')\n", path);
    } else if (xl_domain_config_from_xml(path, text, len, &dc, &err)) {
        fprintf(stderr, "%s\n", err);
        free(err);
    } else {
        char *cfg = xl_domain_config_to_cfg(&dc);
        fputs(cfg, stdout);
        free(cfg);
        xl_domain_config_dispose(&dc);
        rc = fflush(stdout) ? EXIT_FAILURE : EXIT_SUCCESS;
    }
    free(text);
    return rc;
}
