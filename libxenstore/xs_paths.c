/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Where the daemon is found, and path helpers that need no connection. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xenstore.h"

const char *xs_daemon_rundir(void)
{
    const char *dir = getenv("XENSTORED_RUNDIR");

    return dir ? dir : "/var/run/xenstored";
}

/* Thread-local so that concurrent callers never see each other's text. */
static const char *rundir_file(const char *name)
{
    static __thread char buf[PATH_MAX];

    snprintf(buf, sizeof(buf), "%s/%s", xs_daemon_rundir(), name);
    return buf;
}

const char *xs_daemon_socket(void)
{
    const char *path = getenv("XENSTORED_PATH");

    return path ? path : rundir_file("socket");
}

/* Xen 4.17 dropped the read-only socket and returns the main one; a daemon
 * that still offers socket_ro (ours does) gets it used. */
const char *xs_daemon_socket_ro(void)
{
    const char *path = getenv("XENSTORED_PATH");
    struct stat st;

    if (path)
        return path;
    path = rundir_file("socket_ro");
    if (stat(path, &st) == 0 && S_ISSOCK(st.st_mode))
        return path;
    return rundir_file("socket");
}

const char *xs_domain_dev(void)
{
    const char *path = getenv("XENSTORED_PATH");

    if (path)
        return path;
    /* Linux before 3.14 only had the procfs node. */
    if (access("/dev/xen/xenbus", F_OK) != 0 &&
        access("/proc/xen/xenbus", F_OK) == 0)
        return "/proc/xen/xenbus";
    return "/dev/xen/xenbus";
}

bool xs_write_all(int fd, const void *data, unsigned int len)
{
    const char *p = data;

    while (len > 0) {
        ssize_t done = write(fd, p, len);

        if (done < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        if (done == 0) {
            errno = ENOSPC;
            return false;
        }
        p += done;
        len -= (unsigned int)done;
    }
    return true;
}

bool xs_path_is_subpath(const char *parent, const char *child)
{
    size_t len;

    if (!parent || !child)
        return false;
    len = strlen(parent);
    if (strncmp(child, parent, len) != 0)
        return false;
    /* "/a" covers "/a" and "/a/b" but not "/ab"; "/" covers everything. */
    return child[len] == '\0' || child[len] == '/' ||
           (len > 0 && parent[len - 1] == '/');
}

unsigned int xs_count_strings(const char *strings, unsigned int len)
{
    unsigned int num = 0;

    for (unsigned int i = 0; i < len; i++)
        if (strings[i] == '\0')
            num++;
    return num;
}
