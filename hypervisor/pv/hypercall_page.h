/* The hypercall page a PV kernel may ask for (XEN_ELFNOTE_HYPERCALL_PAGE). */
#ifndef SUBFLOOR_HYPERCALL_PAGE_H
#define SUBFLOOR_HYPERCALL_PAGE_H

/* Fill a 4 KiB page with 128 32-byte stubs, stub n making hypercall n by
 * `syscall` from guest-kernel mode; stub 23 (iret) pushes the registers
 * the iret frame starts with and never returns. */
void hypercall_page_fill(void *page);

#endif
