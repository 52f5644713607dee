/* Console selection and output; see console.h. */
#include <string.h>
#include "lib/console.h"
#include "lib/log_ring.h"
#include "lib/printk.h"

static enum console_kind console = CONSOLE_PENDING;
static const struct console_ops *com1;

void console_set_ops(const struct console_ops *ops)
{
    com1 = ops;
}

/* Output only once COM1 is chosen and there is a line to write it to. */
static bool com1_ready(void)
{
    return console == CONSOLE_COM1 && com1;
}

int console_parse(const char *value, enum console_kind *out)
{
    const char *p = value;

    /* Xen takes a comma-separated list; use the first name we know. */
    while (*p) {
        size_t n = 0;

        while (p[n] && p[n] != ',')
            n++;

        if (n == 4 && !strncmp(p, "com1", 4)) {
            *out = CONSOLE_COM1;
            return 0;
        }
        if (n == 4 && !strncmp(p, "none", 4)) {
            *out = CONSOLE_NONE;
            return 0;
        }
        p += n;
        if (*p == ',')
            p++;
    }
    return -1;
}

static void replay_log(void)
{
    char text[LOG_RECORD_MAX + 1];
    uint64_t seq = log_ring_first_seq();
    int level, len;

    while ((len = log_ring_read(&seq, &level, text, sizeof(text))) >= 0)
        if (level <= printk_console_level())
            console_write_line(text, strlen(text));
}

void console_start(enum console_kind kind)
{
    if (console != CONSOLE_PENDING)
        return;
    console = kind;
    if (kind == CONSOLE_COM1 && com1) {
        com1->init();
        replay_log();
    }
}

void console_start_emergency(void)
{
    console_start(CONSOLE_COM1);
}

bool console_active(void)
{
    return console == CONSOLE_COM1;
}

void console_write_line(const char *text, size_t len)
{
    if (!com1_ready())
        return;
    com1->write("(SF) ", 5);
    com1->write(text, len);
    com1->write("\n", 1);
}

void console_write_bytes(const char *bytes, size_t len)
{
    if (com1_ready())
        com1->write(bytes, len);
}

void console_write_raw_line(const char *text, size_t len)
{
    if (!com1_ready())
        return;
    com1->write(text, len);
    com1->write("\n", 1);
}
