/*
 * towns.c - GeoNames-style town lists (name, lat, lng), used to select
 * the sites of a phase by region ("near these towns").
 * Design: jansson reads the whole (small) file; lat/lng may be numbers
 * or numeric strings, as GeoNames exports them.
 * Ownership: the town array is allocated through the ctx; caller frees.
 */
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/io.h"
#include "govnet/geo.h"
#include "util/internal.h"

static int number(const json_t *v, double *out) {
  if (json_is_number(v)) {
    *out = json_number_value(v);
    return 1;
  }
  if (!json_is_string(v)) return 0;
  const char *s = json_string_value(v);
  char *end = NULL;
  errno = 0;
  *out = strtod(s, &end);
  return !errno && end != s && !*end;
}

static gn_status read_entry(gn_ctx *ctx, const char *path, size_t i,
                            const json_t *e, gn_town *t) {
  const char *name = json_string_value(json_object_get(e, "name"));
  if (!name)
    return gn__fail(ctx, GN_EFORMAT, "file %s entry %zu: no \"name\"", path,
                    i + 1);
  if (!number(json_object_get(e, "lat"), &t->lat) ||
      !number(json_object_get(e, "lng"), &t->lon) ||
      !gn_geo_valid_lonlat(t->lon, t->lat))
    return gn__fail(ctx, GN_EFORMAT,
                    "file %s entry %zu (%s): bad or missing \"lat\"/\"lng\"",
                    path, i + 1, name);
  snprintf(t->name, sizeof t->name, "%s", name);
  return GN_OK;
}

gn_status gn_towns_read(gn_ctx *ctx, const char *path, gn_town **out,
                        size_t *n) {
  gn_ctx_clear(ctx);
  *out = NULL;
  *n = 0;
  json_error_t err;
  json_t *root = json_load_file(path, 0, &err);
  if (!root)
    return gn__fail(ctx, errno == ENOENT ? GN_EIO : GN_EFORMAT,
                    "file %s line %d: %s", path, err.line, err.text);
  json_t *arr = json_is_array(root) ? root : json_object_get(root, "geonames");
  gn_status s = GN_OK;
  if (!json_is_array(arr) || json_array_size(arr) == 0)
    s = gn__fail(ctx, GN_EFORMAT, "file %s: expected a non-empty array of "
                 "towns", path);
  size_t m = s == GN_OK ? json_array_size(arr) : 0;
  gn_town *t = s == GN_OK ? gn_malloc(ctx, m * sizeof(gn_town)) : NULL;
  if (s == GN_OK && !t) s = gn__fail(ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; s == GN_OK && i < m; i++)
    s = read_entry(ctx, path, i, json_array_get(arr, i), &t[i]);
  json_decref(root);
  if (s != GN_OK) {
    gn_free(ctx, t);
    return s;
  }
  *out = t;
  *n = m;
  return GN_OK;
}
