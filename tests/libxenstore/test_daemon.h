/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Starts a private xenstored for a test: $XENSTORED_BIN or the project's
 * $top_builddir/xenstored/xenstored, run with -N -D and XENSTORED_RUNDIR
 * in a fresh temporary directory; XENSTORED_PATH then points at it.
 */
#ifndef TESTS_LIBXENSTORE_TEST_DAEMON_H
#define TESTS_LIBXENSTORE_TEST_DAEMON_H

#include <check.h>
#include <sys/types.h>

struct test_daemon {
    pid_t pid;
    char rundir[64];
    char socket[96];
};

/* 0 on success; otherwise prints why and returns -1. */
int test_daemon_start(struct test_daemon *d);
void test_daemon_stop(struct test_daemon *d);
/* The main() of a suite that needs a daemon: starts one (a TAP failure
 * naming `what` when it cannot), runs the suite, stops the daemon;
 * returns the exit status. */
int test_daemon_run_suite(Suite *s, const char *what);

#endif
