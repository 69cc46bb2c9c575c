/*
 * optics_summary.c - The circuit and optics figures of a plan's layout
 * as summary keys: hubs, circuits_total, circuits_over_budget (and each
 * exception with its reason), optics_budget_db, working_km_max,
 * working_splices_median, the loss distribution, and the "bom" object
 * the store's `db summary` carries too (closures, splices, odf_ports,
 * cable_m, cable_m_by_size, optics_by_class, hubs).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>

#include "govnet/io.h"
#include "io/summary_int.h"
#include "util/internal.h"

static double round1(double x) { return round(x * 10) / 10; }

/* The object `govnet db summary` rebuilds from the store's rows. */
static json_t *layout_bom_json(const gn_layout *l) {
  const gn_layout_stats *x = gn_layout_get_stats(l);
  size_t n;
  const gn_layout_sizes *sz = gn_layout_cable_sizes(l, &n);
  json_t *by = json_object(), *opt = json_object();
  char key[16];
  for (size_t i = 0; i < n; i++) {
    snprintf(key, sizeof key, "%d", sz[i].size);
    json_object_set_new(by, key, json_real(round1(sz[i].cable_m)));
  }
  for (int c = 0; c < GN_OPTICS_COUNT; c++)
    json_object_set_new(opt, gn_optics_name((gn_optics_class)c),
                        json_integer((json_int_t)x->optics[c]));
  return json_pack("{s:I,s:I,s:I,s:f,s:o,s:o,s:I}", "closures",
                   (json_int_t)x->closures, "splices", (json_int_t)x->splices,
                   "odf_ports", (json_int_t)x->odf_ports, "cable_m",
                   round1(x->cable_m), "cable_m_by_size", by, "optics_by_class",
                   opt, "hubs", (json_int_t)x->hubs);
}

static json_t *exceptions(const gn_layout *l) {
  json_t *a = json_array();
  size_t n = gn_layout_circuit_count(l);
  for (size_t i = 0; i < n; i++) {
    gn_layout_circuit c;
    gn_layout_circuit_get(l, i, &c);
    if (!c.over || c.in_building) continue;
    char why[200];
    snprintf(why, sizeof why, "%s circuit %.1f km, %.2f dB: over class %s",
             c.protect ? "protect" : "working", c.length_m / 1000, c.loss_db,
             gn_optics_name(c.cls));
    json_array_append_new(
        a, json_pack("{s:s,s:s,s:s,s:f,s:i,s:f,s:s,s:s}", "site", c.site_id,
                     "role", c.protect ? "protect" : "working", "hub_or_pop",
                     c.pop_id, "length_m", round1(c.length_m), "splices",
                     c.splices, "loss_db", round(c.loss_db * 1000) / 1000,
                     "class", gn_optics_name(c.cls), "reason", why));
  }
  return a;
}

static json_t *optics_json(const gn_design_info *d) {
  const gn_layout_opts *o = d->optics;
  json_t *classes = json_object();
  for (int c = 0; c < GN_OPTICS_COUNT; c++)
    json_object_set_new(
        classes, gn_optics_name((gn_optics_class)c),
        json_pack("{s:f,s:f,s:f,s:f}", "reach_km", o->optics[c].reach_km,
                  "budget_db", o->optics[c].budget_db, "nm", o->optics[c].nm,
                  "each_fcfa", o->optics[c].each_fcfa));
  return json_pack("{s:s,s:s,s:f,s:o}", "access", gn_optics_name(o->access),
                   "protect", gn_optics_name(o->protect), "margin_db",
                   o->margin_db, "classes", classes);
}

static json_t *hubs_json(const gn_plan *p, const gn_design_info *d) {
  const gn_hub_set *h = d->hubs;
  json_t *ids = json_array();
  for (size_t i = 0; h && i < h->n; i++)
    json_array_append_new(ids, json_string(gn_plan_site_get(p, h->site[i])->id));
  size_t n = h ? h->n : 0, lb = h ? h->lower_bound : 0;
  return json_pack("{s:I,s:I,s:f,s:I,s:I,s:o}", "placed", (json_int_t)n,
                   "lower_bound", (json_int_t)lb, "gap_pct",
                   lb ? 100.0 * ((double)n / (double)lb - 1) : 0.0,
                   "candidates", (json_int_t)(h ? h->candidates : 0),
                   "uncovered", (json_int_t)(h ? h->uncovered : 0), "sites",
                   ids);
}

gn_status gn__summary_add_optics(gn_summary *s, const gn_plan *p,
                                 const gn_design_info *d) {
  const gn_layout_stats *x = gn_layout_get_stats(d->layout);
  const gn_layout_opts *o = d->optics;
  gn_status st = gn_summary_set_number(s, "hubs", (double)x->hubs);
  struct {
    const char *k;
    double v;
  } nums[] = {
      {"circuits_total", (double)x->circuits_total},
      {"circuits_working", (double)x->circuits_working},
      {"circuits_protect", (double)x->circuits_protect},
      {"circuits_over_budget", (double)x->circuits_over_budget},
      {"optics_budget_db", o->optics[o->access].budget_db},
      {"optics_margin_db", o->margin_db},
      {"working_km_max", x->working_km_max},
      {"working_km_median", x->working_km_median},
      {"working_splices_median", x->working_splices_median},
      {"working_splices_max", x->working_splices_max},
      {"working_loss_db_median", x->working_loss_db_median},
      {"working_loss_db_p90", x->working_loss_db_p90},
      {"working_loss_db_max", x->working_loss_db_max},
      {"protect_km_max", x->protect_km_max},
      {"protect_loss_db_max", x->protect_loss_db_max},
      {"core_links", (double)x->core_links},
      {"core_km_max", x->core_km_max},
      {"regenerators", (double)x->regenerators}};
  for (size_t i = 0; st == GN_OK && i < sizeof nums / sizeof nums[0]; i++)
    st = gn_summary_set_number(s, nums[i].k, nums[i].v);
  if (st == GN_OK)
    st = gn__summary_set_value(s, "circuits_over_budget_list",
                               exceptions(d->layout));
  if (st == GN_OK) st = gn__summary_set_value(s, "optics", optics_json(d));
  if (st == GN_OK) st = gn__summary_set_value(s, "hub_placement", hubs_json(p, d));
  if (st == GN_OK)
    st = gn__summary_set_value(s, "bom", layout_bom_json(d->layout));
  return st;
}
