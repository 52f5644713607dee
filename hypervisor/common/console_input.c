/*
 * Console input routing and dom0's input ring; see console_input.h.
 *
 * Ctrl-A presses are held back until it is clear whether they form the
 * switch sequence: the third one switches and all three vanish; any
 * other byte first releases the held ones to the current target, so a
 * single Ctrl-A still reaches dom0 (shells use it).
 */
#include <stdbool.h>
#include "common/console_input.h"
#include "common/debug_keys.h"
#include "lib/printk.h"

#define RING_MASK (CONSOLE_INPUT_RING_SIZE - 1)

_Static_assert((CONSOLE_INPUT_RING_SIZE & RING_MASK) == 0,
               "the ring size must be a power of two");

static enum console_input_target target = CONSOLE_INPUT_HYPERVISOR;
static struct domain *input_domain;
static unsigned int held_switch_chars;

/* Free-running indices: prod - cons is the fill, even across wrap. */
static char ring[CONSOLE_INPUT_RING_SIZE];
static uint32_t ring_prod, ring_cons;
static uint64_t dropped;

static void announce(void)
{
    printk(LOG_INFO, "*** Serial input to %s (type 'CTRL-a' three times to switch input)",
           target == CONSOLE_INPUT_DOM0 ? "DOM0" : "Subfloor");
}

static void switch_target(void)
{
    /* Without a dom0 there is nowhere else to send input. */
    if (!input_domain) {
        printk(LOG_INFO, "*** Serial input stays with Subfloor: no dom0 to switch to");
        return;
    }
    target = target == CONSOLE_INPUT_DOM0 ? CONSOLE_INPUT_HYPERVISOR : CONSOLE_INPUT_DOM0;
    announce();
}

static void to_dom0(char c)
{
    if (ring_prod - ring_cons < CONSOLE_INPUT_RING_SIZE)
        ring[ring_prod++ & RING_MASK] = c;
    else
        dropped++;
    console_input_notify_guest(input_domain);
}

static void deliver(char c, const struct cpu_regs *regs)
{
    if (target == CONSOLE_INPUT_DOM0)
        to_dom0(c);
    else
        debug_key_handle((unsigned char)c, regs);
}

void console_input_receive(char c, const struct cpu_regs *regs)
{
    if (c == CONSOLE_SWITCH_CHAR) {
        if (++held_switch_chars == CONSOLE_SWITCH_PRESSES) {
            held_switch_chars = 0;
            switch_target();
        }
        return;
    }
    for (; held_switch_chars; held_switch_chars--)
        deliver(CONSOLE_SWITCH_CHAR, regs);
    deliver(c, regs);
}

enum console_input_target console_input_target(void)
{
    return target;
}

void console_input_endboot(struct domain *dom0)
{
    input_domain = dom0;
    if (dom0 && target != CONSOLE_INPUT_DOM0) {
        target = CONSOLE_INPUT_DOM0;
        announce();
    }
}

unsigned int console_input_pending(void)
{
    return ring_prod - ring_cons;
}

unsigned int console_input_peek(char *dst, unsigned int max)
{
    unsigned int n = console_input_pending();

    if (n > max)
        n = max;
    for (unsigned int i = 0; i < n; i++)
        dst[i] = ring[(ring_cons + i) & RING_MASK];
    return n;
}

void console_input_consume(unsigned int n)
{
    unsigned int pending = console_input_pending();

    ring_cons += n < pending ? n : pending;
}

uint64_t console_input_dropped(void)
{
    return dropped;
}
