/*
 * CMOS RTC read.  The date is read twice until two reads agree, so an
 * update in the middle of reading cannot give a torn time.
 */
#include <stdbool.h>
#include "arch/x86/cpu.h"
#include "arch/x86/io.h"
#include "arch/x86/rtc.h"

#define CMOS_INDEX 0x70
#define CMOS_DATA  0x71
#define REG_STATUS_A 0x0a
#define REG_STATUS_B 0x0b
#define STATUS_A_UPDATING 0x80
#define STATUS_B_BINARY   0x04
#define STATUS_B_24H      0x02

struct rtc_time {
    unsigned int sec, min, hour, day, mon, year, century;
};

static uint8_t cmos_read(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void read_raw(struct rtc_time *t)
{
    for (unsigned int spins = 0; spins < 1000000 && (cmos_read(REG_STATUS_A) & STATUS_A_UPDATING);
         spins++)
        cpu_relax();
    t->sec = cmos_read(0x00);
    t->min = cmos_read(0x02);
    t->hour = cmos_read(0x04);
    t->day = cmos_read(0x07);
    t->mon = cmos_read(0x08);
    t->year = cmos_read(0x09);
    t->century = cmos_read(0x32);
}

static bool same(const struct rtc_time *a, const struct rtc_time *b)
{
    return a->sec == b->sec && a->min == b->min && a->hour == b->hour &&
           a->day == b->day && a->mon == b->mon && a->year == b->year &&
           a->century == b->century;
}

static unsigned int from_bcd(unsigned int v)
{
    return (v & 0x0f) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
    /* Count years from March so the leap day falls at a year's end. */
    if (m <= 2) {
        y--;
        m += 12;
    }
    uint64_t days = 365ull * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
    return days - 719468;   /* the same count for 1970-03-01 minus Jan+Feb */
}

int rtc_read_unix_time(uint64_t *seconds)
{
    struct rtc_time a, b;
    unsigned int tries = 0;

    read_raw(&a);
    do {
        b = a;
        read_raw(&a);
    } while (!same(&a, &b) && ++tries < 10);

    uint8_t status_b = cmos_read(REG_STATUS_B);
    bool pm = !(status_b & STATUS_B_24H) && (a.hour & 0x80);
    a.hour &= 0x7f;
    if (!(status_b & STATUS_B_BINARY)) {
        a.sec = from_bcd(a.sec);
        a.min = from_bcd(a.min);
        a.hour = from_bcd(a.hour);
        a.day = from_bcd(a.day);
        a.mon = from_bcd(a.mon);
        a.year = from_bcd(a.year);
        a.century = from_bcd(a.century);
    }
    if (!(status_b & STATUS_B_24H))
        a.hour = (a.hour % 12) + (pm ? 12 : 0);
    unsigned int year = (a.century >= 19 && a.century <= 30 ? a.century : 20) * 100 + a.year;
    if (a.sec > 59 || a.min > 59 || a.hour > 23 || a.day < 1 || a.day > 31 ||
        a.mon < 1 || a.mon > 12 || year < 1970)
        return -1;
    *seconds = days_since_epoch(year, a.mon, a.day) * 86400 + a.hour * 3600 + a.min * 60 + a.sec;
    return 0;
}
