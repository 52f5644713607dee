/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * xl's entry: the global options, the command table, help and the
 * option rules every command shares.  Texts, exit codes and the order of
 * the table are Xen 4.17 xl's, so that scripts written for Xen's xl read
 * ours the same way; the table holds only what Subfloor implements, and
 * any other command is "not implemented", as Xen's xl says of a word it
 * does not know.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xenstore.h>

#include "xl.h"

struct xl_ctx xl;
static xentoollog_logger_stdiostream *xl_xc_logger;

struct xl_cmd {
    const char *name;
    int (*run)(int argc, char **argv);
    bool can_dryrun;    /* accepts the global -N */
    bool modifies;      /* accepts the global -f */
    bool offline;       /* needs no hypervisor: runs without xl's context */
    const char *desc;
    const char *usage;
    const char *options;    /* NULL: none */
};

#define SIZE_USAGE "<Domain> <MemMB['b'[bytes]|'k'[KB]|'m'[MB]|'g'[GB]|'t'[TB]]>"

/* In the order of Xen's table, which `xl help` lists. */
static const struct xl_cmd commands[] = {
    { "create", xl_cmd_create, true, false, false,
      "Create a domain from config file <filename>",
      "<ConfigFile> [options] [vars]",
      "-c                      Connect to the console after the domain is created.\n"
      "-d                      Enable debug messages.\n"
      "-e                      Do not wait in the background for the death of the domain.\n"
      "-F                      Run in foreground until death of the domain.\n"
      "-f FILE, --defconfig=FILE\n"
      "                     Use the given configuration file.\n"
      "-h                      Print this help.\n"
      "-n, --dryrun            Dry run - prints the resulting configuration\n"
      "                         (deprecated in favour of global -N option).\n"
      "-p                      Leave the domain paused after it is created.\n"
      "-q, --quiet             Quiet.\n"
      "-V, --vncviewer         Connect to the VNC display after the domain is created.\n"
      "-A, --vncviewer-autopass\n"
      "                        Pass VNC password to viewer via stdin.\n"
      "--ignore-global-affinity-masks Ignore global masks in xl.conf." },
    { "list", xl_cmd_list, false, false, false,
      "List information about all/some domains",
      "[options] [Domain]\n",
      "-l, --long              Output all VM details\n"
      "-v, --verbose           Prints out UUIDs and security context\n"
      "-Z, --context           Prints out security context\n"
      "-c, --cpupool           Prints the cpupool the domain is in\n"
      "-n, --numa              Prints out NUMA node affinity" },
    { "console", xl_cmd_console, false, false, false,
      "Attach to domain's console",
      "[options] <Domain>\n"
      "-t <type>       console type, pv , serial or vuart\n"
      "-n <number>     console number",
      NULL },
    { "destroy", xl_cmd_destroy, false, true, false,
      "Terminate a domain immediately",
      "[options] <Domain>\n",
      "-f                      Permit destroying domain 0, which will only succeed\n"
      "                        when run from disaggregated toolstack domain with a\n"
      "                        hardware domain distinct from domain 0." },
    { "shutdown", xl_cmd_shutdown, false, true, false,
      "Issue a shutdown signal to a domain",
      "[options] <-a|Domain>",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Fallback to ACPI power event for HVM guests with\n"
      "                        no PV drivers.\n"
      "-w, --wait              Wait for guest(s) to shutdown.\n" },
    { "reboot", xl_cmd_reboot, false, true, false,
      "Issue a reboot signal to a domain",
      "[options] <-a|Domain>",
      "-a, --all               Shutdown all guest domains.\n"
      "-h                      Print this help.\n"
      "-F                      Fallback to ACPI reset event for HVM guests with\n"
      "                        no PV drivers.\n"
      "-w, --wait              Wait for guest(s) to reboot.\n" },
    { "pause", xl_cmd_pause, false, true, false,
      "Pause execution of a domain", "<Domain>", NULL },
    { "unpause", xl_cmd_unpause, false, true, false,
      "Unpause a paused domain", "<Domain>", NULL },
    { "mem-max", xl_cmd_mem_max, false, true, false,
      "Set the maximum amount reservation for a domain", SIZE_USAGE, NULL },
    { "mem-set", xl_cmd_mem_set, false, true, false,
      "Set the current memory usage for a domain", SIZE_USAGE, NULL },
    { "vcpu-list", xl_cmd_vcpu_list, false, false, false,
      "List the VCPUs for all/some domains", "[Domain, ...]", NULL },
    { "vcpu-pin", xl_cmd_vcpu_pin, true, true, false,
      "Set which CPUs a VCPU can use",
      "[option] <Domain> <VCPU|all> <Hard affinity|-|all> <Soft affinity|-|all>",
      "-f, --force        undo an override pinning done by the kernel\n"
      "--ignore-global-affinity-masks Ignore global masks in xl.conf" },
    { "vcpu-set", xl_cmd_vcpu_set, false, true, false,
      "Set the number of active VCPUs allowed for the domain",
      "[option] <Domain> <vCPUs>",
      "-i, --ignore-host  Don't limit the vCPU based on the host CPU count" },
    { "info", xl_cmd_info, false, false, false,
      "Get information about Xen host",
      "-n, --numa         List host NUMA topology information", NULL },
    { "sched-credit2", xl_cmd_sched_credit2, false, true, false,
      "Get/set credit2 scheduler parameters",
      "[-d <Domain> [-w[=WEIGHT]]] [-p CPUPOOL]",
      "-d DOMAIN, --domain=DOMAIN     Domain to modify\n"
      "-w WEIGHT, --weight=WEIGHT     Weight (int)\n"
      "-c CAP,    --cap=CAP           Cap (int)\n"
      "-s         --schedparam        Query / modify scheduler parameters\n"
      "-r RLIMIT, --ratelimit_us=RLIMIT Set the scheduling rate limit, in microseconds\n"
      "-p CPUPOOL, --cpupool=CPUPOOL  Restrict output to CPUPOOL" },
    { "domid", xl_cmd_domid, false, false, false,
      "Convert a domain name to domain id", "<DomainName>", NULL },
    { "domname", xl_cmd_domname, false, false, false,
      "Convert a domain id to domain name", "<DomainId>", NULL },
    { "dmesg", xl_cmd_dmesg, false, false, false,
      "Read and/or clear dmesg buffer", "[-c]",
      "  -c                        Clear dmesg buffer as well as printing it" },
    { "uptime", xl_cmd_uptime, false, false, false,
      "Print uptime for all/some domains", "[-s] [Domain]", NULL },
    { "domxml-to-xl", xl_cmd_domxml_to_xl, false, false, true,
      "Convert libvirt domain XML to xl.cfg text", "<XMLFile>", NULL },
    { "vcpu-stats", xl_cmd_vcpu_stats, false, false, false,
      "Show each VCPU's wake-to-run latency and time waiting for a CPU",
      "[Domain, ...]", NULL },
};
#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct xl_cmd *find_command(const char *name)
{
    for (size_t i = 0; i < NR_COMMANDS; i++)
        if (!strcmp(commands[i].name, name))
            return &commands[i];
    return NULL;
}

void xl_help(const char *name)
{
    if (!name || !strcmp(name, "help")) {
        printf("Usage xl [-vfNtT] <subcommand> [args]\n\n");
        printf("xl full list of subcommands:\n\n");
        for (size_t i = 0; i < NR_COMMANDS; i++) {
            printf(" %-19s ", commands[i].name);
            if (strlen(commands[i].name) > 19)
                printf("\n %-19s ", "");
            printf("%s\n", commands[i].desc);
        }
        return;
    }
    const struct xl_cmd *c = find_command(name);
    if (!c) {
        printf("command \"%s\" not implemented\n", name);
        return;
    }
    printf("Usage: xl [-vtT%s%s] %s %s\n\n%s.\n\n", c->modifies ? "f" : "",
           c->can_dryrun ? "N" : "", c->name, c->usage, c->desc);
    if (c->options)
        printf("Options:\n\n%s\n", c->options);
}

int xl_getopt(int argc, char *const argv[], const char *optstring,
              const struct option *longopts, const char *cmd, int reqargs)
{
    static const struct option help_only[] = {
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    if (!longopts)
        longopts = help_only;
    opterr = 0;
    int opt = getopt_long(argc, argv, optstring, longopts, NULL);
    if (opt == '?' && optopt != 'h') {
        fprintf(stderr, "option `%c' not supported.\n", optopt);
        exit(2);
    }
    if (opt == '?' || opt == 'h') {
        xl_help(cmd);
        exit(0);
    }
    if (opt != -1)
        return opt;
    if (argc - optind < reqargs) {
        fprintf(stderr, "'xl %s' requires at least %d argument%s.\n\n", cmd,
                reqargs, reqargs > 1 ? "s" : "");
        xl_help(cmd);
        exit(2);
    }
    return -1;
}

static void liblog(const char *level, const char *where, uint32_t domid,
                   int errnum, const char *fmt, va_list ap)
{
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = NULL;
    fprintf(stderr, "libxl: %s: %s: ", level, where);
    /* Ids of guests only: dom0 and the reserved ids carry no prefix. */
    if (domid > 0 && domid < DOMID_FIRST_RESERVED)
        fprintf(stderr, "Domain %u:", domid);
    fputs(msg ? msg : "(no memory for the message)", stderr);
    if (errnum >= 0)
        fprintf(stderr, ": %s", strerror(errnum));
    fputc('\n', stderr);
    free(msg);
}

void xl_liberr(const char *where, uint32_t domid, int errnum,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    liblog("error", where, domid, errnum, fmt, ap);
    va_end(ap);
}

void xl_libwarn(const char *where, uint32_t domid, int errnum,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    liblog("warning", where, domid, errnum, fmt, ap);
    va_end(ap);
}

static void close_handles(void)
{
    if (xl.xsh)
        xs_close(xl.xsh);
    if (xl.xch)
        xc_interface_close(xl.xch);
    xtl_logger_destroy((xentoollog_logger *)xl_xc_logger);
    xl_xc_logger = NULL;
    xl.xsh = NULL;
    xl.xch = NULL;
}

/* Xen's xl reads its global configuration first and says so when it
 * cannot; none of its settings changes the commands implemented here. */
static void read_global_config(void)
{
    static const char path[] = "/etc/xen/xl.conf";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "Failed to read config file: %s: %s\n", path,
                strerror(errno));
        return;
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    int opt;
    while ((opt = getopt(argc, argv, "+vftTN")) >= 0) {
        switch (opt) {
        case 'v': case 'f': case 't': case 'T':
            break;      /* verbosity, force, progress, timestamps */
        case 'N':
            xl.dryrun = true;
            break;
        default:
            fprintf(stderr, "unknown global option\n");
            return EXIT_FAILURE;
        }
    }
    const char *name = argv[optind];
    if (!name) {
        xl_help(NULL);
        return EXIT_FAILURE;
    }
    const struct xl_cmd *c = find_command(name);
    if (c && c->offline) {
        if (xl.dryrun) {
            fprintf(stderr, "command does not implement -N (dryrun) option\n");
            return EXIT_FAILURE;
        }
        argc -= optind;
        argv += optind;
        optind = 1;
        return c->run(argc, argv);
    }

    /* The commands print Xen xl's own messages for a failed call; the
     * library's "xc: error:" lines would be extra, so only its critical
     * ones get through. */
    xl_xc_logger = xtl_createlogger_stdiostream(stderr, XTL_CRITICAL, 0);
    xl.xch = xc_interface_open((xentoollog_logger *)xl_xc_logger, NULL, 0);
    if (!xl.xch) {
        fprintf(stderr, "cannot init xl context\n");
        return EXIT_FAILURE;
    }
    xl.xsh = xs_open(0);
    if (!xl.xsh) {
        fprintf(stderr, "cannot init xl context\n");
        close_handles();
        return EXIT_FAILURE;
    }
    xl_use_real_backend();
    atexit(close_handles);
    read_global_config();

    argc -= optind;
    argv += optind;
    optind = 1;
    if (c) {
        if (xl.dryrun && !c->can_dryrun) {
            fprintf(stderr, "command does not implement -N (dryrun) option\n");
            return EXIT_FAILURE;
        }
        return c->run(argc, argv);
    }
    if (!strcmp(name, "help")) {
        xl_help(argv[1]);
        return EXIT_SUCCESS;
    }
    fprintf(stderr, "command not implemented\n");
    return EXIT_FAILURE;
}
