/*
 * cmd_impact.c - 'govnet impact DB --trench ID [--trench ID ...] |
 * --cable ID | --otdr PORT_ID DISTANCE_M [--json]': what a cut (or a
 * maintenance window over several trenches) takes down, buildings ranked
 * by priority with their protection status.
 */
#include <string.h>

#include "cli_store.h"

#define MAX_TRENCHES 1024

static int parse_cut(int argc, char **argv, gn_impact_query *q, int64_t *ids) {
  memset(q, 0, sizeof(*q));
  for (int i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--trench") == 0 && i + 1 < argc) {
      if (q->nids >= MAX_TRENCHES)
        return cli_error(CLI_USAGE, "impact: at most %d trenches", MAX_TRENCHES);
      if (cli_parse_id(argv[++i], "trench id", &ids[q->nids]) != 0)
        return CLI_USAGE;
      q->nids++;
      q->kind = GN_CUT_TRENCHES;
    } else if (strcmp(argv[i], "--cable") == 0 && i + 1 < argc) {
      if (cli_parse_id(argv[++i], "cable id", &ids[0]) != 0) return CLI_USAGE;
      q->nids = 1;
      q->kind = GN_CUT_CABLE;
    } else if (strcmp(argv[i], "--otdr") == 0 && i + 2 < argc) {
      if (cli_parse_id(argv[++i], "port id", &q->otdr_port) != 0 ||
          cli_parse_double(argv[++i], &q->otdr_distance_m) != 0)
        return cli_error(CLI_USAGE, "impact: --otdr PORT_ID DISTANCE_M");
      q->kind = GN_CUT_OTDR;
    }
  }
  const char *v;
  if ((v = cli_opt(argc, argv, "--cable-factor")) &&
      cli_parse_double(v, &q->cable_factor) != 0)
    return cli_error(CLI_USAGE, "impact: bad --cable-factor");
  if ((v = cli_opt(argc, argv, "--slack-closure")) &&
      cli_parse_double(v, &q->slack_closure_m) != 0)
    return cli_error(CLI_USAGE, "impact: bad --slack-closure");
  if ((v = cli_opt(argc, argv, "--slack-end")) &&
      cli_parse_double(v, &q->slack_end_m) != 0)
    return cli_error(CLI_USAGE, "impact: bad --slack-end");
  if (q->nids == 0 && q->kind != GN_CUT_OTDR)
    return cli_error(CLI_USAGE, "impact: give --trench, --cable or --otdr");
  q->ids = ids;
  return CLI_OK;
}

static void print_text(const gn_impact *m) {
  if (m->has_point)
    printf("fault: trench %lld, %.1f m from its end a, at %.7f,%.7f\n",
           (long long)m->trenches[0], m->along_m, m->lon, m->lat);
  printf("cut trenches:");
  for (size_t i = 0; i < m->ntrenches; i++)
    printf(" %lld", (long long)m->trenches[i]);
  size_t down = 0;
  for (size_t i = 0; i < m->nsites; i++) down += !m->sites[i].protected_;
  printf("\n%zu circuits cut, %zu buildings affected, %zu without service:\n",
         m->ncircuits, m->nsites, down);
  for (size_t i = 0; i < m->nsites; i++) {
    const gn_impact_site *s = &m->sites[i];
    printf("  %-10s ", gn_category_name(s->category));
    cli_print_col(s->id, 22);
    putchar(' ');
    cli_print_col(s->name, 30);
    printf(" %s\n", s->protected_ ? "protected (other path up)" : "DOWN");
  }
}

/* The leases the cut hits, with the default tariff's exposure model. */
static gn_status leases_of(gn_store *st, const gn_impact *m, char **json) {
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  return gn_lease_impact_json(st, &t, m, json);
}

/* One line per lease hit (the JSON form has every field). */
static void print_leases(const char *json) {
  if (strcmp(json, "[]") == 0) return;
  printf("leases hit (operator, penalty exposure):\n");
  for (const char *p = strstr(json, "{\"lease\":"); p;
       p = strstr(p + 1, "{\"lease\":")) {
    const char *end = strchr(p, '}');
    printf("  %.*s\n", end ? (int)(end - p + 1) : 0, p);
  }
}

int cmd_impact(int argc, char **argv) {
  if (argc < 2 || cli_flag(argc, argv, "--help")) {
    fputs("usage: govnet impact DB --trench ID [--trench ID ...] | --cable ID"
          " | --otdr PORT_ID DISTANCE_M [--json]\n"
          "  OTDR model: [--cable-factor 1.02] [--slack-closure 15]"
          " [--slack-end 10]\n", argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  int64_t ids[MAX_TRENCHES];
  gn_impact_query q;
  int rc = parse_cut(argc, argv, &q, ids);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[1], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_impact *m = NULL;
  char *json = NULL, *leases = NULL;
  if (gn_store_impact(st, &q, &m) != GN_OK) {
    rc = cli_fail(ctx, "impact");
  } else if (leases_of(st, m, &leases) != GN_OK) {
    rc = cli_fail(ctx, "impact");
  } else if (cli_flag(argc, argv, "--json")) {
    if (gn_impact_json(ctx, m, &json) != GN_OK)
      rc = cli_fail(ctx, "impact");
    else /* the store's impact plus the leases hit */
      printf("%.*s,\"leases\":%s}\n", (int)strlen(json) - 1, json, leases);
  } else {
    print_text(m);
    print_leases(leases);
  }
  gn_free(ctx, leases);
  gn_free(ctx, json);
  gn_impact_free(ctx, m);
  cli_store_done(ctx, st);
  return rc;
}
