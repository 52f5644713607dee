/* SPDX-License-Identifier: GPL-2.0-or-later */
/* libxenstore helpers that need no daemon: paths, permission strings,
 * and failing cleanly when there is nothing to connect to. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenstore.h>
#include "../check_main.h"

START_TEST(subpath_rules)
{
    ck_assert(xs_path_is_subpath("/a", "/a"));
    ck_assert(xs_path_is_subpath("/a", "/a/b"));
    ck_assert(xs_path_is_subpath("/a/", "/a/b"));
    ck_assert(xs_path_is_subpath("/", "/anything"));
    ck_assert(!xs_path_is_subpath("/a", "/ab"));
    ck_assert(!xs_path_is_subpath("/a/b", "/a"));
    ck_assert(!xs_path_is_subpath(NULL, "/a"));
}
END_TEST

START_TEST(perms_parse_and_format)
{
    static const char wire[] = "b0\0r5\0w12\0n4294967295";
    struct xs_permissions p[4];
    char buf[MAX_STRLEN(unsigned int) + 1];

    ck_assert(xs_strings_to_perms(p, 4, wire));
    ck_assert_uint_eq(p[0].id, 0);
    ck_assert_uint_eq(p[0].perms, XS_PERM_READ | XS_PERM_WRITE);
    ck_assert_uint_eq(p[1].id, 5);
    ck_assert_uint_eq(p[1].perms, XS_PERM_READ);
    ck_assert_uint_eq(p[2].perms, XS_PERM_WRITE);
    ck_assert_uint_eq(p[3].perms, XS_PERM_NONE);
    ck_assert_uint_eq(p[3].id, 4294967295u);
    for (int i = 0; i < 4; i++) {
        static const char *const text[] = { "b0", "r5", "w12", "n4294967295" };

        ck_assert(xs_perm_to_string(&p[i], buf, sizeof(buf)));
        ck_assert_str_eq(buf, text[i]);
    }
}
END_TEST

START_TEST(perms_reject_garbage)
{
    struct xs_permissions p[1];
    struct xs_permissions odd = { .id = 1, .perms = XS_PERM_OWNER };
    char small[2], buf[16];

    errno = 0;
    ck_assert(!xs_strings_to_perms(p, 1, "x0"));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(!xs_strings_to_perms(p, 1, "r"));
    ck_assert(!xs_strings_to_perms(p, 1, "r1x"));
    ck_assert(!xs_strings_to_perms(p, 1, "r99999999999"));
    ck_assert(!xs_perm_to_string(&odd, buf, sizeof(buf)));
    p[0] = (struct xs_permissions){ .id = 10, .perms = XS_PERM_READ };
    ck_assert(!xs_perm_to_string(&p[0], small, sizeof(small)));
}
END_TEST

START_TEST(count_strings)
{
    ck_assert_uint_eq(xs_count_strings("a\0bc\0", 5), 2);
    ck_assert_uint_eq(xs_count_strings("", 0), 0);
}
END_TEST

START_TEST(daemon_paths_follow_environment)
{
    setenv("XENSTORED_RUNDIR", "/run/elsewhere", 1);
    unsetenv("XENSTORED_PATH");
    ck_assert_str_eq(xs_daemon_rundir(), "/run/elsewhere");
    ck_assert_str_eq(xs_daemon_socket(), "/run/elsewhere/socket");
    ck_assert_str_eq(xs_daemon_socket_ro(), "/run/elsewhere/socket");
    setenv("XENSTORED_PATH", "/tmp/s", 1);
    ck_assert_str_eq(xs_daemon_socket(), "/tmp/s");
    ck_assert_str_eq(xs_domain_dev(), "/tmp/s");
    unsetenv("XENSTORED_RUNDIR");
    unsetenv("XENSTORED_PATH");
    ck_assert_str_eq(xs_daemon_socket(), "/var/run/xenstored/socket");
}
END_TEST

START_TEST(open_without_daemon_fails_with_errno)
{
    setenv("XENSTORED_PATH", "/nonexistent/xenstored-socket", 1);
    errno = 0;
    ck_assert_ptr_null(xs_open(0));
    ck_assert_int_eq(errno, ENOENT);
    ck_assert_ptr_null(xs_open(XS_OPEN_SOCKETONLY));
    /* A regular file is neither a socket nor a xenbus device. */
    setenv("XENSTORED_PATH", "/etc/hostname", 1);
    ck_assert_ptr_null(xs_open(XS_OPEN_SOCKETONLY));
    ck_assert_int_eq(errno, ENOTSOCK);
    xs_close(NULL);
}
END_TEST

START_TEST(null_handle_is_einval)
{
    errno = 0;
    ck_assert_ptr_null(xs_read(NULL, XBT_NULL, "/a", NULL));
    ck_assert_int_eq(errno, EINVAL);
    ck_assert(!xs_watch(NULL, "/a", "t"));
    ck_assert_ptr_null(xs_check_watch(NULL));
    ck_assert_int_eq(xs_fileno(NULL), -1);
    ck_assert(!xs_restrict(NULL, 1));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("xs_lib");
    TCase *tc = tcase_create("helpers");

    tcase_add_test(tc, subpath_rules);
    tcase_add_test(tc, perms_parse_and_format);
    tcase_add_test(tc, perms_reject_garbage);
    tcase_add_test(tc, count_strings);
    tcase_add_test(tc, daemon_paths_follow_environment);
    tcase_add_test(tc, open_without_daemon_fails_with_errno);
    tcase_add_test(tc, null_handle_is_einval);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
