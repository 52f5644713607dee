/* selftest=: deliberately break something to prove the fault path. */
#ifndef SUBFLOOR_SELFTEST_H
#define SUBFLOOR_SELFTEST_H

/* Run the named self-test (returns only for "" or an unknown name). */
void selftest_run(const char *name);

#endif
