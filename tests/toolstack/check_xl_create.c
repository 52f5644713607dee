/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * `xl create`'s pure parts on the host: the xenstore layout a
 * configuration produces (paths, values, libxl's permissions, parents
 * before children), the nodes a guest's removal takes, and the order in
 * which a failure at each step undoes what was done, against a fake.
 */
#include <string.h>

#include "check_xl_cfg.h"
#include "xl.h"
#include "xl_create.h"
#include "../check_main.h"

static const char CFG[] =
    "name = \"g1\"\n"
    "uuid = \"12345678-9abc-def0-1234-56789abcdef0\"\n"
    "kernel = \"/k.elf\"\n"
    "memory = 32\nmaxmem = 64\nvcpus = 2\nmaxvcpus = 3\n";

static const struct xl_build_result R = {
    .domid = 7, .store_port = 1, .console_port = 2,
    .store_mfn = 0x1234, .console_mfn = 0x1233,
    .start_sec = 1700000000, .start_centisec = 5,
};

static const struct xl_xs_entry *find(const struct xl_xs_layout *l,
                                      const char *path)
{
    for (int i = 0; i < l->n; i++)
        if (!strcmp(l->e[i].path, path))
            return &l->e[i];
    return NULL;
}

static void expect(const struct xl_xs_layout *l, const char *path,
                   const char *value, enum xl_xs_perm perm)
{
    const struct xl_xs_entry *e = find(l, path);
    ck_assert_msg(e, "%s is missing", path);
    ck_assert_str_eq(e->value, value);
    ck_assert_msg(e->perm == perm, "%s: permissions %d, not %d", path,
                  e->perm, perm);
}

static void layout_of(const char *text, struct xl_xs_layout *l,
                      struct xl_domain_config *dc)
{
    domain_ok(text, dc);
    xl_create_layout(dc, &R, l);
}

START_TEST(test_layout_values)
{
    struct xl_domain_config dc;
    struct xl_xs_layout l;
    layout_of(CFG, &l, &dc);
    const char *vm = "/vm/12345678-9abc-def0-1234-56789abcdef0";
    expect(&l, "/local/domain/7", "", XL_PERM_RO);
    expect(&l, vm, "", XL_PERM_RO);
    expect(&l, "/libxl/7", "", XL_PERM_NONE);
    expect(&l, "/libxl/7/type", "pv", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/vm", vm, XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/name", "g1", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/domid", "7", XL_PERM_INHERIT);
    expect(&l, "/vm/12345678-9abc-def0-1234-56789abcdef0/uuid",
           "12345678-9abc-def0-1234-56789abcdef0", XL_PERM_INHERIT);
    expect(&l, "/vm/12345678-9abc-def0-1234-56789abcdef0/start_time",
           "1700000000.05", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/memory/static-max", "65536", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/memory/target", "32768", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/memory/videoram", "0", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/store/port", "1", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/store/ring-ref", "4660", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/port", "2", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/ring-ref", "4659", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/limit", "1048576", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/type", "xenconsoled", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/backend",
           "/local/domain/0/backend/console/7/0", XL_PERM_INHERIT);
    expect(&l, "/local/domain/0/backend/console/7/0/frontend",
           "/local/domain/7/console", XL_PERM_INHERIT);
    expect(&l, "/local/domain/0/backend/console/7/0/frontend-id", "7",
           XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/console/backend-id", "0", XL_PERM_FRONT);
    expect(&l, "/libxl/7/device/console/0/frontend", "/local/domain/7/console",
           XL_PERM_INHERIT);
    expect(&l, "/libxl/7/dm-version", "qemu_xen", XL_PERM_INHERIT);
    expect(&l, "/vm/12345678-9abc-def0-1234-56789abcdef0/image/kernel",
           "/k.elf", XL_PERM_INHERIT);
    expect(&l, "/vm/12345678-9abc-def0-1234-56789abcdef0/image/ostype",
           "linux", XL_PERM_INHERIT);
    ck_assert_ptr_null(find(&l, "/vm/12345678-9abc-def0-1234-56789abcdef0/image/ramdisk"));
    expect(&l, "/local/domain/7/control/shutdown", "", XL_PERM_RW);
    expect(&l, "/local/domain/7/device/suspend/event-channel", "",
           XL_PERM_RW);
    expect(&l, "/local/domain/7/control/platform-feature-xs_reset_watches",
           "1", XL_PERM_INHERIT);
    /* vcpus online, the rest up to maxvcpus offline, no more. */
    expect(&l, "/local/domain/7/cpu/0/availability", "online", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/cpu/1/availability", "online", XL_PERM_INHERIT);
    expect(&l, "/local/domain/7/cpu/2/availability", "offline", XL_PERM_INHERIT);
    ck_assert_ptr_null(find(&l, "/local/domain/7/cpu/3/availability"));
    xl_xs_layout_dispose(&l);
    xl_domain_config_dispose(&dc);
}
END_TEST

/* Written in order, a node's permissions are set when it is made, and a
 * node that inherits must find its parent already there with the right
 * ones: every path's parent comes before it, or is a root that exists. */
START_TEST(test_layout_order)
{
    struct xl_domain_config dc;
    struct xl_xs_layout l;
    layout_of(CFG, &l, &dc);
    static const char *const roots[] = { "/local/domain", "/vm", "/libxl",
                                         "/local/domain/0/backend/console/7",
                                         "/libxl/7/device/console/0",
                                         "/vm/12345678-9abc-def0-1234-56789abcdef0/image" };
    for (int i = 0; i < l.n; i++) {
        for (int j = 0; j < i; j++)
            ck_assert_msg(strcmp(l.e[i].path, l.e[j].path),
                          "%s written twice", l.e[i].path);
        char parent[256];
        snprintf(parent, sizeof(parent), "%s", l.e[i].path);
        *strrchr(parent, '/') = '\0';
        bool found = false;
        for (size_t r = 0; r < sizeof(roots) / sizeof(roots[0]); r++)
            found |= !strcmp(parent, roots[r]);
        /* Intermediate directories (cpu/0, store, device/suspend) are
         * made by the write below them, inheriting from above. */
        for (int j = 0; j < i && !found; j++)
            found = !strncmp(l.e[i].path, l.e[j].path, strlen(l.e[j].path)) &&
                    l.e[i].path[strlen(l.e[j].path)] == '/';
        ck_assert_msg(found, "%s comes before any node above it", l.e[i].path);
    }
    xl_xs_layout_dispose(&l);
    xl_domain_config_dispose(&dc);
}
END_TEST

START_TEST(test_roots_and_perms)
{
    uint8_t uuid[16] = { 0x12, 0x34 };
    int n;
    char **p = xl_domain_xs_roots(9, uuid, &n);
    ck_assert_int_eq(n, 4);
    ck_assert_str_eq(p[0], "/local/domain/0/backend/console/9");
    ck_assert_str_eq(p[1], "/local/domain/9");
    ck_assert_str_eq(p[2], "/vm/12340000-0000-0000-0000-000000000000");
    ck_assert_str_eq(p[3], "/libxl/9");
    xl_xs_paths_free(p, n);
    char buf[32];
    ck_assert_str_eq(xl_xs_perm_text(XL_PERM_RO, 9, buf, sizeof(buf)), "n0,r9");
    ck_assert_str_eq(xl_xs_perm_text(XL_PERM_RW, 9, buf, sizeof(buf)), "n9");
    ck_assert_str_eq(xl_xs_perm_text(XL_PERM_NONE, 9, buf, sizeof(buf)), "n0");
    ck_assert_str_eq(xl_xs_perm_text(XL_PERM_FRONT, 9, buf, sizeof(buf)), "n9,r0");
}
END_TEST

/* ---- the steps and their undoing ---- */

static char calls[256];
static int fail_at;

static void note(const char *what)
{
    strncat(calls, what, sizeof(calls) - strlen(calls) - 1);
    strncat(calls, " ", sizeof(calls) - strlen(calls) - 1);
}

static int fake_run(void *priv, enum xl_create_step s)
{
    (void)priv;
    char b[8];
    snprintf(b, sizeof(b), "%d", (int)s);
    note(b);
    return (int)s == fail_at ? -1 : 0;
}
static void fake_release(void *priv) { (void)priv; note("release"); }
static void fake_rm(void *priv) { (void)priv; note("rm"); }
static void fake_destroy(void *priv) { (void)priv; note("destroy"); }
static const struct xl_create_ops fake_ops = {
    fake_run, fake_release, fake_rm, fake_destroy };

static int run_failing(int step, unsigned skip)
{
    calls[0] = '\0';
    fail_at = step;
    return xl_create_run_steps(&fake_ops, NULL, skip);
}

START_TEST(test_steps_all_run)
{
    ck_assert_int_eq(run_failing(-1, 0), 0);
    ck_assert_str_eq(calls, "0 1 2 3 4 5 6 7 8 ");
    ck_assert_int_eq(run_failing(-1, (1u << XL_STEP_CONSOLE) |
                                     (1u << XL_STEP_UNPAUSE)), 0);
    ck_assert_str_eq(calls, "0 1 2 3 4 5 6 ");
}
END_TEST

START_TEST(test_steps_undo)
{
    /* What each failing step leaves to undo, newest first. */
    static const char *const want[XL_NR_STEPS] = {
        [XL_STEP_CREATEDOMAIN] = "0 ",
        [XL_STEP_MAX_VCPUS] = "0 1 destroy ",
        [XL_STEP_MAX_MEM] = "0 1 2 destroy ",
        [XL_STEP_EVTCHN] = "0 1 2 3 destroy ",
        [XL_STEP_BUILD] = "0 1 2 3 4 destroy ",
        [XL_STEP_XENSTORE] = "0 1 2 3 4 5 rm destroy ",
        [XL_STEP_INTRODUCE] = "0 1 2 3 4 5 6 release rm destroy ",
        [XL_STEP_CONSOLE] = "0 1 2 3 4 5 6 7 release rm destroy ",
        [XL_STEP_UNPAUSE] = "0 1 2 3 4 5 6 7 8 release rm destroy ",
    };
    for (int s = 0; s < XL_NR_STEPS; s++) {
        ck_assert_int_eq(run_failing(s, 0), s + 1);
        ck_assert_msg(!strcmp(calls, want[s]), "step %d: %s, not %s", s,
                      calls, want[s]);
    }
    /* A skipped step cannot fail. */
    ck_assert_int_eq(run_failing(XL_STEP_CONSOLE, 1u << XL_STEP_CONSOLE), 0);
    ck_assert_str_eq(xl_create_step_name(XL_STEP_BUILD), "building the domain");
}
END_TEST

static Suite *xl_create_suite(void)
{
    Suite *s = suite_create("xl_create");
    TCase *tc = tcase_create("layout");
    tcase_add_test(tc, test_layout_values);
    tcase_add_test(tc, test_layout_order);
    tcase_add_test(tc, test_roots_and_perms);
    suite_add_tcase(s, tc);
    tc = tcase_create("steps");
    tcase_add_test(tc, test_steps_all_run);
    tcase_add_test(tc, test_steps_undo);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(xl_create_suite());
}
