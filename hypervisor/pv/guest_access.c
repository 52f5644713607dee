/* Checked copies to and from guest virtual memory; see guest_access.h. */
#include <string.h>
#include "cpu.h"
#include "guest_access.h"
#include "layout.h"
#include "paging.h"
#include "public/errno.h"
#include "public/xen.h"

#define GUEST_HOLE_START 0xffff800000000000ull
#define GUEST_HOLE_END   0xffff880000000000ull
#define CANONICAL_LOW_END (1ull << 47)

static bool va_guest_visible(uint64_t va)
{
    if (va < CANONICAL_LOW_END)
        return true;
    if (va < 0xffff800000000000ull)
        return false;               /* non-canonical */
    return va < GUEST_HOLE_START || va >= GUEST_HOLE_END;
}

bool guest_va_to_mfn(uint64_t va, bool write, uint64_t *mfn)
{
    uint64_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITE : 0);
    uint64_t table = read_cr3() & PTE_ADDR_MASK;

    if (!va_guest_visible(va))
        return false;
    for (int level = 4; level >= 1; level--) {
        if (!directmap_covers(table, PAGE_SIZE))
            return false;
        const uint64_t *t = phys_to_virt(table);
        uint64_t e = t[(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511];

        if ((e & need) != need)
            return false;
        if (level > 1 && (e & PTE_PSE)) {
            if (level == 4)
                return false;       /* no such thing */
            uint64_t span = 1ull << (PAGE_SHIFT + 9 * (level - 1));
            uint64_t base = e & PTE_ADDR_MASK & ~(span - 1);
            *mfn = (base + (va & (span - 1))) >> PAGE_SHIFT;
            return true;
        }
        table = e & PTE_ADDR_MASK;
    }
    *mfn = table >> PAGE_SHIFT;
    return true;
}

/* Walk [va, va + len) page by page; fn moves one piece. */
static int for_each_piece(uint64_t va, size_t len, bool write,
                          void (*fn)(void *frame_ptr, size_t done, size_t n, void *ctx),
                          void *ctx)
{
    size_t done = 0;

    if (va + len < va)
        return -XEN_EFAULT;
    while (done < len) {
        uint64_t cur = va + done;
        size_t n = PAGE_SIZE - (cur & (PAGE_SIZE - 1));
        uint64_t mfn;

        if (n > len - done)
            n = len - done;
        if (!guest_va_to_mfn(cur, write, &mfn) ||
            !directmap_covers(mfn << PAGE_SHIFT, PAGE_SIZE))
            return -XEN_EFAULT;
        fn((char *)phys_to_virt(mfn << PAGE_SHIFT) + (cur & (PAGE_SIZE - 1)),
           done, n, ctx);
        done += n;
    }
    return 0;
}

static void piece_in(void *frame_ptr, size_t done, size_t n, void *ctx)
{
    memcpy((char *)ctx + done, frame_ptr, n);
}

static void piece_out(void *frame_ptr, size_t done, size_t n, void *ctx)
{
    memcpy(frame_ptr, (const char *)ctx + done, n);
}

int copy_from_guest(void *dst, uint64_t guest_va, size_t len)
{
    return for_each_piece(guest_va, len, false, piece_in, dst);
}

int copy_to_guest(uint64_t guest_va, const void *src, size_t len)
{
    return for_each_piece(guest_va, len, true, piece_out, (void *)src);
}
