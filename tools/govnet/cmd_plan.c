/*
 * cmd_plan.c - 'govnet plan': sites (+ streets) -> a finished trench plan.
 *
 * Parses the arguments into a gn_design_opts, runs gn_design_run (the
 * whole pipeline lives in the library, src/pipeline/), prints its
 * progress lines, writes the outputs (GeoPackage, GeoJSON, summary JSON;
 * all or none) and prints the summary table. `--import-only` reads the
 * streets and reports them. Exit 0 on success, 1 with one line on stderr
 * naming the file and the problem, 2 on a usage error.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

typedef struct plan_args {
  const char *out, *geojson, *summary;
  const char *fibers; /* --fibers-per-site spec */
  int import_only;
  gn_design_opts o;
} plan_args;

static void usage(FILE *f) {
  fprintf(f,
          "usage: govnet plan [--roads FILE] --sites FILE --out PLAN.gpkg\n"
          "         [--pop ID|LON,LAT]... [--geojson PLAN.geojson]\n"
          "         [--summary SUMMARY.json] [--snap-max M] [--time-limit S]\n"
          "         [--seed N] [--quality 0|1|2]\n"
          "         [--layer NAME] [--id-field FIELD] [--dump-stp FILE.stp]\n"
          "         [--encoding utf-8|latin1]\n"
          "       govnet plan --roads FILE --import-only\n"
          "Roads: .osm.pbf, .osm (OpenStreetMap) or GeoJSON/GeoPackage lines.\n"
          "Sites: GeoJSON, CSV (lon/lat columns), GeoPackage, Shapefile;\n"
          "--layer picks a layer, --id-field the column holding site ids\n"
          "(default \"id\", else the feature number); text must be UTF-8\n"
          "unless --encoding latin1 converts it.\n"
          "--pop: a site id or a lon,lat position (repeatable); without it\n"
          "the POP goes on the street nearest the median of the sites.\n"
          "--dump-stp: write the street graph and terminals the Steiner\n"
          "solver is given (STP; street mode without phases).\n"
          "Design options (points mode when --roads is absent):\n"
          "  --resilience none|critical|all   rings for critical sites (none)\n"
          "  --critical CATS        critical categories (health,admin)\n"
          "  --critical-priority N  also critical: sites with priority >= N\n"
          "  --detour X             street km per straight km, > 1 (1.3)\n"
          "  --price-book FILE      prices in FCFA (docs/pricebook.md)\n"
          "  --spare X              spare fiber share (0.5)\n"
          "  --fibers-per-site N|CAT=N,...  fibers per building (2)\n"
          "  --phase NAME=SELECTOR  repeatable, planned in order, dig once;\n"
          "      SELECTOR: all | bbox:W,S,E,N | near:TOWN[,TOWN...][@KM]\n"
          "              | prop:KEY=VALUE (a field of the sites file)\n"
          "  --towns FILE           GeoNames towns for near: (name, lat, lng)\n"
          "  --optics ACCESS[,PROTECT]  optics classes lr10|er40|zr80\n"
          "                         (lr10,er40; docs/optics.md)\n"
          "  --hubs on|off          aggregation hubs among the buildings (on)\n"
          "  --hub-candidates FILE  site ids preferred as hubs, one a line\n"
          "                         (default: admin and health buildings)\n");
}

static int bad(const char *opt, const char *val, const char *why) {
  cli_error(CLI_USAGE, "plan: %s %s: %s", opt, val, why);
  return -1;
}

static int parse_phase(const char *val, gn_design_opts *o) {
  const char *eq = strchr(val, '=');
  if (!eq || eq == val || !eq[1])
    return bad("--phase", val, "expected NAME=SELECTOR");
  if (o->nphases == GN_DESIGN_MAX_PHASES)
    return bad("--phase", val, "too many phases");
  if ((size_t)(eq - val) >= sizeof o->phases[0].name)
    return bad("--phase", val, "phase name too long");
  snprintf(o->phases[o->nphases].name, sizeof o->phases[0].name, "%.*s",
           (int)(eq - val), val);
  o->phases[o->nphases].selector = eq + 1;
  o->nphases++;
  return 1;
}

/* Design options taking a number: 1 handled, 0 not one, -1 bad value
 * (message printed). */
static int parse_design_number(const char *opt, const char *val,
                               gn_design_opts *o) {
  double x;
  long l;
  if (strcmp(opt, "--detour") == 0) {
    if (cli_parse_double(val, &x) != 0 || !(x > 1.0) || !isfinite(x))
      return bad(opt, val, "the detour factor must be a number > 1");
    o->detour = x;
    return 1;
  }
  if (strcmp(opt, "--spare") == 0) {
    if (cli_parse_double(val, &x) != 0 || !(x >= 0) || x > 10)
      return bad(opt, val, "the spare share must be a number in [0, 10]");
    o->spare = x;
    return 1;
  }
  if (strcmp(opt, "--critical-priority") == 0) {
    if (cli_parse_long(val, &l) != 0) return bad(opt, val, "not an integer");
    o->critical_priority = (int)l;
    return 1;
  }
  return 0;
}

/* Design options: 1 handled, 0 not a design option, -1 bad value. */
static int parse_design_opt(const char *opt, const char *val, plan_args *a) {
  gn_design_opts *o = &a->o;
  if (strcmp(opt, "--resilience") == 0) {
    int m = gn_resilience_parse(val);
    if (m < 0) return bad(opt, val, "expected none, critical or all");
    o->resilience = (gn_resilience_mode)m;
    return 1;
  }
  if (strcmp(opt, "--phase") == 0) return parse_phase(val, o);
  if (strcmp(opt, "--hubs") == 0) {
    if (strcmp(val, "on") && strcmp(val, "off"))
      return bad(opt, val, "expected on or off");
    o->hubs = strcmp(val, "on") == 0;
    return 1;
  }
  const char **strs[] = {&o->price_book, &o->towns,  &o->critical,
                         &a->fibers,     &o->optics, &o->hub_candidates};
  const char *names[] = {"--price-book", "--towns",  "--critical",
                         "--fibers-per-site", "--optics", "--hub-candidates"};
  for (size_t i = 0; i < 6; i++) {
    if (strcmp(opt, names[i]) != 0) continue;
    *strs[i] = val;
    return 1;
  }
  return parse_design_number(opt, val, o);
}

/* "4" or "health=4,admin=2". */
static int apply_fibers(const char *spec, gn_design_opts *o) {
  long n;
  if (cli_parse_long(spec, &n) == 0) {
    if (n < 0 || n > 1000) return bad("--fibers-per-site", spec, "0-1000");
    for (int c = 0; c < GN_CAT_COUNT; c++) o->fibers_per_site[c] = (int)n;
    return 0;
  }
  char buf[256];
  snprintf(buf, sizeof buf, "%s", spec);
  for (char *p = buf; p && *p;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = '\0';
    char *eq = strchr(p, '=');
    if (!eq) return bad("--fibers-per-site", spec, "expected N or CAT=N,...");
    *eq = '\0';
    gn_category c = gn_category_parse(p);
    if (c == GN_CAT_COUNT)
      return bad("--fibers-per-site", spec,
                 "unknown category (known: admin, health, education, other)");
    if (cli_parse_long(eq + 1, &n) != 0 || n < 0 || n > 1000)
      return bad("--fibers-per-site", spec, "fibers must be 0-1000");
    o->fibers_per_site[c] = (int)n;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Options taking a number. Returns 1 if handled, -1 on a bad value. */
static int parse_number_opt(const char *opt, const char *val, plan_args *a) {
  double d;
  long l;
  if (strcmp(opt, "--snap-max") == 0 || strcmp(opt, "--time-limit") == 0) {
    if (cli_parse_double(val, &d) != 0 || !(d > 0)) return -1;
    if (opt[2] == 's')
      a->o.planner.snap_max_m = d;
    else
      a->o.planner.time_limit_s = d;
    return 1;
  }
  if (strcmp(opt, "--seed") == 0 || strcmp(opt, "--quality") == 0) {
    if (cli_parse_long(val, &l) != 0 || l < 0) return -1;
    if (opt[2] == 's')
      a->o.planner.seed = (uint64_t)l;
    else
      a->o.planner.quality = (int)l;
    return 1;
  }
  return 0;
}

static int parse_file_opt(const char *opt, const char *val, plan_args *a) {
  static const struct {
    const char *name;
    size_t off;
  } files[] = {{"--roads", offsetof(plan_args, o.roads)},
               {"--sites", offsetof(plan_args, o.sites)},
               {"--out", offsetof(plan_args, out)},
               {"--geojson", offsetof(plan_args, geojson)},
               {"--summary", offsetof(plan_args, summary)},
               {"--layer", offsetof(plan_args, o.layer)},
               {"--id-field", offsetof(plan_args, o.id_field)},
               {"--dump-stp", offsetof(plan_args, o.dump_stp)},
               {"--encoding", offsetof(plan_args, o.encoding)}};
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    if (strcmp(opt, files[i].name) == 0) {
      *(const char **)((char *)a + files[i].off) = val;
      return 1;
    }
  }
  if (strcmp(opt, "--pop") == 0) {
    if (a->o.npops == GN_DESIGN_MAX_POPS) return -1;
    a->o.pops[a->o.npops++] = val;
    return 1;
  }
  return 0;
}

static int parse_args(int argc, char **argv, plan_args *a) {
  memset(a, 0, sizeof(*a));
  gn_design_opts_init(&a->o);
  for (int i = 1; i < argc; i++) {
    const char *opt = argv[i];
    if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
      usage(stdout);
      return -1;
    }
    if (strcmp(opt, "--import-only") == 0) {
      a->import_only = 1;
      continue;
    }
    if (i + 1 >= argc)
      return cli_error(CLI_USAGE, "plan: option %s needs a value", opt);
    int r = parse_file_opt(opt, argv[i + 1], a);
    if (r == 0) r = parse_number_opt(opt, argv[i + 1], a);
    if (r == 0) {
      r = parse_design_opt(opt, argv[i + 1], a);
      if (r < 0) return CLI_USAGE; /* message already printed */
    }
    if (r == 0) {
      static const char *const known[] = {"--critical", "--critical-priority", "--detour",
          "--fibers-per-site", "--geojson", "--help", "--id-field", "--import-only", "--layer",
          "--out", "--phase", "--pop", "--price-book", "--quality", "--resilience", "--roads",
          "--seed", "--sites", "--snap-max", "--spare", "--summary", "--time-limit", "--towns",
          NULL};
      return cli_unknown("plan: unknown option", opt, known);
    }
    if (r < 0)
      return cli_error(CLI_USAGE, "plan: bad value '%s' for %s", argv[i + 1],
                       opt);
    i++;
  }
  if (a->fibers && apply_fibers(a->fibers, &a->o) != 0) return CLI_USAGE;
  if (!a->o.roads && a->import_only)
    return cli_error(CLI_USAGE, "plan: --import-only needs --roads FILE");
  if (!a->import_only && (!a->o.sites || !a->out))
    return cli_error(CLI_USAGE, "plan: --sites FILE and --out FILE are required");
  return 0;
}

/* --import-only: read the streets and report them. */
static int import_only(gn_ctx *ctx, const plan_args *a) {
  gn_osm_stats st;
  gn_graph *g = NULL;
  double t0 = now_s();
  if (gn_osm_read(ctx, a->o.roads, NULL, &g, &st) != GN_OK)
    return cli_fail(ctx, "plan");
  printf("roads: %s: %zu ways, %zu nodes -> %zu junctions, %zu edges, "
         "%.1f km, %zu components (largest %zu junctions), %.2f s\n",
         a->o.roads, st.ways, st.nodes, st.junctions, st.edges,
         st.length_m / 1000, st.components, st.largest_component,
         now_s() - t0);
  gn_graph_free(g);
  return CLI_OK;
}

static void remove_outputs(const plan_args *a, int upto) {
  const char *outs[3] = {a->out, a->geojson, a->summary};
  for (int i = 0; i < upto; i++)
    if (outs[i]) remove(outs[i]);
}

static int write_outputs(gn_ctx *ctx, const plan_args *a, const gn_plan *plan,
                         const gn_summary *sum) {
  if (gn_plan_write_gpkg(plan, a->out) != GN_OK) return cli_fail(ctx, "plan");
  if (a->geojson && gn_plan_write_geojson(plan, a->geojson) != GN_OK) {
    remove_outputs(a, 1);
    return cli_fail(ctx, "plan");
  }
  if (a->summary && gn_summary_write_json(sum, a->summary) != GN_OK) {
    remove_outputs(a, 2);
    return cli_fail(ctx, "plan");
  }
  return CLI_OK;
}

static int print_summary(gn_ctx *ctx, const gn_summary *sum) {
  char *txt = NULL;
  if (gn_summary_table(sum, &txt) != GN_OK) return cli_fail(ctx, "plan");
  fputs(txt, stdout);
  gn_free(ctx, txt);
  return CLI_OK;
}

static void print_progress(void *ud, const char *text) {
  (void)ud;
  fputs(text, stdout);
}

/* A malformed option value is a usage error (exit 2), as when parsing. */
static int run_plan(gn_ctx *ctx, plan_args *a) {
  gn_design_result *r = NULL;
  a->o.log = print_progress;
  gn_status st = gn_design_run(ctx, &a->o, &r);
  if (st != GN_OK) {
    int rc = cli_fail(ctx, "plan");
    return st == GN_EINVAL ? CLI_USAGE : rc;
  }
  int rc = write_outputs(ctx, a, gn_design_result_plan(r),
                         gn_design_result_summary(r));
  if (rc == CLI_OK) rc = print_summary(ctx, gn_design_result_summary(r));
  gn_design_result_free(r);
  return rc;
}

int cmd_plan(int argc, char **argv) {
  plan_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc != 0) return rc < 0 ? CLI_OK : rc;
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK)
    return cli_error(CLI_ERR, "plan: out of memory");
  rc = a.import_only ? import_only(ctx, &a) : run_plan(ctx, &a);
  gn_ctx_free(ctx);
  return rc;
}
