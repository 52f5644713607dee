/*
 * The main() every Check program here shares: run the suite, TAP goes to
 * stdout (tap.am sets CK_TAP_LOG_FILE_NAME=-), and fail the program when
 * any test failed so a crash or a broken check can never read as a pass.
 */
#ifndef SUBFLOOR_TESTS_CHECK_MAIN_H
#define SUBFLOOR_TESTS_CHECK_MAIN_H

#include <check.h>
#include <stdlib.h>

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
