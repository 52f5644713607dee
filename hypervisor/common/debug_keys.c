/*
 * Debug-key registry and dispatch; see debug_keys.h.  Each key prints a
 * header line first ("'q' pressed -> ..."), as Xen does, so a log reader
 * can tell which dump the following lines belong to.
 */
#include <stddef.h>
#include "common/debug_keys.h"
#include "lib/printk.h"

#define MAX_REGISTERED_KEYS 16

struct debug_key {
    unsigned char key;
    debug_key_fn fn;
    const char *description;
};

static void show_help(unsigned char key, const struct cpu_regs *regs);

static const struct debug_key builtin_keys[] = {
    { 'h', show_help, "show this help" },
    { 'd', dump_registers, "dump registers of the CPU and of every vCPU" },
    { '0', dump_dom0_vcpu0, "dump dom0's vCPU 0 registers" },
    { 'q', dump_domains, "dump domain and vCPU information" },
    { 'e', dump_event_channels, "dump event channels" },
    { 'm', dump_memory, "dump memory: free lists by order, frame table, heap" },
    { 't', dump_time, "dump time and timers" },
    { 'r', dump_run_queues, "dump run queues" },
};

#define NR_BUILTIN_KEYS (sizeof(builtin_keys) / sizeof(builtin_keys[0]))

static struct debug_key registered_keys[MAX_REGISTERED_KEYS];
static unsigned int nr_registered_keys;

static const struct debug_key *find_key(unsigned char key)
{
    for (size_t i = 0; i < NR_BUILTIN_KEYS; i++)
        if (builtin_keys[i].key == key)
            return &builtin_keys[i];
    for (unsigned int i = 0; i < nr_registered_keys; i++)
        if (registered_keys[i].key == key)
            return &registered_keys[i];
    return NULL;
}

int debug_key_register(unsigned char key, debug_key_fn fn, const char *description)
{
    if (key < 0x21 || key > 0x7e || !fn || !description) {
        printk(LOG_ERR, "debug key %#x: only printable ASCII keys with a handler and a description",
               key);
        return -1;
    }
    if (find_key(key)) {
        printk(LOG_ERR, "debug key '%c' is already taken", key);
        return -1;
    }
    if (nr_registered_keys == MAX_REGISTERED_KEYS) {
        printk(LOG_ERR, "debug key '%c': no room (%u keys registered)", key,
               MAX_REGISTERED_KEYS);
        return -1;
    }
    registered_keys[nr_registered_keys++] = (struct debug_key){ key, fn, description };
    return 0;
}

static void show_help(unsigned char key, const struct cpu_regs *regs)
{
    (void)key;
    (void)regs;
    for (size_t i = 0; i < NR_BUILTIN_KEYS; i++)
        printk(LOG_INFO, " key '%c' (ascii '%02x') => %s", builtin_keys[i].key,
               builtin_keys[i].key, builtin_keys[i].description);
    for (unsigned int i = 0; i < nr_registered_keys; i++)
        printk(LOG_INFO, " key '%c' (ascii '%02x') => %s", registered_keys[i].key,
               registered_keys[i].key, registered_keys[i].description);
    printk(LOG_INFO, " CTRL-a three times switches serial input back to dom0");
}

void debug_key_handle(unsigned char key, const struct cpu_regs *regs)
{
    const struct debug_key *k = find_key(key);

    if (!k) {
        if (key >= 0x20 && key < 0x7f)
            printk(LOG_INFO, "'%c' is not a debug key: press 'h' for the list", key);
        else if (key != '\r' && key != '\n')
            printk(LOG_INFO, "byte %#04x is not a debug key: press 'h' for the list", key);
        return;
    }
    printk(LOG_INFO, "'%c' pressed -> %s", key, k->description);
    k->fn(key, regs);
}
