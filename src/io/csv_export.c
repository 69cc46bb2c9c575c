/*
 * csv_export.c - A GeoJSON FeatureCollection as a CSV table, for the
 * spreadsheets managers ask for (`govnet db export --out F.csv`).
 *
 * Design: one row per feature, one column per property (the union of the
 * keys in order of first appearance), then lon,lat for points or a wkt
 * column for other geometries (QGIS reads either as a delimited-text
 * layer). RFC 4180 quoting; UTF-8 without BOM; objects and arrays as
 * their JSON text. Written to a temporary file renamed at the end, so a
 * failure leaves nothing.
 * Ownership: nothing kept; the caller keeps the JSON text.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "govnet/io.h"
#include "io/atomic_file.h"
#include "util/internal.h"

static void put_cell(FILE *f, const char *s) {
  if (!strpbrk(s, ",\"\n\r")) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

static void put_value(FILE *f, json_t *v) {
  char num[64];
  if (!v || json_is_null(v)) return;
  if (json_is_string(v)) put_cell(f, json_string_value(v));
  else if (json_is_integer(v)) fprintf(f, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
  else if (json_is_real(v)) {
    snprintf(num, sizeof(num), "%.10g", json_real_value(v));
    fputs(num, f);
  } else if (json_is_boolean(v)) fputs(json_is_true(v) ? "true" : "false", f);
  else {
    char *t = json_dumps(v, JSON_COMPACT);
    if (t) put_cell(f, t);
    free(t);
  }
}

/* WKT of a LineString / MultiLineString / Polygon ring set (coords only). */
static void put_coords(FILE *f, json_t *c, int depth) {
  size_t i;
  json_t *e;
  if (depth == 0) {
    fprintf(f, "%.7f %.7f", json_number_value(json_array_get(c, 0)),
            json_number_value(json_array_get(c, 1)));
    return;
  }
  fputc('(', f);
  json_array_foreach(c, i, e) {
    if (i) fputc(',', f);
    put_coords(f, e, depth - 1);
  }
  fputc(')', f);
}

static void put_geometry(FILE *f, json_t *g, int points) {
  const char *type = json_string_value(json_object_get(g, "type"));
  json_t *c = json_object_get(g, "coordinates");
  if (points) {
    if (type && strcmp(type, "Point") == 0)
      fprintf(f, ",%.7f,%.7f", json_number_value(json_array_get(c, 0)),
              json_number_value(json_array_get(c, 1)));
    else
      fputs(",,", f);
    return;
  }
  fputc(',', f);
  int depth = !type ? -1 : strcmp(type, "LineString") == 0 ? 1
            : strcmp(type, "MultiLineString") == 0 || strcmp(type, "Polygon") == 0 ? 2 : -1;
  if (depth < 0) return;
  fputc('"', f);
  fprintf(f, "%s ", strcmp(type, "LineString") == 0 ? "LINESTRING"
                    : strcmp(type, "Polygon") == 0 ? "POLYGON" : "MULTILINESTRING");
  put_coords(f, c, depth);
  fputc('"', f);
}

static int all_points(json_t *feats) {
  size_t i;
  json_t *ft;
  json_array_foreach(feats, i, ft) {
    const char *t = json_string_value(json_object_get(json_object_get(ft, "geometry"), "type"));
    if (t && strcmp(t, "Point") != 0) return 0;
  }
  return 1;
}

static void write_table(FILE *f, json_t *feats, json_t *keys) {
  size_t i, k;
  json_t *ft, *key;
  int points = all_points(feats);
  json_array_foreach(keys, k, key) {
    if (k) fputc(',', f);
    put_cell(f, json_string_value(key));
  }
  fputs(points ? ",lon,lat\n" : ",wkt\n", f);
  json_array_foreach(feats, i, ft) {
    json_t *props = json_object_get(ft, "properties");
    json_array_foreach(keys, k, key) {
      if (k) fputc(',', f);
      put_value(f, json_object_get(props, json_string_value(key)));
    }
    put_geometry(f, json_object_get(ft, "geometry"), points);
    fputc('\n', f);
  }
}

gn_status gn_io_write_csv(gn_ctx *ctx, const char *geojson, const char *path,
                          size_t *rows) {
  gn_ctx_clear(ctx);
  json_error_t err;
  json_t *fc = json_loads(geojson, 0, &err);
  json_t *feats = json_object_get(fc, "features");
  if (!json_is_array(feats)) {
    json_decref(fc);
    return gn__fail(ctx, GN_EFORMAT, "not a GeoJSON FeatureCollection (line %d: %s)",
                    err.line, err.text);
  }
  json_t *keys = json_array(), *seen = json_object(), *ft;
  size_t i;
  json_array_foreach(feats, i, ft) {
    const char *k;
    json_t *v;
    json_object_foreach(json_object_get(ft, "properties"), k, v) {
      if (json_object_get(seen, k)) continue;
      json_object_set_new(seen, k, json_true());
      json_array_append_new(keys, json_string(k));
    }
  }
  char *tmp = NULL;
  gn_status s = gn__tmp_path(ctx, path, &tmp);
  FILE *f = s == GN_OK ? fopen(tmp, "wb") : NULL;
  int ok = f != NULL;
  if (f) {
    write_table(f, feats, keys);
    ok = !ferror(f);
    if (fclose(f) != 0) ok = 0;
  }
  if (s == GN_OK) s = gn__tmp_commit(ctx, tmp, path, ok);
  if (s == GN_OK && !ok) s = gn__fail(ctx, GN_EIO, "%s: cannot write", path);
  if (s == GN_OK && rows) *rows = json_array_size(feats);
  json_decref(keys);
  json_decref(seen);
  json_decref(fc);
  return s;
}
