/*
 * plan_geojson.c - A plan as one GeoJSON FeatureCollection (jansson).
 *
 * Design: written with jansson rather than GDAL so coordinates are
 * printed with 17 significant digits (exact round trip): two trenches
 * that meet print the same numbers at the shared end, and the network
 * can be rebuilt from the file alone. Feature order: sites, POPs,
 * trenches, drops; each carries "layer". Top-level members "attribution",
 * "license" and "metadata" (the plan's key/value metadata).
 * Ownership: the json tree is built and freed inside the call.
 */
#include <jansson.h>
#include <math.h>

#include "govnet/io.h"
#include "io/atomic_file.h"
#include "util/internal.h"

static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

static json_t *jstr(const char *s) { return s ? json_string(s) : json_null(); }

static json_t *jpos(double lon, double lat) {
  return json_pack("[oo]", jnum(lon), jnum(lat));
}

static json_t *feature(json_t *geom, json_t *props) {
  return json_pack("{s:s, s:o, s:o}", "type", "Feature", "properties", props,
                   "geometry", geom);
}

static json_t *point(double lon, double lat) {
  return json_pack("{s:s, s:o}", "type", "Point", "coordinates",
                   jpos(lon, lat));
}

static json_t *line(const double *c, size_t n) {
  json_t *a = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(a, jpos(c[2 * i], c[2 * i + 1]));
  return json_pack("{s:s, s:o}", "type", "LineString", "coordinates", a);
}

static long long node_val(gn_id n) { return n == GN_NONE ? -1 : (long long)n; }

static json_t *site_feature(const gn_plan_site *s) {
  json_t *p = json_pack(
      "{s:s, s:o, s:o, s:s, s:i, s:i, s:s, s:o, s:o, s:o, s:o, s:I}",
      "layer", "site", "id", jstr(s->id), "name", jstr(s->name), "category",
      gn_category_name(s->category), "priority", s->priority, "critical",
      s->critical, "status", gn_site_status_name(s->status), "reason",
      jstr(s->reason), "phase", jstr(s->phase), "drop_m", jnum(s->drop_m),
      "snap_dist_m", jnum(s->snap_dist_m), "node", (json_int_t)node_val(s->node));
  return feature(point(s->lon, s->lat), p);
}

static json_t *pop_feature(const gn_plan_pop *p) {
  json_t *pr = json_pack("{s:s, s:o, s:o, s:I}", "layer", "pop", "id",
                         jstr(p->id), "name", jstr(p->name), "node",
                         (json_int_t)node_val(p->node));
  return feature(point(p->lon, p->lat), pr);
}

static json_t *trench_feature(const gn_plan_trench *t) {
  json_t *p = json_pack(
      "{s:s, s:I, s:I, s:I, s:o, s:s, s:i, s:i, s:i, s:i, s:o, s:o}", "layer",
      "trench", "id", (json_int_t)t->id, "a", (json_int_t)t->a, "b",
      (json_int_t)t->b, "length_m", jnum(t->length_m), "road_class",
      gn_road_class_name((gn_road_class)t->road_class), "sites_downstream",
      t->sites_downstream, "fibers", t->fibers, "cable_size", t->cable_size,
      "redundant", t->redundant, "phase", jstr(t->phase), "cost_fcfa",
      jnum(t->cost_fcfa));
  return feature(line(t->coords, t->ncoords), p);
}

static json_t *drop_feature(const gn_plan *plan, const gn_plan_site *s) {
  const gn_plan_node *n = gn_plan_node_get(plan, s->node);
  double c[4] = {s->lon, s->lat, n->lon, n->lat};
  json_t *p = json_pack("{s:s, s:o, s:o}", "layer", "drop", "site_id",
                        jstr(s->id), "length_m", jnum(s->drop_m));
  return feature(line(c, 2), p);
}

static json_t *plan_json(const gn_plan *plan) {
  json_t *fs = json_array(), *meta = json_object();
  for (size_t i = 0; i < gn_plan_site_count(plan); i++)
    json_array_append_new(fs, site_feature(gn_plan_site_get(plan, i)));
  for (size_t i = 0; i < gn_plan_pop_count(plan); i++)
    json_array_append_new(fs, pop_feature(gn_plan_pop_get(plan, i)));
  for (size_t i = 0; i < gn_plan_trench_count(plan); i++)
    json_array_append_new(fs, trench_feature(gn_plan_trench_get(plan, i)));
  for (size_t i = 0; i < gn_plan_site_count(plan); i++) {
    const gn_plan_site *s = gn_plan_site_get(plan, i);
    if (s->node != GN_NONE) json_array_append_new(fs, drop_feature(plan, s));
  }
  for (size_t i = 0; i < gn_plan_meta_count(plan); i++) {
    const char *k, *v;
    gn_plan_meta_at(plan, i, &k, &v);
    json_object_set_new(meta, k, jstr(v));
  }
  const char *attr = gn_plan_get_meta(plan, "attribution");
  return json_pack("{s:s, s:s, s:s, s:s, s:o, s:o}", "type",
                   "FeatureCollection", "name", "govnet plan", "attribution",
                   attr ? attr : GN_OSM_ATTRIBUTION, "license", "ODbL 1.0",
                   "metadata", meta, "features", fs);
}

gn_status gn_plan_write_geojson(const gn_plan *plan, const char *path) {
  gn_ctx *ctx = gn_plan_ctx(plan);
  char *tmp = NULL;
  gn_ctx_clear(ctx);
  json_t *root = plan_json(plan);
  if (!root) return gn__fail(ctx, GN_ENOMEM, "out of memory encoding GeoJSON");
  gn_status rc = gn__tmp_path(ctx, path, &tmp);
  if (rc != GN_OK) {
    json_decref(root);
    return rc;
  }
  int bad = json_dump_file(root, tmp, JSON_COMPACT | JSON_REAL_PRECISION(17));
  json_decref(root);
  if (bad) rc = gn__fail(ctx, GN_EIO, "%s: cannot write the GeoJSON", path);
  gn_status rc2 = gn__tmp_commit(ctx, tmp, path, rc == GN_OK);
  return rc != GN_OK ? rc : rc2;
}
