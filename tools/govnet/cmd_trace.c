/*
 * cmd_trace.c - 'govnet trace DB --fiber ID | --port ID [--json]': follow a
 * fiber end to end and print the path with its length and loss budget.
 * Loss defaults (gn_loss_defaults) can be overridden per run.
 */
#include <string.h>

#include "cli_store.h"

static int loss_opts(int argc, char **argv, gn_loss_params *lp) {
  static const char *const names[4] = {"--db-km-1310", "--db-km-1550",
                                       "--db-splice", "--db-connector"};
  double *vals[4] = {&lp->db_per_km_1310, &lp->db_per_km_1550,
                     &lp->db_per_splice, &lp->db_per_connector};
  gn_loss_defaults(lp);
  for (int i = 0; i < 4; i++) {
    const char *v = cli_opt(argc, argv, names[i]);
    if (v && (cli_parse_double(v, vals[i]) != 0 || *vals[i] < 0))
      return cli_error(CLI_USAGE, "trace: bad %s '%s'", names[i], v);
  }
  return CLI_OK;
}

static const char *kind_name(gn_hop_kind k) {
  return k == GN_HOP_PORT ? "port" : k == GN_HOP_FIBER ? "fiber"
         : k == GN_HOP_SPLICE ? "splice" : "drop";
}

static void print_text(const gn_trace *t, const gn_loss_params *lp) {
  for (size_t i = 0; i < t->nhops; i++) {
    const gn_trace_hop *h = &t->hops[i];
    printf("%3zu  %-6s %-8lld %s", i + 1, kind_name(h->kind), (long long)h->id,
           h->name);
    if (h->kind == GN_HOP_FIBER)
      printf("  trench %lld  %c->%c  %.1f m%s", (long long)h->trench,
             h->from_end, h->to_end, h->length_m, h->broken ? "  BROKEN" : "");
    if (h->kind == GN_HOP_DROP) printf("  %.1f m", h->length_m);
    printf("\n");
  }
  printf("length %.1f m, %d splices, %d connectors%s\n", t->length_m,
         t->splices, t->connectors, t->broken ? ", BROKEN" : "");
  printf("loss budget: %.3f dB at 1310 nm, %.3f dB at 1550 nm"
         " (%.2f/%.2f dB/km, %.2f dB/splice, %.2f dB/connector)\n",
         t->loss_1310_db, t->loss_1550_db, lp->db_per_km_1310,
         lp->db_per_km_1550, lp->db_per_splice, lp->db_per_connector);
  if (t->circuit) printf("carries circuit %lld\n", (long long)t->circuit);
}

int cmd_trace(int argc, char **argv) {
  if (argc < 2 || cli_flag(argc, argv, "--help")) {
    fputs("usage: govnet trace DB --fiber ID | --port ID [--json]\n"
          "  [--db-km-1310 0.35] [--db-km-1550 0.25] [--db-splice 0.1]"
          " [--db-connector 0.5]\n", argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  const char *fib = cli_opt(argc, argv, "--fiber");
  const char *port = cli_opt(argc, argv, "--port");
  int64_t id;
  if (!fib == !port)
    return cli_error(CLI_USAGE, "trace: give exactly one of --fiber, --port");
  if (cli_parse_id(fib ? fib : port, fib ? "fiber id" : "port id", &id) != 0)
    return CLI_USAGE;
  gn_loss_params lp;
  int rc = loss_opts(argc, argv, &lp);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[1], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_trace *t = NULL;
  gn_status rs = fib ? gn_store_trace_fiber(st, id, &lp, &t)
                     : gn_store_trace_port(st, id, &lp, &t);
  char *json = NULL;
  if (rs != GN_OK) {
    rc = cli_fail(ctx, "trace");
  } else if (cli_flag(argc, argv, "--json")) {
    if (gn_lease_trace_json(st, t, &json) != GN_OK)
      rc = cli_fail(ctx, "trace");
    else
      printf("%s\n", json);
  } else {
    print_text(t, &lp);
  }
  gn_free(ctx, json);
  gn_trace_free(ctx, t);
  cli_store_done(ctx, st);
  return rc;
}
