/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value_escape.h"

char *value_escape(const char *value, size_t len)
{
    /* Worst case: every byte becomes four. */
    char *out = malloc(len * 4 + 1), *p = out;

    if (!out)
        return NULL;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];

        if (c >= ' ' && c <= '~' && c != '\\') {
            *p++ = (char)c;
            continue;
        }
        *p++ = '\\';
        switch (c) {
        case '\\': *p++ = '\\'; break;
        case '\t': *p++ = 't'; break;
        case '\n': *p++ = 'n'; break;
        case '\r': *p++ = 'r'; break;
        default:
            /* Xen's choice: octal below 8, hex above. */
            p += c < 8 ? sprintf(p, "%03o", c) : sprintf(p, "x%02x", c);
            break;
        }
    }
    *p = '\0';
    return out;
}

char *value_unescape(const char *text, size_t *len)
{
    char *out = malloc(strlen(text) + 1), *p = out;

    if (!out)
        return NULL;
    while (*text) {
        if (*text != '\\') {
            *p++ = *text++;
            continue;
        }
        if (!text[1]) {   /* a final lone backslash stands for NUL */
            *p++ = '\0';
            break;
        }
        text++;
        switch (*text) {
        case 't': *p++ = '\t'; text++; break;
        case 'n': *p++ = '\n'; text++; break;
        case 'r': *p++ = '\r'; text++; break;
        case 'x':
            if (isxdigit((unsigned char)text[1])) {
                /* One or two hex digits. */
                char hex[3] = { text[1], 0, 0 };

                text += 2;
                if (isxdigit((unsigned char)*text))
                    hex[1] = *text++;
                *p++ = (char)strtoul(hex, NULL, 16);
            } else {
                *p++ = *text++;
            }
            break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7': {
            unsigned int v = 0;

            for (int n = 0; n < 3 && *text >= '0' && *text <= '7'; n++)
                v = v * 8 + (unsigned int)(*text++ - '0');
            *p++ = (char)v;
            break;
        }
        default: *p++ = *text++; break;
        }
    }
    *p = '\0';
    *len = (size_t)(p - out);
    return out;
}
