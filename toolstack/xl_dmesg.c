/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl dmesg [-c]`: the hypervisor's console ring, read in 16 KiB pieces
 * from its oldest byte; -c empties the ring as it is read, so the next
 * `xl dmesg` prints only what came after.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "xl.h"

#define PIECE 16384

int xl_cmd_dmesg(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "clear", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool clear = false;
    int opt;
    XL_FOREACH_OPT(opt, "c", longopts, "dmesg", 0) {
    case 'c': clear = true; break;
    }
    char *buf = malloc(PIECE);
    if (!buf)
        return EXIT_FAILURE;
    uint32_t index = 0;
    int status = EXIT_SUCCESS;
    for (;;) {
        unsigned int count = PIECE;
        if (xc_readconsolering(xl.xch, buf, &count, clear, 1, &index) < 0) {
            xl_liberr("libxl_console.c:772:libxl_xen_console_read_line",
                      XL_NO_DOMID, errno, "reading console ring buffer");
            status = EXIT_FAILURE;
            break;
        }
        if (count == 0)
            break;
        fwrite(buf, 1, count, stdout);
    }
    free(buf);
    return status;
}
