/*
 * summary.c - The plan summary as JSON (jansson) and as a text table.
 *
 * Design: a gn_summary wraps one ordered JSON object. gn_summary_create
 * fills the base keys; later passes (cost, resilience, phases) add their
 * own with gn_summary_set_*; the table prints the base keys in a fixed
 * layout and every other scalar key after them, so new keys show up
 * without touching this file.
 * Ownership: the summary owns its JSON tree; text outputs are allocated
 * through the ctx and freed by the caller with gn_free().
 */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/io.h"
#include "io/summary_int.h"
#include "io/atomic_file.h"
#include "util/internal.h"

struct gn_summary {
  gn_ctx *ctx;
  json_t *obj;
};

static const char *const base_keys[] = {
    "sites_total", "sites_connected", "sites_dropped", "pops", "trenches",
    "trench_m",    "drop_m",          "km_by_road_class", "attribution",
    "meta",        NULL};

static json_t *dropped_list(const gn_plan *p) {
  json_t *a = json_array();
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->status == GN_SITE_CONNECTED) continue;
    json_array_append_new(
        a, json_pack("{s:s, s:s, s:s?, s:f}", "id", s->id, "status",
                     gn_site_status_name(s->status), "reason", s->reason,
                     "distance_m", s->snap_dist_m));
  }
  return a;
}

static json_t *pop_list(const gn_plan *p) {
  json_t *a = json_array();
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    const gn_plan_pop *pop = gn_plan_pop_get(p, i);
    json_array_append_new(a, json_pack("{s:s, s:f, s:f}", "id", pop->id,
                                       "lon", pop->lon, "lat", pop->lat));
  }
  return a;
}

static void add_totals(const gn_plan *p, json_t *o) {
  double km[GN_ROAD_CLASS_COUNT] = {0}, trench_m = 0, drop_m = 0;
  size_t conn = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    const gn_plan_trench *t = gn_plan_trench_get(p, i);
    trench_m += t->length_m;
    if (t->road_class < GN_ROAD_CLASS_COUNT)
      km[t->road_class] += t->length_m / 1000.0;
  }
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    conn += s->status == GN_SITE_CONNECTED;
    if (s->status == GN_SITE_CONNECTED) drop_m += s->drop_m;
  }
  json_t *bycls = json_object();
  for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++)
    if (km[c] > 0)
      json_object_set_new(bycls, gn_road_class_name((gn_road_class)c),
                          json_real(km[c]));
  json_object_set_new(o, "sites_total",
                      json_integer((json_int_t)gn_plan_site_count(p)));
  json_object_set_new(o, "sites_connected", json_integer((json_int_t)conn));
  json_object_set_new(o, "sites_dropped", dropped_list(p));
  json_object_set_new(o, "pops", pop_list(p));
  json_object_set_new(o, "trenches",
                      json_integer((json_int_t)gn_plan_trench_count(p)));
  json_object_set_new(o, "trench_m", json_real(trench_m));
  json_object_set_new(o, "drop_m", json_real(drop_m));
  json_object_set_new(o, "km_by_road_class", bycls);
}

gn_status gn_summary_create(const gn_plan *plan, gn_summary **out) {
  gn_ctx *ctx = gn_plan_ctx(plan);
  *out = NULL;
  gn_summary *s = gn_malloc(ctx, sizeof(*s));
  json_t *o = json_object(), *meta = json_object();
  if (!s || !o || !meta) {
    gn_free(ctx, s);
    json_decref(o);
    json_decref(meta);
    return gn__fail(ctx, GN_ENOMEM, "out of memory building the summary");
  }
  add_totals(plan, o);
  const char *attr = gn_plan_get_meta(plan, "attribution");
  json_object_set_new(o, "attribution",
                      json_string(attr ? attr : GN_OSM_ATTRIBUTION));
  for (size_t i = 0; i < gn_plan_meta_count(plan); i++) {
    const char *k, *v;
    gn_plan_meta_at(plan, i, &k, &v);
    json_object_set_new(meta, k, v ? json_string(v) : json_null());
  }
  json_object_set_new(o, "meta", meta);
  s->ctx = ctx;
  s->obj = o;
  *out = s;
  return GN_OK;
}

void gn_summary_free(gn_summary *s) {
  if (!s) return;
  json_decref(s->obj);
  gn_free(s->ctx, s);
}

static gn_status set_value(gn_summary *s, const char *key, json_t *v) {
  if (!v || json_object_set_new(s->obj, key, v) != 0)
    return gn__fail(s->ctx, GN_ENOMEM, "out of memory setting %s", key);
  return GN_OK;
}

gn_status gn_summary_set_number(gn_summary *s, const char *key, double v) {
  return set_value(s, key, json_real(v));
}

gn_status gn_summary_set_string(gn_summary *s, const char *key,
                                const char *value) {
  return set_value(s, key, value ? json_string(value) : json_null());
}

gn_status gn_summary_set_json(gn_summary *s, const char *key,
                              const char *json_text) {
  json_error_t err;
  json_t *v = json_loads(json_text, JSON_DECODE_ANY, &err);
  if (!v)
    return gn__fail(s->ctx, GN_EFORMAT, "summary key %s: invalid JSON: %s",
                    key, err.text);
  return set_value(s, key, v);
}

static gn_status dup_text(gn_ctx *ctx, char *txt, char **out) {
  *out = NULL;
  if (!txt) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  *out = gn__strdup(ctx, txt);
  free(txt);
  return *out ? GN_OK : gn__fail(ctx, GN_ENOMEM, "out of memory");
}

gn_status gn_summary_json(const gn_summary *s, char **out) {
  return dup_text(s->ctx, json_dumps(s->obj, JSON_INDENT(2)), out);
}

gn_status gn_summary_write_json(const gn_summary *s, const char *path) {
  char *tmp = NULL;
  gn_status rc = gn__tmp_path(s->ctx, path, &tmp);
  if (rc != GN_OK) return rc;
  if (json_dump_file(s->obj, tmp, JSON_INDENT(2)) != 0)
    rc = gn__fail(s->ctx, GN_EIO, "%s: cannot write the summary", path);
  gn_status rc2 = gn__tmp_commit(s->ctx, tmp, path, rc == GN_OK);
  return rc != GN_OK ? rc : rc2;
}

/* ---- text table ------------------------------------------------------- */

typedef struct tbuf {
  gn_ctx *ctx;
  char *p;
  size_t len, cap;
  int oom;
} tbuf;

static void tb_printf(tbuf *b, const char *fmt, ...) GN__PRINTF(2, 3);
static void tb_printf(tbuf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || b->oom ||
      GN__GROW(b->ctx, b->p, b->cap, b->len + (size_t)n + 1) != GN_OK) {
    b->oom = 1;
    return;
  }
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

static double num(const json_t *o, const char *k) {
  return json_number_value(json_object_get(o, k));
}

static int is_base_key(const char *k) {
  for (const char *const *b = base_keys; *b; b++)
    if (strcmp(*b, k) == 0) return 1;
  return 0;
}

static void table_dropped(tbuf *b, const json_t *list) {
  size_t i;
  json_t *d;
  json_array_foreach(list, i, d) {
    if (i == 20) {
      tb_printf(b, "    ... and %zu more (see the summary JSON)\n",
                json_array_size(list) - 20);
      break;
    }
    const char *why = json_string_value(json_object_get(d, "reason"));
    tb_printf(b, "    %-16s %-12s %s\n",
              json_string_value(json_object_get(d, "id")),
              json_string_value(json_object_get(d, "status")), why ? why : "");
  }
}

static void table_extra(tbuf *b, const json_t *o) {
  const char *k;
  json_t *v;
  json_object_foreach((json_t *)o, k, v) {
    if (is_base_key(k)) continue;
    double x = json_is_number(v) ? json_number_value(v) : 0;
    if (json_is_number(v) && x == floor(x) && fabs(x) < 1e15)
      tb_printf(b, "  %-22s %.0f\n", k, x); /* counts read as counts */
    else if (json_is_number(v))
      tb_printf(b, "  %-22s %.3f\n", k, x);
    else if (json_is_string(v))
      tb_printf(b, "  %-22s %s\n", k, json_string_value(v));
  }
}

gn_status gn_summary_table(const gn_summary *s, char **out) {
  const json_t *o = s->obj;
  tbuf b = {s->ctx, NULL, 0, 0, 0};
  const json_t *dropped = json_object_get(o, "sites_dropped");
  tb_printf(&b, "govnet plan summary\n");
  tb_printf(&b, "  %-22s %.0f\n", "sites total", num(o, "sites_total"));
  tb_printf(&b, "  %-22s %.0f\n", "sites connected", num(o, "sites_connected"));
  tb_printf(&b, "  %-22s %zu\n", "sites dropped", json_array_size(dropped));
  tb_printf(&b, "  %-22s %.0f\n", "trenches", num(o, "trenches"));
  tb_printf(&b, "  %-22s %.3f km\n", "trench length", num(o, "trench_m") / 1000);
  tb_printf(&b, "  %-22s %.3f km\n", "drop length", num(o, "drop_m") / 1000);
  const json_t *meta = json_object_get(o, "meta");
  const char *kept = json_string_value(json_object_get(meta, "street_kept"));
  const char *dropped_net =
      json_string_value(json_object_get(meta, "street_dropped"));
  if (kept && dropped_net)
    tb_printf(&b, "  %-22s %s (not reaching a POP: %s)\n", "street network used",
              kept, dropped_net);
  tb_printf(&b, "  trench km by road class:\n");
  const char *k;
  json_t *v;
  json_object_foreach(json_object_get(o, "km_by_road_class"), k, v)
    tb_printf(&b, "    %-20s %10.3f km\n", k, json_number_value(v));
  if (json_array_size(dropped)) {
    tb_printf(&b, "  dropped sites:\n");
    table_dropped(&b, dropped);
  }
  table_extra(&b, o);
  tb_printf(&b, "  %s\n", json_string_value(json_object_get(o, "attribution")));
  if (b.oom) {
    gn_free(s->ctx, b.p);
    return gn__fail(s->ctx, GN_ENOMEM, "out of memory formatting the summary");
  }
  *out = b.p;
  return GN_OK;
}

gn_status gn__summary_set_value(gn_summary *s, const char *key, json_t *v) {
  char *txt = v ? json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(15) |
                                    JSON_ENCODE_ANY)
                : NULL;
  json_decref(v);
  if (!txt) return GN_ENOMEM;
  gn_status st = gn_summary_set_json(s, key, txt);
  free(txt);
  return st;
}
