/*
 * pipeline.c - gn_design_run: options in, finished plan out (see
 * include/govnet/pipeline.h for the steps).
 *
 * Design: one struct (run) carries the options, the price book in use
 * and every intermediate result, so each step is a small function that
 * reads and fills it; gn_design_result is that struct handed to the
 * caller. Progress text goes through the caller's log callback only.
 * Phase selection copies the selected sites into a new plan, labelled,
 * in phase order (a site in two phases' selections goes to the first).
 * Threads: reentrant; one gn_ctx per thread.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "govnet/steiner.h"
#include "io/text.h"
#include "util/internal.h"
#include "govnet/geo.h"
#include "govnet/pipeline.h"

struct gn_design_result {
  gn_ctx *ctx;
  const gn_design_opts *o; /* borrowed for the run only */
  gn_pricebook pb;
  gn_resilience_opts ropts;
  gn_graph *streets_graph;
  gn_street_net *streets; /* street mode with rings */
  gn_plan *plan;
  gn_summary *summary;
  gn_points_stats points[GN_DESIGN_MAX_PHASES];
  size_t npoints;
  gn_resilience_report *res[GN_DESIGN_MAX_PHASES];
  size_t nres;
  gn_cut_summary cut;
  gn_bom *bom;
  gn_layout_opts lopts;
  gn_hub_opts hopts;
  char **cand_ids; /* --hub-candidates */
  size_t ncand;
  gn_hub_set hubs;
  gn_layout *layout;
  double hubs_s;   /* time spent placing hubs */
};

void gn_design_opts_init(gn_design_opts *o) {
  memset(o, 0, sizeof(*o));
  gn_planner_opts_init(&o->planner);
  o->resilience = GN_RESILIENCE_NONE;
  o->critical_priority = INT_MAX;
  o->detour = -1;
  o->spare = -1;
  for (int c = 0; c < GN_CAT_COUNT; c++) o->fibers_per_site[c] = -1;
  o->hubs = 1;
}

static void say(const gn_design_result *r, const char *fmt, ...)
    GN__PRINTF(2, 3);

static void say(const gn_design_result *r, const char *fmt, ...) {
  if (!r->o->log) return;
  char buf[2048];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  r->o->log(r->o->log_ud, buf);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- price book and options ---------------------------------------- */

/* --optics ACCESS[,PROTECT], the access reach, --hub-candidates. */
static gn_status prepare_optics(gn_design_result *r) {
  const gn_design_opts *o = r->o;
  gn_layout_opts_init(&r->lopts);
  gn_layout_opts_from_pricebook(&r->lopts, &r->pb);
  if (o->optics) {
    char a[32] = "", p[32] = "";
    const char *comma = strchr(o->optics, ',');
    size_t na = comma ? (size_t)(comma - o->optics) : strlen(o->optics);
    if (na >= sizeof a || (comma && strlen(comma + 1) >= sizeof p))
      return gn__fail(r->ctx, GN_EINVAL, "--optics '%s': expected "
                      "ACCESS[,PROTECT] (classes lr10, er40, zr80)", o->optics);
    memcpy(a, o->optics, na);
    if (comma) snprintf(p, sizeof p, "%s", comma + 1);
    gn_optics_class ca = gn_optics_parse(a);
    gn_optics_class cp = comma ? gn_optics_parse(p) : r->lopts.protect;
    if (ca == GN_OPTICS_COUNT || cp == GN_OPTICS_COUNT)
      return gn__fail(r->ctx, GN_EINVAL, "--optics '%s': unknown class '%s' "
                      "(known: lr10, er40, zr80)", o->optics,
                      ca == GN_OPTICS_COUNT ? a : p);
    r->lopts.access = ca;
    r->lopts.protect = cp;
  }
  gn_hub_opts_init(&r->hopts);
  const gn_optics *ac = &r->lopts.optics[r->lopts.access];
  /* the reach, or the length the budget closes with the margin, the
   * connectors and a dozen splices, whichever is shorter */
  double per_km = ac->nm >= 1450 ? GN_LOSS_DB_PER_KM_1550 : GN_LOSS_DB_PER_KM_1310;
  double fixed = r->lopts.margin_db + GN_LOSS_CONNECTORS * GN_LOSS_DB_PER_CONNECTOR +
                 12 * GN_LOSS_DB_PER_SPLICE;
  double by_loss = (ac->budget_db - fixed) / per_km;
  r->hopts.reach_m = 1000 * (by_loss < ac->reach_km ? by_loss : ac->reach_km);
  if (!(r->hopts.reach_m > 0))
    return gn__fail(r->ctx, GN_EINVAL, "optics class %s: budget %.1f dB does "
                    "not cover its connectors, splices and margin",
                    gn_optics_name(r->lopts.access), ac->budget_db);
  if (!o->hub_candidates) return GN_OK;
  gn_status st = gn_io_read_ids(r->ctx, o->hub_candidates, &r->cand_ids,
                                &r->ncand);
  r->hopts.candidates = (const char *const *)r->cand_ids;
  r->hopts.ncandidates = r->ncand;
  return st;
}

static gn_status prepare(gn_design_result *r) {
  const gn_design_opts *o = r->o;
  gn_pricebook_init(&r->pb);
  if (o->price_book) {
    gn_status st = gn_pricebook_read(r->ctx, o->price_book, &r->pb);
    if (st != GN_OK) return st;
  }
  for (int c = 0; c < GN_CAT_COUNT; c++)
    if (o->fibers_per_site[c] >= 0) r->pb.fibers_per_site[c] = o->fibers_per_site[c];
  if (o->detour > 0) r->pb.detour = o->detour;
  if (o->spare >= 0) r->pb.spare = o->spare;
  gn_resilience_opts_init(&r->ropts);
  r->ropts.mode = o->resilience;
  r->ropts.min_priority = o->critical_priority;
  r->ropts.detour = r->pb.detour;
  gn_status st = prepare_optics(r);
  if (st != GN_OK || !o->critical) return st;
  return gn_resilience_parse_categories(r->ctx, o->critical,
                                        &r->ropts.category_mask);
}

static gn_status load_roads(gn_design_result *r) {
  gn_osm_stats st;
  double t0 = now_s();
  gn_status s = gn_osm_read(r->ctx, r->o->roads, NULL, &r->streets_graph, &st);
  if (s != GN_OK) return s;
  say(r, "roads: %s: %zu ways, %zu nodes -> %zu junctions, %zu edges, "
      "%.1f km, %zu components (largest %zu junctions), %.2f s\n",
      r->o->roads, st.ways, st.nodes, st.junctions, st.edges,
      st.length_m / 1000, st.components, st.largest_component, now_s() - t0);
  return GN_OK;
}

static gn_status load_sites(gn_design_result *r) {
  gn_sites_opts so;
  gn_sites_opts_init(&so);
  so.layer = r->o->layer;
  so.id_field = r->o->id_field;
  so.encoding = r->o->encoding;
  gn_status s = gn_plan_create(r->ctx, &r->plan);
  if (s == GN_OK) s = gn_io_read_sites(r->ctx, r->o->sites, &so, r->plan);
  return s;
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

static gn_status parse_bbox(gn_ctx *ctx, const gn_design_phase *ph,
                            const char *s, selector *sel) {
  char buf[128];
  snprintf(buf, sizeof buf, "%s", s);
  char *p = buf;
  for (int i = 0; i < 4; i++) {
    char *comma = strchr(p, ',');
    if ((i < 3) != (comma != NULL))
      return gn__fail(ctx, GN_EINVAL, "phase %s: bbox needs W,S,E,N", ph->name);
    if (comma) *comma = '\0';
    if (gn__parse_decimal(p, &sel->bbox[i]) != 0)
      return gn__fail(ctx, GN_EINVAL, "phase %s: bad bbox number '%s'",
                      ph->name, p);
    p = comma ? comma + 1 : p;
  }
  sel->kind = SEL_BBOX;
  return GN_OK;
}

static gn_status parse_near(gn_ctx *ctx, const gn_design_phase *ph,
                            const char *s, const gn_town *t, size_t nt,
                            selector *sel) {
  char buf[512];
  snprintf(buf, sizeof buf, "%s", s);
  char *at = strchr(buf, '@');
  sel->km = 5.0;
  if (at) {
    *at = '\0';
    if (gn__parse_decimal(at + 1, &sel->km) != 0 || !(sel->km > 0))
      return gn__fail(ctx, GN_EINVAL, "phase %s: bad radius '%s'", ph->name,
                      at + 1);
  }
  if (!t)
    return gn__fail(ctx, GN_EINVAL, "phase %s: near: needs --towns FILE",
                    ph->name);
  for (char *p = buf; p && *p;) {
    char *comma = strchr(p, ',');
    if (comma) *comma = '\0';
    const gn_town *town = find_town(t, nt, p);
    if (!town)
      return gn__fail(ctx, GN_ENOTFOUND,
                      "phase %s: town '%s' is not in the towns file", ph->name,
                      p);
    if (sel->nnear == MAX_NEAR)
      return gn__fail(ctx, GN_EINVAL, "phase %s: too many towns", ph->name);
    sel->near[sel->nnear++] = town;
    p = comma ? comma + 1 : NULL;
  }
  sel->kind = SEL_NEAR;
  return GN_OK;
}

/* "true"/"false" as GDAL prints booleans ("1"/"0"). */
static const char *norm_bool(const char *v) {
  if (strcasecmp(v, "true") == 0) return "1";
  if (strcasecmp(v, "false") == 0) return "0";
  return v;
}

static gn_status parse_prop(gn_ctx *ctx, const gn_design_phase *ph,
                            const char *s, const char *sites, selector *sel) {
  const char *eq = strchr(s, '=');
  char key[64];
  if (!eq || eq == s || (size_t)(eq - s) >= sizeof key)
    return gn__fail(ctx, GN_EINVAL, "phase %s: expected prop:KEY=VALUE",
                    ph->name);
  snprintf(key, sizeof key, "%.*s", (int)(eq - s), s);
  snprintf(sel->want, sizeof sel->want, "%s", norm_bool(eq + 1));
  gn_status st = gn_io_site_values(ctx, sites, key, &sel->values, &sel->nvalues);
  if (st != GN_OK) return st;
  sel->kind = SEL_PROP;
  return GN_OK;
}

static gn_status parse_selector(gn_ctx *ctx, const gn_design_phase *ph,
                                const gn_town *t, size_t nt, const char *sites,
                                selector *sel) {
  memset(sel, 0, sizeof(*sel));
  const char *s = ph->selector ? ph->selector : "all";
  if (strcmp(s, "all") == 0) return GN_OK;
  if (strncmp(s, "prop:", 5) == 0) return parse_prop(ctx, ph, s + 5, sites, sel);
  if (strncmp(s, "bbox:", 5) == 0) return parse_bbox(ctx, ph, s + 5, sel);
  if (strncmp(s, "near:", 5) == 0) return parse_near(ctx, ph, s + 5, t, nt, sel);
  return gn__fail(ctx, GN_EINVAL,
                  "phase %s: unknown selector '%s' (all, bbox:W,S,E,N, "
                  "near:TOWN,...@KM, prop:KEY=VALUE)",
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

static gn_status copy_selected(gn_design_result *r, const selector *sel,
                               gn_plan *out) {
  const gn_design_opts *o = r->o;
  size_t count[GN_DESIGN_MAX_PHASES] = {0};
  for (size_t i = 0; i < gn_plan_site_count(r->plan); i++) {
    gn_plan_site s = *gn_plan_site_get(r->plan, i);
    size_t k = 0;
    while (k < o->nphases && !selected(&sel[k], &s)) k++;
    if (k == o->nphases) continue;
    s.phase = (char *)o->phases[k].name;
    gn_status st = gn_plan_add_site(out, &s, NULL);
    if (st != GN_OK) return st;
    count[k]++;
  }
  for (size_t k = 0; k < o->nphases; k++)
    say(r, "phase %s: %zu sites (%s)\n", o->phases[k].name, count[k],
        o->phases[k].selector ? o->phases[k].selector : "all");
  return GN_OK;
}

static gn_status select_phases(gn_design_result *r) {
  const gn_design_opts *o = r->o;
  if (o->nphases == 0) return GN_OK;
  if (o->nphases > GN_DESIGN_MAX_PHASES)
    return gn__fail(r->ctx, GN_EINVAL, "too many phases (at most %d)",
                    GN_DESIGN_MAX_PHASES);
  gn_town *towns = NULL;
  size_t nt = 0;
  gn_status st = GN_OK;
  if (o->towns) st = gn_towns_read(r->ctx, o->towns, &towns, &nt);
  selector sel[GN_DESIGN_MAX_PHASES];
  memset(sel, 0, sizeof sel);
  for (size_t k = 0; st == GN_OK && k < o->nphases; k++)
    st = parse_selector(r->ctx, &o->phases[k], towns, nt, o->sites, &sel[k]);
  gn_plan *out = NULL;
  if (st == GN_OK) st = gn_plan_create(r->ctx, &out);
  if (st == GN_OK) st = copy_selected(r, sel, out);
  gn_free(r->ctx, towns);
  for (size_t k = 0; k < o->nphases; k++)
    gn_site_values_free(r->ctx, sel[k].values, sel[k].nvalues);
  if (st != GN_OK) {
    gn_plan_free(out);
    return st;
  }
  gn_plan_free(r->plan);
  r->plan = out;
  return GN_OK;
}

/* ---- POPs ------------------------------------------------------------ */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* Points mode without a POP: the site nearest the median of the sites. */
static gn_status auto_pop_points(gn_design_result *r) {
  gn_plan *plan = r->plan;
  size_t n = gn_plan_site_count(plan);
  if (n == 0) return gn__fail(r->ctx, GN_EINVAL, "no site to place a POP near");
  double *v = gn_malloc(r->ctx, 2 * n * sizeof(double));
  if (!v) return gn__fail(r->ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++) {
    v[i] = gn_plan_site_get(plan, i)->lon;
    v[n + i] = gn_plan_site_get(plan, i)->lat;
  }
  qsort(v, n, sizeof(double), cmp_double);
  qsort(v + n, n, sizeof(double), cmp_double);
  double mlon = v[n / 2], mlat = v[n + n / 2], best = INFINITY;
  gn_free(r->ctx, v);
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
  gn_status st = gn_plan_add_pop(plan, &pop, NULL);
  if (st != GN_OK) return st;
  say(r, "pop: none given; placed at site %s (%.6f,%.6f), nearest the "
      "median of the sites\n", at->id, at->lon, at->lat);
  return GN_OK;
}

/* Distance from (lon,lat) to the sites' bounding box (0 inside); the box
 * in box[4] and its diagonal in *diag_m. Needs at least one site. */
static double dist_to_sites_m(const gn_plan *plan, double lon, double lat,
                              double box[4], double *diag_m) {
  box[0] = box[1] = 1e9;
  box[2] = box[3] = -1e9;
  for (size_t i = 0; i < gn_plan_site_count(plan); i++) {
    const gn_plan_site *s = gn_plan_site_get(plan, i);
    if (s->lon < box[0]) box[0] = s->lon;
    if (s->lat < box[1]) box[1] = s->lat;
    if (s->lon > box[2]) box[2] = s->lon;
    if (s->lat > box[3]) box[3] = s->lat;
  }
  *diag_m = gn_geo_distance_m(box[0], box[1], box[2], box[3]);
  double cx = lon < box[0] ? box[0] : lon > box[2] ? box[2] : lon;
  double cy = lat < box[1] ? box[1] : lat > box[3] ? box[3] : lat;
  return gn_geo_distance_m(lon, lat, cx, cy);
}

/* A POP given as lon,lat must lie near the sites: farther from their box
 * than max(20 km, half its diagonal) is a mistake, most often latitude
 * and longitude swapped (a POP in the sea plans 1,200 km of trench).
 * Swapped coordinates are refused in both modes; another far POP is
 * refused here in points mode, while over streets the street planner
 * says whether the POP or the sites are off the network. */
static gn_status check_pop_near(gn_design_result *r, const char *v, double lon,
                                double lat) {
  if (gn_plan_site_count(r->plan) == 0) return GN_OK;
  double box[4], diag = 0, swap_diag = 0;
  double d = dist_to_sites_m(r->plan, lon, lat, box, &diag);
  double limit = diag / 2 > 20000 ? diag / 2 : 20000;
  if (d <= limit) return GN_OK;
  int swap_ok = gn_geo_valid_lonlat(lat, lon) &&
                dist_to_sites_m(r->plan, lat, lon, box, &swap_diag) <= limit;
  if (swap_ok)
    return gn__fail(r->ctx, GN_EGEOM,
                    "--pop %s lies %.0f km from the sites: latitude and longitude look "
                    "swapped; did you mean --pop %.7g,%.7g (longitude first)?",
                    v, d / 1000, lat, lon);
  if (r->streets_graph) return GN_OK; /* the street planner names the real cause */
  return gn__fail(r->ctx, GN_EGEOM,
                  "--pop %s lies %.0f km outside the sites' extent (lon %.4f..%.4f, "
                  "lat %.4f..%.4f); give it as longitude,latitude near the sites",
                  v, d / 1000, box[0], box[2], box[1], box[3]);
}

/* "lon,lat" or a site id (the POP sits at that site). */
static gn_status add_one_pop(gn_design_result *r, const char *v, size_t k) {
  char id[32], lonbuf[64];
  gn_plan_pop pop = {NULL, NULL, 0, 0, GN_NONE};
  const char *comma = strchr(v, ',');
  snprintf(id, sizeof(id), "pop%zu", k + 1);
  if (comma && (size_t)(comma - v) < sizeof(lonbuf)) {
    memcpy(lonbuf, v, (size_t)(comma - v));
    lonbuf[comma - v] = '\0';
    if (gn__parse_decimal(lonbuf, &pop.lon) != 0 || gn__parse_decimal(comma + 1, &pop.lat) != 0 ||
        !gn_geo_valid_lonlat(pop.lon, pop.lat))
      return gn__fail(r->ctx, GN_EGEOM, "--pop %s: not a valid lon,lat", v);
    gn_status st = check_pop_near(r, v, pop.lon, pop.lat);
    if (st != GN_OK) return st;
    pop.id = id;
  } else {
    for (size_t i = 0; i < gn_plan_site_count(r->plan) && !pop.id; i++) {
      const gn_plan_site *s = gn_plan_site_get(r->plan, i);
      if (strcmp(s->id, v) != 0) continue;
      pop = (gn_plan_pop){(char *)s->id, s->name, s->lon, s->lat, GN_NONE};
    }
    if (!pop.id)
      return gn__fail(r->ctx, GN_ENOTFOUND, "--pop %s: no site has this id", v);
  }
  return gn_plan_add_pop(r->plan, &pop, NULL);
}

static gn_status add_pops(gn_design_result *r) {
  const gn_design_opts *o = r->o;
  if (o->npops > GN_DESIGN_MAX_POPS)
    return gn__fail(r->ctx, GN_EINVAL, "too many POPs (at most %d)",
                    GN_DESIGN_MAX_POPS);
  for (size_t k = 0; k < o->npops; k++) {
    gn_status st = add_one_pop(r, o->pops[k], k);
    if (st != GN_OK) return st;
  }
  if (o->npops) return GN_OK;
  if (!r->streets_graph) return auto_pop_points(r);
  gn_plan_pop pop = {"pop1", "auto: street point nearest the sites' median",
                     0, 0, GN_NONE};
  gn_status st = gn_planner_auto_pop(r->ctx, r->streets_graph, r->plan,
                                     &o->planner, &pop.lon, &pop.lat);
  if (st == GN_OK) st = gn_plan_add_pop(r->plan, &pop, NULL);
  if (st != GN_OK) return st;
  say(r, "pop: none given; placed at %.6f,%.6f (median of the sites)\n",
      pop.lon, pop.lat);
  return GN_OK;
}

/* ---- planning ------------------------------------------------------ */

static gn_status ring(gn_design_result *r, const char *phase) {
  if (r->ropts.mode == GN_RESILIENCE_NONE || r->nres == GN_DESIGN_MAX_PHASES)
    return GN_OK;
  gn_resilience_opts o = r->ropts;
  o.phase = phase;
  o.streets = r->streets; /* street mode: rings along the streets */
  gn_resilience_report *rep = NULL;
  gn_status st = gn_resilience_augment(r->plan, &o, &rep);
  if (st != GN_OK) return st;
  r->res[r->nres++] = rep;
  say(r, "resilience %s%s: %zu critical sites, %zu with two disjoint paths, "
      "%zu links added (%.1f km)\n",
      phase ? "phase " : "", phase ? phase : "all phases", rep->critical,
      rep->protected_, rep->links_added, rep->extra_m / 1000);
  for (size_t i = 0; i < rep->nfails; i++)
    say(r, "  site %s: single path only: %s\n",
        gn_plan_site_get(r->plan, rep->fails[i].site)->id,
        rep->fails[i].reason);
  return GN_OK;
}

/* Hubs for the buildings no hub or POP reaches yet (all phases so far). */
static gn_status place_hubs(gn_design_result *r) {
  if (!r->o->hubs) return GN_OK;
  double t0 = now_s();
  size_t before = r->hubs.n;
  gn_status st = gn_hubs_place(r->plan, &r->hopts, &r->hubs);
  if (st != GN_OK) return st;
  r->hubs_s += now_s() - t0;
  say(r, "hubs: %zu placed (+%zu; at least %zu needed), every building within "
      "%.1f km of a hub or POP%s\n", r->hubs.n, r->hubs.n - before,
      r->hubs.lower_bound, r->hopts.reach_m / 1000,
      r->hubs.uncovered ? " except some (see summary)" : "");
  return GN_OK;
}

/* Hubs become POPs; the cable layout and circuits; their figures. */
static gn_status lay_out(gn_design_result *r) {
  gn_status st = r->o->hubs ? gn_hubs_commit(r->plan, &r->hubs) : GN_OK;
  char buf[64];
  snprintf(buf, sizeof buf, "%s,%s", gn_optics_name(r->lopts.access),
           gn_optics_name(r->lopts.protect));
  if (st == GN_OK) st = gn_plan_set_meta(r->plan, "optics", buf);
  snprintf(buf, sizeof buf, "%.17g", r->lopts.spare);
  if (st == GN_OK) st = gn_plan_set_meta(r->plan, "layout_spare", buf);
  if (st == GN_OK) st = gn_layout_build(r->plan, &r->lopts, &r->layout);
  if (st != GN_OK) return st;
  const gn_layout_stats *x = gn_layout_get_stats(r->layout);
  for (int c = 0; st == GN_OK && c < GN_OPTICS_COUNT; c++) {
    char key[48]; /* the store's summary counts the core's modules */
    snprintf(key, sizeof key, "optics_core.%s", gn_optics_name((gn_optics_class)c));
    snprintf(buf, sizeof buf, "%zu", x->optics_core[c]);
    st = gn_plan_set_meta(r->plan, key, buf);
  }
  say(r, "circuits: %zu (%zu working: max %.1f km, median %.0f splices, "
      "loss %.2f dB max at 1310 nm; %zu protect: max %.1f km), %zu over "
      "budget; %zu cables, %zu closures, %zu splices\n",
      x->circuits_total, x->circuits_working, x->working_km_max,
      x->working_splices_median, x->working_loss_db_max, x->circuits_protect,
      x->protect_km_max, x->circuits_over_budget, x->cables, x->closures,
      x->splices);
  return st;
}

static gn_status one_phase(gn_design_result *r, const char *phase) {
  gn_points_opts o;
  gn_points_opts_init(&o);
  o.detour = r->pb.detour;
  o.phase = phase;
  o.long_m = 5000; /* a straight link of 5 km+ runs between towns */
  gn_points_stats *st = &r->points[r->npoints];
  gn_status s = gn_points_plan(r->plan, &o, st);
  if (s != GN_OK) return s;
  r->npoints++;
  say(r, "points%s%s: %zu points, MST %.1f km -> Steiner tree %.1f km "
      "straight (-%.2f %%, %zu Steiner points) x detour %.2f = %.1f km\n",
      phase ? " phase " : "", phase ? phase : "", st->terminals,
      st->mst_m / 1000, st->tree_m / 1000, 100 * st->reduction,
      st->steiner_points, o.detour, st->length_m / 1000);
  s = place_hubs(r);
  return s == GN_OK ? ring(r, phase) : s;
}

static gn_status plan_points(gn_design_result *r) {
  char buf[64];
  snprintf(buf, sizeof buf, "%g", r->pb.detour);
  gn_status st = gn_plan_set_meta(r->plan, "mode", "points");
  if (st == GN_OK) st = gn_plan_set_meta(r->plan, "detour", buf);
  if (st != GN_OK) return st;
  if (r->o->nphases == 0) return one_phase(r, NULL);
  for (size_t k = 0; k < r->o->nphases; k++) {
    st = one_phase(r, r->o->phases[k].name);
    if (st != GN_OK) return st;
  }
  return GN_OK;
}

/* planner.on_instance for --dump-stp: the planner's own instance. */
static gn_status dump_instance(void *ud, const gn_graph *g, const gn_id *terms,
                               size_t nterm) {
  gn_design_result *r = ud;
  gn_status st = gn_stp_write(r->ctx, r->o->dump_stp, g, terms, nterm,
                              r->o->sites);
  if (st == GN_OK)
    say(r, "steiner instance: %zu nodes, %zu edges, %zu terminals -> %s\n",
        gn_graph_node_count(g), gn_graph_edge_count(g), nterm,
        r->o->dump_stp);
  return st;
}

/* Streets (gn_plan_streets_net, phases in order) or points mode. */
static gn_status make_plan(gn_design_result *r) {
  const gn_design_opts *o = r->o;
  double t0 = now_s();
  gn_status st = gn_plan_set_meta(r->plan, "roads", o->roads ? o->roads : "none");
  if (st == GN_OK) st = gn_plan_set_meta(r->plan, "sites", o->sites);
  if (st != GN_OK) return st;
  if (o->dump_stp && (!r->streets_graph || o->nphases))
    return gn__fail(r->ctx, GN_EINVAL, "--dump-stp %s: needs street mode "
                    "(--roads) without phases", o->dump_stp);
  if (r->streets_graph) {
    gn_street_net **keep = r->ropts.mode != GN_RESILIENCE_NONE
                               ? &r->streets
                               : NULL; /* rings follow the streets */
    const char *names[GN_DESIGN_MAX_PHASES];
    for (size_t k = 0; k < o->nphases; k++) names[k] = o->phases[k].name;
    gn_planner_opts popts = o->planner;
    popts.phases = names;
    popts.nphases = o->nphases;
    if (o->dump_stp) {
      popts.on_instance = dump_instance;
      popts.on_instance_ud = r;
    }
    st = gn_plan_streets_net(r->ctx, r->streets_graph, r->plan, &popts, keep);
  } else {
    st = plan_points(r);
  }
  if (st != GN_OK) return st;
  say(r, "planned in %.2f s\n", now_s() - t0);
  const char *lb = gn_plan_get_meta(r->plan, "steiner_lower_bound");
  const char *gap = gn_plan_get_meta(r->plan, "certified_gap_pct");
  if (lb && gap)
    say(r, "steiner: tree cost %s, proven lower bound %s: within %s %% of "
        "the cheapest possible trench network\n",
        gn_plan_get_meta(r->plan, "steiner_cost"), lb, gap);
  return GN_OK;
}

static const char *mode_name(gn_resilience_mode m) {
  return m == GN_RESILIENCE_ALL        ? "all"
         : m == GN_RESILIENCE_CRITICAL ? "critical"
                                       : "none";
}

/* Rings (street mode), sizing, cut analysis, BOM and its total. */
static gn_status finish(gn_design_result *r) {
  gn_status st = GN_OK;
  if (r->streets_graph) st = place_hubs(r);
  if (st == GN_OK && r->streets_graph) st = ring(r, NULL);
  if (st != GN_OK) return st;
  gn_sizing_opts so;
  gn_sizing_opts_init(&so);
  memcpy(so.fibers_per_site, r->pb.fibers_per_site, sizeof so.fibers_per_site);
  so.spare = r->pb.spare;
  st = gn_plan_set_meta(r->plan, "resilience", mode_name(r->ropts.mode));
  if (st == GN_OK)
    st = gn_plan_set_meta(r->plan, "price_book",
                          r->o->price_book ? r->o->price_book : "defaults");
  if (st != GN_OK) return st;
  if (r->ropts.mode == GN_RESILIENCE_NONE) { /* flag them, add no ring */
    gn_resilience_opts o = r->ropts;
    o.mode = GN_RESILIENCE_CRITICAL;
    gn_resilience_mark(r->plan, &o);
  }
  st = gn_sizing_run(r->plan, &so);
  if (st == GN_OK) st = gn_cut_analyse(r->plan, NULL, NULL, NULL, &r->cut);
  if (st == GN_OK) st = lay_out(r);
  if (st == GN_OK) st = gn_bom_build_layout(r->plan, &r->pb, r->layout, &r->bom);
  if (st != GN_OK) return st;
  /* the BOM's total (all phases, engineering and contingency included):
   * `govnet db import` keeps it as the store summary's bom.cost_fcfa */
  char cost[64];
  snprintf(cost, sizeof cost, "%.0f", gn_bom_total_fcfa(r->bom));
  return gn_plan_set_meta(r->plan, "cost_fcfa", cost);
}

/* ---- summary and printed figures ------------------------------------ */

static void say_phases(const gn_design_result *r) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(r->bom, &n);
  for (size_t i = 0; i < n; i++)
    say(r, "phase %s: %zu buildings, %.1f km new trench (%.1f km for "
        "resilience), %.1f km cable, %zu closures, %zu ODF ports: "
        "%.3f bn FCFA (%.1f M FCFA per building; resilience %.3f bn)\n",
        ph[i].phase[0] ? ph[i].phase : "(single)", ph[i].buildings,
        ph[i].trench_m / 1000, ph[i].redundant_m / 1000, ph[i].cable_m / 1000,
        ph[i].closures, ph[i].odf_ports, ph[i].total_fcfa / 1e9,
        ph[i].per_building_fcfa / 1e6, ph[i].resilience_fcfa / 1e9);
}

static void say_cut(const gn_design_result *r) {
  const gn_cut_summary *c = &r->cut;
  say(r, "single cut (trenches; drops are single by nature): %zu/%zu "
      "critical sites (%.1f %%) and %zu/%zu sites (%.1f %%) survive any "
      "single trench cut\n",
      c->critical_surviving, c->critical, 100 * c->share_critical,
      c->sites_surviving, c->sites, 100 * c->share_sites);
  if (c->worst_trench != (size_t)-1)
    say(r, "worst cut: trench %lld isolates %zu sites (%zu critical)\n",
        (long long)gn_plan_trench_get(r->plan, c->worst_trench)->id,
        c->worst_sites_lost, c->worst_critical_lost);
}

static void say_reference(const gn_design_result *r) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(r->bom, &n);
  if (n == 0) return;
  const gn_pricebook *pb = &r->pb;
  say(r, "comparison with the real phase 1 (press figures, 2017):\n"
      "  real:   %.0f km, %d buildings, %.1f bn FCFA (%.1f M per building)\n"
      "  govnet: %.1f km trench, %zu buildings, %.2f bn FCFA (%.1f M per "
      "building)\n"
      "  assumptions: detour %.2f, %d fibers per site + %.0f %% spare, "
      "trench %.0f FCFA/m (unknown surface), engineering %.0f %% + "
      "contingency %.0f %%; excludes the data centre, active core "
      "equipment and operation\n",
      GN_REF_PHASE1_KM, GN_REF_PHASE1_BUILDINGS, GN_REF_PHASE1_FCFA / 1e9,
      GN_REF_PHASE1_FCFA / GN_REF_PHASE1_BUILDINGS / 1e6, ph[0].trench_m / 1000,
      ph[0].buildings, ph[0].total_fcfa / 1e9, ph[0].per_building_fcfa / 1e6,
      pb->detour, pb->fibers_per_site[GN_CAT_ADMIN], 100 * pb->spare,
      pb->trench_per_m[GN_ROAD_STRAIGHT], 100 * pb->engineering_share,
      100 * pb->contingency_share);
}

static gn_status summarise(gn_design_result *r) {
  int points_mode = r->streets_graph == NULL;
  gn_status st = gn_summary_create(r->plan, &r->summary);
  if (st != GN_OK) return st;
  const gn_resilience_report *res[GN_DESIGN_MAX_PHASES];
  for (size_t i = 0; i < r->nres; i++) res[i] = r->res[i];
  gn_design_info info = {points_mode ? "points" : "streets", r->pb.detour,
                         r->points, r->npoints, mode_name(r->ropts.mode), res,
                         r->nres, &r->cut, r->bom, r->pb.spare,
                         r->layout, r->o->hubs ? &r->hubs : NULL, &r->lopts};
  st = gn_summary_add_design(r->summary, r->plan, &info);
  if (st != GN_OK) return st;
  say_phases(r);
  say_cut(r);
  say(r, "total: %.3f bn FCFA\n", gn_bom_total_fcfa(r->bom) / 1e9);
  if (points_mode) say_reference(r);
  return GN_OK;
}

/* ---- entry points ---------------------------------------------------- */

gn_status gn_design_run(gn_ctx *ctx, const gn_design_opts *o,
                        gn_design_result **out) {
  *out = NULL;
  gn_ctx_clear(ctx);
  if (!o->sites) return gn__fail(ctx, GN_EINVAL, "no sites file given");
  gn_design_result *r = gn_malloc(ctx, sizeof(*r));
  if (!r) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  memset(r, 0, sizeof(*r));
  r->ctx = ctx;
  r->o = o;
  gn_status st = prepare(r);
  if (st == GN_OK && o->roads) st = load_roads(r);
  if (st == GN_OK) st = load_sites(r);
  if (st == GN_OK) st = select_phases(r);
  if (st == GN_OK) st = add_pops(r);
  if (st == GN_OK) st = make_plan(r);
  if (st == GN_OK) st = finish(r);
  if (st == GN_OK) st = summarise(r);
  /* the street graph and net are only needed while planning */
  gn_street_net_free(r->streets);
  r->streets = NULL;
  gn_graph_free(r->streets_graph);
  r->streets_graph = NULL;
  r->o = NULL;
  if (st != GN_OK) {
    gn_design_result_free(r);
    return st;
  }
  *out = r;
  return GN_OK;
}

void gn_design_result_free(gn_design_result *r) {
  if (!r) return;
  for (size_t i = 0; i < r->nres; i++) gn_resilience_report_free(r->ctx, r->res[i]);
  gn_bom_free(r->bom);
  gn_summary_free(r->summary);
  gn_layout_free(r->layout);
  gn_hub_set_free(r->ctx, &r->hubs);
  for (size_t i = 0; i < r->ncand; i++) gn_free(r->ctx, r->cand_ids[i]);
  gn_free(r->ctx, r->cand_ids);
  gn_plan_free(r->plan);
  gn_street_net_free(r->streets);
  gn_graph_free(r->streets_graph);
  gn_free(r->ctx, r);
}

const gn_plan *gn_design_result_plan(const gn_design_result *r) {
  return r->plan;
}

const gn_summary *gn_design_result_summary(const gn_design_result *r) {
  return r->summary;
}

const gn_bom *gn_design_result_bom(const gn_design_result *r) { return r->bom; }

const gn_pricebook *gn_design_result_pricebook(const gn_design_result *r) {
  return &r->pb;
}

gn_plan *gn_design_result_steal_plan(gn_design_result *r) {
  gn_plan *p = r->plan;
  r->plan = NULL;
  return p;
}
