/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The xl.cfg side of the domain configuration library (docs/man/xl.cfg.5)
 * on the host: the syntax as Xen 4.17's libxlu reads it (the edge cases
 * were run through Debian's libxlutil 4.17 to compare), every error with
 * its place, xl's defaults and rules, and command-line overrides.
 */
#include "check_xl_cfg.h"
#include "../check_main.h"

/* ---- the syntax ---- */

START_TEST(test_value_forms)
{
    struct xl_cfg cfg;
    parse_settings(&cfg,
        "# a comment line\n"
        "\n"
        "a = 'single'   # a comment after a value\n"
        "b = \"double\"\n"
        "c = 42\n"
        "d = 0x1f\n"
        "e = [ 'x', \"y\", 3 ]\n"
        "f = [\n"
        "  'one',\n"
        "\n"
        "  # a comment inside a list\n"
        "  'two',\n"
        "]\n"
        "g = []\n"
        "h = [ [ 'nested' ], 'flat' ]\n"
        "i = 1; j = 'two';\n"
        "k.l_m9 = 'dots and underscores'\r\n"
        "last = 'no newline at the end' # and a comment");
    const struct xl_cfg_setting *s = xl_cfg_find(&cfg, "a");
    ck_assert_str_eq(s->value->string, "single");
    ck_assert(s->value->quoted);
    ck_assert_int_eq(s->line, 3);
    ck_assert_str_eq(xl_cfg_find(&cfg, "b")->value->string, "double");
    s = xl_cfg_find(&cfg, "c");
    ck_assert_str_eq(s->value->string, "42");
    ck_assert(!s->value->quoted);
    ck_assert_str_eq(xl_cfg_find(&cfg, "d")->value->string, "0x1f");
    s = xl_cfg_find(&cfg, "e");
    ck_assert_int_eq(s->value->type, XL_CFG_LIST);
    ck_assert_int_eq(s->value->n, 3);
    ck_assert_str_eq(s->value->items[2]->string, "3");
    s = xl_cfg_find(&cfg, "f");
    ck_assert_int_eq(s->value->n, 2);
    ck_assert_str_eq(s->value->items[1]->string, "two");
    ck_assert_int_eq(s->value->items[1]->line, 12);
    ck_assert_int_eq(xl_cfg_find(&cfg, "g")->value->n, 0);
    s = xl_cfg_find(&cfg, "h");
    ck_assert_int_eq(s->value->items[0]->type, XL_CFG_LIST);
    ck_assert_str_eq(s->value->items[0]->items[0]->string, "nested");
    ck_assert_str_eq(xl_cfg_find(&cfg, "i")->value->string, "1");
    ck_assert_str_eq(xl_cfg_find(&cfg, "j")->value->string, "two");
    ck_assert_str_eq(xl_cfg_find(&cfg, "k.l_m9")->value->string,
                     "dots and underscores");
    ck_assert_str_eq(xl_cfg_find(&cfg, "last")->value->string,
                     "no newline at the end");
    ck_assert_ptr_null(xl_cfg_find(&cfg, "nosuch"));
    xl_cfg_dispose(&cfg);
}
END_TEST

START_TEST(test_escapes)
{
    struct xl_cfg cfg;
    parse_settings(&cfg,
        "a = \"q\\\"d\\'s\\\\b\"\n"
        "b = 'tab\\there\\nnl\\r\\a\\b\\f\\v'\n"
        "c = 'a \"double\" inside single'\n");
    ck_assert_str_eq(xl_cfg_find(&cfg, "a")->value->string, "q\"d's\\b");
    ck_assert_str_eq(xl_cfg_find(&cfg, "b")->value->string,
                     "tab\there\nnl\r\a\b\f\v");
    ck_assert_str_eq(xl_cfg_find(&cfg, "c")->value->string,
                     "a \"double\" inside single");
    xl_cfg_dispose(&cfg);
}
END_TEST

START_TEST(test_last_wins_and_add)
{
    struct xl_cfg cfg;
    parse_settings(&cfg,
        "a = 'first'\na = 'second'\n"
        "s = 'con'\ns += 'cat'\n"
        "l = [ 'x' ]\nl += [ 'y', 'z' ]\n"
        "n += 'new'\n");
    ck_assert_str_eq(xl_cfg_find(&cfg, "a")->value->string, "second");
    ck_assert_str_eq(xl_cfg_find(&cfg, "s")->value->string, "concat");
    const struct xl_cfg_setting *l = xl_cfg_find(&cfg, "l");
    ck_assert_int_eq(l->value->n, 3);
    ck_assert_str_eq(l->value->items[0]->string, "x");
    ck_assert_str_eq(l->value->items[2]->string, "z");
    ck_assert_str_eq(xl_cfg_find(&cfg, "n")->value->string, "new");
    xl_cfg_dispose(&cfg);
}
END_TEST

START_TEST(test_syntax_errors)
{
    ck_error("Memory = 1\n",
             "t.cfg:1:1: expected a key (lower-case letters, digits, '_', "
             "'.'), found 'Memory'");
    ck_error("a = 1\nmemory 256\n",
             "t.cfg:2:8: memory: expected '=' or '+=', found '256'");
    ck_error("memory = lots\n",
             "t.cfg:1:10: memory: expected a value (a number, a 'string' or "
             "a [list]), found 'lots'");
    ck_error("memory = -1\n",
             "t.cfg:1:10: memory: expected a value (a number, a 'string' or "
             "a [list]), found '-1' (xl.cfg is not Python: see xl.cfg(5))");
    ck_error("memory =\n",
             "t.cfg:1:9: memory: expected a value (a number, a 'string' or "
             "a [list]), found the end of the line");
    ck_error("a = 1 b = 2\n",
             "t.cfg:1:7: a: expected the end of the line or ';' after the "
             "value, found 'b'");
    ck_error("name = \"open\n",
             "t.cfg:1:8: name: the string is not closed by \" before the end "
             "of the line");
    ck_error("name = 'open",
             "t.cfg:1:8: name: the string is not closed by ' before the end "
             "of the file");
    ck_error("disk = [ 'a'\n  'b' ]\n",
             "t.cfg:2:3: disk: expected ',' or ']' in the list, found "
             "''b''");
    ck_error("disk = [ 'a',\n",
             "t.cfg:2:1: disk: the list opened at line 1 is not closed by "
             "']' before the end of the file");
    ck_error("extra = 'bad \\q escape'\n",
             "t.cfg:1:14: extra: unknown escape '\\q' in a string (known: "
             "\\\\ \\' \\\" \\a \\b \\f \\n \\r \\t \\v)");
    ck_error("extra = 'hex \\x41'\n",
             "t.cfg:1:14: extra: numeric escape '\\x...' in a string: not "
             "supported (Xen 4.17's xl refuses \\x and drops \\NNN)");
    ck_error("extra = 'oct \\101'\n",
             "t.cfg:1:14: extra: numeric escape '\\1...' in a string: not "
             "supported (Xen 4.17's xl refuses \\x and drops \\NNN)");
    ck_error("extra = 'go on \\\n  next line'\n",
             "t.cfg:1:16: extra: a string cannot go on past the end of the "
             "line with '\\'; use a [list] across lines, or one long line");
    ck_error("s = 'x'\ns += [ 'y' ]\n",
             "t.cfg:2:6: s: cannot add a [list] to the string set at "
             "t.cfg:1");
    ck_error("a = 'x\\0y'\n",
             "t.cfg:1:7: a: numeric escape '\\0...' in a string: not "
             "supported (Xen 4.17's xl refuses \\x and drops \\NNN)");
}
END_TEST

/* error_of() stops at strlen; the NUL case needs the length. */
START_TEST(test_nul_byte)
{
    static const char text[] = "a = 1\nb = 'x\0y'\n";
    struct xl_cfg cfg;
    char *err = NULL;
    xl_cfg_init(&cfg);
    ck_assert_int_eq(xl_cfg_parse_text(&cfg, "t.cfg", text,
                                       sizeof(text) - 1, &err), -1);
    ck_assert_str_eq(err, "t.cfg:2:7: a NUL byte: this is not a text file");
    ck_assert_ptr_null(cfg.first);
    free(err);
    xl_cfg_dispose(&cfg);
}
END_TEST

START_TEST(test_nesting_limit)
{
    char text[200] = "a = ";
    for (int i = 0; i < 40; i++)
        strcat(text, "[");
    char *e = error_of(text);
    ck_assert_str_eq(e, "t.cfg:1:21: a: lists nested more than 16 deep");
    free(e);
}
END_TEST

/* ---- the domain ---- */

START_TEST(test_defaults)
{
    struct xl_domain_config dc;
    domain_ok(BASE, &dc);
    ck_assert_str_eq(dc.name, "guest");
    ck_assert_str_eq(dc.kernel, "/boot/vmlinuz");
    ck_assert_ptr_null(dc.ramdisk);
    ck_assert_ptr_null(dc.cmdline);
    ck_assert_int_eq(dc.memory_kb, 32 * 1024);
    ck_assert_int_eq(dc.maxmem_kb, 32 * 1024);
    ck_assert_int_eq(dc.vcpus, 1);
    ck_assert_int_eq(dc.maxvcpus, 1);
    ck_assert_int_eq(dc.on_poweroff, XL_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_reboot, XL_ACTION_RESTART);
    ck_assert_int_eq(dc.on_watchdog, XL_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_crash, XL_ACTION_DESTROY);
    ck_assert_int_eq(dc.on_soft_reset, XL_ACTION_SOFT_RESET);
    ck_assert_int_eq(dc.nr_cpumaps, 0);
    ck_assert_int_eq(dc.cpu_weight, 0);
    ck_assert(!dc.cap_given);
    ck_assert(!dc.uuid_given);
    ck_assert_int_eq(dc.disk.n, 0);
    /* A UUID is generated, and differs each time. */
    struct xl_domain_config dc2;
    domain_ok(BASE, &dc2);
    static const uint8_t zero[16];
    ck_assert(memcmp(dc.uuid, zero, 16) != 0);
    ck_assert(memcmp(dc.uuid, dc2.uuid, 16) != 0);
    xl_domain_config_dispose(&dc);
    xl_domain_config_dispose(&dc2);
}
END_TEST

START_TEST(test_values)
{
    struct xl_domain_config dc;
    domain_ok(BASE
        "type = 'pv'\n"
        "uuid = '6e0a2a9c-0f2b-4f5e-8d6e-0123456789AB'\n"
        "memory = 256\nmaxmem = '0x200'\n"
        "vcpus = 2\nmaxvcpus = 4\n"
        "ramdisk = '/boot/initrd'\n"
        "cpu_weight = 512\ncap = 50\n"
        "pool = 'Pool-0'\n"
        "on_poweroff = 'preserve'\non_reboot = 'rename-restart'\n"
        "on_crash = 'coredump-restart'\non_watchdog = 'coredump-destroy'\n"
        "disk = [ 'phy:/dev/vg/guest,xvda,w' ]\n"
        "vif = [ 'bridge=xenbr0', 'mac=00:16:3e:00:00:01' ]\n"
        "some_unknown_key = 'ignored as Xen ignores it'\n", &dc);
    ck_assert(dc.uuid_given);
    ck_assert_int_eq(dc.uuid[0], 0x6e);
    ck_assert_int_eq(dc.uuid[15], 0xab);
    ck_assert_int_eq(dc.memory_kb, 256 * 1024);
    ck_assert_int_eq(dc.maxmem_kb, 512 * 1024);
    ck_assert_int_eq(dc.vcpus, 2);
    ck_assert_int_eq(dc.maxvcpus, 4);
    ck_assert_str_eq(dc.ramdisk, "/boot/initrd");
    ck_assert_int_eq(dc.cpu_weight, 512);
    ck_assert(dc.cap_given);
    ck_assert_int_eq(dc.cap, 50);
    ck_assert_str_eq(dc.pool, "Pool-0");
    ck_assert_int_eq(dc.on_poweroff, XL_ACTION_PRESERVE);
    ck_assert_int_eq(dc.on_reboot, XL_ACTION_RESTART_RENAME);
    ck_assert_int_eq(dc.on_crash, XL_ACTION_COREDUMP_RESTART);
    ck_assert_int_eq(dc.on_watchdog, XL_ACTION_COREDUMP_DESTROY);
    ck_assert_int_eq(dc.disk.n, 1);
    ck_assert_str_eq(dc.disk.v[0], "phy:/dev/vg/guest,xvda,w");
    ck_assert_int_eq(dc.vif.n, 2);
    ck_assert_str_eq(dc.vif.v[1], "mac=00:16:3e:00:00:01");
    xl_domain_config_dispose(&dc);

    /* Octal as C (and Xen's strtol) reads it; a size alone sets both. */
    domain_ok(BASE "memory = 010\n", &dc);
    ck_assert_int_eq(dc.memory_kb, 8 * 1024);
    ck_assert_int_eq(dc.maxmem_kb, 8 * 1024);
    xl_domain_config_dispose(&dc);
    domain_ok(BASE "maxmem = 64\n", &dc);
    ck_assert_int_eq(dc.memory_kb, 64 * 1024);
    xl_domain_config_dispose(&dc);
    domain_ok(BASE "maxvcpus = 3\n", &dc);
    ck_assert_int_eq(dc.vcpus, 1);
    ck_assert_int_eq(dc.maxvcpus, 3);
    xl_domain_config_dispose(&dc);
    /* Xen's prefixes: "p" is pv, "generic" the PV builder. */
    domain_ok(BASE "type = 'p'\nbuilder = 'generic'\n", &dc);
    xl_domain_config_dispose(&dc);
}
END_TEST

START_TEST(test_cmdline)
{
    static const struct { const char *cfg, *cmdline; } cases[] = {
        { "root = '/dev/xvda1 ro'\n", "root=/dev/xvda1 ro" },
        { "extra = 'console=hvc0'\n", "console=hvc0" },
        { "root = '/dev/xvda1'\nextra = 'console=hvc0 quiet'\n",
          "root=/dev/xvda1 console=hvc0 quiet" },
        { "cmdline = 'init=/bin/sh'\nroot = '/dev/x'\nextra = 'quiet'\n",
          "init=/bin/sh" },
        { "cmdline = ''\n", "" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[256];
        snprintf(text, sizeof(text), BASE "%s", cases[i].cfg);
        struct xl_domain_config dc;
        domain_ok(text, &dc);
        ck_assert_str_eq(dc.cmdline, cases[i].cmdline);
        xl_domain_config_dispose(&dc);
    }
    /* cmdline= over root=/extra= says so, as Xen's xl does. */
    struct xl_cfg cfg;
    struct xl_domain_config dc;
    char *warnings = NULL, *err = NULL;
    size_t len;
    FILE *warn = open_memstream(&warnings, &len);
    parse_settings(&cfg, BASE "cmdline = 'a'\nextra = 'b'\n");
    ck_assert_int_eq(xl_domain_config_from_cfg(&cfg, &dc, warn, &err), 0);
    fclose(warn);
    ck_assert_str_eq(warnings, "Warning: ignoring root= and extra= in "
                     "favour of cmdline=\n");
    free(warnings);
    xl_cfg_dispose(&cfg);
    xl_domain_config_dispose(&dc);
}
END_TEST

START_TEST(test_cpus)
{
    struct xl_domain_config dc;
    domain_ok(BASE "vcpus = 2\ncpus = '0-3,^2,7'\n", &dc);
    ck_assert_int_eq(dc.nr_cpumaps, 1);
    ck_assert(!dc.cpumap_per_vcpu);
    ck_assert_uint_eq(dc.cpumaps[0].bits[0], 0x8b);
    xl_domain_config_dispose(&dc);

    domain_ok(BASE "cpus = 'all'\n", &dc);
    for (unsigned c = 0; c < XL_CFG_MAX_CPUS; c++)
        ck_assert(xl_cpumap_test(&dc.cpumaps[0], c));
    xl_domain_config_dispose(&dc);

    /* A list pins vCPU by vCPU; items beyond maxvcpus are dropped. */
    domain_ok(BASE "vcpus = 2\ncpus = [ '1', '2-3', '5' ]\n", &dc);
    ck_assert(dc.cpumap_per_vcpu);
    ck_assert_int_eq(dc.nr_cpumaps, 2);
    ck_assert_uint_eq(dc.cpumaps[0].bits[0], 0x2);
    ck_assert_uint_eq(dc.cpumaps[1].bits[0], 0xc);
    xl_domain_config_dispose(&dc);

    static const struct { const char *in, *out; } fmt[] = {
        { "0-3,^2,7", "0-1,3,7" }, { "all", "all" }, { "", "" },
        { "5,4,3", "3-5" }, { "all,^0", "1-1023" }, { "^3", "" },
        { "1,,2", "1-2" }, { "1023", "1023" },
    };
    for (size_t i = 0; i < sizeof(fmt) / sizeof(fmt[0]); i++) {
        struct xl_cpumap m;
        char *err = NULL, out[XL_CPUMAP_TEXT];
        ck_assert_msg(xl_cpumap_parse(fmt[i].in, &m, &err) == 0, "%s", err);
        xl_cpumap_format(&m, out, sizeof(out));
        ck_assert_str_eq(out, fmt[i].out);
    }
    ck_error(BASE "cpus = '3-1'\n",
             "t.cfg:3: cpus: invalid cpu range '3-1' (expected N, N-M with "
             "M >= N, or all, each optionally after ^)");
    ck_error(BASE "cpus = '0, 1'\n",
             "t.cfg:3: cpus: invalid cpu range ' 1' (expected N, N-M with "
             "M >= N, or all, each optionally after ^)");
    ck_error(BASE "cpus = '^all'\n",
             "t.cfg:3: cpus: '^all': \"^\" and \"all\" cannot be combined");
    ck_error(BASE "cpus = 'nodes:0'\n",
             "t.cfg:3: cpus: 'nodes:0': NUMA node items are not supported "
             "(list the cpus instead)");
    ck_error(BASE "cpus = '1024'\n",
             "t.cfg:3: cpus: '1024': cpu 1024 is beyond the 1024 cpus a map "
             "holds");
    ck_error(BASE "vcpus = 2\ncpus = [ '1', 'x' ]\n",
             "t.cfg:4: cpus: vCPU 1: invalid cpu range 'x' (expected N, N-M "
             "with M >= N, or all, each optionally after ^)");
    ck_error(BASE "cpus = [ [ '1' ] ]\n",
             "t.cfg:3: cpus: item 1 of the list is a [list], not a cpu list");
}
END_TEST

START_TEST(test_domain_errors)
{
    ck_error("kernel = '/k'\n",
             "t.cfg: name: missing: a domain name must be specified");
    ck_error("name = 'a'\n",
             "t.cfg: kernel: missing: a PV domain needs kernel= (Subfloor "
             "has no bootloader)");
    ck_error(BASE "memory = 'lots'\n",
             "t.cfg:3: memory: expected an integer, found 'lots'");
    ck_error(BASE "memory = '256M'\n",
             "t.cfg:3: memory: expected an integer, found '256M'");
    ck_error(BASE "memory = 0\n",
             "t.cfg:3: memory: 0 is out of range (1 to 4294967296)");
    ck_error(BASE "memory = 99999999999999999999\n",
             "t.cfg:3: memory: 99999999999999999999 is out of range (1 to "
             "4294967296)");
    ck_error(BASE "memory = [ 256 ]\n",
             "t.cfg:3: memory: expected a single value, found a [list]");
    ck_error(BASE "memory = 1\nmemory += 2\n",
             "t.cfg:4: memory: '+=' does not apply to a number");
    ck_error(BASE "memory = 256\nmaxmem = 128\n",
             "t.cfg:4: maxmem: 128 MiB is less than memory (256 MiB): maxmem "
             "must be at least memory");
    ck_error(BASE "vcpus = 4\nmaxvcpus = 2\n",
             "t.cfg:4: maxvcpus: 2 is less than vcpus (4): maxvcpus must be "
             "at least vcpus");
    ck_error(BASE "vcpus = 0\n",
             "t.cfg:3: vcpus: 0 is out of range (1 to 1024)");
    ck_error(BASE "cpu_weight = 0\n",
             "t.cfg:3: cpu_weight: 0 is out of range (1 to 65535)");
    ck_error(BASE "cpu_weight = 65536\n",
             "t.cfg:3: cpu_weight: 65536 is out of range (1 to 65535)");
    ck_error(BASE "cap = -1\n",
             "t.cfg:3:7: cap: expected a value (a number, a 'string' or a "
             "[list]), found '-1' (xl.cfg is not Python: see xl.cfg(5))");
    ck_error(BASE "cap = '-1'\n",
             "t.cfg:3: cap: -1 is out of range (0 to 65535)");
    ck_error(BASE "on_poweroff = 'explode'\n",
             "t.cfg:3: on_poweroff: unknown action 'explode' (destroy, "
             "restart, rename-restart, preserve, coredump-destroy, "
             "coredump-restart, soft-reset)");
    ck_error(BASE "on_crash = 'Destroy'\n",
             "t.cfg:3: on_crash: unknown action 'Destroy' (destroy, "
             "restart, rename-restart, preserve, coredump-destroy, "
             "coredump-restart, soft-reset)");
    ck_error(BASE "type = 'hvm'\n",
             "t.cfg:3: type: 'hvm' domains are not supported: Subfloor runs "
             "PV guests only (type = \"pv\")");
    ck_error(BASE "type = 'pvh'\n",
             "t.cfg:3: type: 'pvh' domains are not supported: Subfloor runs "
             "PV guests only (type = \"pv\")");
    ck_error(BASE "type = 'kvm'\n",
             "t.cfg:3: type: invalid domain type 'kvm' (Subfloor runs type = "
             "\"pv\" only)");
    ck_error(BASE "builder = 'hvm'\n",
             "t.cfg:3: builder: 'hvm' domains are not supported: Subfloor "
             "runs PV guests only (builder = \"generic\")");
    ck_error(BASE "bootloader = 'pygrub'\n",
             "t.cfg:3: bootloader: 'pygrub' is not supported: Subfloor boots "
             "a PV kernel directly (kernel= and ramdisk=)");
    ck_error(BASE "uuid = 'not-a-uuid'\n",
             "t.cfg:3: uuid: expected a UUID like "
             "'01234567-89ab-cdef-0123-456789abcdef', found 'not-a-uuid'");
    ck_error(BASE "name = ''\n", "t.cfg:3: name: the name is empty");
    ck_error(BASE "disk = 'phy:/dev/x,xvda,w'\n",
             "t.cfg:3: disk: expected a [list] of strings, found "
             "'phy:/dev/x,xvda,w'");
    ck_error(BASE "vif = [ [ 'x' ] ]\n",
             "t.cfg:3: vif: item 1 of the list is a [list], not a string");
    ck_error(BASE "kernel = [ '/k' ]\n",
             "t.cfg:3: kernel: expected a single value, found a [list]");
}
END_TEST

/* ---- xl create FILE KEY=VALUE... ---- */

START_TEST(test_overrides)
{
    char *path = write_temp(BASE "memory = 128\nextra = 'quiet'\n"
                            "disk = [ 'a' ]\n");
    char *over[] = { "name=\"other\"", "memory=256", "extra += ' debug'",
                     "disk += [ 'b' ]" };
    struct xl_domain_config dc;
    char *err = NULL;
    ck_assert_int_eq(xl_domain_config_load(path, over, 4, &dc, NULL, &err), 0);
    ck_assert_str_eq(dc.name, "other");
    ck_assert_int_eq(dc.memory_kb, 256 * 1024);
    ck_assert_str_eq(dc.cmdline, "quiet debug");
    ck_assert_int_eq(dc.disk.n, 2);
    ck_assert_str_eq(dc.disk.v[1], "b");
    xl_domain_config_dispose(&dc);

    /* A mistake in an override is the command line's, by argument. */
    char *bad[] = { "memory=256", "vcpus=two" };
    ck_assert_int_eq(xl_domain_config_load(path, bad, 2, &dc, NULL, &err), -1);
    ck_assert_str_eq(err, "command line:2:7: vcpus: expected a value (a "
                     "number, a 'string' or a [list]), found 'two'");
    free(err);
    char *zero[] = { "memory=0" };
    ck_assert_int_eq(xl_domain_config_load(path, zero, 1, &dc, NULL, &err), -1);
    ck_assert_str_eq(err, "command line:1: memory: 0 is out of range (1 to "
                     "4294967296)");
    free(err);
    unlink(path);
    free(path);

    ck_assert_int_eq(xl_domain_config_load("/nonexistent/x.cfg", NULL, 0, &dc,
                                           NULL, &err), -1);
    ck_assert_str_eq(err, "Failed to read config file: /nonexistent/x.cfg: "
                     "No such file or directory");
    free(err);
}
END_TEST

static Suite *xl_cfg_suite(void)
{
    Suite *s = suite_create("xl_cfg");
    TCase *tc = tcase_create("syntax");
    tcase_add_test(tc, test_value_forms);
    tcase_add_test(tc, test_escapes);
    tcase_add_test(tc, test_last_wins_and_add);
    tcase_add_test(tc, test_syntax_errors);
    tcase_add_test(tc, test_nul_byte);
    tcase_add_test(tc, test_nesting_limit);
    suite_add_tcase(s, tc);
    tc = tcase_create("domain");
    tcase_add_test(tc, test_defaults);
    tcase_add_test(tc, test_values);
    tcase_add_test(tc, test_cmdline);
    tcase_add_test(tc, test_cpus);
    tcase_add_test(tc, test_domain_errors);
    tcase_add_test(tc, test_overrides);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(xl_cfg_suite());
}
