#include "xsd_options.h"

#include <getopt.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "xsd_util.h"

void xsd_options_usage(FILE *f)
{
    fputs(
"Usage:\n"
"\n"
"  xenstored <options>\n"
"\n"
"options:\n"
"\n"
"  -D, --no-domain-init    do not serve dom0's ring nor require a hypervisor\n"
"  -F, --pid-file <file>   write the daemon's pid into <file>\n"
"  -H, -h, --help          show this text\n"
"  -N, --no-fork           stay in the foreground\n"
"  -P, --output-pid        print the daemon's pid on standard output\n"
"  -T, --trace-file <file> log requests and replies to <file>\n"
"      --trace-control=+/-<switch>  accepted for compatibility\n"
"  -E, --entry-nb <nb>     nodes a domain may own (quota nodes)\n"
"  -S, --entry-size <size> bytes of one node (quota node-size)\n"
"  -W, --watch-nb <nb>     watches per domain (quota watches)\n"
"  -t, --transaction <nb>  concurrent transactions per domain\n"
"  -A, --perm-nb <nb>      permission entries per node\n"
"  -M, --path-max <chars>  length of a node path below the domain's home\n"
"  -Q, --quota <what>=<nb> set a quota; <what> is one of:\n"
"                          memory, nodes, node-permissions, node-size,\n"
"                          outstanding, path-length, transaction-nodes,\n"
"                          transactions, watches\n"
"  -q, --quota-soft <what>=<nb>  soft quota (memory): warnings only\n"
"  -w, --timeout <what>=<seconds> accepted for compatibility\n"
"  -R, --no-recovery       accepted for compatibility\n"
"  -I, --internal-db       accepted: the store is always in memory\n"
"  -V, --verbose           report dropped connections on standard error\n",
          f);
}

static int number(const char *arg, unsigned long *out)
{
    return xsd_parse_ulong(arg, 0xffffffffUL, out);
}

int xsd_options_parse(int argc, char **argv, struct xsd_options *o, char *err,
                      size_t errlen)
{
    static const struct option longopts[] = {
        { "no-domain-init", no_argument, NULL, 'D' },
        { "pid-file", required_argument, NULL, 'F' },
        { "help", no_argument, NULL, 'H' },
        { "no-fork", no_argument, NULL, 'N' },
        { "output-pid", no_argument, NULL, 'P' },
        { "trace-file", required_argument, NULL, 'T' },
        { "trace-control", required_argument, NULL, 1 },
        { "entry-nb", required_argument, NULL, 'E' },
        { "entry-size", required_argument, NULL, 'S' },
        { "watch-nb", required_argument, NULL, 'W' },
        { "transaction", required_argument, NULL, 't' },
        { "perm-nb", required_argument, NULL, 'A' },
        { "path-max", required_argument, NULL, 'M' },
        { "quota", required_argument, NULL, 'Q' },
        { "quota-soft", required_argument, NULL, 'q' },
        { "timeout", required_argument, NULL, 'w' },
        { "no-recovery", no_argument, NULL, 'R' },
        { "internal-db", optional_argument, NULL, 'I' },
        { "verbose", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    memset(o, 0, sizeof(*o));
    xsd_quota_defaults(&o->quota);
    optind = 1;
    opterr = 0;
    int opt;
    while ((opt = getopt_long(argc, argv, ":DF:HhNPT:E:S:W:t:A:M:Q:q:w:RI::V",
                              longopts, NULL)) != -1) {
        unsigned long v = 0;
        const char *name = NULL;
        switch (opt) {
        case 'D': o->no_domain_init = true; continue;
        case 'F': o->pid_file = optarg; continue;
        case 'H': case 'h': o->help = true; continue;
        case 'N': o->no_fork = true; continue;
        case 'P': o->output_pid = true; continue;
        case 'T': o->trace_file = optarg; continue;
        case 'V': o->verbose = true; continue;
        case 'R': case 'I': case 1: continue;
        case 'w':
            if (!strchr(optarg, '=')) {
                snprintf(err, errlen, "bad --timeout '%s': want what=seconds",
                         optarg);
                return -1;
            }
            continue;
        case 'E': name = "nodes"; break;
        case 'S': name = "node-size"; break;
        case 'W': name = "watches"; break;
        case 't': name = "transactions"; break;
        case 'A': name = "node-permissions"; break;
        case 'M': name = "path-length"; break;
        case 'Q': case 'q':
            if (xsd_quota_parse_assignment(&o->quota, optarg,
                                           opt == 'q') < 0) {
                snprintf(err, errlen,
                         "bad %s '%s': want <what>=<number> with a known "
                         "quota name", opt == 'q' ? "--quota-soft" : "--quota",
                         optarg);
                return -1;
            }
            continue;
        case ':':
            snprintf(err, errlen, "option '%s' needs an argument",
                     argv[optind - 1]);
            return -1;
        default:
            snprintf(err, errlen, "unknown option '%s'", argv[optind - 1]);
            return -1;
        }
        if (number(optarg, &v) < 0) {
            snprintf(err, errlen, "option -%c: '%s' is not a number", opt,
                     optarg);
            return -1;
        }
        /* Xen caps the path quota at what the protocol can carry. */
        if (opt == 'M' && v > XENSTORE_REL_PATH_MAX)
            v = XENSTORE_REL_PATH_MAX;
        xsd_quota_set(&o->quota, name, v);
    }
    if (optind < argc) {
        snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
        return -1;
    }
    return 0;
}
