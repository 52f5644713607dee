/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Requests about domains, and the daemon's control channel. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include "xs_handle.h"

#define NUMBER_TEXT MAX_STRLEN(unsigned long)

/* Sends count numbers as decimal strings; returns the reply. */
static char *numbers_request(struct xs_handle *h, uint32_t type,
                             const unsigned long *numbers, unsigned int count,
                             unsigned int *len)
{
    char text[3][NUMBER_TEXT];
    struct iovec iov[3];

    for (unsigned int i = 0; i < count; i++) {
        snprintf(text[i], sizeof(text[i]), "%lu", numbers[i]);
        iov[i] = (struct iovec){ text[i], strlen(text[i]) + 1 };
    }
    return xs_talkv(h, XBT_NULL, type, iov, count, len);
}

static bool numbers_bool(struct xs_handle *h, uint32_t type,
                         const unsigned long *numbers, unsigned int count)
{
    char *reply = numbers_request(h, type, numbers, count, NULL);

    free(reply);
    return reply != NULL;
}

bool xs_introduce_domain(struct xs_handle *h, unsigned int domid,
                         unsigned long mfn, unsigned int eventchn)
{
    unsigned long args[3] = { domid, mfn, eventchn };

    return numbers_bool(h, XS_INTRODUCE, args, 3);
}

bool xs_set_target(struct xs_handle *h, unsigned int domid,
                   unsigned int target)
{
    unsigned long args[2] = { domid, target };

    return numbers_bool(h, XS_SET_TARGET, args, 2);
}

bool xs_resume_domain(struct xs_handle *h, unsigned int domid)
{
    unsigned long arg = domid;

    return numbers_bool(h, XS_RESUME, &arg, 1);
}

bool xs_release_domain(struct xs_handle *h, unsigned int domid)
{
    unsigned long arg = domid;

    return numbers_bool(h, XS_RELEASE, &arg, 1);
}

char *xs_get_domain_path(struct xs_handle *h, unsigned int domid)
{
    unsigned long arg = domid;

    return numbers_request(h, XS_GET_DOMAIN_PATH, &arg, 1, NULL);
}

/* False both for "not introduced" and on error, as with Xen's library;
 * any answer other than "F" counts as introduced. */
bool xs_is_domain_introduced(struct xs_handle *h, unsigned int domid)
{
    unsigned long arg = domid;
    char *reply = numbers_request(h, XS_IS_DOMAIN_INTRODUCED, &arg, 1, NULL);
    bool introduced;

    if (!reply)
        return false;
    introduced = strcmp(reply, "F") != 0;
    free(reply);
    return introduced;
}

char *xs_control_command(struct xs_handle *h, const char *cmd,
                         void *data, unsigned int len)
{
    struct iovec iov[2];

    if (!cmd || (!data && len)) {
        errno = EINVAL;
        return NULL;
    }
    iov[0] = (struct iovec){ (void *)cmd, strlen(cmd) + 1 };
    iov[1] = (struct iovec){ data, len };
    return xs_talkv(h, XBT_NULL, XS_CONTROL, iov, 2, NULL);
}

char *xs_debug_command(struct xs_handle *h, const char *cmd,
                       void *data, unsigned int len)
{
    return xs_control_command(h, cmd, data, len);
}

int xs_suspend_evtchn_port(int domid)
{
    char path[64];
    struct xs_handle *h;
    char *value;
    unsigned int len;
    int port = -1;

    h = xs_open(0);
    if (!h)
        return -1;
    snprintf(path, sizeof(path), "/local/domain/%d/device/suspend/event-channel",
             domid);
    value = xs_read(h, XBT_NULL, path, &len);
    if (value) {
        char *end;
        long n = strtol(value, &end, 10);

        if (end != value && *end == '\0' && n >= 0 && n <= 0xfffff)
            port = (int)n;
        free(value);
    }
    xs_close(h);
    return port;
}
