/* The daemon as a process, for the tests that need one: started with
 * -N -D on a temporary XENSTORED_RUNDIR, spoken to over its sockets in
 * raw wire protocol, and over a shared-memory ring through the test
 * backend (XENSTORED_TEST_RING_DIR) as a guest would. */
#ifndef XSD_TEST_DAEMON_H
#define XSD_TEST_DAEMON_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <public/io/xs_wire.h>

/*
 * Waits end on what they wait for (a socket, a reply, a hang-up, an
 * exit), never on a clock.  Their bounds only turn a daemon that hangs
 * into a failure with a message, and are generous: the sanitized daemon
 * on a busy two-CPU machine can take seconds where it takes milliseconds
 * alone.
 */
#define WAIT_S 30               /* a reply, a notification, a hang-up */
#define POLL_US 10000           /* between looks at a file or a process */
#define POLLS (WAIT_S * 1000000 / POLL_US)

extern char rundir[64];
extern pid_t daemon_pid;

/* The sanitized daemon (XENSTORED_BIN overrides), and the plain one,
 * whose memory use is the real daemon's. */
const char *daemon_binary(void);
const char *plain_daemon_binary(void);
double now_s(void);

pid_t spawn(char *const argv[], const char *ring_dir);
pid_t spawn_binary(const char *binary, char *const argv[],
                   const char *ring_dir);
void wait_for_socket(void);
/* Starts a daemon on a fresh rundir; extra is one more argument or NULL. */
void start_daemon_binary(const char *binary, const char *ring_dir,
                         const char *extra);
void start_daemon_with(const char *ring_dir, const char *extra);
void start_daemon(void);
/* Stops it with SIGTERM and asserts a clean exit; removes the rundir. */
void stop_daemon(void);
/* The daemon's resident set, in KiB. */
long daemon_rss_kib(void);

int connect_to(const char *name);
int send_all(int fd, const void *buf, size_t len);
int send_msg(int fd, uint32_t type, uint32_t req, const void *payload,
             size_t len);
int send_msg_tx(int fd, uint32_t type, uint32_t req, uint32_t tx,
                const void *payload, size_t len);
int recv_all(int fd, void *buf, size_t len);
/* Reply or event as "TYPE:str|str"; "EOF" when the daemon hung up.
 * Static buffer. */
const char *recv_show(int fd, struct xsd_sockmsg *hdr_out);
/* Strings then NULL; the reply as recv_show gives it. */
const char *rpc(int fd, uint32_t type, ...);
const char *rpc_write(int fd, const char *path, const char *value);

#define OK_WRITE "11:OK"
#define ERR(name) "16:" name

/* A guest domain's side of the test ring backend. */
struct guest {
    struct xenstore_domain_interface *intf;
    int listen_fd, evt;
    char dir[64];
};

void guest_setup(struct guest *g, unsigned domid);
/* After INTRODUCE: takes the daemon's event-channel connection. */
void guest_accept(struct guest *g);
void guest_notify(struct guest *g);
void guest_wait(struct guest *g);
void guest_wait_hangup(struct guest *g);
void guest_put(struct guest *g, const void *data, size_t len);
void guest_get(struct guest *g, void *data, size_t len);
/* One request and its reply, as "TYPE:str|str" (static buffer). */
const char *guest_rpc_raw(struct guest *g, uint32_t type,
                          const char *payload, size_t len);
const char *guest_rpc_tx(struct guest *g, uint32_t type, uint32_t tx,
                         const char *payload, size_t len);
const char *guest_rpc(struct guest *g, uint32_t type, const char *a,
                      const char *b);
void guest_teardown(struct guest *g);

#endif
