/* SPDX-License-Identifier: GPL-2.0-or-later */
/* xenstore-shell: an interactive front end to the store over readline. */
#ifndef XENSTORE_TOOLS_SHELL_H
#define XENSTORE_TOOLS_SHELL_H

#include <xenstore.h>

/* The verbs, for "help" and for completing the first word. */
struct shell_verb {
    const char *name;
    const char *args;
    const char *help;
};
extern const struct shell_verb shell_verbs[];

/* Installs readline completion of verbs and of store paths via h. */
void shell_complete_init(struct xs_handle *h);

#endif
