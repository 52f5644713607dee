/* Checked copies to and from guest virtual memory; see guest_access.h. */
#include <string.h>
#include "arch/x86/cpu.h"
#include "arch/x86/extable.h"
#include "arch/x86/guest_access.h"
#include "arch/x86/layout.h"
#include "arch/x86/paging.h"
#include "arch/x86/pte.h"
#include "public/errno.h"
#include "public/xen.h"

bool guest_va_to_mfn(guest_ptr_t p, bool write, uint64_t *mfn)
{
    uint64_t va = p.va;
    uint64_t need = PTE_PRESENT | PTE_USER | (write ? PTE_WRITE : 0);
    uint64_t table = read_cr3() & PTE_ADDR_MASK;

    if (!guest_va_ok(va))
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

/* Copies through the guest's current page tables, as the guest itself
 * would see them: its entries are all user-accessible (pt_entry_adjust),
 * CR0.WP makes its read-only pages read-only here too, and a missing or
 * read-only page faults into the fix-up instead of the hypervisor.  The
 * hardware walks the tables; a software walk through the direct map cost
 * several times as much. */
static int raw_copy(void *dst, const void *src, size_t len)
{
    int fault = 0;

    __asm__ volatile("1: rep movsb\n"
                     "2:\n"
                     ".pushsection .text.fixup, \"ax\"\n"
                     "3: movl $1, %[fault]\n"
                     "   jmp 2b\n"
                     ".popsection\n"
                     EXTABLE_ENTRY(1b, 3b)
                     : "+D"(dst), "+S"(src), "+c"(len), [fault] "+r"(fault)
                     :
                     : "memory");
    return fault ? -XEN_EFAULT : 0;
}

int copy_from_guest(void *dst, guest_ptr_t src, size_t len)
{
    if (!len)
        return 0;
    if (!guest_range_ok(src.va, len))
        return -XEN_EFAULT;
    return raw_copy(dst, (const void *)(uintptr_t)src.va, len);
}

int copy_to_guest(guest_ptr_t dst, const void *src, size_t len)
{
    if (!len)
        return 0;
    if (!guest_range_ok(dst.va, len))
        return -XEN_EFAULT;
    return raw_copy((void *)(uintptr_t)dst.va, src, len);
}
