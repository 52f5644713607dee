/* printk: format, split into lines, log each, show those above loglvl. */
#include <string.h>
#include "lib/console.h"
#include "lib/format.h"
#include "lib/irqflags.h"
#include "lib/conring.h"
#include "lib/log_ring.h"
#include "lib/printk.h"

static int console_level = LOG_INFO;

void printk_set_console_level(int level)
{
    console_level = level;
}

int printk_console_level(void)
{
    return console_level;
}

int printk_parse_level(const char *name, int *level)
{
    static const struct { const char *name; int level; } names[] = {
        { "none", LOG_NONE }, { "error", LOG_ERR }, { "warning", LOG_WARNING },
        { "info", LOG_INFO }, { "debug", LOG_DEBUG }, { "all", LOG_DEBUG },
    };
    size_t n = 0;

    while (name[n] && name[n] != '/')
        n++;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strlen(names[i].name) == n && !strncmp(name, names[i].name, n)) {
            *level = names[i].level;
            return 0;
        }
    }
    return -1;
}

void vprintk(int level, const char *fmt, va_list ap)
{
    char buf[LOG_RECORD_MAX];
    char *line = buf;

    vsnprintf(buf, sizeof(buf), fmt, ap);

    /* Interrupt handlers print too: keep each line whole. */
    uint64_t flags = local_irq_save();
    while (*line) {
        char *nl = strchr(line, '\n');
        size_t len = nl ? (size_t)(nl - line) : strlen(line);

        log_ring_append(level, line, len);
        if (level <= console_level) {
            console_write_line(line, len);
            conring_put("(XEN) ", 6);
            conring_put(line, len);
            conring_put("\n", 1);
        }
        line += len + (nl ? 1 : 0);
    }
    local_irq_restore(flags);
}

void printk(int level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vprintk(level, fmt, ap);
    va_end(ap);
}
