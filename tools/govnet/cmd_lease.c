/*
 * cmd_lease.c - 'govnet lease': quotes, reservations, the lease
 * lifecycle, occupancy and the monthly invoice of dark-fiber leases
 * (include/govnet/lease.h). Parses, calls the library, prints.
 * Exit 0 on success; 1 with the reason on stderr (no route, capacity
 * gone, unknown lease); 2 on a usage error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_store.h"

static void usage(FILE *f) {
  fputs(
      "usage: govnet lease <command> DB [options]\n"
      "  quote DB --from END --to END --fibers N [--diverse] [--term MONTHS]"
      " [--json]\n"
      "  reserve DB --from END --to END --fibers N --operator ORG [--diverse]"
      "\n            [--term MONTHS] [--json]\n"
      "  activate DB ID | terminate DB ID\n"
      "  list DB [--operator ORG] [--json]\n"
      "  show DB ID\n"
      "  occupancy DB                      fibers by use per cable and trench\n"
      "  report DB --month YYYY-MM [--format csv|html] [--lang fr|en]"
      " [--out F]\n"
      "END: site:ID, pop:ID, closure:ID or LON,LAT (nearest closure).\n"
      "All take --price-book FILE (the lease.* tariff keys) and --user NAME\n"
      "(audit log; default $USER).\n",
      f);
}

static int tariff(int argc, char **argv, gn_ctx *ctx, gn_lease_tariff *t) {
  gn_lease_tariff_init(t);
  const char *pb = cli_opt(argc, argv, "--price-book");
  if (pb && gn_lease_tariff_read(ctx, pb, t) != GN_OK)
    return cli_fail(ctx, "lease");
  return CLI_OK;
}

static int request(int argc, char **argv, gn_lease_request *r) {
  gn_lease_request_init(r);
  r->from = cli_opt(argc, argv, "--from");
  r->to = cli_opt(argc, argv, "--to");
  r->diverse = cli_flag(argc, argv, "--diverse");
  r->operator_ = cli_opt(argc, argv, "--operator");
  r->user = cli_store_user(argc, argv);
  if (!r->from || !r->to)
    return cli_error(CLI_USAGE, "lease: --from END and --to END are required");
  const char *n = cli_opt(argc, argv, "--fibers");
  long v = 1;
  if (n && (cli_parse_long(n, &v) != 0 || v < 1 || v > 48))
    return cli_error(CLI_USAGE, "lease: --fibers %s: a number 1..48", n);
  r->fibers = (int)v;
  const char *term = cli_opt(argc, argv, "--term");
  v = 12;
  if (term && (cli_parse_long(term, &v) != 0 || v < 1 || v > 600))
    return cli_error(CLI_USAGE, "lease: --term %s: months 1..600", term);
  r->term_months = (int)v;
  return CLI_OK;
}

/* Quote or reservation in words (the JSON has every field). */
static void print_offer(gn_ctx *ctx, const char *json) {
  /* the library speaks JSON; the text form shows its main figures */
  const char *keys[] = {"\"id\":",           "\"length_m\":",
                        "\"loss_db_1310\":", "\"loss_db_1550\":",
                        "\"new_splices\":",  "\"price_fcfa_month\":",
                        "\"price_fcfa_once\":", "\"sla_pct\":"};
  const char *names[] = {"lease",           "length (m)",
                         "loss 1310 nm (dB)", "loss 1550 nm (dB)",
                         "new splices",     "price per month (FCFA)",
                         "one-off (FCFA)",  "SLA (%)"};
  (void)ctx;
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
    const char *p = strstr(json, keys[i]);
    if (!p) continue;
    p += strlen(keys[i]);
    printf("%-24s %.*s\n", names[i], (int)strcspn(p, ",}"), p);
  }
  const char *w = strstr(json, "\"work_order\":[");
  if (w) printf("work order: %.*s\n", (int)strcspn(w + 14, "]"), w + 14);
}

static int quote_or_reserve(int argc, char **argv, int reserve) {
  gn_lease_request r;
  int rc = request(argc, argv, &r);
  if (rc != CLI_OK) return rc;
  if (reserve && !r.operator_)
    return cli_error(CLI_USAGE, "lease reserve: --operator ORG is required");
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[0], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_lease_tariff t;
  rc = tariff(argc, argv, ctx, &t);
  char *json = NULL;
  if (rc == CLI_OK) {
    gn_status s = reserve ? gn_lease_reserve(st, &t, &r, &json)
                          : gn_lease_quote(st, &t, &r, &json);
    if (s != GN_OK) rc = cli_fail(ctx, reserve ? "lease reserve" : "lease quote");
  }
  if (rc == CLI_OK && cli_flag(argc, argv, "--json")) printf("%s\n", json);
  else if (rc == CLI_OK) print_offer(ctx, json);
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

static int lifecycle(int argc, char **argv, int activate) {
  int64_t id;
  if (argc < 2 || cli_parse_id(argv[1], "lease id", &id) != 0) return CLI_USAGE;
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[0], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  const char *user = cli_store_user(argc, argv);
  gn_status s = activate ? gn_lease_activate(st, id, user)
                         : gn_lease_terminate(st, id, user);
  if (s != GN_OK) rc = cli_fail(ctx, activate ? "lease activate" : "lease terminate");
  else printf("lease %lld %s\n", (long long)id, activate ? "active" : "terminated");
  cli_store_done(ctx, st);
  return rc;
}

static int print_result(gn_ctx *ctx, gn_status s, char *text, const char *w,
                        const char *out) {
  int rc = CLI_OK;
  if (s != GN_OK) {
    rc = cli_fail(ctx, w);
  } else if (out) {
    FILE *f = fopen(out, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
      if (f) fclose(f);
      rc = cli_error(CLI_ERR, "%s: cannot write %s", w, out);
    } else {
      printf("wrote %s\n", out);
    }
  } else {
    fputs(text, stdout);
    if (text[0] && text[strlen(text) - 1] != '\n') fputc('\n', stdout);
  }
  gn_free(ctx, text);
  return rc;
}

static int query(int argc, char **argv, const char *cmd) {
  gn_ctx *ctx;
  gn_store *st;
  int64_t id = 0;
  if (strcmp(cmd, "show") == 0 &&
      (argc < 2 || cli_parse_id(argv[1], "lease id", &id) != 0))
    return CLI_USAGE;
  int rc = cli_store_open(argv[0], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_lease_tariff t;
  rc = tariff(argc, argv, ctx, &t);
  char *text = NULL;
  gn_status s = GN_OK;
  const char *out = NULL;
  if (rc != CLI_OK) {
    cli_store_done(ctx, st);
    return rc;
  }
  if (strcmp(cmd, "list") == 0) {
    s = gn_lease_list_json(st, cli_opt(argc, argv, "--operator"), &text);
  } else if (strcmp(cmd, "show") == 0) {
    s = gn_lease_get_json(st, id, NULL, &text);
  } else if (strcmp(cmd, "occupancy") == 0) {
    s = gn_lease_occupancy_json(st, &t, &text);
  } else {
    const char *fmt = cli_opt(argc, argv, "--format");
    const char *lang = cli_opt(argc, argv, "--lang");
    out = cli_opt(argc, argv, "--out");
    if (!fmt && out && strlen(out) > 5 && strcmp(out + strlen(out) - 5, ".html") == 0)
      fmt = "html";
    s = gn_lease_report(st, cli_opt(argc, argv, "--month"), fmt ? fmt : "csv",
                        lang ? lang : "fr", &text);
  }
  char what[32];
  snprintf(what, sizeof what, "lease %s", cmd);
  rc = print_result(ctx, s, text, what, out);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_lease(int argc, char **argv) {
  if (argc < 3 || cli_flag(argc, argv, "--help")) {
    usage(argc < 3 ? stderr : stdout);
    return argc < 3 ? CLI_USAGE : CLI_OK;
  }
  const char *cmd = argv[1];
  argc -= 2;
  argv += 2;
  if (strcmp(cmd, "quote") == 0) return quote_or_reserve(argc, argv, 0);
  if (strcmp(cmd, "reserve") == 0) return quote_or_reserve(argc, argv, 1);
  if (strcmp(cmd, "activate") == 0) return lifecycle(argc, argv, 1);
  if (strcmp(cmd, "terminate") == 0) return lifecycle(argc, argv, 0);
  if (strcmp(cmd, "list") == 0 || strcmp(cmd, "show") == 0 ||
      strcmp(cmd, "occupancy") == 0 || strcmp(cmd, "report") == 0)
    return query(argc, argv, cmd);
  usage(stderr);
  return cli_error(CLI_USAGE, "lease: unknown command '%s'", cmd);
}
