/*
 * cmd_monitor.c - 'govnet monitor diagnose DB --down ID,ID,... [--up
 * ID,...] [--max N] [--max-elements K] [--json]': which trenches, cables,
 * closures or devices explain the sites seen down (sites not named are
 * taken as up). 'govnet monitor config DB --out DIR ...': Prometheus,
 * blackbox_exporter and Alertmanager configuration for the store.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_store.h"

/* Split a comma list in place into *v (malloc'd array of pointers into
 * s). Empty items are skipped. */
static int split(char *s, char ***v, size_t *n) {
  *v = NULL;
  *n = 0;
  size_t cap = 1;
  for (const char *p = s; *p; p++) cap += *p == ',';
  *v = malloc(cap * sizeof(char *));
  if (!*v) return -1;
  for (char *tok = s, *next; tok; tok = next) {
    next = strchr(tok, ',');
    if (next) *next++ = '\0';
    if (*tok) (*v)[(*n)++] = tok;
  }
  return 0;
}

static void print_ids(const char *what, const int64_t *v, size_t n) {
  if (!n) return;
  printf("  %s:", what);
  for (size_t i = 0; i < n; i++) printf(" %lld", (long long)v[i]);
  putchar('\n');
}

static void print_text(const gn_diagnosis *d) {
  printf("%zu sites down; %zu candidate%s (%s)\n", d->ndown, d->ncandidates,
         d->ncandidates == 1 ? "" : "s",
         d->minimal ? "smallest explanations" : "greedy, no small one");
  for (size_t i = 0; i < d->ncandidates; i++) {
    const gn_diag_candidate *c = &d->candidates[i];
    printf("%zu. %s, explains %zu, weight %.3g\n", i + 1,
           c->kind == GN_DIAG_CUT ? "cut" : "device or power fault",
           c->explains, c->weight);
    print_ids("trenches", c->trenches, c->ntrenches);
    print_ids("cables", c->cables, c->ncables);
    print_ids("closures", c->closures, c->nclosures);
    for (size_t k = 0; k < c->ndevices; k++)
      printf("  device at %s\n", c->devices[k]);
    if (c->nprotected)
      printf("  %zu sites still up through protection\n", c->nprotected);
  }
}

static int diagnose(int argc, char **argv) {
  const char *db = argv[2];
  const char *dv = cli_opt(argc, argv, "--down"), *uv = cli_opt(argc, argv, "--up");
  char *down_s = strdup(dv ? dv : ""), *up_s = strdup(uv ? uv : "");
  char **down = NULL, **up = NULL;
  size_t ndown = 0, nup = 0;
  gn_diag_options opt = {0, 0};
  const char *v;
  long x;
  int rc = CLI_OK;
  if (!down_s || !up_s || split(down_s, &down, &ndown) || split(up_s, &up, &nup))
    rc = cli_error(CLI_ERR, "monitor: out of memory");
  if (rc == CLI_OK && !dv)
    rc = cli_error(CLI_USAGE, "monitor diagnose: give --down ID,ID,...");
  if (rc == CLI_OK && (v = cli_opt(argc, argv, "--max"))) {
    if (cli_parse_long(v, &x) || x < 1 || x > 1000)
      rc = cli_error(CLI_USAGE, "monitor diagnose: --max is 1..1000");
    opt.max_candidates = (int)x;
  }
  if (rc == CLI_OK && (v = cli_opt(argc, argv, "--max-elements"))) {
    if (cli_parse_long(v, &x) || x < 1 || x > 16)
      rc = cli_error(CLI_USAGE, "monitor diagnose: --max-elements is 1..16");
    opt.max_elements = (int)x;
  }
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  if (rc == CLI_OK) rc = cli_store_open(db, GN_STORE_READONLY, &ctx, &st);
  gn_monitor_net *net = NULL;
  gn_diagnosis *d = NULL;
  char *json = NULL;
  if (rc == CLI_OK && gn_monitor_net_load(st, &net) != GN_OK)
    rc = cli_fail(ctx, "monitor diagnose");
  if (rc == CLI_OK &&
      gn_monitor_diagnose(ctx, net, (const char *const *)down, ndown,
                          (const char *const *)up, nup, &opt, &d) != GN_OK)
    rc = cli_fail(ctx, "monitor diagnose");
  if (rc == CLI_OK && cli_flag(argc, argv, "--json")) {
    if (gn_diagnosis_json(ctx, d, &json) != GN_OK)
      rc = cli_fail(ctx, "monitor diagnose");
    else
      printf("%s\n", json);
  } else if (rc == CLI_OK) {
    print_text(d);
  }
  if (ctx) gn_free(ctx, json);
  if (ctx) gn_diagnosis_free(ctx, d);
  gn_monitor_net_free(net);
  if (ctx) cli_store_done(ctx, st);
  free(down);
  free(up);
  free(down_s);
  free(up_s);
  return rc;
}

static int opt_int(int argc, char **argv, const char *name, long lo, long hi,
                   int *out) {
  const char *v = cli_opt(argc, argv, name);
  long x;
  if (!v) return CLI_OK;
  if (cli_parse_long(v, &x) || x < lo || x > hi)
    return cli_error(CLI_USAGE, "monitor: %s is %ld..%ld", name, lo, hi);
  *out = (int)x;
  return CLI_OK;
}

static int config(int argc, char **argv) {
  const char *dir = cli_opt(argc, argv, "--out");
  if (!dir) return cli_error(CLI_USAGE, "monitor config: give --out DIR");
  gn_monitor_config_opts o;
  memset(&o, 0, sizeof(o));
  o.blackbox = cli_opt(argc, argv, "--blackbox");
  o.alertmanager = cli_opt(argc, argv, "--alertmanager");
  o.webhook_url = cli_opt(argc, argv, "--webhook");
  o.token_file = cli_opt(argc, argv, "--token-file");
  int rc = opt_int(argc, argv, "--port", 1, 65535, &o.probe_port);
  if (rc == CLI_OK)
    rc = opt_int(argc, argv, "--interval", 1, 3600, &o.scrape_interval_s);
  if (rc == CLI_OK)
    rc = opt_int(argc, argv, "--down-after", 0, 86400, &o.down_after_s);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_monitor_config_stats x;
  if (gn_monitor_config_write(st, &o, cli_opt(argc, argv, "--prefix"),
                              cli_store_user(argc, argv), dir, &x) != GN_OK)
    rc = cli_fail(ctx, "monitor config");
  else
    printf("monitor config: %zu CPE and %zu POP device targets in %s"
           " (%zu new management addresses)\n", x.cpe_targets, x.olt_targets,
           dir, x.assigned);
  cli_store_done(ctx, st);
  return rc;
}

/* Read a whole file (webhook body) into a malloc'd buffer. */
static char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16;
  char *p = malloc(cap);
  *n = 0;
  while (p) {
    *n += fread(p + *n, 1, cap - *n, f);
    if (*n < cap || cap > GN_ALERTS_MAX_BYTES) break;
    char *q = realloc(p, cap * 2);
    if (!q) {
      free(p);
      p = NULL;
    } else {
      p = q;
      cap *= 2;
    }
  }
  fclose(f);
  return p;
}

/* 'monitor ingest DB FILE': a saved Alertmanager webhook body. */
static int ingest(int argc, char **argv) {
  if (argc < 4) return cli_error(CLI_USAGE, "monitor ingest DB FILE");
  size_t n = 0;
  char *body = slurp(argv[3], &n);
  if (!body) return cli_error(CLI_ERR, "%s: cannot read", argv[3]);
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) {
    free(body);
    return rc;
  }
  gn_alert_batch *b = NULL;
  gn_monitor_ingest r;
  if (gn_monitor_alerts_parse(ctx, body, n, &b) != GN_OK)
    rc = cli_fail(ctx, argv[3]);
  if (rc == CLI_OK &&
      gn_monitor_alerts_ingest(st, b, cli_store_user(argc, argv),
                               (int64_t)time(NULL), &r) != GN_OK)
    rc = cli_fail(ctx, "monitor ingest");
  if (rc == CLI_OK)
    printf("%zu alerts, %zu sites down; incidents: %zu opened, %zu updated,"
           " %zu resolved\n", r.alerts, r.down, r.opened, r.updated,
           r.resolved);
  gn_alert_batch_free(ctx, b);
  cli_store_done(ctx, st);
  free(body);
  return rc;
}

static int incidents(int argc, char **argv) {
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  char *json = NULL;
  if (gn_monitor_incidents_json(st, cli_flag(argc, argv, "--open"), &json) !=
      GN_OK)
    rc = cli_fail(ctx, "monitor incidents");
  else
    printf("%s\n", json);
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

/* 'monitor incident DB ID [--ack|--resolve] [--assignee A] [--cause C]
 * [--note N]'. */
static int incident(int argc, char **argv) {
  int64_t id;
  if (argc < 4 || cli_parse_id(argv[3], "incident id", &id) != 0)
    return cli_error(CLI_USAGE, "monitor incident DB ID [--ack|--resolve] ...");
  gn_incident_update u;
  u.state = cli_flag(argc, argv, "--resolve") ? "resolved"
            : cli_flag(argc, argv, "--ack")   ? "acknowledged"
                                              : NULL;
  u.assignee = cli_opt(argc, argv, "--assignee");
  u.cause = cli_opt(argc, argv, "--cause");
  u.note = cli_opt(argc, argv, "--note");
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  if (gn_monitor_incident_update(st, id, &u, cli_store_user(argc, argv),
                                 (int64_t)time(NULL)) != GN_OK)
    rc = cli_fail(ctx, "monitor incident");
  else
    printf("incident %lld updated\n", (long long)id);
  cli_store_done(ctx, st);
  return rc;
}

/* The SLA targets: --target-critical F, --target F (fractions < 1); the
 * source: --prometheus URL [--step S] (else the incident intervals). */
static int targets(int argc, char **argv, const char *what,
                   gn_monitor_sla_opts *o) {
  const char *v;
  memset(o, 0, sizeof(*o));
  if ((v = cli_opt(argc, argv, "--target-critical")) &&
      (cli_parse_double(v, &o->target_critical) != 0 ||
       !(o->target_critical > 0 && o->target_critical < 1)))
    return cli_error(CLI_USAGE, "%s: --target-critical '%s': want a fraction"
                     " between 0 and 1, e.g. 0.999", what, v);
  if ((v = cli_opt(argc, argv, "--target")) &&
      (cli_parse_double(v, &o->target_other) != 0 ||
       !(o->target_other > 0 && o->target_other < 1)))
    return cli_error(CLI_USAGE, "%s: --target '%s': want a fraction between 0"
                     " and 1, e.g. 0.99", what, v);
  o->prometheus = cli_opt(argc, argv, "--prometheus");
  if (cli_opt(argc, argv, "--step") && !o->prometheus)
    return cli_error(CLI_USAGE, "%s: --step goes with --prometheus URL", what);
  return opt_int(argc, argv, "--step", 1, 86400, &o->step_s);
}

/* --from DATE --to DATE -> [from, to): a date-only --to is inclusive (the
 * whole day). Errors name the option. */
static int period(gn_ctx *ctx, int argc, char **argv, const char *what,
                  int64_t *from, int64_t *to) {
  const char *f = cli_opt(argc, argv, "--from"), *t = cli_opt(argc, argv, "--to");
  char w[64];
  snprintf(w, sizeof(w), "%s --from", what);
  if (gn_monitor_parse_time(ctx, f, from) != GN_OK) return cli_fail(ctx, w);
  snprintf(w, sizeof(w), "%s --to", what);
  if (gn_monitor_parse_time(ctx, t, to) != GN_OK) return cli_fail(ctx, w);
  if (strlen(t) == 10) *to += 86400;
  if (*to <= *from)
    return cli_error(CLI_ERR, "%s: --to %s is not after --from %s (the end"
                     " must follow the start)", what, t, f);
  return CLI_OK;
}

/* 'monitor sla DB --from DATE --to DATE [--target-critical F]
 * [--target F]': --to is inclusive (the whole day). */
static int sla(int argc, char **argv) {
  if (!cli_opt(argc, argv, "--from") || !cli_opt(argc, argv, "--to"))
    return cli_error(CLI_USAGE, "monitor sla: give --from and --to");
  gn_monitor_sla_opts o;
  int rc = targets(argc, argv, "monitor sla", &o);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  int64_t from = 0, to = 0;
  char *json = NULL;
  rc = period(ctx, argc, argv, "monitor sla", &from, &to);
  if (rc == CLI_OK && gn_monitor_sla_json(st, from, to, &o, &json) != GN_OK)
    rc = cli_fail(ctx, "monitor sla");
  if (rc == CLI_OK) printf("%s\n", json);
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

/* 1 when path ends with ext (case-insensitive). */
static int ends_with(const char *path, const char *ext) {
  size_t n = strlen(path), k = strlen(ext);
  if (n <= k) return 0;
  for (size_t i = 0; i < k; i++) {
    char c = path[n - k + i];
    if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != ext[i]) return 0;
  }
  return 1;
}

/* 'monitor report DB --from DATE --to DATE --out F.html|F.pdf
 * [--lang fr|en] [--target-critical F] [--target F] [--worst N]'. */
static int report(int argc, char **argv) {
  const char *what = "monitor report", *out = cli_opt(argc, argv, "--out");
  if (!cli_opt(argc, argv, "--from") || !cli_opt(argc, argv, "--to") || !out)
    return cli_error(CLI_USAGE, "%s: give --from DATE --to DATE --out"
                     " F.html|F.pdf", what);
  int html = ends_with(out, ".html") || ends_with(out, ".htm");
  if (!html && !ends_with(out, ".pdf"))
    return cli_error(CLI_USAGE, "%s: --out '%s': want a file name ending in"
                     " .html or .pdf (the format follows it)", what, out);
  gn_report_stability_opts o;
  memset(&o, 0, sizeof(o));
  o.lang = cli_opt(argc, argv, "--lang");
  if (o.lang && strcmp(o.lang, "fr") != 0 && strcmp(o.lang, "en") != 0)
    return cli_error(CLI_USAGE, "%s: --lang '%s': want fr or en", what, o.lang);
  gn_monitor_sla_opts so;
  int rc = targets(argc, argv, what, &so);
  if (rc == CLI_OK)
    rc = opt_int(argc, argv, "--worst", 1, 1000, &o.worst);
  if (rc != CLI_OK) return rc;
  o.target_critical = so.target_critical;
  o.target_other = so.target_other;
  o.prometheus = so.prometheus;
  o.step_s = so.step_s;
  gn_ctx *ctx;
  gn_store *st;
  rc = cli_store_open(argv[2], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  rc = period(ctx, argc, argv, what, &o.from, &o.to);
  if (rc == CLI_OK && gn_report_stability(st, &o, html ? out : NULL,
                                          html ? NULL : out) != GN_OK)
    rc = cli_fail(ctx, what);
  if (rc == CLI_OK) printf("stability report written to %s\n", out);
  cli_store_done(ctx, st);
  return rc;
}

/* 'monitor locate DB --site ID|--circuit ID|--port ID --distance M
 * [--json]': an OTDR distance from the POP end pinned on the map. */
static int locate(int argc, char **argv) {
  const char *what = "monitor locate", *v;
  gn_locate_query q;
  memset(&q, 0, sizeof(q));
  q.site = cli_opt(argc, argv, "--site");
  if ((v = cli_opt(argc, argv, "--circuit")) &&
      cli_parse_id(v, "--circuit", &q.circuit) != 0)
    return CLI_USAGE;
  if ((v = cli_opt(argc, argv, "--port")) && cli_parse_id(v, "--port", &q.port) != 0)
    return CLI_USAGE;
  if ((q.site != NULL) + (q.circuit > 0) + (q.port > 0) != 1)
    return cli_error(CLI_USAGE, "%s: give one of --site ID, --circuit ID or"
                     " --port ID", what);
  if (!(v = cli_opt(argc, argv, "--distance")) ||
      cli_parse_double(v, &q.distance_m) != 0 || q.distance_m < 0)
    return cli_error(CLI_USAGE, "%s: --distance M: the OTDR distance in metres"
                     " from the POP end (>= 0)", what);
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[2], GN_STORE_READONLY, &ctx, &st);
  if (rc != CLI_OK) return rc;
  char *json = NULL;
  gn_locate_result x;
  int as_json = cli_flag(argc, argv, "--json");
  if (gn_monitor_locate(st, &q, &x, as_json ? &json : NULL) != GN_OK)
    rc = cli_fail(ctx, what);
  else if (as_json)
    printf("%s\n", json);
  else
    printf("%.1f m from the POP (port %lld): trench %lld, %.1f m from its end"
           " a\npoint: %.6f, %.6f (lon, lat)\na break there: %zu sites down,"
           " %zu kept up by protection\n", q.distance_m, (long long)x.port,
           (long long)x.trench, x.along_m, x.lon, x.lat, x.ndown,
           x.nprotected);
  gn_free(ctx, json);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_monitor(int argc, char **argv) {
  if (argc < 3 || cli_flag(argc, argv, "--help")) {
    fputs("usage: govnet monitor diagnose DB --down ID,ID,... [--up ID,...]"
          " [--max N] [--max-elements K] [--json]\n"
          "         sites not named are taken as up\n"
          "       govnet monitor config DB --out DIR [--prefix CIDR]"
          " [--port N] [--interval S]\n"
          "         [--down-after S] [--blackbox HOST:PORT]"
          " [--alertmanager HOST:PORT]\n"
          "         [--webhook URL] [--token-file F] [--user U]\n"
          "       govnet monitor ingest DB WEBHOOK.json   (an Alertmanager"
          " body, as POST /api/alerts)\n"
          "       govnet monitor incidents DB [--open]\n"
          "       govnet monitor incident DB ID [--ack|--resolve]"
          " [--assignee A] [--cause C] [--note N]\n"
          "       govnet monitor sla DB --from DATE --to DATE"
          " [--target-critical 0.999] [--target 0.99]\n"
          "         [--prometheus URL [--step S]]   (availability from"
          " probe_success, S = scrape interval)\n"
          "       govnet monitor report DB --from DATE --to DATE"
          " --out F.html|F.pdf [--lang fr|en]\n"
          "         [--target-critical 0.999] [--target 0.99] [--worst N]"
          " [--prometheus URL [--step S]]\n"
          "       govnet monitor locate DB --site ID|--circuit ID|--port ID"
          " --distance M [--json]\n"
          "         (an OTDR distance from the POP end on the map)\n",
          argc < 3 ? stderr : stdout);
    return argc < 3 ? CLI_USAGE : CLI_OK;
  }
  if (strcmp(argv[1], "diagnose") == 0) return diagnose(argc, argv);
  if (strcmp(argv[1], "config") == 0) return config(argc, argv);
  if (strcmp(argv[1], "ingest") == 0) return ingest(argc, argv);
  if (strcmp(argv[1], "incidents") == 0) return incidents(argc, argv);
  if (strcmp(argv[1], "incident") == 0) return incident(argc, argv);
  if (strcmp(argv[1], "sla") == 0) return sla(argc, argv);
  if (strcmp(argv[1], "report") == 0) return report(argc, argv);
  if (strcmp(argv[1], "locate") == 0) return locate(argc, argv);
  return cli_error(CLI_USAGE, "monitor: unknown subcommand '%s'", argv[1]);
}
