/*
 * cmd_db.c - 'govnet db': the system of record from the command line:
 * init, import-plan, check, summary, list/get, audit, export; the edits
 * live in cmd_db_edit.c. Uses only the public API (govnet/store.h).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_store.h"

#if defined(__has_include)
#if __has_include("govnet/io.h")
#include "govnet/io.h"
#define HAVE_PLAN_READER 1
#endif
#endif

static void db_usage(FILE *f) {
  fputs(
      "usage: govnet db <command> DB [options]\n"
      "  init DB                          create an empty store\n"
      "  import-plan DB PLAN.gpkg         import a plan (one transaction)\n"
      "  import-plan DB --synthetic N [--seed S] [--ring PCT]\n"
      "  check DB                         verify integrity, list problems\n"
      "  summary DB                       plan metadata, counts, BOM (JSON)\n"
      "  list DB LAYER [--bbox W,S,E,N] [--category C] [--limit N]"
      " [--offset N]\n"
      "  get DB LAYER ID                  one feature as GeoJSON\n"
      "  audit DB [--limit N]             newest audit rows (JSON)\n"
      "  export DB --out F.gpkg|F.geojson all layers\n"
      "  export DB --format ofds|ofds-geojson --out F  open data (OFDS 0.3)\n"
      "  export DB --out F.csv [--layer L] [--format csv]  one layer (default sites) as a table\n"
      "  splice add DB --closure C --a FIBER:END --b FIBER:END\n"
      "  splice remove DB SPLICE\n"
      "  circuit move DB CIRCUIT --from FIBER --to FIBER\n"
      "  circuit show DB CIRCUIT          the circuit as GeoJSON\n"
      "  fiber break|repair DB FIBER [--note TEXT]\n"
      "  cable delete DB CABLE\n"
      "layers: sites pops trenches cables closures circuits\n"
      "edits take --user NAME (default $USER) for the audit log.\n",
      f);
}

/* json is read after rs was computed (argument order is unspecified). */
static int print_json(gn_ctx *ctx, gn_status rs, char **jsonp, const char *w) {
  if (rs != GN_OK) return cli_fail(ctx, w);
  char *json = *jsonp;
  fputs(json, stdout);
  fputc('\n', stdout);
  gn_free(ctx, json);
  return CLI_OK;
}

static int db_init(const char *path) {
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(path, GN_STORE_CREATE, &ctx, &st);
  if (rc != CLI_OK) return rc;
  printf("store %s ready (schema version %d)\n", path,
         gn_store_schema_version(st));
  cli_store_done(ctx, st);
  return CLI_OK;
}

static int load_plan(gn_ctx *ctx, int argc, char **argv, gn_plan **plan) {
  const char *syn = cli_opt(argc, argv, "--synthetic");
  if (syn) {
    long n = 0, seed = 1, ring = 10;
    const char *s = cli_opt(argc, argv, "--seed"), *r = cli_opt(argc, argv, "--ring");
    if (cli_parse_long(syn, &n) != 0 || n < 1 || n > 1000000 ||
        (s && cli_parse_long(s, &seed) != 0) ||
        (r && (cli_parse_long(r, &ring) != 0 || ring < 0 || ring > 100)))
      return cli_error(CLI_USAGE, "import-plan: bad --synthetic/--seed/--ring");
    if (cli_synthetic_plan(ctx, (int)n, (unsigned)seed, (int)ring, plan) != GN_OK)
      return cli_fail(ctx, "synthetic plan");
    return CLI_OK;
  }
  if (argc < 2 || argv[1][0] == '-')
    return cli_error(CLI_USAGE, "import-plan: need DB PLAN.gpkg");
#ifdef HAVE_PLAN_READER
  if (gn_plan_read_gpkg(ctx, argv[1], plan) != GN_OK)
    return cli_fail(ctx, argv[1]);
  return CLI_OK;
#else
  return cli_error(CLI_ERR, "%s: this build has no plan reader (src/io)",
                   argv[1]);
#endif
}

/* Remove a store file we created (and its WAL files) after a failure. */
static void remove_store(const char *path) {
  char aux[4200];
  remove(path);
  snprintf(aux, sizeof(aux), "%s-wal", path);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", path);
  remove(aux);
}

static int db_import(int argc, char **argv) {
  gn_ctx *ctx;
  gn_store *st;
  FILE *probe = fopen(argv[0], "rb");
  int existed = probe != NULL;
  if (probe) fclose(probe);
  int rc = cli_store_open(argv[0], GN_STORE_CREATE, &ctx, &st);
  if (rc != CLI_OK) return rc;
  gn_plan *plan = NULL;
  rc = load_plan(ctx, argc, argv, &plan);
  gn_store_import_stats x;
  if (rc == CLI_OK)
    fprintf(stderr, "import-plan: writing %zu sites, %zu trenches in one"
            " transaction\n", gn_plan_site_count(plan),
            gn_plan_trench_count(plan));
  if (rc == CLI_OK &&
      gn_store_import_plan(st, plan, cli_store_user(argc, argv), &x) != GN_OK)
    rc = cli_fail(ctx, "import-plan");
  if (rc == CLI_OK)
    printf("imported: %zu sites, %zu pops, %zu trenches, %zu cables, %zu fibers,"
           " %zu closures, %zu splices, %zu ports, %zu circuits, %zu sites"
           " protected\n", x.sites, x.pops, x.trenches, x.cables, x.fibers,
           x.closures, x.splices, x.ports, x.circuits, x.protected_sites);
  gn_plan_free(plan);
  cli_store_done(ctx, st);
  if (rc != CLI_OK && !existed) remove_store(argv[0]);
  return rc;
}

static void print_problem(void *ud, const char *msg) {
  (void)ud;
  printf("problem: %s\n", msg);
}

static int db_check(const char *path) {
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(path, 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  size_t n = 0;
  if (gn_store_check(st, print_problem, NULL, &n) != GN_OK)
    rc = cli_fail(ctx, "check");
  else if (n > 0)
    rc = cli_error(CLI_ERR, "check: %zu problem%s in %s", n, n > 1 ? "s" : "",
                   path);
  else
    printf("check: %s is consistent\n", path);
  cli_store_done(ctx, st);
  return rc;
}

static int parse_query(int argc, char **argv, gn_store_query *q) {
  memset(q, 0, sizeof(*q));
  const char *bbox = cli_opt(argc, argv, "--bbox");
  const char *lim = cli_opt(argc, argv, "--limit");
  const char *off = cli_opt(argc, argv, "--offset");
  q->category = cli_opt(argc, argv, "--category");
  long v;
  if (lim && (cli_parse_long(lim, &v) != 0 || v < 0))
    return cli_error(CLI_USAGE, "bad --limit '%s'", lim);
  if (lim) q->limit = (size_t)v;
  if (off && (cli_parse_long(off, &v) != 0 || v < 0))
    return cli_error(CLI_USAGE, "bad --offset '%s'", off);
  if (off) q->offset = (size_t)v;
  if (bbox) {
    char *e1, *e2, *e3, *e4;
    errno = 0;
    q->min_lon = strtod(bbox, &e1);
    q->min_lat = *e1 == ',' ? strtod(e1 + 1, &e2) : (e2 = e1, NAN);
    q->max_lon = *e2 == ',' ? strtod(e2 + 1, &e3) : (e3 = e2, NAN);
    q->max_lat = *e3 == ',' ? strtod(e3 + 1, &e4) : (e4 = e3, NAN);
    if (errno || *e4 || e1 == bbox)
      return cli_error(CLI_USAGE, "bad --bbox '%s' (W,S,E,N)", bbox);
    q->has_bbox = 1;
  }
  return CLI_OK;
}

static int db_read(const char *cmd, int argc, char **argv) {
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[0], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  char *json = NULL;
  gn_store_query q;
  if (strcmp(cmd, "summary") == 0) {
    rc = print_json(ctx, gn_store_summary_json(st, &json), &json, cmd);
  } else if (strcmp(cmd, "audit") == 0) {
    const char *l = cli_opt(argc, argv, "--limit");
    long n = 20;
    if (l && cli_parse_long(l, &n) != 0) n = 20;
    rc = print_json(ctx, gn_store_audit_json(st, (size_t)n, 0, &json), &json, cmd);
  } else if (argc < 2 || gn_store_layer_parse(argv[1]) == GN_LAYER_COUNT) {
    rc = cli_error(CLI_USAGE, "%s: unknown layer '%s'", cmd,
                   argc < 2 ? "" : argv[1]);
  } else if (strcmp(cmd, "get") == 0) {
    rc = argc < 3 ? cli_error(CLI_USAGE, "get: need DB LAYER ID")
                  : print_json(ctx, gn_store_get_geojson(
                                        st, gn_store_layer_parse(argv[1]),
                                        argv[2], &json), &json, cmd);
  } else if ((rc = parse_query(argc, argv, &q)) == CLI_OK) {
    rc = print_json(ctx, gn_store_list_geojson(st, gn_store_layer_parse(argv[1]),
                                               &q, &json), &json, cmd);
  }
  cli_store_done(ctx, st);
  return rc;
}

static int ends_with(const char *s, const char *suf) {
  size_t n = strlen(s), m = strlen(suf);
  return n >= m && strcmp(s + n - m, suf) == 0;
}

/* One layer (default sites) as a CSV table. */
static int export_csv(gn_ctx *ctx, gn_store *st, const char *out, const char *layer) {
  gn_store_layer l = gn_store_layer_parse(layer ? layer : "sites");
  if (l == GN_LAYER_COUNT) return cli_error(CLI_USAGE, "export: unknown layer '%s'", layer);
  if (access(out, F_OK) == 0) return cli_error(CLI_ERR, "export: %s: exists, will not overwrite", out);
  gn_store_query q;
  memset(&q, 0, sizeof(q));
  char *json = NULL;
  size_t rows = 0;
  if (gn_store_list_geojson(st, l, &q, &json) != GN_OK) return cli_fail(ctx, "export");
  gn_status s = gn_io_write_csv(ctx, json, out, &rows);
  gn_free(ctx, json);
  if (s != GN_OK) return cli_fail(ctx, "export");
  printf("exported %s: %zu rows of %s\n", out, rows, layer ? layer : "sites");
  return CLI_OK;
}

/* --format ofds|ofds-geojson: the public OFDS view (src/lease). */
static int export_ofds(gn_ctx *ctx, gn_store *st, const char *out,
                       int geojson) {
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  char *json = NULL;
  if (gn_lease_ofds_json(st, &t, geojson, &json) != GN_OK)
    return cli_fail(ctx, "export");
  FILE *f = fopen(out, "wx");
  int rc = CLI_OK;
  if (!f || fputs(json, f) < 0 || fputc('\n', f) == EOF) {
    rc = cli_error(CLI_ERR, "export: cannot write %s (it must not exist yet)",
                   out);
    if (f) remove(out);
  }
  if (f && fclose(f) != 0 && rc == CLI_OK) {
    rc = cli_error(CLI_ERR, "export: cannot write %s", out);
    remove(out);
  }
  gn_free(ctx, json);
  if (rc == CLI_OK) printf("exported %s (OFDS 0.3%s)\n", out,
                           geojson ? " GeoJSON" : " network package");
  return rc;
}

static int db_export(int argc, char **argv) {
  const char *out = cli_opt(argc, argv, "--out");
  const char *fmt = cli_opt(argc, argv, "--format");
  if (!out)
    return cli_error(CLI_USAGE, "export: need --out F.gpkg|F.geojson|F.csv "
                                "(or --format ofds|ofds-geojson|csv --out F)");
  if (fmt && strcmp(fmt, "ofds") != 0 && strcmp(fmt, "ofds-geojson") != 0 &&
      strcmp(fmt, "csv") != 0)
    return cli_error(CLI_USAGE, "export: --format %s: expected ofds, ofds-geojson or "
                                "csv (gpkg/geojson follow --out)", fmt);
  gn_ctx *ctx;
  gn_store *st;
  int rc = cli_store_open(argv[0], 0, &ctx, &st);
  if (rc != CLI_OK) return rc;
  if ((fmt && strcmp(fmt, "csv") == 0) || (!fmt && ends_with(out, ".csv")))
    rc = export_csv(ctx, st, out, cli_opt(argc, argv, "--layer"));
  else if (fmt)
    rc = export_ofds(ctx, st, out, strcmp(fmt, "ofds-geojson") == 0);
  else if (gn_store_export(st, out) != GN_OK)
    rc = cli_fail(ctx, "export");
  else
    printf("exported %s\n", out);
  cli_store_done(ctx, st);
  return rc;
}

int cmd_db(int argc, char **argv) {
  if (argc < 2 || cli_flag(argc, argv, "--help")) {
    db_usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? CLI_USAGE : CLI_OK;
  }
  const char *cmd = argv[1];
  if (strcmp(cmd, "splice") == 0 || strcmp(cmd, "circuit") == 0 ||
      strcmp(cmd, "fiber") == 0 || strcmp(cmd, "cable") == 0)
    return cmd_db_edit(argc - 1, argv + 1);
  if (argc < 3) return cli_error(CLI_USAGE, "db %s: need DB", cmd);
  if (strcmp(cmd, "init") == 0) return db_init(argv[2]);
  if (strcmp(cmd, "import-plan") == 0) return db_import(argc - 2, argv + 2);
  if (strcmp(cmd, "check") == 0) return db_check(argv[2]);
  if (strcmp(cmd, "export") == 0) return db_export(argc - 2, argv + 2);
  if (strcmp(cmd, "summary") == 0 || strcmp(cmd, "audit") == 0 ||
      strcmp(cmd, "list") == 0 || strcmp(cmd, "get") == 0)
    return db_read(cmd, argc - 2, argv + 2);
  static const char *const known[] = {"init", "import-plan", "check", "export", "summary",
      "audit", "list", "get", "splice", "circuit", "fiber", "cable", NULL};
  if (cli_suggest(cmd, known)) return cli_unknown("db: unknown command", cmd, known);
  db_usage(stderr);
  return cli_error(CLI_USAGE, "db: unknown command '%s'", cmd);
}
