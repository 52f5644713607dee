/* A fake guest address space for host tests; see fake_guest.h. */
#include <stdbool.h>
#include <string.h>
#include "fake_guest.h"
#include "public/errno.h"

static unsigned char mem[FAKE_GUEST_SIZE];
static bool read_only[FAKE_GUEST_SIZE];
unsigned int fake_guest_reads, fake_guest_writes;

void fake_guest_reset(void)
{
    memset(mem, 0, sizeof(mem));
    memset(read_only, 0, sizeof(read_only));
    fake_guest_reads = fake_guest_writes = 0;
}

void fake_guest_read_only(size_t offset, size_t len)
{
    for (size_t i = offset; i < offset + len && i < FAKE_GUEST_SIZE; i++)
        read_only[i] = true;
}

guest_ptr_t fake_guest_ptr(size_t offset)
{
    return guest_ptr(FAKE_GUEST_BASE + offset);
}

void *fake_guest_at(size_t offset)
{
    return mem + offset;
}

/* Byte `va` is mapped (and writable, for a write): its index, or -1. */
static long byte_at(uint64_t va, bool write)
{
    if (va < FAKE_GUEST_BASE || va - FAKE_GUEST_BASE >= FAKE_GUEST_SIZE)
        return -1;
    uint64_t i = va - FAKE_GUEST_BASE;
    return write && read_only[i] ? -1 : (long)i;
}

int copy_from_guest(void *dst, guest_ptr_t src, size_t len)
{
    fake_guest_reads += len != 0;
    for (size_t n = 0; n < len; n++) {
        long i = byte_at(src.va + n, false);
        if (i < 0)
            return -XEN_EFAULT;
        ((unsigned char *)dst)[n] = mem[i];
    }
    return 0;
}

int copy_to_guest(guest_ptr_t dst, const void *src, size_t len)
{
    fake_guest_writes += len != 0;
    for (size_t n = 0; n < len; n++) {
        long i = byte_at(dst.va + n, true);
        if (i < 0)
            return -XEN_EFAULT;
        mem[i] = ((const unsigned char *)src)[n];
    }
    return 0;
}
