/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Old name of <xenstore.h>, kept as Xen does for older programs. */
#include <xenstore.h>
