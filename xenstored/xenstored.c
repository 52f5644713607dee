/* xenstored: the xenstore daemon. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xsd_daemon.h"
#include "xsd_options.h"
#include "xsd_server.h"

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static const char *rundir(void)
{
    const char *dir = getenv("XENSTORED_RUNDIR");
    return dir && *dir ? dir : "/var/run/xenstored";
}

/* Fork twice so the daemon is no session leader and cannot regain a tty. */
static int daemonise(void)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    if (setsid() < 0)
        return -1;
    pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0)
        _exit(0);
    return chdir("/");
}

static int detach_stdio(void)
{
    int null = open("/dev/null", O_RDWR);
    if (null < 0)
        return -1;
    dup2(null, STDIN_FILENO);
    dup2(null, STDOUT_FILENO);
    dup2(null, STDERR_FILENO);
    if (null > STDERR_FILENO)
        close(null);
    return 0;
}

static int write_pid_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%ld\n", (long)getpid());
    return fclose(f);
}

int main(int argc, char **argv)
{
    struct xsd_options opts;
    char err[256];
    if (xsd_options_parse(argc, argv, &opts, err, sizeof(err)) < 0) {
        fprintf(stderr, "xenstored: %s\n", err);
        xsd_options_usage(stderr);
        return 1;
    }
    if (opts.help) {
        xsd_options_usage(stdout);
        return 0;
    }

    struct xsd_daemon d;
    if (xsd_daemon_init(&d) < 0) {
        fprintf(stderr, "xenstored: out of memory\n");
        return 1;
    }
    d.quota = opts.quota;
    d.verbose = opts.verbose;
    if (opts.trace_file) {
        d.trace = fopen(opts.trace_file, "a");
        if (!d.trace) {
            fprintf(stderr, "xenstored: cannot open trace file %s: %s\n",
                    opts.trace_file, strerror(errno));
            return 1;
        }
        d.trace_on = true;
    }

    /* XENSTORED_PATH moves the read-write socket, as for the clients. */
    char rw_path[512], ro_path[512];
    const char *env_path = getenv("XENSTORED_PATH");
    if (env_path && *env_path) {
        snprintf(rw_path, sizeof(rw_path), "%s", env_path);
        snprintf(ro_path, sizeof(ro_path), "%s_ro", env_path);
    } else {
        snprintf(rw_path, sizeof(rw_path), "%s/socket", rundir());
        snprintf(ro_path, sizeof(ro_path), "%s/socket_ro", rundir());
    }
    const char *ring_dir = getenv("XENSTORED_TEST_RING_DIR");
    struct xsd_server_config cfg = {
        .socket_path = rw_path,
        .ro_socket_path = ro_path,
        .domain_init = !opts.no_domain_init,
        .test_ring_dir = ring_dir && *ring_dir ? ring_dir : NULL,
    };
    /* Before the sockets exist: a script that sees the socket and stops
     * the daemon at once must get a clean exit, not death by signal. */
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa = { .sa_handler = on_stop_signal };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);

    struct xsd_server srv;
    /* Sockets are bound before forking: when the parent returns, clients
     * can connect, and a failure reaches the caller's terminal. */
    if (xsd_server_init(&srv, &d, &cfg, err, sizeof(err)) < 0) {
        fprintf(stderr, "xenstored: %s\n", err);
        xsd_server_destroy(&srv);
        return 1;
    }

    if (!opts.no_fork && daemonise() < 0) {
        fprintf(stderr, "xenstored: cannot daemonise: %s\n", strerror(errno));
        return 1;
    }
    if (opts.pid_file && write_pid_file(opts.pid_file) < 0) {
        fprintf(stderr, "xenstored: cannot write pid file %s: %s\n",
                opts.pid_file, strerror(errno));
        return 1;
    }
    if (opts.output_pid) {
        printf("%ld\n", (long)getpid());
        fflush(stdout);
    }
    if (!opts.no_fork && detach_stdio() < 0)
        return 1;
    int rc = xsd_server_run(&srv, &stop_requested);
    xsd_server_destroy(&srv);
    if (opts.pid_file)
        unlink(opts.pid_file);
    xsd_daemon_destroy(&d);
    if (d.trace)
        fclose(d.trace);
    return rc < 0 ? 1 : 0;
}
