/*
 * Hypercall page stubs for 64-bit PV kernels.  The guest calls stub n
 * with arguments in rdi, rsi, rdx, r10, r8; the stub keeps rcx and r11,
 * which `syscall` destroys, on the stack around the call.
 */
#include <string.h>
#include "public/xen.h"
#include "pv/hypercall_page.h"

#define STUB_SIZE 32
#define NR_STUBS  (4096 / STUB_SIZE)

#define OP_PUSH_RCX   0x51
#define OP_PUSH_RAX   0x50
#define OP_POP_RCX    0x59
#define OP_RET        0xc3
#define OP_MOV_EAX    0xb8          /* mov $imm32, %eax */
#define OP_INT3       0xcc

static unsigned int put(unsigned char *p, unsigned int at, const unsigned char *bytes,
                        unsigned int n)
{
    memcpy(p + at, bytes, n);
    return at + n;
}

static unsigned int put_mov_eax(unsigned char *p, unsigned int at, uint32_t v)
{
    p[at++] = OP_MOV_EAX;
    memcpy(p + at, &v, 4);
    return at + 4;
}

void hypercall_page_fill(void *page)
{
    static const unsigned char push_r11[] = { 0x41, 0x53 };
    static const unsigned char pop_r11[] = { 0x41, 0x5b };
    static const unsigned char syscall_insn[] = { 0x0f, 0x05 };

    memset(page, OP_INT3, 4096);
    for (unsigned int nr = 0; nr < NR_STUBS; nr++) {
        unsigned char *stub = (unsigned char *)page + nr * STUB_SIZE;
        unsigned int at = 0;

        stub[at++] = OP_PUSH_RCX;
        at = put(stub, at, push_r11, sizeof(push_r11));
        if (nr == __HYPERVISOR_iret) {
            /* The frame's first word is rax; the guest pushed the rest. */
            stub[at++] = OP_PUSH_RAX;
            at = put_mov_eax(stub, at, nr);
            at = put(stub, at, syscall_insn, sizeof(syscall_insn));
            continue;
        }
        at = put_mov_eax(stub, at, nr);
        at = put(stub, at, syscall_insn, sizeof(syscall_insn));
        at = put(stub, at, pop_r11, sizeof(pop_r11));
        stub[at++] = OP_POP_RCX;
        stub[at++] = OP_RET;
    }
}
