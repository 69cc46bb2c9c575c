/*
 * design_summary.c - The design figures (cost, resilience, single cut,
 * phases, BOM, comparison with the real phase 1) as keys of the plan
 * summary JSON.
 * Design: each group is built as a jansson value, serialised and handed
 * to gn_summary_set_json/number, so the summary module stays the one
 * owner of the summary object.
 */
#include <jansson.h>
#include <stdlib.h>

#include "govnet/io.h"
#include "io/summary_int.h"
#include "util/internal.h"

static gn_status set_value(gn_summary *s, const char *key, json_t *v) {
  return gn__summary_set_value(s, key, v);
}

static json_t *phases_json(const gn_bom *b) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(b, &n);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        a, json_pack("{s:s,s:I,s:f,s:f,s:f,s:I,s:I,s:I,s:f,s:f,s:f}", "phase",
                     ph[i].phase, "buildings", (json_int_t)ph[i].buildings,
                     "trench_m", ph[i].trench_m, "redundant_m", ph[i].redundant_m,
                     "cable_m", ph[i].cable_m, "closures",
                     (json_int_t)ph[i].closures, "odf_ports",
                     (json_int_t)ph[i].odf_ports, "cpe", (json_int_t)ph[i].cpe,
                     "cost_fcfa", ph[i].total_fcfa, "resilience_cost_fcfa",
                     ph[i].resilience_fcfa, "cost_per_building_fcfa",
                     ph[i].per_building_fcfa));
  return a;
}

static json_t *bom_json(const gn_bom *b) {
  size_t n;
  const gn_bom_line *l = gn_bom_lines(b, &n);
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(
        a, json_pack("{s:s,s:s,s:s,s:f,s:f,s:f}", "phase", l[i].phase, "item",
                     l[i].item, "unit", l[i].unit, "quantity", l[i].quantity,
                     "unit_fcfa", l[i].unit_fcfa, "total_fcfa",
                     l[i].total_fcfa));
  return a;
}

static json_t *resilience_fails(const gn_plan *p, const gn_design_info *d) {
  json_t *a = json_array();
  for (size_t k = 0; k < d->nresilience; k++) {
    const gn_resilience_report *r = d->resilience[k];
    for (size_t i = 0; r && i < r->nfails; i++)
      json_array_append_new(
          a, json_pack("{s:s,s:s}", "id",
                       gn_plan_site_get(p, r->fails[i].site)->id, "reason",
                       r->fails[i].reason));
  }
  return a;
}

static json_t *steiner_json(const gn_design_info *d) {
  gn_points_stats t = {0};
  for (size_t i = 0; i < d->npoints; i++) {
    t.terminals += d->points[i].terminals;
    t.steiner_points += d->points[i].steiner_points;
    t.mst_m += d->points[i].mst_m;
    t.tree_m += d->points[i].tree_m;
    t.length_m += d->points[i].length_m;
  }
  return json_pack("{s:f,s:I,s:I,s:f,s:f,s:f,s:f}", "detour", d->detour,
                   "terminals", (json_int_t)t.terminals, "steiner_points",
                   (json_int_t)t.steiner_points, "mst_straight_m", t.mst_m,
                   "tree_straight_m", t.tree_m, "reduction_vs_mst",
                   t.mst_m > 0 ? 1 - t.tree_m / t.mst_m : 0.0,
                   "street_m", t.length_m);
}

static json_t *cut_json(const gn_plan *p, const gn_cut_summary *c) {
  const gn_plan_trench *t = c->worst_trench != (size_t)-1
                                ? gn_plan_trench_get(p, c->worst_trench)
                                : NULL;
  if (!t) return json_null();
  return json_pack("{s:I,s:I,s:I}", "trench_id", (json_int_t)t->id,
                   "sites_lost", (json_int_t)c->worst_sites_lost,
                   "critical_lost", (json_int_t)c->worst_critical_lost);
}

static json_t *reference_json(const gn_bom *b) {
  size_t n;
  const gn_bom_phase *ph = gn_bom_phases(b, &n);
  return json_pack(
      "{s:f,s:i,s:f,s:f,s:s,s:{s:f,s:I,s:f}}", "km", GN_REF_PHASE1_KM,
      "buildings", GN_REF_PHASE1_BUILDINGS, "cost_fcfa", GN_REF_PHASE1_FCFA,
      "cost_per_building_fcfa", GN_REF_PHASE1_FCFA / GN_REF_PHASE1_BUILDINGS,
      "source", "press and official pages (2017)", "govnet_first_phase",
      "km", n ? ph[0].trench_m / 1000 : 0.0, "buildings",
      (json_int_t)(n ? ph[0].buildings : 0), "cost_fcfa",
      n ? ph[0].total_fcfa : 0.0);
}

static gn_status add_totals(gn_summary *s, const gn_design_info *d) {
  const gn_cut_summary *c = d->cut;
  double extra = 0, res_cost = 0;
  size_t links = 0, np;
  for (size_t k = 0; k < d->nresilience; k++) {
    extra += d->resilience[k] ? d->resilience[k]->extra_m : 0;
    links += d->resilience[k] ? d->resilience[k]->links_added : 0;
  }
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &np);
  size_t buildings = 0;
  for (size_t i = 0; i < np; i++) {
    res_cost += ph[i].resilience_fcfa;
    buildings += ph[i].buildings;
  }
  double total = gn_bom_total_fcfa(d->bom);
  gn_status st = gn_summary_set_number(s, "cost_fcfa", total);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "cost_per_building_fcfa",
                               buildings ? total / buildings : 0);
  if (st == GN_OK) st = gn_summary_set_number(s, "critical_sites", c->critical);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "critical_surviving_single_cut",
                               c->critical_surviving);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "critical_surviving_share", c->share_critical);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "sites_surviving_single_cut",
                               c->sites_surviving);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "sites_surviving_share", c->share_sites);
  if (st == GN_OK) st = gn_summary_set_number(s, "resilience_extra_m", extra);
  if (st == GN_OK) st = gn_summary_set_number(s, "resilience_links", links);
  if (st == GN_OK)
    st = gn_summary_set_number(s, "resilience_cost_fcfa", res_cost);
  return st;
}

/* Street mode: the Steiner solver's certified lower bound (planner
 * metadata) as numbers: no trench network joining the connected sites
 * costs less than steiner_lower_bound (cost units of the work graph:
 * length x price per metre), and the plan's tree is within
 * certified_gap_pct of it. */
static gn_status add_bound(gn_summary *s, const gn_plan *p) {
  const char *lb = gn_plan_get_meta(p, "steiner_lower_bound");
  const char *gap = gn_plan_get_meta(p, "certified_gap_pct");
  if (!lb || !gap) return GN_OK;
  gn_status st = gn_summary_set_number(s, "steiner_lower_bound", strtod(lb, NULL));
  if (st == GN_OK)
    st = gn_summary_set_number(s, "certified_gap_pct", strtod(gap, NULL));
  return st;
}

gn_status gn_summary_add_design(gn_summary *s, const gn_plan *p,
                                const gn_design_info *d) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_status st = gn_summary_set_string(s, "mode", d->mode);
  if (st == GN_OK)
    st = gn_summary_set_string(s, "resilience", d->resilience_mode);
  if (st == GN_OK) st = add_totals(s, d);
  if (st == GN_OK) st = add_bound(s, p);
  if (st == GN_OK) st = set_value(s, "worst_cut", cut_json(p, d->cut));
  if (st == GN_OK)
    st = set_value(s, "resilience_failures", resilience_fails(p, d));
  if (st == GN_OK && d->npoints)
    st = set_value(s, "steiner", steiner_json(d));
  if (st == GN_OK) st = set_value(s, "phases", phases_json(d->bom));
  if (st == GN_OK) st = set_value(s, "bom_lines", bom_json(d->bom));
  if (st == GN_OK && d->layout) st = gn__summary_add_optics(s, p, d);
  if (st == GN_OK)
    st = set_value(s, "reference_phase1", reference_json(d->bom));
  if (st == GN_ENOMEM) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  return st;
}
