/*
 * plan_design.c - The design steps of 'govnet plan': options, phase
 * selection (street mode plans the phases in gn_plan_streets, dig once
 * too), points-mode planning per phase (dig once), rings, sizing,
 * BOM and the design part of the summary (see plan_design.h).
 * Uses only the public API.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan_design.h"

void design_init(design_args *d) {
  memset(d, 0, sizeof(*d));
  gn_resilience_opts_init(&d->ropts);
  d->ropts.mode = GN_RESILIENCE_NONE;
  gn_pricebook_init(&d->pb);
  d->detour = -1;
  d->spare = -1;
}

void design_cleanup(gn_ctx *ctx, design_args *d) {
  for (size_t i = 0; i < d->nres; i++) gn_resilience_report_free(ctx, d->res[i]);
  gn_bom_free(d->bom);
  gn_street_net_free(d->streets);
  d->nres = 0;
  d->bom = NULL;
  d->streets = NULL;
}

void design_usage(FILE *f) {
  fprintf(f,
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
          "  --towns FILE           GeoNames towns for near: (name, lat, lng)\n");
}

static int bad(const char *opt, const char *val, const char *why) {
  cli_error(CLI_USAGE, "plan: %s %s: %s", opt, val, why);
  return -1;
}

static int parse_phase(const char *val, design_args *d) {
  const char *eq = strchr(val, '=');
  if (!eq || eq == val || !eq[1])
    return bad("--phase", val, "expected NAME=SELECTOR");
  if (d->nphases == DESIGN_MAX_PHASES)
    return bad("--phase", val, "too many phases");
  if ((size_t)(eq - val) >= sizeof d->phases[0].name)
    return bad("--phase", val, "phase name too long");
  snprintf(d->phases[d->nphases].name, sizeof d->phases[0].name, "%.*s",
           (int)(eq - val), val);
  d->phases[d->nphases].selector = eq + 1;
  d->nphases++;
  return 1;
}

static int parse_numeric(const char *opt, const char *val, design_args *d) {
  double x;
  long l;
  if (strcmp(opt, "--detour") == 0) {
    if (cli_parse_double(val, &x) != 0 || !(x > 1.0) || !isfinite(x))
      return bad(opt, val, "the detour factor must be a number > 1");
    d->detour = x;
    return 1;
  }
  if (strcmp(opt, "--spare") == 0) {
    if (cli_parse_double(val, &x) != 0 || !(x >= 0) || x > 10)
      return bad(opt, val, "the spare share must be a number in [0, 10]");
    d->spare = x;
    return 1;
  }
  if (strcmp(opt, "--critical-priority") == 0) {
    if (cli_parse_long(val, &l) != 0) return bad(opt, val, "not an integer");
    d->ropts.min_priority = (int)l;
    return 1;
  }
  return 0;
}

int design_parse_opt(const char *opt, const char *val, design_args *d) {
  if (strcmp(opt, "--resilience") == 0) {
    int m = gn_resilience_parse(val);
    if (m < 0) return bad(opt, val, "expected none, critical or all");
    d->ropts.mode = (gn_resilience_mode)m;
    return 1;
  }
  if (strcmp(opt, "--phase") == 0) return parse_phase(val, d);
  const char **files[] = {&d->price_book, &d->towns, &d->critical, &d->fibers};
  const char *names[] = {"--price-book", "--towns", "--critical",
                         "--fibers-per-site"};
  for (size_t i = 0; i < 4; i++) {
    if (strcmp(opt, names[i]) != 0) continue;
    *files[i] = val;
    return 1;
  }
  return parse_numeric(opt, val, d);
}

/* "4" or "health=4,admin=2". */
static int apply_fibers(const char *spec, gn_pricebook *pb) {
  long n;
  if (cli_parse_long(spec, &n) == 0) {
    if (n < 0 || n > 1000) return bad("--fibers-per-site", spec, "0-1000");
    for (int c = 0; c < GN_CAT_COUNT; c++) pb->fibers_per_site[c] = (int)n;
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
    pb->fibers_per_site[c] = (int)n;
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

int design_prepare(gn_ctx *ctx, design_args *d) {
  if (d->price_book && gn_pricebook_read(ctx, d->price_book, &d->pb) != GN_OK)
    return cli_fail(ctx, "plan");
  if (d->fibers && apply_fibers(d->fibers, &d->pb) != 0) return CLI_USAGE;
  if (d->detour > 0) d->pb.detour = d->detour;
  if (d->spare >= 0) d->pb.spare = d->spare;
  d->ropts.detour = d->pb.detour;
  if (d->critical &&
      gn_resilience_parse_categories(ctx, d->critical,
                                     &d->ropts.category_mask) != GN_OK)
    return cli_error(CLI_USAGE, "plan: --critical: %s", gn_ctx_errmsg(ctx));
  return CLI_OK;
}

/* ---- phase selection ---------------------------------------------- */

#define MAX_NEAR 16

typedef struct selector {
  enum { SEL_ALL, SEL_BBOX, SEL_NEAR, SEL_PROP } kind;
  gn_site_value *values; /* SEL_PROP: KEY of every site */
  size_t nvalues;
  char want[64];         /* SEL_PROP: VALUE */
  double bbox[4];
  const gn_town *near[MAX_NEAR];
  size_t nnear;
  double km;
} selector;

static const gn_town *find_town(const gn_town *t, size_t n, const char *name) {
  for (size_t i = 0; i < n; i++)
    if (strcasecmp(t[i].name, name) == 0) return &t[i];
  return NULL;
}

static int parse_bbox(const design_phase *ph, const char *s, selector *sel) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", s);
  char *p = buf;
  for (int i = 0; i < 4; i++) {
    char *comma = strchr(p, ',');
    if ((i < 3) != (comma != NULL))
      return cli_error(CLI_USAGE, "plan: phase %s: bbox needs W,S,E,N", ph->name);
    if (comma) *comma = '\0';
    if (cli_parse_double(p, &sel->bbox[i]) != 0)
      return cli_error(CLI_USAGE, "plan: phase %s: bad bbox number '%s'",
                       ph->name, p);
    p = comma ? comma + 1 : p;
  }
  sel->kind = SEL_BBOX;
  return CLI_OK;
}

static int parse_near(const design_phase *ph, const char *s, const gn_town *t,
                      size_t nt, selector *sel) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", s);
  char *at = strchr(buf, '@');
  sel->km = 5.0;
  if (at) {
    *at = '\0';
    if (cli_parse_double(at + 1, &sel->km) != 0 || !(sel->km > 0))
      return cli_error(CLI_USAGE, "plan: phase %s: bad radius '%s'", ph->name,
                       at + 1);
  }
  if (!t)
    return cli_error(CLI_USAGE, "plan: phase %s: near: needs --towns FILE",
                     ph->name);
  for (char *p = buf; p && *p;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = '\0';
    const gn_town *town = find_town(t, nt, p);
    if (!town)
      return cli_error(CLI_ERR, "plan: phase %s: town '%s' is not in the "
                       "towns file", ph->name, p);
    if (sel->nnear == MAX_NEAR)
      return cli_error(CLI_USAGE, "plan: phase %s: too many towns", ph->name);
    sel->near[sel->nnear++] = town;
    p = comma ? comma + 1 : NULL;
  }
  sel->kind = SEL_NEAR;
  return CLI_OK;
}

/* "true"/"false" as GDAL prints booleans ("1"/"0"). */
static const char *norm_bool(const char *v) {
  if (strcasecmp(v, "true") == 0) return "1";
  if (strcasecmp(v, "false") == 0) return "0";
  return v;
}

static int parse_prop(gn_ctx *ctx, const design_phase *ph, const char *s,
                      const char *sites, selector *sel) {
  const char *eq = strchr(s, '=');
  char key[64];
  if (!eq || eq == s || (size_t)(eq - s) >= sizeof key)
    return cli_error(CLI_USAGE, "plan: phase %s: expected prop:KEY=VALUE",
                     ph->name);
  snprintf(key, sizeof key, "%.*s", (int)(eq - s), s);
  snprintf(sel->want, sizeof sel->want, "%s", norm_bool(eq + 1));
  if (gn_io_site_values(ctx, sites, key, &sel->values, &sel->nvalues) != GN_OK)
    return cli_fail(ctx, "plan");
  sel->kind = SEL_PROP;
  return CLI_OK;
}

static int parse_selector(gn_ctx *ctx, const design_phase *ph,
                          const gn_town *t, size_t nt, const char *sites,
                          selector *sel) {
  memset(sel, 0, sizeof(*sel));
  const char *s = ph->selector;
  if (strcmp(s, "all") == 0) return CLI_OK;
  if (strncmp(s, "prop:", 5) == 0) return parse_prop(ctx, ph, s + 5, sites, sel);
  if (strncmp(s, "bbox:", 5) == 0) return parse_bbox(ph, s + 5, sel);
  if (strncmp(s, "near:", 5) == 0) return parse_near(ph, s + 5, t, nt, sel);
  return cli_error(CLI_USAGE, "plan: phase %s: unknown selector '%s' (all, "
                   "bbox:W,S,E,N, near:TOWN,...@KM, prop:KEY=VALUE)",
                   ph->name, s);
}

static int selected(const selector *sel, const gn_plan_site *s) {
  if (sel->kind == SEL_ALL) return 1;
  if (sel->kind == SEL_PROP) {
    for (size_t i = 0; i < sel->nvalues; i++)
      if (strcmp(sel->values[i].id, s->id) == 0)
        return sel->values[i].value &&
               strcasecmp(norm_bool(sel->values[i].value), sel->want) == 0;
    return 0;
  }
  if (sel->kind == SEL_BBOX)
    return s->lon >= sel->bbox[0] && s->lat >= sel->bbox[1] &&
           s->lon <= sel->bbox[2] && s->lat <= sel->bbox[3];
  for (size_t i = 0; i < sel->nnear; i++)
    if (gn_geo_distance_m(s->lon, s->lat, sel->near[i]->lon,
                          sel->near[i]->lat) <= sel->km * 1000)
      return 1;
  return 0;
}

static int copy_selected(gn_ctx *ctx, design_args *d, const selector *sel,
                         const gn_plan *in, gn_plan *out) {
  size_t count[DESIGN_MAX_PHASES] = {0};
  for (size_t i = 0; i < gn_plan_site_count(in); i++) {
    gn_plan_site s = *gn_plan_site_get(in, i);
    size_t k = 0;
    while (k < d->nphases && !selected(&sel[k], &s)) k++;
    if (k == d->nphases) continue;
    s.phase = d->phases[k].name;
    if (gn_plan_add_site(out, &s, NULL) != GN_OK) return cli_fail(ctx, "plan");
    count[k]++;
  }
  for (size_t k = 0; k < d->nphases; k++)
    printf("phase %s: %zu sites (%s)\n", d->phases[k].name, count[k],
           d->phases[k].selector);
  return CLI_OK;
}

int design_select_phases(gn_ctx *ctx, design_args *d, const char *sites,
                         gn_plan **plan) {
  if (d->nphases == 0) return CLI_OK;
  gn_town *towns = NULL;
  size_t nt = 0;
  if (d->towns && gn_towns_read(ctx, d->towns, &towns, &nt) != GN_OK)
    return cli_fail(ctx, "plan");
  selector sel[DESIGN_MAX_PHASES];
  memset(sel, 0, sizeof sel);
  int rc = CLI_OK;
  for (size_t k = 0; rc == CLI_OK && k < d->nphases; k++)
    rc = parse_selector(ctx, &d->phases[k], towns, nt, sites, &sel[k]);
  gn_plan *out = NULL;
  if (rc == CLI_OK && gn_plan_create(ctx, &out) != GN_OK)
    rc = cli_fail(ctx, "plan");
  if (rc == CLI_OK) rc = copy_selected(ctx, d, sel, *plan, out);
  gn_free(ctx, towns);
  for (size_t k = 0; k < d->nphases; k++)
    gn_site_values_free(ctx, sel[k].values, sel[k].nvalues);
  if (rc != CLI_OK) {
    gn_plan_free(out);
    return rc;
  }
  gn_plan_free(*plan);
  *plan = out;
  return CLI_OK;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int design_auto_pop(gn_ctx *ctx, gn_plan *plan) {
  size_t n = gn_plan_site_count(plan);
  if (n == 0) return cli_error(CLI_ERR, "plan: no site to place a POP near");
  double *v = malloc(2 * n * sizeof(double));
  if (!v) return cli_error(CLI_ERR, "plan: out of memory");
  for (size_t i = 0; i < n; i++) {
    v[i] = gn_plan_site_get(plan, i)->lon;
    v[n + i] = gn_plan_site_get(plan, i)->lat;
  }
  qsort(v, n, sizeof(double), cmp_double);
  qsort(v + n, n, sizeof(double), cmp_double);
  double mlon = v[n / 2], mlat = v[n + n / 2], best = INFINITY;
  free(v);
  const gn_plan_site *at = NULL;
  for (size_t i = 0; i < n; i++) {
    const gn_plan_site *s = gn_plan_site_get(plan, i);
    double dm = gn_geo_distance_m(s->lon, s->lat, mlon, mlat);
    if (dm < best) {
      best = dm;
      at = s;
    }
  }
  gn_plan_pop pop = {(char *)"pop1", (char *)"auto: site nearest the median",
                     at->lon, at->lat, GN_NONE};
  if (gn_plan_add_pop(plan, &pop, NULL) != GN_OK) return cli_fail(ctx, "plan");
  printf("pop: none given; placed at site %s (%.6f,%.6f), nearest the "
         "median of the sites\n", at->id, at->lon, at->lat);
  return CLI_OK;
}

/* ---- planning ------------------------------------------------------ */

static int ring(gn_ctx *ctx, design_args *d, gn_plan *plan, const char *phase) {
  if (d->ropts.mode == GN_RESILIENCE_NONE || d->nres == DESIGN_MAX_PHASES)
    return CLI_OK;
  gn_resilience_opts o = d->ropts;
  o.phase = phase;
  o.streets = d->streets; /* street mode: rings along the streets */
  gn_resilience_report *r = NULL;
  if (gn_resilience_augment(plan, &o, &r) != GN_OK) return cli_fail(ctx, "plan");
  d->res[d->nres++] = r;
  printf("resilience %s%s: %zu critical sites, %zu with two disjoint paths, "
         "%zu links added (%.1f km)\n",
         phase ? "phase " : "", phase ? phase : "all phases", r->critical, r->protected_, r->links_added, r->extra_m / 1000);
  for (size_t i = 0; i < r->nfails; i++)
    printf("  site %s: single path only: %s\n",
           gn_plan_site_get(plan, r->fails[i].site)->id, r->fails[i].reason);
  return CLI_OK;
}

static int one_phase(gn_ctx *ctx, design_args *d, gn_plan *plan,
                     const char *phase) {
  gn_points_opts o;
  gn_points_opts_init(&o);
  o.detour = d->pb.detour;
  o.phase = phase;
  o.long_m = 5000; /* a straight link of 5 km+ runs between towns */
  gn_points_stats *st = &d->points[d->npoints];
  if (gn_points_plan(plan, &o, st) != GN_OK) return cli_fail(ctx, "plan");
  d->npoints++;
  printf("points%s%s: %zu points, MST %.1f km -> Steiner tree %.1f km "
         "straight (-%.2f %%, %zu Steiner points) x detour %.2f = %.1f km\n",
         phase ? " phase " : "", phase ? phase : "", st->terminals,
         st->mst_m / 1000, st->tree_m / 1000, 100 * st->reduction,
         st->steiner_points, o.detour, st->length_m / 1000);
  return ring(ctx, d, plan, phase);
}

int design_plan_points(gn_ctx *ctx, design_args *d, gn_plan *plan) {
  char buf[64];
  snprintf(buf, sizeof buf, "%g", d->pb.detour);
  if (gn_plan_set_meta(plan, "mode", "points") != GN_OK ||
      gn_plan_set_meta(plan, "detour", buf) != GN_OK)
    return cli_fail(ctx, "plan");
  if (d->nphases == 0) return one_phase(ctx, d, plan, NULL);
  for (size_t k = 0; k < d->nphases; k++) {
    int rc = one_phase(ctx, d, plan, d->phases[k].name);
    if (rc != CLI_OK) return rc;
  }
  return CLI_OK;
}

int design_finish(gn_ctx *ctx, design_args *d, gn_plan *plan, int points_mode) {
  if (!points_mode && ring(ctx, d, plan, NULL) != CLI_OK) return CLI_ERR;
  gn_sizing_opts so;
  gn_sizing_opts_init(&so);
  memcpy(so.fibers_per_site, d->pb.fibers_per_site, sizeof so.fibers_per_site);
  so.spare = d->pb.spare;
  const char *mode = d->ropts.mode == GN_RESILIENCE_ALL        ? "all"
                     : d->ropts.mode == GN_RESILIENCE_CRITICAL ? "critical"
                                                               : "none";
  if (gn_plan_set_meta(plan, "resilience", mode) != GN_OK ||
      gn_plan_set_meta(plan, "price_book",
                       d->price_book ? d->price_book : "defaults") != GN_OK)
    return cli_fail(ctx, "plan");
  if (d->ropts.mode == GN_RESILIENCE_NONE) { /* flag them, add no ring */
    gn_resilience_opts o = d->ropts;
    o.mode = GN_RESILIENCE_CRITICAL;
    gn_resilience_mark(plan, &o);
  }
  if (gn_sizing_run(plan, &so) != GN_OK ||
      gn_cut_analyse(plan, NULL, NULL, NULL, &d->cut) != GN_OK ||
      gn_bom_build(plan, &d->pb, &d->bom) != GN_OK)
    return cli_fail(ctx, "plan");
  /* the BOM's total (all phases, engineering and contingency included):
   * `govnet db import` keeps it as the store summary's bom.cost_fcfa */
  char cost[64];
  snprintf(cost, sizeof cost, "%.0f", gn_bom_total_fcfa(d->bom));
  if (gn_plan_set_meta(plan, "cost_fcfa", cost) != GN_OK)
    return cli_fail(ctx, "plan");
  return CLI_OK;
}

/* ---- summary and printed figures ------------------------------------ */

static void print_phases(const design_args *d) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &n);
  for (size_t i = 0; i < n; i++)
    printf("phase %s: %zu buildings, %.1f km new trench (%.1f km for "
           "resilience), %.1f km cable, %zu closures, %zu ODF ports: "
           "%.3f bn FCFA (%.1f M FCFA per building; resilience %.3f bn)\n",
           ph[i].phase[0] ? ph[i].phase : "(single)", ph[i].buildings,
           ph[i].trench_m / 1000, ph[i].redundant_m / 1000,
           ph[i].cable_m / 1000, ph[i].closures, ph[i].odf_ports,
           ph[i].total_fcfa / 1e9, ph[i].per_building_fcfa / 1e6,
           ph[i].resilience_fcfa / 1e9);
}

static void print_cut(const design_args *d, const gn_plan *plan) {
  const gn_cut_summary *c = &d->cut;
  printf("single cut (trenches; drops are single by nature): %zu/%zu "
         "critical sites (%.1f %%) and %zu/%zu sites (%.1f %%) survive any "
         "single trench cut\n",
         c->critical_surviving, c->critical, 100 * c->share_critical,
         c->sites_surviving, c->sites, 100 * c->share_sites);
  if (c->worst_trench != (size_t)-1)
    printf("worst cut: trench %lld isolates %zu sites (%zu critical)\n",
           (long long)gn_plan_trench_get(plan, c->worst_trench)->id,
           c->worst_sites_lost, c->worst_critical_lost);
}

static void print_reference(const design_args *d) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &n);
  if (n == 0) return;
  printf("comparison with the real phase 1 (press figures, 2017):\n"
         "  real:   %.0f km, %d buildings, %.1f bn FCFA (%.1f M per building)\n"
         "  govnet: %.1f km trench, %zu buildings, %.2f bn FCFA (%.1f M per "
         "building)\n"
         "  assumptions: detour %.2f, %d fibers per site + %.0f %% spare, "
         "trench %.0f FCFA/m (unknown surface), engineering %.0f %% + "
         "contingency %.0f %%; excludes the data centre, active core "
         "equipment and operation\n",
         GN_REF_PHASE1_KM, GN_REF_PHASE1_BUILDINGS, GN_REF_PHASE1_FCFA / 1e9,
         GN_REF_PHASE1_FCFA / GN_REF_PHASE1_BUILDINGS / 1e6,
         ph[0].trench_m / 1000, ph[0].buildings, ph[0].total_fcfa / 1e9,
         ph[0].per_building_fcfa / 1e6, d->pb.detour,
         d->pb.fibers_per_site[GN_CAT_ADMIN], 100 * d->pb.spare,
         d->pb.trench_per_m[GN_ROAD_STRAIGHT], 100 * d->pb.engineering_share,
         100 * d->pb.contingency_share);
}

int design_report(gn_ctx *ctx, design_args *d, const gn_plan *plan,
                  gn_summary *sum, int points_mode) {
  const gn_resilience_report *res[DESIGN_MAX_PHASES];
  for (size_t i = 0; i < d->nres; i++) res[i] = d->res[i];
  const char *mode = gn_plan_get_meta(plan, "resilience");
  gn_design_info info = {points_mode ? "points" : "streets", d->pb.detour,
                         d->points, d->npoints, mode ? mode : "none", res,
                         d->nres, &d->cut, d->bom, d->pb.spare};
  if (gn_summary_add_design(sum, plan, &info) != GN_OK)
    return cli_fail(ctx, "plan");
  print_phases(d);
  print_cut(d, plan);
  printf("total: %.3f bn FCFA\n", gn_bom_total_fcfa(d->bom) / 1e9);
  if (points_mode) print_reference(d);
  return CLI_OK;
}
