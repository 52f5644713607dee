/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Xen's escaping of xenstore values for terminals and command lines:
 * backslash, tab, newline and carriage return become \\ \t \n \r, bytes
 * below 8 a three-digit octal \ooo, other non-printable bytes \xHH.
 * Unescaping takes \x with one or two hex digits, octal with up to three,
 * any other escaped character as itself, and a final lone backslash as a
 * NUL byte.
 */
#ifndef XENSTORE_TOOLS_VALUE_ESCAPE_H
#define XENSTORE_TOOLS_VALUE_ESCAPE_H

#include <stddef.h>

/* Escaped copy of the len bytes at value (malloc'd), or NULL on ENOMEM. */
char *value_escape(const char *value, size_t len);

/* Reverses value_escape into a malloc'd buffer; *len receives its length.
 * Unknown escapes keep the character after the backslash. */
char *value_unescape(const char *text, size_t *len);

#endif
