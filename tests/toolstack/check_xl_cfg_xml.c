/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libvirt domain XML in the domain configuration library
 * (docs/man/xl.cfg.5, DOMAIN XML) on the host: the mapping, every error,
 * no entity substitution, the round trip of the xl.cfg text that
 * `xl domxml-to-xl` prints, overrides on an XML file, and whole files
 * (Xen's xlexample.pvlinux settings, the dom0 image's /etc/xen).
 */
#include "check_xl_cfg.h"
#include "../check_main.h"

/* ---- libvirt domain XML ---- */

#define XML_HEAD "<domain type='xen'>\n  <name>web</name>\n"
#define XML_OS "  <os>\n    <type arch='x86_64' machine='xenpv'>linux</type>\n" \
    "    <kernel>/boot/vmlinuz</kernel>\n  </os>\n"

static int from_xml(const char *xml, struct xl_domain_config *dc, char **err)
{
    return xl_domain_config_from_xml("d.xml", xml, strlen(xml), dc, err);
}

static char *xml_error_of(const char *xml)
{
    struct xl_domain_config dc;
    char *err = NULL;
    ck_assert_msg(from_xml(xml, &dc, &err) == -1, "accepted: %s", xml);
    ck_assert_ptr_null(dc.name);
    return err;
}

#define ck_xml_error(xml, expected) do {                  \
        char *e_ = xml_error_of(xml);                     \
        ck_assert_str_eq(e_, expected);                   \
        free(e_);                                         \
    } while (0)

START_TEST(test_xml_mapping)
{
    static const char xml[] =
        "<?xml version='1.0'?>\n"
        "<domain type='xen' id='3'>\n"
        "  <name>web</name>\n"
        "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"
        "  <description>ignored</description>\n"
        "  <memory unit='GiB'>1</memory>\n"
        "  <currentMemory unit='KiB'>524288</currentMemory>\n"
        "  <vcpu placement='static' current='2' cpuset='0-3,^1'>4</vcpu>\n"
        "  <cputune><shares>512</shares></cputune>\n"
        "  <os>\n"
        "    <type>linux</type>\n"
        "    <kernel>/boot/vmlinuz</kernel>\n"
        "    <initrd>/boot/initrd.img</initrd>\n"
        "    <cmdline>root=/dev/xvda1 console=hvc0</cmdline>\n"
        "  </os>\n"
        "  <on_poweroff>destroy</on_poweroff>\n"
        "  <on_reboot>rename-restart</on_reboot>\n"
        "  <on_crash>coredump-destroy</on_crash>\n"
        "  <devices><console type='pty'/></devices>\n"
        "</domain>\n";
    struct xl_domain_config dc;
    char *err = NULL;
    ck_assert_msg(from_xml(xml, &dc, &err) == 0, "%s", err);
    ck_assert_str_eq(dc.name, "web");
    ck_assert(dc.uuid_given);
    ck_assert_int_eq(dc.uuid[0], 0x4d);
    ck_assert_int_eq(dc.maxmem_kb, 1024 * 1024);
    ck_assert_int_eq(dc.memory_kb, 512 * 1024);
    ck_assert_int_eq(dc.maxvcpus, 4);
    ck_assert_int_eq(dc.vcpus, 2);
    ck_assert_int_eq(dc.nr_cpumaps, 1);
    ck_assert_uint_eq(dc.cpumaps[0].bits[0], 0xd);
    ck_assert_int_eq(dc.cpu_weight, 512);
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz");
    ck_assert_str_eq(dc.ramdisk, "/boot/initrd.img");
    ck_assert_str_eq(dc.cmdline, "root=/dev/xvda1 console=hvc0");
    ck_assert_int_eq(dc.on_poweroff, XL_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_reboot, XL_ACTION_RESTART_RENAME);
    ck_assert_int_eq(dc.on_crash, XL_ACTION_COREDUMP_DESTROY);
    ck_assert_int_eq(dc.on_watchdog, XL_ACTION_DESTROY);
    xl_domain_config_dispose(&dc);

    /* Defaults: KiB, currentMemory = memory, one vCPU, xl's actions. */
    ck_assert_int_eq(from_xml(XML_HEAD "<memory>262144</memory>" XML_OS
                              "</domain>", &dc, &err), 0);
    ck_assert_int_eq(dc.memory_kb, 256 * 1024);
    ck_assert_int_eq(dc.maxmem_kb, 256 * 1024);
    ck_assert_int_eq(dc.vcpus, 1);
    ck_assert_int_eq(dc.maxvcpus, 1);
    ck_assert_int_eq(dc.on_reboot, XL_ACTION_RESTART);
    ck_assert(!dc.uuid_given);
    xl_domain_config_dispose(&dc);

    /* Sizes round up to whole MiB, as libvirt's xl converter rounds. */
    static const struct { const char *unit, *value; uint64_t kb; } sizes[] = {
        { "b", "1", 1024 }, { "KB", "1000", 1024 }, { "k", "1025", 2048 },
        { "MB", "1000", 1024 * 954 }, { "M", "300", 300 * 1024 },
        { "MiB", "300", 300 * 1024 }, { "GB", "1", 1024 * 954 },
        { "G", "2", 2048 * 1024 }, { "TiB", "1", 1024ull * 1024 * 1024 },
    };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        char text[512];
        snprintf(text, sizeof(text), XML_HEAD "<memory unit='%s'>%s</memory>"
                 XML_OS "</domain>", sizes[i].unit, sizes[i].value);
        ck_assert_msg(from_xml(text, &dc, &err) == 0, "%s", err);
        ck_assert_msg(dc.memory_kb == sizes[i].kb, "%s %s: %llu KiB",
                      sizes[i].value, sizes[i].unit,
                      (unsigned long long)dc.memory_kb);
        xl_domain_config_dispose(&dc);
    }
}
END_TEST

START_TEST(test_xml_errors)
{
    ck_xml_error("<domain type='xen'><name>x</name",
                 "d.xml:1: malformed XML: Premature end of data in tag domain "
                 "line 1");
    ck_xml_error("<domain type='xen'>\n<name>x</name>\n</domian>\n",
                 "d.xml:3: malformed XML: Opening and ending tag mismatch: "
                 "domain line 1 and domian");
    ck_xml_error("<vm type='xen'/>",
                 "d.xml:1: <vm>: expected <domain type='xen'> as the root "
                 "element");
    ck_xml_error("<domain type='kvm'><name>x</name></domain>",
                 "d.xml:1: <domain>: type='kvm': only type='xen' domains run "
                 "on Subfloor");
    ck_xml_error("<domain><name>x</name></domain>",
                 "d.xml:1: <domain>: type='': only type='xen' domains run on "
                 "Subfloor");
    ck_xml_error("<domain type='xen'>\n<memory>1</memory>\n</domain>",
                 "d.xml:1: <domain>: no <name>: a domain name must be "
                 "specified");
    ck_xml_error(XML_HEAD XML_OS "</domain>",
                 "d.xml:1: <domain>: no <memory>: libvirt requires the size");
    ck_xml_error(XML_HEAD "  <memory unit='furlongs'>1</memory>\n</domain>",
                 "d.xml:3: <memory>: unknown unit 'furlongs' (b, KB, KiB, MB, "
                 "MiB, GB, GiB, TB, TiB)");
    ck_xml_error(XML_HEAD "  <memory>lots</memory>\n</domain>",
                 "d.xml:3: <memory>: expected a size, found 'lots'");
    ck_xml_error(XML_HEAD "  <memory>-5</memory>\n</domain>",
                 "d.xml:3: <memory>: expected a size, found '-5'");
    ck_xml_error(XML_HEAD "  <memory>0</memory>\n</domain>",
                 "d.xml:3: <memory>: the size is 0");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n"
                 "  <currentMemory>2048</currentMemory>\n</domain>",
                 "d.xml:4: <currentMemory>: 2 MiB is more than <memory> (1 "
                 "MiB)");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n  <vcpu>0</vcpu>\n"
                 "</domain>",
                 "d.xml:4: <vcpu>: the number of vCPUs is 0");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n"
                 "  <vcpu current='3'>2</vcpu>\n</domain>",
                 "d.xml:4: <vcpu>: expected current= a number of vCPUs, found "
                 "'3'");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n"
                 "  <vcpu cpuset='2-1'>2</vcpu>\n</domain>",
                 "d.xml:4: <vcpu>: cpuset: invalid cpu range '2-1' (expected "
                 "N, N-M with M >= N, or all, each optionally after ^)");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n</domain>",
                 "d.xml:1: <domain>: no <os>: a PV domain needs <os><type>"
                 "linux</type><kernel>...</kernel></os>");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n  <os>\n"
                 "    <type>hvm</type>\n  </os>\n</domain>",
                 "d.xml:5: <type>: 'hvm' guests are not supported: Subfloor "
                 "runs PV guests only (<type>linux</type>)");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n  <os>\n"
                 "    <type>linux</type>\n  </os>\n</domain>",
                 "d.xml:4: <os>: no <kernel>: a PV domain needs one (Subfloor "
                 "has no bootloader)");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n" XML_OS
                 "  <on_crash>explode</on_crash>\n</domain>",
                 "d.xml:8: <on_crash>: unknown action 'explode' (destroy, "
                 "restart, rename-restart, preserve, coredump-destroy, "
                 "coredump-restart)");
    ck_xml_error(XML_HEAD "  <memory>1024</memory>\n" XML_OS
                 "  <cputune><shares>0</shares></cputune>\n</domain>",
                 "d.xml:8: <shares>: expected a weight from 1 to 65535, found "
                 "'0'");
    ck_xml_error(XML_HEAD "  <uuid>nope</uuid>\n</domain>",
                 "d.xml:3: <uuid>: expected a UUID like "
                 "'01234567-89ab-cdef-0123-456789abcdef', found 'nope'");
}
END_TEST

/* An external entity would be a file read (or, with a URL, a network
 * fetch) on dom0's behalf: it must not be substituted. */
START_TEST(test_xml_no_entities)
{
    static const char xml[] =
        "<?xml version='1.0'?>\n"
        "<!DOCTYPE domain [ <!ENTITY x SYSTEM 'file:///etc/hostname'> ]>\n"
        "<domain type='xen'>\n  <name>&x;</name>\n"
        "  <memory>1024</memory>\n" XML_OS "</domain>\n";
    struct xl_domain_config dc;
    char *err = NULL;
    int rc = from_xml(xml, &dc, &err);
    if (rc == 0) {
        ck_assert_str_eq(dc.name, "");
        xl_domain_config_dispose(&dc);
    } else {
        ck_assert_ptr_null(strstr(err, "hostname"));
        free(err);
    }
}
END_TEST

/* ---- domxml-to-xl's text reads back to the same domain ---- */

static void round_trip(const struct xl_domain_config *dc)
{
    char *text = xl_domain_config_to_cfg(dc);
    struct xl_domain_config back;
    domain_ok(text, &back);
    assert_same(dc, &back);
    xl_domain_config_dispose(&back);
    free(text);
}

START_TEST(test_round_trip)
{
    static const char xml[] =
        "<domain type='xen'>\n"
        "  <name>odd \"name\" with 'quotes' \\ and\ttab</name>\n"
        "  <uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>\n"
        "  <memory unit='MiB'>1024</memory>\n"
        "  <currentMemory unit='MiB'>300</currentMemory>\n"
        "  <vcpu current='1' cpuset='0-2,5,^1'>3</vcpu>\n"
        "  <cputune><shares>100</shares></cputune>\n"
        "  <os><type>xen</type><kernel>/boot/k</kernel>"
        "<initrd>/boot/i</initrd><cmdline>console=hvc0 x=\"y\"</cmdline></os>\n"
        "  <on_poweroff>preserve</on_poweroff>\n"
        "  <on_reboot>destroy</on_reboot>\n"
        "  <on_crash>coredump-restart</on_crash>\n"
        "</domain>\n";
    struct xl_domain_config dc;
    char *err = NULL;
    ck_assert_msg(from_xml(xml, &dc, &err) == 0, "%s", err);
    char *text = xl_domain_config_to_cfg(&dc);
    ck_assert_str_eq(text,
        "name = \"odd \\\"name\\\" with 'quotes' \\\\ and\\ttab\"\n"
        "uuid = \"4dea22b3-1d52-d8f3-2516-782e98ab3fa0\"\n"
        "type = \"pv\"\n"
        "memory = 300\n"
        "maxmem = 1024\n"
        "vcpus = 1\n"
        "maxvcpus = 3\n"
        "cpus = \"0,2,5\"\n"
        "cpu_weight = 100\n"
        "kernel = \"/boot/k\"\n"
        "ramdisk = \"/boot/i\"\n"
        "cmdline = \"console=hvc0 x=\\\"y\\\"\"\n"
        "on_poweroff = \"preserve\"\n"
        "on_reboot = \"destroy\"\n"
        "on_crash = \"coredump-restart\"\n");
    free(text);
    round_trip(&dc);
    xl_domain_config_dispose(&dc);

    /* And from xl.cfg, with what XML has no form for. */
    domain_ok(BASE "vcpus = 2\ncpus = [ '0', '1-2' ]\ncap = 0\n"
              "pool = 'Pool-0'\non_watchdog = 'preserve'\n"
              "on_soft_reset = 'destroy'\nextra = 'a\\nb'\n"
              "disk = [ 'phy:/dev/x,xvda,w', 'file:/i.img,xvdb,r' ]\n"
              "vif = [ '' ]\n", &dc);
    round_trip(&dc);
    xl_domain_config_dispose(&dc);
}
END_TEST

/* An XML file with overrides: read through its xl.cfg form. */
START_TEST(test_xml_file_overrides)
{
    char *path = write_temp("\n  " XML_HEAD "  <memory>1024</memory>\n" XML_OS
                            "</domain>\n");
    char *over[] = { "memory=4", "vcpus=1" };
    struct xl_domain_config dc;
    char *err = NULL;
    ck_assert_msg(xl_domain_config_load(path, NULL, 0, &dc, NULL, &err) == 0,
                  "%s", err);
    ck_assert_int_eq(dc.memory_kb, 1024);
    xl_domain_config_dispose(&dc);
    ck_assert_msg(xl_domain_config_load(path, over, 2, &dc, NULL, &err) == 0,
                  "%s", err);
    ck_assert_str_eq(dc.name, "web");
    ck_assert_int_eq(dc.memory_kb, 4 * 1024);
    ck_assert_int_eq(dc.maxmem_kb, 4 * 1024);
    xl_domain_config_dispose(&dc);
    unlink(path);
    free(path);
    ck_assert(xl_cfg_text_is_xml(" \n\t<x/>", 7));
    ck_assert(!xl_cfg_text_is_xml("# <domain>\n", 11));
    ck_assert(!xl_cfg_text_is_xml("", 0));
}
END_TEST

/* ---- whole files: Xen's example and the dom0 image's ---- */

static void load_ok(const char *dir, const char *name,
                    struct xl_domain_config *dc)
{
    char path[512], *err = NULL;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    ck_assert_msg(xl_domain_config_load(path, NULL, 0, dc, NULL, &err) == 0,
                  "%s: %s", path, err);
}

START_TEST(test_example_files)
{
    struct xl_domain_config dc;
    /* The shape of Xen 4.17's tools/examples/xlexample.pvlinux. */
    load_ok(XL_CFG_EXAMPLES, "pvlinux.cfg", &dc);
    ck_assert_str_eq(dc.name, "example.pvlinux");
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz");
    ck_assert_str_eq(dc.cmdline, "root=/dev/xvda1");
    ck_assert_int_eq(dc.memory_kb, 128 * 1024);
    ck_assert_int_eq(dc.vcpus, 2);
    ck_assert_int_eq(dc.vif.n, 1);
    ck_assert_int_eq(dc.disk.n, 1);
    ck_assert_str_eq(dc.disk.v[0], "/dev/vg/guest-volume,raw,xvda,rw");
    xl_domain_config_dispose(&dc);

    /* The dom0 image's /etc/xen/linux.cfg and its XML twin agree. */
    struct xl_domain_config cfg, xml;
    load_ok(DOM0_ETC_XEN, "linux.cfg", &cfg);
    load_ok(DOM0_ETC_XEN, "linux.xml", &xml);
    assert_same(&cfg, &xml);
    xl_domain_config_dispose(&cfg);
    xl_domain_config_dispose(&xml);
}
END_TEST

static Suite *xl_cfg_xml_suite(void)
{
    Suite *s = suite_create("xl_cfg_xml");
    TCase *tc = tcase_create("xml");
    tcase_add_test(tc, test_xml_mapping);
    tcase_add_test(tc, test_xml_errors);
    tcase_add_test(tc, test_xml_no_entities);
    tcase_add_test(tc, test_round_trip);
    tcase_add_test(tc, test_xml_file_overrides);
    tcase_add_test(tc, test_example_files);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(xl_cfg_xml_suite());
}
