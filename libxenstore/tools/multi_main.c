/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The multi-call "xenstore" binary: "xenstore read ..." or, when started
 * under a name such as xenstore-read, that mode.
 */
#include <string.h>

int xenstore_client_main(const char *mode, int argc, char **argv);

int main(int argc, char **argv)
{
    const char *base = strrchr(argv[0], '/');

    base = base ? base + 1 : argv[0];
    /* libtool's uninstalled binaries carry an "lt-" prefix. */
    if (strncmp(base, "lt-", 3) == 0)
        base += 3;
    if (strncmp(base, "xenstore-", 9) == 0)
        return xenstore_client_main(base + 9, argc, argv);
    return xenstore_client_main(NULL, argc, argv);
}
