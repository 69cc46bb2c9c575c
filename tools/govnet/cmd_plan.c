/*
 * cmd_plan.c - 'govnet plan': streets + sites -> trench plan.
 *
 * Pipeline, one function per step so options can be added per step:
 * parse_args -> load_roads -> load_sites -> add_pops -> gn_plan_streets_net
 * (keeps the street graph when rings are asked: they follow the streets)
 * -> write_outputs (GeoPackage, GeoJSON, summary JSON; all or none) ->
 * print the summary table. Without --roads the plan is made over the
 * sites alone (points mode); the design steps (phases, rings, sizing,
 * BOM, cost) live in plan_design.c and are called at fixed points. Exit 0 on success, 1 with one line on stderr
 * naming the file and the problem, 2 on a usage error.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "plan_design.h"

#define MAX_POPS 32

typedef struct plan_args {
  const char *roads, *sites, *out, *geojson, *summary;
  const char *layer, *id_field; /* site import: layer and id column */
  const char *encoding;         /* site import: text encoding */
  const char *pops[MAX_POPS];
  size_t npops;
  int import_only;
  gn_planner_opts popts;
  design_args design;
} plan_args;

static void usage(FILE *f) {
  fprintf(f,
          "usage: govnet plan [--roads FILE] --sites FILE --out PLAN.gpkg\n"
          "         [--pop ID|LON,LAT]... [--geojson PLAN.geojson]\n"
          "         [--summary SUMMARY.json] [--snap-max M] [--time-limit S]\n"
          "         [--seed N] [--quality 0|1|2]\n"
          "         [--layer NAME] [--id-field FIELD] [--encoding utf-8|latin1]\n"
          "       govnet plan --roads FILE --import-only\n"
          "Roads: .osm.pbf, .osm (OpenStreetMap) or GeoJSON/GeoPackage lines.\n"
          "Sites: GeoJSON, CSV (lon/lat columns), GeoPackage, Shapefile;\n"
          "--layer picks a layer, --id-field the column holding site ids\n"
          "(default \"id\", else the feature number); text must be UTF-8\n"
          "unless --encoding latin1 converts it.\n"
          "--pop: a site id or a lon,lat position (repeatable); without it\n"
          "the POP goes on the street nearest the median of the sites.\n");
  design_usage(f);
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
      a->popts.snap_max_m = d;
    else
      a->popts.time_limit_s = d;
    return 1;
  }
  if (strcmp(opt, "--seed") == 0 || strcmp(opt, "--quality") == 0) {
    if (cli_parse_long(val, &l) != 0 || l < 0) return -1;
    if (opt[2] == 's')
      a->popts.seed = (uint64_t)l;
    else
      a->popts.quality = (int)l;
    return 1;
  }
  return 0;
}

static int parse_file_opt(const char *opt, const char *val, plan_args *a) {
  static const struct {
    const char *name;
    size_t off;
  } files[] = {{"--roads", offsetof(plan_args, roads)},
               {"--sites", offsetof(plan_args, sites)},
               {"--out", offsetof(plan_args, out)},
               {"--geojson", offsetof(plan_args, geojson)},
               {"--summary", offsetof(plan_args, summary)},
               {"--layer", offsetof(plan_args, layer)},
               {"--id-field", offsetof(plan_args, id_field)},
               {"--encoding", offsetof(plan_args, encoding)}};
  for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
    if (strcmp(opt, files[i].name) == 0) {
      *(const char **)((char *)a + files[i].off) = val;
      return 1;
    }
  }
  if (strcmp(opt, "--pop") == 0) {
    if (a->npops == MAX_POPS) return -1;
    a->pops[a->npops++] = val;
    return 1;
  }
  return 0;
}

static int parse_args(int argc, char **argv, plan_args *a) {
  memset(a, 0, sizeof(*a));
  gn_planner_opts_init(&a->popts);
  design_init(&a->design);
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
      r = design_parse_opt(opt, argv[i + 1], &a->design);
      if (r < 0) return CLI_USAGE; /* message already printed */
    }
    if (r == 0) return cli_error(CLI_USAGE, "plan: unknown option %s", opt);
    if (r < 0)
      return cli_error(CLI_USAGE, "plan: bad value '%s' for %s", argv[i + 1],
                       opt);
    i++;
  }
  if (!a->roads && a->import_only)
    return cli_error(CLI_USAGE, "plan: --import-only needs --roads FILE");
  if (!a->import_only && (!a->sites || !a->out))
    return cli_error(CLI_USAGE, "plan: --sites FILE and --out FILE are required");
  return 0;
}

static int load_roads(gn_ctx *ctx, const plan_args *a, gn_graph **g) {
  gn_osm_stats st;
  double t0 = now_s();
  if (gn_osm_read(ctx, a->roads, NULL, g, &st) != GN_OK)
    return cli_fail(ctx, "plan");
  printf("roads: %s: %zu ways, %zu nodes -> %zu junctions, %zu edges, "
         "%.1f km, %zu components (largest %zu junctions), %.2f s\n",
         a->roads, st.ways, st.nodes, st.junctions, st.edges,
         st.length_m / 1000, st.components, st.largest_component,
         now_s() - t0);
  return CLI_OK;
}

/* --pop VALUE: "lon,lat" or a site id (the POP sits at that site). */
static int add_one_pop(gn_ctx *ctx, gn_plan *plan, const char *v, size_t k) {
  char id[32], lonbuf[64];
  gn_plan_pop pop = {NULL, NULL, 0, 0, GN_NONE};
  const char *comma = strchr(v, ',');
  snprintf(id, sizeof(id), "pop%zu", k + 1);
  if (comma && (size_t)(comma - v) < sizeof(lonbuf)) {
    memcpy(lonbuf, v, (size_t)(comma - v));
    lonbuf[comma - v] = '\0';
    if (cli_parse_double(lonbuf, &pop.lon) != 0 ||
        cli_parse_double(comma + 1, &pop.lat) != 0 ||
        !gn_geo_valid_lonlat(pop.lon, pop.lat))
      return cli_error(CLI_ERR, "plan: --pop %s: not a valid lon,lat", v);
    pop.id = id;
  } else {
    for (size_t i = 0; i < gn_plan_site_count(plan) && !pop.id; i++) {
      const gn_plan_site *s = gn_plan_site_get(plan, i);
      if (strcmp(s->id, v) != 0) continue;
      pop = (gn_plan_pop){(char *)s->id, s->name, s->lon, s->lat, GN_NONE};
    }
    if (!pop.id)
      return cli_error(CLI_ERR, "plan: --pop %s: no site has this id", v);
  }
  if (gn_plan_add_pop(plan, &pop, NULL) != GN_OK) return cli_fail(ctx, "plan");
  return CLI_OK;
}

static int add_pops(gn_ctx *ctx, const plan_args *a, const gn_graph *g,
                    gn_plan *plan) {
  for (size_t k = 0; k < a->npops; k++)
    if (add_one_pop(ctx, plan, a->pops[k], k) != CLI_OK) return CLI_ERR;
  if (a->npops) return CLI_OK;
  if (!g) return design_auto_pop(ctx, plan);
  gn_plan_pop pop = {"pop1", "auto: street point nearest the sites' median",
                     0, 0, GN_NONE};
  if (gn_planner_auto_pop(ctx, g, plan, &a->popts, &pop.lon, &pop.lat) !=
          GN_OK ||
      gn_plan_add_pop(plan, &pop, NULL) != GN_OK)
    return cli_fail(ctx, "plan");
  printf("pop: none given; placed at %.6f,%.6f (median of the sites)\n",
         pop.lon, pop.lat);
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

/* Streets (gn_plan_streets) or points mode (plan_design.c). */
static int make_plan(gn_ctx *ctx, plan_args *a, const gn_graph *g,
                     gn_plan *plan) {
  double t0 = now_s();
  if (gn_plan_set_meta(plan, "roads", a->roads ? a->roads : "none") != GN_OK ||
      gn_plan_set_meta(plan, "sites", a->sites) != GN_OK)
    return cli_fail(ctx, "plan");
  gn_street_net **keep = a->design.ropts.mode != GN_RESILIENCE_NONE
                             ? &a->design.streets
                             : NULL; /* rings follow the streets */
  const char *names[DESIGN_MAX_PHASES]; /* street phases, in order */
  for (size_t k = 0; k < a->design.nphases; k++)
    names[k] = a->design.phases[k].name;
  a->popts.phases = names;
  a->popts.nphases = a->design.nphases;
  gn_status st = g ? gn_plan_streets_net(ctx, g, plan, &a->popts, keep) : GN_OK;
  a->popts.phases = NULL; /* names[] goes out of scope */
  if (st != GN_OK) return cli_fail(ctx, "plan");
  if (!g && design_plan_points(ctx, &a->design, plan) != CLI_OK)
    return CLI_ERR;
  printf("planned in %.2f s\n", now_s() - t0);
  return design_finish(ctx, &a->design, plan, g == NULL);
}

static int run_plan(gn_ctx *ctx, plan_args *a, const gn_graph *g) {
  gn_plan *plan = NULL;
  gn_summary *sum = NULL;
  int rc = CLI_OK;
  gn_sites_opts so;
  gn_sites_opts_init(&so);
  so.layer = a->layer;
  so.id_field = a->id_field;
  so.encoding = a->encoding;
  if (gn_plan_create(ctx, &plan) != GN_OK ||
      gn_io_read_sites(ctx, a->sites, &so, plan) != GN_OK)
    rc = cli_fail(ctx, "plan");
  if (rc == CLI_OK) rc = design_select_phases(ctx, &a->design, a->sites, &plan);
  if (rc == CLI_OK) rc = add_pops(ctx, a, g, plan);
  if (rc == CLI_OK) rc = make_plan(ctx, a, g, plan);
  if (rc == CLI_OK && gn_summary_create(plan, &sum) != GN_OK)
    rc = cli_fail(ctx, "plan");
  if (rc == CLI_OK)
    rc = design_report(ctx, &a->design, plan, sum, g == NULL);
  if (rc == CLI_OK) rc = write_outputs(ctx, a, plan, sum);
  if (rc == CLI_OK) rc = print_summary(ctx, sum);
  gn_summary_free(sum);
  gn_plan_free(plan);
  return rc;
}

int cmd_plan(int argc, char **argv) {
  plan_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc != 0) return rc < 0 ? CLI_OK : rc;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK)
    return cli_error(CLI_ERR, "plan: out of memory");
  gn_graph *g = NULL;
  rc = design_prepare(ctx, &a.design);
  if (rc == CLI_OK && a.roads) rc = load_roads(ctx, &a, &g);
  if (rc == CLI_OK && !a.import_only) rc = run_plan(ctx, &a, g);
  gn_graph_free(g);
  design_cleanup(ctx, &a.design);
  gn_ctx_free(ctx);
  return rc;
}
