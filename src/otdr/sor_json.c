/*
 * sor_json.c - The JSON form of a SOR trace (`govnet otdr read --json`).
 *
 * Design: jansson builds the document so strings are escaped correctly;
 * numbers are rounded to the file's own resolution (1e-6 km, 0.001 dB)
 * and printed with 12 significant digits, so 0.209 prints as 0.209.
 * Unknown values (NaN) are JSON null. Keys keep insertion order.
 */
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "govnet/otdr.h"
#include "util/internal.h"

static json_t *num(double v, double step) {
  if (!isfinite(v)) return json_null();
  return json_real(round(v / step) * step);
}

static json_t *event_json(const gn_sor_event *e) {
  json_t *o = json_object();
  if (!o) return NULL;
  int bad = json_object_set_new(o, "distance_km", num(e->distance_km, 1e-6));
  bad |= json_object_set_new(o, "splice_loss_db", num(e->splice_loss_db, 1e-3));
  bad |= json_object_set_new(o, "reflectance_db", num(e->reflectance_db, 1e-3));
  bad |= json_object_set_new(o, "type", json_string(e->type));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

static json_t *sor_doc(const gn_sor *sor) {
  const gn_sor_info *in = gn_sor_get_info(sor);
  json_t *o = json_object();
  json_t *ev = json_array();
  if (!o || !ev) {
    json_decref(o);
    json_decref(ev);
    return NULL;
  }
  int bad = json_object_set_new(o, "version", num(in->version, 0.01));
  bad |= json_object_set_new(o, "wavelength_nm", num(in->wavelength_nm, 0.1));
  bad |= json_object_set_new(o, "supplier", json_string(in->supplier));
  bad |= json_object_set_new(o, "range_km", num(in->range_km, 1e-6));
  bad |= json_object_set_new(o, "total_loss_db", num(in->total_loss_db, 1e-3));
  bad |= json_object_set_new(o, "orl_db", num(in->orl_db, 1e-3));
  for (size_t i = 0; i < gn_sor_event_count(sor); i++)
    bad |= json_array_append_new(ev, event_json(gn_sor_get_event(sor, i)));
  bad |= json_object_set_new(o, "events", ev);
  bad |= json_object_set_new(o, "points", json_integer((json_int_t)in->points));
  if (bad) {
    json_decref(o);
    return NULL;
  }
  return o;
}

gn_status gn_sor_json(gn_ctx *ctx, const gn_sor *sor, char **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  json_t *doc = sor_doc(sor);
  char *text = doc ? json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER |
                                         JSON_REAL_PRECISION(12))
                   : NULL;
  json_decref(doc);
  if (!text) return gn__fail(ctx, GN_ENOMEM, "SOR JSON");
  *out = gn__strdup(ctx, text);
  free(text);
  return *out ? GN_OK : gn__fail(ctx, GN_ENOMEM, "SOR JSON");
}
