/*
 * places.c - Named places for the map labels and the search: the quarters
 * of a town, read once from a GeoJSON of points (`serve --places`).
 *
 * Design: the input is any GeoJSON FeatureCollection of OSM points; a
 * feature is kept when it is a Point with a name and a place tag of
 * suburb, neighbourhood or quarter, given either as properties.place or
 * as the tag/value pair of flat OSM extracts (tag "place", value
 * "suburb"). The answer keeps only name and place, so a 4 MB country
 * extract becomes a few kB for the browser.
 * Ownership: *out is malloc'd JSON text (free()).
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "server/srv.h"
#include "util/internal.h"

static const char *place_kind(json_t *props) {
  const char *kind = json_string_value(json_object_get(props, "place"));
  const char *tag = json_string_value(json_object_get(props, "tag"));
  if (!kind && tag && strcmp(tag, "place") == 0)
    kind = json_string_value(json_object_get(props, "value"));
  if (!kind) return NULL;
  static const char *keep[] = {"suburb", "neighbourhood", "quarter"};
  for (size_t i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
    if (strcmp(kind, keep[i]) == 0) return keep[i];
  return NULL;
}

static json_t *place_feature(json_t *f) {
  json_t *props = json_object_get(f, "properties"), *geom = json_object_get(f, "geometry");
  const char *type = json_string_value(json_object_get(geom, "type"));
  const char *name = json_string_value(json_object_get(props, "name"));
  const char *kind = place_kind(props);
  if (!kind || !name || !type || strcmp(type, "Point") != 0) return NULL;
  return json_pack("{s:s,s:O,s:{s:s,s:s}}", "type", "Feature", "geometry", geom,
                   "properties", "name", name, "place", kind);
}

gn_status gn__places_load(gn_ctx *ctx, const char *path, char **out, size_t *len) {
  *out = NULL;
  char *text = NULL;
  size_t n = 0;
  gn_status s = gn__file_read(ctx, path, 256u << 20, &text, &n);
  if (s != GN_OK) return s;
  s = gn__places_parse(ctx, path, text, n, out, len);
  gn_free(ctx, text);
  return s;
}

gn_status gn__places_parse(gn_ctx *ctx, const char *path, const char *src,
                           size_t src_len, char **out, size_t *len) {
  *out = NULL;
  json_error_t err;
  json_t *in = json_loadb(src, src_len, 0, &err);
  json_t *feats = in ? json_object_get(in, "features") : NULL;
  if (!json_is_array(feats)) {
    json_decref(in);
    return gn__fail(ctx, GN_EFORMAT, "%s line %d: not a GeoJSON FeatureCollection%s%s",
                    path, err.line, in ? "" : ": ", in ? "" : err.text);
  }
  json_t *kept = json_array();
  size_t i;
  json_t *f;
  json_array_foreach(feats, i, f) {
    json_t *p = place_feature(f);
    if (p) json_array_append_new(kept, p);
  }
  json_t *fc = json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", kept);
  json_decref(in);
  char *text = fc ? json_dumps(fc, JSON_COMPACT) : NULL;
  json_decref(fc);
  if (!text) return gn__fail(ctx, GN_ENOMEM, "out of memory (places)");
  *out = text;
  *len = strlen(text);
  return GN_OK;
}
