/* Unit tests of the building blocks: paths, permissions, the store,
 * quotas and options, wire framing and the ring copy routines. */
#include <check.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xsd_options.h"
#include "xsd_path.h"
#include "xsd_perms.h"
#include "xsd_quota.h"
#include "xsd_ring.h"
#include "xsd_store.h"
#include "xsd_wire.h"
#include "../check_main.h"

START_TEST(path_absolute_and_relative)
{
    char *p;
    ck_assert_int_eq(xsd_path_canonical("/a/b", 3, false, 0, &p), 0);
    ck_assert_str_eq(p, "/a/b");
    free(p);
    ck_assert_int_eq(xsd_path_canonical("device/vif", 3, false, 0, &p), 0);
    ck_assert_str_eq(p, "/local/domain/3/device/vif");
    free(p);
    ck_assert_int_eq(xsd_path_canonical("/", 0, false, 0, &p), 0);
    ck_assert_str_eq(p, "/");
    free(p);
}
END_TEST

START_TEST(path_invalid_names)
{
    static const char *const bad[] = { "/a//b", "/a/", "", "/a b", "/a*",
                                       "@introduceDomain", "/a/\x01" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *p = (char *)1;
        ck_assert_msg(xsd_path_canonical(bad[i], 0, false, 0, &p) == -EINVAL,
                      "accepted '%s'", bad[i]);
        ck_assert_ptr_null(p);
    }
    char *p;
    ck_assert_int_eq(xsd_path_canonical("@releaseDomain", 0, true, 0, &p), 0);
    free(p);
    ck_assert_int_eq(xsd_path_canonical("@", 0, true, 0, &p), -EINVAL);
    ck_assert_int_eq(xsd_path_canonical("@a/b", 0, true, 0, &p), -EINVAL);
}
END_TEST

START_TEST(path_length_limits)
{
    char name[4000];
    memset(name, 'x', sizeof(name));
    name[0] = '/';
    name[3072] = '\0';
    char *p;
    ck_assert_int_eq(xsd_path_canonical(name, 0, false, 0, &p), 0);
    free(p);
    name[3072] = 'x';
    name[3073] = '\0';
    ck_assert_int_eq(xsd_path_canonical(name, 0, false, 0, &p), -EINVAL);
    /* The quota counts only what lies under the domain's home. */
    memset(name, 'y', 100);
    name[100] = '\0';
    ck_assert_int_eq(xsd_path_canonical(name, 5, false, 100, &p), 0);
    free(p);
    name[100] = 'y';
    name[101] = '\0';
    ck_assert_int_eq(xsd_path_canonical(name, 5, false, 100, &p), -EINVAL);
}
END_TEST

START_TEST(path_helpers)
{
    char *p = xsd_path_parent("/a/b/c");
    ck_assert_str_eq(p, "/a/b");
    free(p);
    p = xsd_path_parent("/a");
    ck_assert_str_eq(p, "/");
    free(p);
    ck_assert_str_eq(xsd_path_basename("/a/b/c"), "c");
    ck_assert(xsd_path_is_within("/a/b", "/a"));
    ck_assert(xsd_path_is_within("/a", "/a"));
    ck_assert(!xsd_path_is_within("/ab", "/a"));
    ck_assert(xsd_path_is_within("/x", "/"));
}
END_TEST

START_TEST(perm_strings)
{
    struct xsd_perm p;
    ck_assert_int_eq(xsd_perm_parse("b3", &p), 0);
    ck_assert_uint_eq(p.domid, 3);
    ck_assert_uint_eq(p.access, XSD_PERM_BOTH);
    char buf[16];
    static const char *const ok[] = { "n0", "r1", "w2", "b32751" };
    for (size_t i = 0; i < 4; i++) {
        ck_assert_int_eq(xsd_perm_parse(ok[i], &p), 0);
        xsd_perm_format(&p, buf, sizeof(buf));
        ck_assert_str_eq(buf, ok[i]);
    }
    static const char *const bad[] = { "x1", "r", "r-1", "r1x", "", "r32752",
                                       "r99999999999999999999" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        ck_assert_msg(xsd_perm_parse(bad[i], &p) == -EINVAL, "accepted %s",
                      bad[i]);
}
END_TEST

START_TEST(perm_access_rules)
{
    struct xsd_perm entries[] = { { 1, XSD_PERM_NONE }, { 2, XSD_PERM_READ },
                                 { 3, XSD_PERM_WRITE } };
    struct xsd_perms perms = { 3, entries };
    struct xsd_identity dom0 = { 0, true, false, 0 };
    struct xsd_identity owner = { 1, false, false, 0 };
    struct xsd_identity reader = { 2, false, false, 0 };
    struct xsd_identity writer = { 3, false, false, 0 };
    struct xsd_identity other = { 4, false, false, 0 };
    struct xsd_identity for_owner = { 9, false, true, 1 };
    struct xsd_identity for_reader = { 9, false, true, 2 };
    ck_assert_uint_eq(xsd_perms_access(&perms, &dom0), XSD_PERM_BOTH);
    ck_assert_uint_eq(xsd_perms_access(&perms, &owner), XSD_PERM_BOTH);
    ck_assert_uint_eq(xsd_perms_access(&perms, &reader), XSD_PERM_READ);
    ck_assert_uint_eq(xsd_perms_access(&perms, &writer), XSD_PERM_WRITE);
    ck_assert_uint_eq(xsd_perms_access(&perms, &other), XSD_PERM_NONE);
    ck_assert_uint_eq(xsd_perms_access(&perms, &for_owner), XSD_PERM_BOTH);
    ck_assert_uint_eq(xsd_perms_access(&perms, &for_reader), XSD_PERM_READ);
    entries[0].access = XSD_PERM_READ;
    ck_assert_uint_eq(xsd_perms_access(&perms, &other), XSD_PERM_READ);
    ck_assert(xsd_perms_is_owner(&perms, &for_owner));
    ck_assert(!xsd_perms_is_owner(&perms, &reader));
}
END_TEST

START_TEST(store_initial_tree)
{
    struct xsd_store s;
    ck_assert_int_eq(xsd_store_init(&s), 0);
    static const char *const paths[] = { "/", "/local", "/local/domain",
                                         "/tool" };
    for (size_t i = 0; i < 4; i++) {
        const struct xsd_node *n = xsd_store_get(&s, paths[i]);
        ck_assert_ptr_nonnull(n);
        ck_assert_uint_eq(n->nperms, 1);
        ck_assert_uint_eq(XSD_NODE_PERMS(n)->p[0].domid, 0);
        ck_assert_uint_eq(XSD_NODE_PERMS(n)->p[0].access, XSD_PERM_NONE);
    }
    const struct xsd_node *root = xsd_store_get(&s, "/");
    ck_assert_uint_eq(root->children_len, sizeof("local\0tool"));
    ck_assert_int_eq(memcmp(xsd_node_children(root), "local\0tool", 11), 0);
    ck_assert_uint_eq(xsd_store_owned(&s, 0), 4);
    xsd_store_destroy(&s);
}
END_TEST

START_TEST(store_generations_and_owners)
{
    struct xsd_store s;
    ck_assert_int_eq(xsd_store_init(&s), 0);
    struct xsd_perms perms;
    xsd_perms_single(&perms, 7, XSD_PERM_NONE);
    ck_assert_int_eq(xsd_store_put(&s, xsd_node_new("/x", "v", 1, &perms)), 0);
    uint64_t g1 = xsd_store_get(&s, "/x")->generation;
    ck_assert_uint_ne(g1, 0);
    ck_assert_uint_eq(xsd_store_owned(&s, 7), 1);
    struct xsd_node *copy =
        xsd_node_with_value(xsd_store_get(&s, "/x"), "w", 1);
    ck_assert_ptr_nonnull(copy);
    ck_assert_int_eq(copy->generation, g1);
    ck_assert_int_eq(xsd_store_put(&s, copy), 0);
    ck_assert_uint_gt(xsd_store_get(&s, "/x")->generation, g1);
    ck_assert_str_eq(xsd_node_value(xsd_store_get(&s, "/x")), "w");
    ck_assert_uint_eq(xsd_store_owned(&s, 7), 1);
    xsd_store_delete(&s, "/x");
    ck_assert_ptr_null(xsd_store_get(&s, "/x"));
    ck_assert_uint_eq(xsd_store_owned(&s, 7), 0);
    xsd_perms_free(&perms);
    xsd_store_destroy(&s);
}
END_TEST

/* The children as "a|b|c" for assertions (static buffer). */
static const char *children_of(const struct xsd_node *n)
{
    static char buf[512];
    buf[0] = '\0';
    for (const char *c = xsd_node_next_child(n, NULL); c;
         c = xsd_node_next_child(n, c)) {
        if (buf[0])
            strcat(buf, "|");
        strcat(buf, c);
    }
    return buf;
}

START_TEST(node_children)
{
    struct xsd_perms perms;
    xsd_perms_single(&perms, 0, XSD_PERM_NONE);
    struct xsd_node *n = xsd_node_new("/p", "val", 3, &perms);
    ck_assert_ptr_null(xsd_node_next_child(n, NULL));
    ck_assert_str_eq(children_of(n), "");
    for (int i = 0; i < 20; i++) {
        char name[8];
        snprintf(name, sizeof(name), "c%d", i);
        struct xsd_node *bigger = xsd_node_with_new_child(n, name);
        ck_assert_ptr_nonnull(bigger);
        /* The original is left as it was. */
        ck_assert(!xsd_node_has_child(n, name));
        xsd_node_free(n);
        n = bigger;
    }
    ck_assert_str_eq(xsd_node_path(n), "/p");
    ck_assert_str_eq(xsd_node_value(n), "val");
    ck_assert(xsd_node_has_child(n, "c3"));
    ck_assert(!xsd_node_has_child(n, "c"));
    ck_assert(!xsd_node_has_child(n, "c33"));
    ck_assert(xsd_node_remove_child(n, "c3"));
    ck_assert(!xsd_node_remove_child(n, "c3"));
    /* A prefix of a name, or a name plus more, is another name. */
    ck_assert(!xsd_node_remove_child(n, "c1x"));
    ck_assert(!xsd_node_remove_child(n, "c"));
    ck_assert_str_eq(children_of(n), "c0|c1|c2|c4|c5|c6|c7|c8|c9|c10|c11|"
                     "c12|c13|c14|c15|c16|c17|c18|c19");
    ck_assert(xsd_node_remove_child(n, "c0"));
    ck_assert(xsd_node_remove_child(n, "c19"));
    ck_assert_str_eq(children_of(n), "c1|c2|c4|c5|c6|c7|c8|c9|c10|c11|"
                     "c12|c13|c14|c15|c16|c17|c18");
    /* Quota size: value, children with their NULs, permissions. */
    ck_assert_uint_eq(xsd_node_size(n), 3 + n->children_len + 8);
    xsd_node_free(n);
    xsd_perms_free(&perms);
}
END_TEST

START_TEST(node_copies_are_whole)
{
    struct xsd_perm three[] = { { 4, XSD_PERM_NONE }, { 5, XSD_PERM_READ },
                               { 6, XSD_PERM_BOTH } };
    struct xsd_perms perms = { 3, three };
    struct xsd_node *n = xsd_node_new("/q", "a\0b", 3, &perms);
    struct xsd_node *with_child = xsd_node_with_new_child(n, "k");
    xsd_node_free(n);
    struct xsd_node *clone = xsd_node_clone(with_child);
    struct xsd_perm one_entry = { 9, XSD_PERM_WRITE };
    struct xsd_perms one = { 1, &one_entry };
    struct xsd_node *reowned = xsd_node_with_perms(clone, &one);
    struct xsd_node *rewritten = xsd_node_with_value(clone, "", 0);
    xsd_node_free(with_child);
    ck_assert_uint_eq(clone->value_len, 3);
    ck_assert_int_eq(memcmp(xsd_node_value(clone), "a\0b", 4), 0);
    ck_assert_uint_eq(clone->nperms, 3);
    ck_assert_uint_eq(XSD_NODE_PERMS(clone)->p[2].domid, 6);
    ck_assert_uint_eq(XSD_NODE_PERMS(clone)->p[2].access, XSD_PERM_BOTH);
    ck_assert_str_eq(children_of(clone), "k");
    ck_assert_uint_eq(reowned->nperms, 1);
    ck_assert_uint_eq(xsd_perms_owner(XSD_NODE_PERMS(reowned)), 9);
    ck_assert_uint_eq(reowned->value_len, 3);
    ck_assert_str_eq(children_of(reowned), "k");
    ck_assert_uint_eq(rewritten->value_len, 0);
    ck_assert_str_eq(xsd_node_value(rewritten), "");
    ck_assert_uint_eq(rewritten->nperms, 3);
    ck_assert_str_eq(children_of(rewritten), "k");
    xsd_node_free(clone);
    xsd_node_free(reowned);
    xsd_node_free(rewritten);
}
END_TEST

START_TEST(quota_names_and_defaults)
{
    struct xsd_quota q;
    xsd_quota_defaults(&q);
    ck_assert_uint_eq(q.nodes, 1000);
    ck_assert_uint_eq(q.node_size, 2048);
    ck_assert_uint_eq(q.watches, 128);
    ck_assert_uint_eq(q.transactions, 10);
    ck_assert_uint_eq(q.node_perms, 5);
    ck_assert_uint_eq(q.path_length, 2048);
    ck_assert_uint_eq(q.transaction_nodes, 1024);
    ck_assert_uint_eq(q.outstanding, 20);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "watches=7", false), 0);
    ck_assert_uint_eq(q.watches, 7);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "bogus=7", false),
                     -EINVAL);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "nodes=", false), -EINVAL);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "nodes", false), -EINVAL);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "nodes=1x", false),
                     -EINVAL);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "memory=5", true), 0);
    ck_assert_uint_eq(q.memory_soft, 5);
    ck_assert_int_eq(xsd_quota_parse_assignment(&q, "nodes=5", true), -EINVAL);
}
END_TEST

START_TEST(options_like_xen)
{
    struct xsd_options o;
    char err[256];
    char *argv[] = { "xenstored", "-N", "-D", "-E", "11", "--entry-size",
                     "300", "-W", "12", "-t", "3", "-A", "4", "-M", "9999",
                     "-Q", "outstanding=5", "--quota",
                     "transaction-nodes=6", "-F", "/tmp/pid", "-T",
                     "/tmp/trace", "-V", NULL };
    ck_assert_int_eq(xsd_options_parse(24, argv, &o, err, sizeof(err)), 0);
    ck_assert(o.no_fork && o.no_domain_init && o.verbose);
    ck_assert_uint_eq(o.quota.nodes, 11);
    ck_assert_uint_eq(o.quota.node_size, 300);
    ck_assert_uint_eq(o.quota.watches, 12);
    ck_assert_uint_eq(o.quota.transactions, 3);
    ck_assert_uint_eq(o.quota.node_perms, 4);
    ck_assert_uint_eq(o.quota.path_length, 2048);
    ck_assert_uint_eq(o.quota.outstanding, 5);
    ck_assert_uint_eq(o.quota.transaction_nodes, 6);
    ck_assert_str_eq(o.pid_file, "/tmp/pid");
    ck_assert_str_eq(o.trace_file, "/tmp/trace");

    char *bad1[] = { "xenstored", "-E", "lots", NULL };
    ck_assert_int_eq(xsd_options_parse(3, bad1, &o, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "lots"));
    char *bad2[] = { "xenstored", "--frobnicate", NULL };
    ck_assert_int_eq(xsd_options_parse(2, bad2, &o, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "frobnicate"));
    char *bad3[] = { "xenstored", "-Q", "nope=1", NULL };
    ck_assert_int_eq(xsd_options_parse(3, bad3, &o, err, sizeof(err)), -1);
    char *bad4[] = { "xenstored", "-F", NULL };
    ck_assert_int_eq(xsd_options_parse(2, bad4, &o, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "argument"));
    char *help[] = { "xenstored", "--help", NULL };
    ck_assert_int_eq(xsd_options_parse(2, help, &o, err, sizeof(err)), 0);
    ck_assert(o.help);
}
END_TEST

START_TEST(wire_framing_partial)
{
    struct xsd_wire_in in;
    xsd_wire_in_reset(&in);
    char buf[16 + 6];
    struct xsd_sockmsg hdr = { XS_READ, 7, 0, 6 };
    memcpy(buf, &hdr, 16);
    memcpy(buf + 16, "/a/b\0x", 6);
    /* One byte at a time: a message arrives only when whole. */
    for (size_t i = 0; i < sizeof(buf); i++) {
        size_t used;
        bool complete;
        ck_assert_int_eq(xsd_wire_in_feed(&in, buf + i, 1, &used, &complete),
                         0);
        ck_assert_uint_eq(used, 1);
        ck_assert(complete == (i == sizeof(buf) - 1));
    }
    ck_assert_uint_eq(in.hdr.req_id, 7);
    ck_assert_int_eq(memcmp(in.payload, "/a/b\0x", 6), 0);
    ck_assert_int_eq(in.payload[6], 0);
}
END_TEST

START_TEST(wire_framing_oversize)
{
    struct xsd_wire_in in;
    xsd_wire_in_reset(&in);
    struct xsd_sockmsg hdr = { XS_READ, 1, 0, XENSTORE_PAYLOAD_MAX + 1 };
    size_t used;
    bool complete;
    ck_assert_int_eq(xsd_wire_in_feed(&in, (char *)&hdr, 16, &used, &complete),
                     -E2BIG);
    xsd_wire_in_reset(&in);
    hdr.len = XENSTORE_PAYLOAD_MAX;
    ck_assert_int_eq(xsd_wire_in_feed(&in, (char *)&hdr, 16, &used, &complete),
                     0);
}
END_TEST

START_TEST(outq_partial_sends)
{
    struct xsd_outq q;
    xsd_outq_init(&q);
    struct xsd_sockmsg hdr = { XS_READ, 1, 0, 3 };
    ck_assert_int_eq(xsd_outq_push(&q, &hdr, "abc"), 0);
    ck_assert_int_eq(xsd_outq_push(&q, &hdr, "def"), 0);
    ck_assert_uint_eq(q.bytes, 38);
    size_t len;
    xsd_outq_peek(&q, &len);
    ck_assert_uint_eq(len, 19);
    xsd_outq_consume(&q, 10);
    const char *p = xsd_outq_peek(&q, &len);
    ck_assert_uint_eq(len, 9);
    ck_assert_int_eq(memcmp(p + 6, "abc", 3), 0);
    ck_assert_uint_eq(q.count, 2);
    xsd_outq_consume(&q, 9);
    ck_assert_uint_eq(q.count, 1);
    ck_assert_uint_eq(q.bytes, 19);
    xsd_outq_clear(&q);
    ck_assert_ptr_null(xsd_outq_peek(&q, &len));
}
END_TEST

/* One send carries every queued message; a short send resumes mid-message. */
START_TEST(outq_iov_spans_messages)
{
    struct xsd_outq q;
    xsd_outq_init(&q);
    struct xsd_sockmsg hdr = { XS_READ, 1, 0, 3 };
    const char *payloads[] = { "abc", "def", "ghi" };
    for (int i = 0; i < 3; i++)
        ck_assert_int_eq(xsd_outq_push(&q, &hdr, payloads[i]), 0);
    struct iovec iov[4];
    ck_assert_uint_eq(xsd_outq_iov(&q, iov, 2), 2);
    ck_assert_uint_eq(xsd_outq_iov(&q, iov, 4), 3);
    ck_assert_uint_eq(iov[2].iov_len, 19);
    /* A send that stopped 5 bytes into the second message. */
    xsd_outq_consume(&q, 19 + 5);
    ck_assert_uint_eq(q.count, 2);
    ck_assert_uint_eq(q.bytes, 14 + 19);
    ck_assert_uint_eq(xsd_outq_iov(&q, iov, 4), 2);
    ck_assert_uint_eq(iov[0].iov_len, 14);
    ck_assert_int_eq(memcmp((char *)iov[0].iov_base + 11, "def", 3), 0);
    xsd_outq_consume(&q, 14 + 19);
    ck_assert_uint_eq(q.count, 0);
    ck_assert_uint_eq(q.bytes, 0);
    ck_assert_uint_eq(xsd_outq_iov(&q, iov, 4), 0);
    xsd_outq_clear(&q);
}
END_TEST

START_TEST(ring_copy_wraps_and_checks_indexes)
{
    static struct xenstore_domain_interface intf;
    memset(&intf, 0, sizeof(intf));
    intf.req_cons = intf.req_prod = 0xfffffff0u;  /* indexes wrap */
    for (int i = 0; i < 40; i++)
        intf.req[MASK_XENSTORE_IDX(intf.req_prod++)] = (char)('a' + i % 26);
    char buf[64];
    ck_assert_int_eq(xsd_ring_read(&intf, buf, sizeof(buf)), 40);
    ck_assert_int_eq(buf[39], 'a' + 39 % 26);
    ck_assert_uint_eq(intf.req_cons, intf.req_prod);
    intf.req_prod = intf.req_cons + XENSTORE_RING_SIZE + 1;
    ck_assert_int_eq(xsd_ring_read(&intf, buf, sizeof(buf)), -EIO);

    char big[2000];
    memset(big, 'z', sizeof(big));
    intf.rsp_cons = intf.rsp_prod = 1000;
    ck_assert_int_eq(xsd_ring_write(&intf, big, sizeof(big)),
                     XENSTORE_RING_SIZE);
    ck_assert_int_eq(xsd_ring_write(&intf, big, 1), 0);
    intf.rsp_cons += 10;
    ck_assert_int_eq(xsd_ring_write(&intf, big, sizeof(big)), 10);
    intf.rsp_cons = intf.rsp_prod + 5;  /* consumer ahead of producer */
    ck_assert_int_eq(xsd_ring_write(&intf, big, 1), -EIO);
}
END_TEST

static Suite *unit_suite(void)
{
    Suite *s = suite_create("xenstored-unit");
    TCase *tc = tcase_create("core");
    /* Generous: these run under ASan on machines that may be busy. */
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, path_absolute_and_relative);
    tcase_add_test(tc, path_invalid_names);
    tcase_add_test(tc, path_length_limits);
    tcase_add_test(tc, path_helpers);
    tcase_add_test(tc, perm_strings);
    tcase_add_test(tc, perm_access_rules);
    tcase_add_test(tc, store_initial_tree);
    tcase_add_test(tc, store_generations_and_owners);
    tcase_add_test(tc, node_children);
    tcase_add_test(tc, node_copies_are_whole);
    tcase_add_test(tc, quota_names_and_defaults);
    tcase_add_test(tc, options_like_xen);
    tcase_add_test(tc, wire_framing_partial);
    tcase_add_test(tc, wire_framing_oversize);
    tcase_add_test(tc, outq_partial_sends);
    tcase_add_test(tc, outq_iov_spans_messages);
    tcase_add_test(tc, ring_copy_wraps_and_checks_indexes);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(unit_suite());
}
