/*
 * elfnotes-minimal: a PV kernel whose ELF notes do not include
 * XEN_ELFNOTE_SUPPORTED_FEATURES (built from rt/head.S with
 * GUEST_NO_SUPPORTED_FEATURES_NOTE).  Xen checks that a dom0 kernel
 * supports XENFEAT_dom0 only when the note is there, so this one boots
 * as dom0 all the same; reaching guest_main is the first check, and it
 * runs as an ordinary dom0 from there.
 */
#include <public/features.h>
#include <public/version.h>

#include "guest.h"

const char guest_name[] = "elfnotes-minimal";

void guest_main(void)
{
    check(true, "a kernel without a SUPPORTED_FEATURES note boots as dom0", "%s", "");
    check(start_info->flags & SIF_INITDOMAIN, "start_info says it is the initial domain",
          "flags %#x", start_info->flags);
    long v = hyp_xen_version(XENVER_version, NULL);
    check_eq("xen_version answers 4.17", v, (4 << 16) | 17);
    xen_feature_info_t fi = { .submap_idx = 0 };
    long rc = hyp_xen_version(XENVER_get_features, &fi);
    check(rc == 0 && (fi.submap & (1u << XENFEAT_dom0)),
          "get_features still reports XENFEAT_dom0 to the hardware domain", "rc %ld submap %#x",
          rc, fi.submap);
}
