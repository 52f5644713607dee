/*
 * evtchn: dom0 allocates an unbound port for itself, binds a second port
 * to it (an interdomain channel looping back into dom0), notifies each end
 * and reads the event back from the other end's device.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

/* Linux's uapi header uses the hypervisor's domid_t without defining it. */
#include "public/xen.h"
#include <xen/evtchn.h>

#include "devices_test.h"

#define DOM0_DOMID 0
#define EVENT_WAIT_MS 2000

/* Wait for one event on fd; it must name `port`.  Re-arm the port. */
static bool receive_event(int fd, unsigned int port, char *why, size_t len)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int n = poll(&p, 1, EVENT_WAIT_MS);
    if (n <= 0) {
        snprintf(why, len, "no event on port %u within %d ms%s", port, EVENT_WAIT_MS,
                 n < 0 ? " (poll failed)" : "");
        return false;
    }
    uint32_t got;
    if (read(fd, &got, sizeof(got)) != (ssize_t)sizeof(got)) {
        snprintf(why, len, "reading the event for port %u failed: %s", port, strerror(errno));
        return false;
    }
    if (got != port) {
        snprintf(why, len, "event arrived for port %u, expected port %u", got, port);
        return false;
    }
    /* The driver masks a port when it delivers; writing it back unmasks. */
    if (write(fd, &got, sizeof(got)) != (ssize_t)sizeof(got)) {
        snprintf(why, len, "unmasking port %u failed: %s", port, strerror(errno));
        return false;
    }
    return true;
}

static bool notify(int fd, unsigned int port, char *why, size_t len)
{
    struct ioctl_evtchn_notify n = { .port = port };
    if (ioctl(fd, IOCTL_EVTCHN_NOTIFY, &n) < 0) {
        snprintf(why, len, "IOCTL_EVTCHN_NOTIFY on port %u failed: %s", port, strerror(errno));
        return false;
    }
    return true;
}

bool check_evtchn_loopback(void)
{
    const char *dev = "/dev/xen/evtchn";
    char why[160] = "";
    bool ok = false;
    int a = open(dev, O_RDWR | O_CLOEXEC), b = open(dev, O_RDWR | O_CLOEXEC);

    if (a < 0 || b < 0) {
        snprintf(why, sizeof(why), "cannot open %s: %s", dev, strerror(errno));
        goto out;
    }
    struct ioctl_evtchn_bind_unbound_port unbound = { .remote_domain = DOM0_DOMID };
    int port_a = ioctl(a, IOCTL_EVTCHN_BIND_UNBOUND_PORT, &unbound);
    if (port_a < 0) {
        snprintf(why, sizeof(why), "IOCTL_EVTCHN_BIND_UNBOUND_PORT failed: %s", strerror(errno));
        goto out;
    }
    struct ioctl_evtchn_bind_interdomain inter = {
        .remote_domain = DOM0_DOMID, .remote_port = (unsigned int)port_a,
    };
    int port_b = ioctl(b, IOCTL_EVTCHN_BIND_INTERDOMAIN, &inter);
    if (port_b < 0) {
        snprintf(why, sizeof(why), "IOCTL_EVTCHN_BIND_INTERDOMAIN to port %d failed: %s",
                 port_a, strerror(errno));
        goto out;
    }
    ok = notify(b, (unsigned int)port_b, why, sizeof(why)) &&
         receive_event(a, (unsigned int)port_a, why, sizeof(why)) &&
         notify(a, (unsigned int)port_a, why, sizeof(why)) &&
         receive_event(b, (unsigned int)port_b, why, sizeof(why));
    if (ok)
        snprintf(why, sizeof(why), "unbound port %d bound from port %d; events crossed both ways",
                 port_a, port_b);
out:
    /* Closing the device unbinds its ports. */
    if (a >= 0)
        close(a);
    if (b >= 0)
        close(b);
    return report(ok, "evtchn", "%s", why);
}
