#include "xsd_ring.h"

#include <errno.h>
#include <string.h>

/* The peer may change indexes at any moment: read each exactly once. */
#define READ_ONCE(x) __atomic_load_n(&(x), __ATOMIC_RELAXED)
#define WRITE_ONCE(x, v) __atomic_store_n(&(x), (v), __ATOMIC_RELAXED)

long xsd_ring_read(struct xenstore_domain_interface *intf, char *buf,
                   size_t max)
{
    XENSTORE_RING_IDX cons = READ_ONCE(intf->req_cons);
    XENSTORE_RING_IDX prod = READ_ONCE(intf->req_prod);
    /* Data must be read only after the producer index that covers it. */
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    XENSTORE_RING_IDX avail = prod - cons;
    if (avail > XENSTORE_RING_SIZE)
        return -EIO;
    size_t total = 0;
    while (avail && total < max) {
        size_t off = MASK_XENSTORE_IDX(cons);
        size_t chunk = XENSTORE_RING_SIZE - off;
        if (chunk > avail)
            chunk = avail;
        if (chunk > max - total)
            chunk = max - total;
        memcpy(buf + total, intf->req + off, chunk);
        total += chunk;
        cons += (XENSTORE_RING_IDX)chunk;
        avail -= (XENSTORE_RING_IDX)chunk;
    }
    /* Finish reading before handing the space back. */
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    WRITE_ONCE(intf->req_cons, cons);
    return (long)total;
}

long xsd_ring_write(struct xenstore_domain_interface *intf, const char *data,
                    size_t len)
{
    XENSTORE_RING_IDX cons = READ_ONCE(intf->rsp_cons);
    XENSTORE_RING_IDX prod = READ_ONCE(intf->rsp_prod);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    XENSTORE_RING_IDX used = prod - cons;
    if (used > XENSTORE_RING_SIZE)
        return -EIO;
    size_t space = XENSTORE_RING_SIZE - used;
    size_t total = 0;
    while (total < len && space) {
        size_t off = MASK_XENSTORE_IDX(prod);
        size_t chunk = XENSTORE_RING_SIZE - off;
        if (chunk > space)
            chunk = space;
        if (chunk > len - total)
            chunk = len - total;
        memcpy(intf->rsp + off, data + total, chunk);
        total += chunk;
        prod += (XENSTORE_RING_IDX)chunk;
        space -= chunk;
    }
    /* The data must be visible before the index that publishes it. */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    WRITE_ONCE(intf->rsp_prod, prod);
    return (long)total;
}
