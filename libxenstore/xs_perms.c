/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Permission strings on the wire: one letter for the rights (n none,
 * r read, w write, b both) followed by the decimal domain id.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xenstore.h"

static bool letter_to_rights(char letter, unsigned int *rights)
{
    switch (letter) {
    case 'n': *rights = XS_PERM_NONE; return true;
    case 'r': *rights = XS_PERM_READ; return true;
    case 'w': *rights = XS_PERM_WRITE; return true;
    case 'b': *rights = XS_PERM_READ | XS_PERM_WRITE; return true;
    default: return false;
    }
}

bool xs_strings_to_perms(struct xs_permissions *perms, unsigned int num,
                         const char *strings)
{
    const char *p = strings;

    if (!perms || !strings) {
        errno = EINVAL;
        return false;
    }
    for (unsigned int i = 0; i < num; i++) {
        char *end;
        unsigned long id;

        if (!letter_to_rights(p[0], &perms[i].perms) ||
            p[1] < '0' || p[1] > '9') {
            errno = EINVAL;
            return false;
        }
        errno = 0;
        id = strtoul(p + 1, &end, 10);
        if (*end != '\0' || errno || id > 0xffffffffUL) {
            errno = EINVAL;
            return false;
        }
        perms[i].id = (unsigned int)id;
        p = end + 1;
    }
    return true;
}

bool xs_perm_to_string(const struct xs_permissions *perm, char *buffer,
                       size_t buf_len)
{
    char letter;
    int n;

    switch (perm->perms & (XS_PERM_READ | XS_PERM_WRITE)) {
    case XS_PERM_NONE: letter = 'n'; break;
    case XS_PERM_READ: letter = 'r'; break;
    case XS_PERM_WRITE: letter = 'w'; break;
    default: letter = 'b'; break;
    }
    /* Bits other than read/write have no wire spelling. */
    if (perm->perms & ~(unsigned int)(XS_PERM_READ | XS_PERM_WRITE)) {
        errno = EINVAL;
        return false;
    }
    n = snprintf(buffer, buf_len, "%c%u", letter, perm->id);
    if (n < 0 || (size_t)n >= buf_len) {
        errno = ENOSPC;
        return false;
    }
    return true;
}
