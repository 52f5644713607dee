/* xenstored's command line, option for option as Xen 4.17's. */
#ifndef XSD_OPTIONS_H
#define XSD_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "xsd_quota.h"

struct xsd_options {
    bool no_fork;          /* -N */
    bool no_domain_init;   /* -D */
    bool output_pid;       /* -P */
    bool verbose;          /* -V */
    bool help;             /* -h / -H */
    const char *pid_file;  /* -F */
    const char *trace_file;/* -T */
    struct xsd_quota quota;
};

/* Returns 0, or -1 with a message naming the bad option in err. */
int xsd_options_parse(int argc, char **argv, struct xsd_options *o, char *err,
                      size_t errlen);
void xsd_options_usage(FILE *f);

#endif
