/*
 * The main() every Check program here shares: run the suite, TAP goes to
 * stdout (tap.am sets CK_TAP_LOG_FILE_NAME=-), and fail the program when
 * any test failed so a crash or a broken check can never read as a pass.
 */
#ifndef SUBFLOOR_TESTS_CHECK_MAIN_H
#define SUBFLOOR_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

/*
 * Check kills a test after 4 s unless its test case says otherwise, and
 * 4 s is not much on a busy two-CPU machine (the test command runs the
 * programs in parallel, maybe beside a build) with the sanitizers on.
 * So every test case here defaults to SUBFLOOR_CHECK_TIMEOUT seconds: a
 * test that hangs still fails, one that is merely slowed down does not.
 * Check reads CK_DEFAULT_TIMEOUT when a test case is created, so it is
 * set before main(); a value in the environment wins, as does a test
 * case's own tcase_set_timeout.
 */
#define SUBFLOOR_CHECK_TIMEOUT "60"

__attribute__((constructor)) static void subfloor_check_default_timeout(void)
{
    setenv("CK_DEFAULT_TIMEOUT", SUBFLOOR_CHECK_TIMEOUT, 0);
}

static inline int run_suite(Suite *s)
{
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_ENV);
    int failed = srunner_ntests_failed(sr);
    int run = srunner_ntests_run(sr);
    srunner_free(sr);
    return (failed == 0 && run > 0) ? EXIT_SUCCESS : EXIT_FAILURE;
}

#endif
