/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Old name of <xenstore_lib.h>, kept as Xen does for older programs. */
#include <xenstore_lib.h>
