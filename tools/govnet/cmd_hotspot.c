/*
 * cmd_hotspot.c - 'govnet hotspot': campus WiFi hotspots behind
 * FreeRADIUS (docs/hotspot.md).
 *   radius-config DB --out DIR --auth-port P --acct-port Q --secret S
 *                 [--backend exec|rest --rest-url URL --rest-token-file F]
 *   vouchers DB --count N --minutes M [--uses K] [--valid-days D] [--json]
 *            [--pdf FILE [--network SSID]]
 *   user add DB --name NAME --group G [--quota-mb N]   (password on stdin)
 *   group set DB --name G [limits]
 *   nas add DB --name N --ip IP --secret S [--coa-port P]
 *   usage DB [--from DATE --to DATE] [--daily|--summary] [--json]
 *   report DB --month YYYY-MM --out REPORT.html [--pdf REPORT.pdf]
 *          [--lang fr|en]   (monthly usage report)
 *   plan DB --site ID [--students N] [--area-m2 A] [--per-ap N] [--m2-per-ap A]
 *   aps DB   (GeoJSON of the access points)
 *   portal-key DB --faskey KEY   (openNDS FAS level 1)
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_store.h"

static const char usage_text[] =
    "usage: govnet hotspot <command> DB [options]\n"
    "  radius-config DB --out DIR --auth-port P --acct-port Q --secret S\n"
    "                [--listen IP] [--threads N] [--aaa PATH]\n"
    "                [--backend exec|rest] [--rest-url http://127.0.0.1:8080]\n"
    "                [--rest-token-file F] [--rest-timeout S]\n"
    "                (rest: FreeRADIUS posts to govnet serve --aaa-token-file F)\n"
    "  vouchers DB --count N --minutes M [--uses K] [--valid-days D]"
    " [--group G] [--json]\n"
    "           [--pdf SHEET.pdf [--network SSID]]   (A4 cards, French)\n"
    "  user add DB --name NAME --group G [--quota-mb N] [--valid-days D]"
    "  (password on stdin)\n"
    "  group set DB --name G [--session-minutes N] [--interim S]"
    " [--down-kbps N]\n"
    "               [--up-kbps N] [--day-minutes N] [--day-mb N]"
    " [--month-mb N] [--simultaneous N]\n"
    "  nas add DB --name N --ip IP --secret S [--coa-port P]\n"
    "  usage DB [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--daily|--summary]"
    " [--json]\n"
    "  report DB --month YYYY-MM --out REPORT.html [--pdf REPORT.pdf]"
    " [--lang fr|en]\n"
    "         (monthly usage: totals, per day and per access point, with"
    " charts;\n"
    "          no per-student table; French by default)\n"
    "  plan DB --site ID [--students N] [--area-m2 A] [--per-ap N]"
    " [--m2-per-ap A]\n"
    "  aps DB   (access points as GeoJSON)\n"
    "  portal-key DB --faskey KEY   (openNDS FAS key; portal at /portal.html"
    " of govnet serve)\n";

/* Optional integer option: 0 if absent or valid, else prints and -1. */
static int opt_int(int argc, char **argv, const char *name, int64_t lo,
                   int64_t hi, int64_t *out) {
  const char *v = cli_opt(argc, argv, name);
  long x = 0;
  if (!v) return 0;
  if (cli_parse_long(v, &x) != 0 || x < lo || x > hi) {
    cli_error(CLI_USAGE, "hotspot: %s must be an integer %lld..%lld", name,
              (long long)lo, (long long)hi);
    return -1;
  }
  *out = x;
  return 0;
}

/* govnet-aaa next to this executable, unless --aaa names it. */
static int aaa_path(int argc, char **argv, char *out, size_t n) {
  const char *given = cli_opt(argc, argv, "--aaa");
  char self[PATH_MAX];
  if (given) {
    if (!realpath(given, out)) return cli_error(CLI_ERR, "--aaa %s: not found",
                                                given);
    return CLI_OK;
  }
  ssize_t k = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (k <= 0) return cli_error(CLI_ERR, "cannot locate govnet-aaa; use --aaa");
  self[k] = 0;
  char *slash = strrchr(self, '/');
  *slash = 0;
  if (snprintf(out, n, "%s/govnet-aaa", self) >= (int)n || access(out, X_OK))
    return cli_error(CLI_ERR, "%s: not found; build it or pass --aaa", out);
  return CLI_OK;
}

/* --backend rest: the URL of govnet serve and its --aaa-token-file. */
static int rest_opts(int argc, char **argv, gn_hotspot_radius_opts *o,
                     char *token, size_t cap) {
  const char *b = cli_opt(argc, argv, "--backend");
  int64_t t = 0;
  if (!b || strcmp(b, "exec") == 0) return CLI_OK;
  if (strcmp(b, "rest") != 0)
    return cli_error(CLI_USAGE, "radius-config: --backend exec or rest");
  const char *url = cli_opt(argc, argv, "--rest-url");
  const char *file = cli_opt(argc, argv, "--rest-token-file");
  if (!url || !file)
    return cli_error(CLI_USAGE, "radius-config: --backend rest needs "
                     "--rest-url and --rest-token-file");
  if (opt_int(argc, argv, "--rest-timeout", 1, 60, &t)) return CLI_USAGE;
  int rc = cli_read_token("radius-config", file, token, cap);
  o->backend = GN_HOTSPOT_BACKEND_REST;
  o->rest_url = url;
  o->rest_token = token;
  o->rest_timeout_s = (int)t;
  return rc;
}

static int radius_config(int argc, char **argv) {
  const char *out = cli_opt(argc, argv, "--out");
  gn_hotspot_radius_opts o = {0};
  int64_t ap = 0, cp = 0, th = 0;
  char token[256];
  if (!out || !cli_opt(argc, argv, "--auth-port") ||
      !cli_opt(argc, argv, "--acct-port") || !cli_opt(argc, argv, "--secret"))
    return cli_error(CLI_USAGE, "radius-config: give --out, --auth-port, "
                     "--acct-port and --secret");
  if (opt_int(argc, argv, "--auth-port", 1, 65535, &ap) ||
      opt_int(argc, argv, "--acct-port", 1, 65535, &cp) ||
      opt_int(argc, argv, "--threads", 1, 256, &th))
    return CLI_USAGE;
  int rrc = rest_opts(argc, argv, &o, token, sizeof(token));
  if (rrc != CLI_OK) return rrc;
  char db[PATH_MAX], aaa[PATH_MAX], dir[PATH_MAX];
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], GN_STORE_CREATE, &ctx, &st);
  if (rc != CLI_OK) return rc;
  aaa[0] = 0;
  if (o.backend == GN_HOTSPOT_BACKEND_EXEC)
    rc = aaa_path(argc, argv, aaa, sizeof(aaa));
  if (rc == CLI_OK && !realpath(argv[2], db))
    rc = cli_error(CLI_ERR, "%s: cannot resolve path", argv[2]);
  /* --out may not exist yet: resolve its parent */
  if (rc == CLI_OK && out[0] != '/') {
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof(cwd))) rc = cli_error(CLI_ERR, "getcwd failed");
    if (snprintf(dir, sizeof(dir), "%s/%s", cwd, out) >= (int)sizeof(dir))
      rc = cli_error(CLI_USAGE, "--out: path too long");
  } else {
    snprintf(dir, sizeof(dir), "%s", out);
  }
  o.db_path = db;
  o.aaa_program = aaa;
  o.auth_port = (int)ap;
  o.acct_port = (int)cp;
  o.secret = cli_opt(argc, argv, "--secret");
  o.listen_ip = cli_opt(argc, argv, "--listen");
  o.threads = (int)th;
  if (rc == CLI_OK && gn_hotspot_radius_config(st, &o, dir) != GN_OK)
    rc = cli_fail(ctx, "radius-config");
  if (rc == CLI_OK)
    fprintf(stderr, "wrote %s/radiusd.conf; run: freeradius -f -d %s\n", dir,
            dir);
  cli_store_done(ctx, st);
  return rc;
}

static void iso_utc(int64_t t, char *out, size_t n) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void print_vouchers(const char *codes, size_t count, int64_t expires,
                           int json) {
  char when[32];
  iso_utc(expires, when, sizeof(when));
  if (json) putchar('[');
  for (size_t i = 0; i < count; i++) {
    const char *c = codes + i * 13;
    if (json)
      printf("%s\n  { \"code\": \"%s\", \"expires\": \"%s\" }", i ? "," : "",
             c, when);
    else
      printf("%s  %s\n", c, when);
  }
  if (json) puts(count ? "\n]" : "]");
}

/* --pdf FILE: the printable sheet, written before the codes are printed
 * so a failure is reported first (the vouchers exist either way). */
static int voucher_sheet(int argc, char **argv, gn_ctx *ctx, const char *codes,
                         size_t count, int64_t minutes, int64_t uses,
                         int64_t expires) {
  const char *pdf = cli_opt(argc, argv, "--pdf");
  if (!pdf) return CLI_OK;
  const char **list = gn_malloc(ctx, count * sizeof(*list));
  if (!list) return cli_error(CLI_ERR, "out of memory");
  for (size_t i = 0; i < count; i++) list[i] = codes + i * 13;
  gn_report_voucher_sheet s = {list, count, cli_opt(argc, argv, "--network"),
                               minutes, uses, expires};
  int rc = gn_report_vouchers_pdf(ctx, &s, pdf) == GN_OK
               ? CLI_OK
               : cli_fail(ctx, "vouchers --pdf");
  gn_free(ctx, list);
  return rc;
}

static int vouchers(int argc, char **argv) {
  int64_t count = 0, minutes = 0, uses = 1, days = 30;
  if (!cli_opt(argc, argv, "--count") || !cli_opt(argc, argv, "--minutes"))
    return cli_error(CLI_USAGE, "vouchers: give --count N and --minutes M");
  if (opt_int(argc, argv, "--count", 1, 10000, &count) ||
      opt_int(argc, argv, "--minutes", 1, 527040, &minutes) ||
      opt_int(argc, argv, "--uses", 0, 100000, &uses) ||
      opt_int(argc, argv, "--valid-days", 1, 3660, &days))
    return CLI_USAGE;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], GN_STORE_CREATE, &ctx, &st);
  if (rc != CLI_OK) return rc;
  /* unused vouchers lapse after --valid-days; a used one after --minutes */
  int64_t expires = (int64_t)time(NULL) + days * 86400;
  char *codes = NULL;
  if (gn_hotspot_vouchers_create(st, (size_t)count, minutes, uses, expires,
                                 cli_opt(argc, argv, "--group"),
                                 cli_store_user(argc, argv), &codes) != GN_OK)
    rc = cli_fail(ctx, "vouchers");
  else
    rc = voucher_sheet(argc, argv, ctx, codes, (size_t)count, minutes, uses,
                       expires);
  if (rc == CLI_OK)
    print_vouchers(codes, (size_t)count, expires, cli_flag(argc, argv, "--json"));
  gn_free(ctx, codes);
  cli_store_done(ctx, st);
  return rc;
}

/* First line of stdin without its line ending. */
static int read_password(char *buf, size_t n) {
  if (!fgets(buf, (int)n, stdin))
    return cli_error(CLI_USAGE, "user add: give the password on stdin");
  size_t len = strcspn(buf, "\r\n");
  if (len == n - 1 && !strchr(buf, '\n') && !feof(stdin))
    return cli_error(CLI_USAGE, "user add: password longer than 256 bytes");
  buf[len] = 0;
  return CLI_OK;
}

static int user_add(int argc, char **argv) {
  gn_hotspot_user u = {0};
  int64_t quota = 0, days = 0;
  u.name = cli_opt(argc, argv, "--name");
  u.group = cli_opt(argc, argv, "--group");
  if (!u.name) return cli_error(CLI_USAGE, "user add: give --name NAME");
  if (opt_int(argc, argv, "--quota-mb", 0, 100000000, &quota) ||
      opt_int(argc, argv, "--valid-days", 1, 3660, &days))
    return CLI_USAGE;
  u.quota_mb = quota;
  if (days) u.valid_to = (int64_t)time(NULL) + days * 86400;
  char pw[260];
  int rc = read_password(pw, sizeof(pw));
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  rc = cli_store_open(argv[3], GN_STORE_CREATE, &ctx, &st);
  if (rc == CLI_OK &&
      gn_hotspot_user_add(st, &u, pw, cli_store_user(argc, argv)) != GN_OK)
    rc = cli_fail(ctx, "user add");
  memset(pw, 0, sizeof(pw));
  if (rc == CLI_OK) printf("user %s added\n", u.name);
  cli_store_done(ctx, st);
  return rc;
}

static int group_set(int argc, char **argv) {
  gn_hotspot_group g;
  gn_hotspot_group_defaults(&g);
  g.name = cli_opt(argc, argv, "--name");
  int64_t minutes = g.session_timeout_s / 60;
  if (!g.name) return cli_error(CLI_USAGE, "group set: give --name G");
  if (opt_int(argc, argv, "--session-minutes", 1, 44640, &minutes) ||
      opt_int(argc, argv, "--interim", 60, 86400, &g.interim_s) ||
      opt_int(argc, argv, "--down-kbps", 0, 100000000, &g.down_kbps) ||
      opt_int(argc, argv, "--up-kbps", 0, 100000000, &g.up_kbps) ||
      opt_int(argc, argv, "--day-minutes", 0, 1440, &g.day_minutes) ||
      opt_int(argc, argv, "--day-mb", 0, 100000000, &g.day_mb) ||
      opt_int(argc, argv, "--month-mb", 0, 100000000, &g.month_mb) ||
      opt_int(argc, argv, "--simultaneous", 0, 1000, &g.simultaneous))
    return CLI_USAGE;
  g.session_timeout_s = minutes * 60;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[3], GN_STORE_CREATE, &ctx, &st);
  if (rc == CLI_OK &&
      gn_hotspot_group_put(st, &g, cli_store_user(argc, argv)) != GN_OK)
    rc = cli_fail(ctx, "group set");
  cli_store_done(ctx, st);
  return rc;
}

static int nas_add(int argc, char **argv) {
  gn_hotspot_nas n = {0};
  int64_t port = 3799;
  n.name = cli_opt(argc, argv, "--name");
  n.ip = cli_opt(argc, argv, "--ip");
  n.secret = cli_opt(argc, argv, "--secret");
  if (!n.name || !n.ip || !n.secret)
    return cli_error(CLI_USAGE, "nas add: give --name, --ip and --secret");
  if (opt_int(argc, argv, "--coa-port", 1, 65535, &port)) return CLI_USAGE;
  n.coa_port = (int)port;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[3], GN_STORE_CREATE, &ctx, &st);
  if (rc == CLI_OK &&
      gn_hotspot_nas_put(st, &n, cli_store_user(argc, argv)) != GN_OK)
    rc = cli_fail(ctx, "nas add");
  cli_store_done(ctx, st);
  return rc;
}

static int usage_report(int argc, char **argv) {
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  const char *from = cli_opt(argc, argv, "--from");
  const char *to = cli_opt(argc, argv, "--to");
  char *json = NULL;
  gn_status s = cli_flag(argc, argv, "--daily")
                    ? gn_hotspot_usage_daily_json(st, from, to, &json)
                : cli_flag(argc, argv, "--summary")
                    ? gn_hotspot_usage_summary_json(st, from, to, &json)
                    : gn_hotspot_usage_json(st, from, to, &json);
  if (s != GN_OK)
    rc = cli_fail(ctx, "usage");
  else
    fputs(json, stdout); /* JSON is the one output form */
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

/* 1 when m is "YYYY-MM" with a month 01..12. */
static int month_ok(const char *m) {
  if (strlen(m) != 7 || m[4] != '-') return 0;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (m[i] < '0' || m[i] > '9')) return 0;
  int mon = (m[5] - '0') * 10 + (m[6] - '0');
  return mon >= 1 && mon <= 12;
}

static int month_report(int argc, char **argv) {
  const char *month = cli_opt(argc, argv, "--month");
  const char *out = cli_opt(argc, argv, "--out");
  const char *pdf = cli_opt(argc, argv, "--pdf");
  const char *lang = cli_opt(argc, argv, "--lang");
  if (!month || !out)
    return cli_error(CLI_USAGE, "hotspot report: give --month YYYY-MM --out"
                     " REPORT.html");
  if (!month_ok(month))
    return cli_error(CLI_USAGE, "hotspot report: --month '%s': expected"
                     " YYYY-MM with a month 01 to 12", month);
  if (lang && strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
    return cli_error(CLI_USAGE, "%s: --lang '%s': want fr or en",
                     "hotspot report", lang);
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  if (gn_report_hotspot_month(st, month, lang, out, pdf) != GN_OK)
    rc = cli_fail(ctx, "hotspot report");
  else
    printf("hotspot report for %s written to %s%s%s\n", month, out,
           pdf ? " and " : "", pdf ? pdf : "");
  cli_store_done(ctx, st);
  return rc;
}

static int opt_double(int argc, char **argv, const char *name, double *out) {
  const char *v = cli_opt(argc, argv, name);
  if (v && cli_parse_double(v, out) != 0) {
    cli_error(CLI_USAGE, "hotspot: %s must be a number", name);
    return -1;
  }
  return 0;
}

static int plan(int argc, char **argv) {
  gn_hotspot_plan_rule r = {0};
  r.site = cli_opt(argc, argv, "--site");
  if (!r.site) return cli_error(CLI_USAGE, "plan: give --site ID");
  if (opt_int(argc, argv, "--students", 0, 1000000, &r.students) ||
      opt_int(argc, argv, "--per-ap", 1, 1000, &r.students_per_ap) ||
      opt_double(argc, argv, "--area-m2", &r.area_m2) ||
      opt_double(argc, argv, "--m2-per-ap", &r.m2_per_ap))
    return CLI_USAGE;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  size_t n = 0;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  if (gn_hotspot_plan(st, &r, cli_store_user(argc, argv), &n) != GN_OK)
    rc = cli_fail(ctx, "plan");
  else
    printf("%zu access points planned at site %s\n", n, r.site);
  cli_store_done(ctx, st);
  return rc;
}

static int portal_key(int argc, char **argv) {
  const char *key = cli_opt(argc, argv, "--faskey");
  if (!key) return cli_error(CLI_USAGE, "portal-key: give --faskey KEY");
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], GN_STORE_CREATE, &ctx, &st);
  if (rc == CLI_OK &&
      gn_hotspot_portal_key(st, key, cli_store_user(argc, argv)) != GN_OK)
    rc = cli_fail(ctx, "portal-key");
  cli_store_done(ctx, st);
  return rc;
}

static int aps(int argc, char **argv) {
  (void)argc;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  char *json = NULL;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  if (gn_hotspot_aps_geojson(st, &json) != GN_OK)
    rc = cli_fail(ctx, "aps");
  else
    fputs(json, stdout);
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_hotspot(int argc, char **argv) {
  if (argc < 2 || cli_flag(argc, argv, "--help")) {
    fputs(usage_text, argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  const char *c = argv[1], *sub = argc > 2 ? argv[2] : "";
  int two = (strcmp(c, "user") == 0 && strcmp(sub, "add") == 0) ||
            (strcmp(c, "group") == 0 && strcmp(sub, "set") == 0) ||
            (strcmp(c, "nas") == 0 && strcmp(sub, "add") == 0);
  if (argc < (two ? 4 : 3)) {
    fputs(usage_text, stderr);
    return CLI_USAGE;
  }
  if (strcmp(c, "radius-config") == 0) return radius_config(argc, argv);
  if (strcmp(c, "vouchers") == 0) return vouchers(argc, argv);
  if (strcmp(c, "usage") == 0) return usage_report(argc, argv);
  if (strcmp(c, "report") == 0) return month_report(argc, argv);
  if (strcmp(c, "plan") == 0) return plan(argc, argv);
  if (strcmp(c, "aps") == 0) return aps(argc, argv);
  if (strcmp(c, "portal-key") == 0) return portal_key(argc, argv);
  if (two && c[0] == 'u') return user_add(argc, argv);
  if (two && c[0] == 'g') return group_set(argc, argv);
  if (two && c[0] == 'n') return nas_add(argc, argv);
  fprintf(stderr, "govnet: hotspot: unknown command '%s'\n", c);
  fputs(usage_text, stderr);
  return CLI_USAGE;
}
