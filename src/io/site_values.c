/*
 * site_values.c - One attribute of every site of a vector file, keyed
 * by the same site id gn_io_read_sites gives (the "id" field, else the
 * feature id), so a phase can select sites by a property value.
 * Ownership: the value array and its strings are allocated through the
 * ctx; gn_site_values_free releases them.
 */
#include <string.h>

#include "govnet/io.h"
#include "io/ogr_util.h"
#include "util/internal.h"

void gn_site_values_free(gn_ctx *ctx, gn_site_value *v, size_t n) {
  for (size_t i = 0; v && i < n; i++) {
    gn_free(ctx, v[i].id);
    gn_free(ctx, v[i].value);
  }
  gn_free(ctx, v);
}

static gn_status add_value(gn_ctx *ctx, OGRFeatureH f, int idf, int vf,
                           gn_site_value **v, size_t *n, size_t *cap) {
  char fid[32];
  snprintf(fid, sizeof fid, "%lld", (long long)OGR_F_GetFID(f));
  const char *id = idf >= 0 && OGR_F_IsFieldSetAndNotNull(f, idf)
                       ? OGR_F_GetFieldAsString(f, idf)
                       : fid;
  const char *val = OGR_F_IsFieldSetAndNotNull(f, vf)
                        ? OGR_F_GetFieldAsString(f, vf)
                        : NULL;
  if (GN__GROW(ctx, *v, *cap, *n + 1) != GN_OK)
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  gn_site_value e = {gn__strdup(ctx, id), val ? gn__strdup(ctx, val) : NULL};
  (*v)[(*n)++] = e;
  if (!e.id || (val && !e.value))
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  return GN_OK;
}

static gn_status read_values(gn_ctx *ctx, const char *path, OGRLayerH layer,
                             const char *field, gn_site_value **v, size_t *n) {
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
  const char *idn[] = {"id", NULL}, *vn[] = {field, NULL};
  int idf = gn__ogr_field(d, idn), vf = gn__ogr_field(d, vn);
  if (vf < 0)
    return gn__fail(ctx, GN_EFORMAT, "%s: no field '%s' to select sites by",
                    path, field);
  size_t cap = 0;
  gn_status s = GN_OK;
  OGRFeatureH f;
  OGR_L_ResetReading(layer);
  while (s == GN_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
    s = add_value(ctx, f, idf, vf, v, n, &cap);
    OGR_F_Destroy(f);
  }
  return s;
}

gn_status gn_io_site_values(gn_ctx *ctx, const char *path, const char *field,
                            gn_site_value **out, size_t *n) {
  gn_ctx_clear(ctx);
  *out = NULL;
  *n = 0;
  gn__ogr_begin();
  GDALDatasetH ds = NULL;
  gn_status s = gn__ogr_open(ctx, path, NULL, &ds);
  OGRLayerH layer = s == GN_OK ? GDALDatasetGetLayer(ds, 0) : NULL;
  if (s == GN_OK && !layer)
    s = gn__fail(ctx, GN_EFORMAT, "%s: no layer", path);
  if (s == GN_OK) s = read_values(ctx, path, layer, field, out, n);
  if (ds) GDALClose(ds);
  gn__ogr_end();
  if (s != GN_OK) {
    gn_site_values_free(ctx, *out, *n);
    *out = NULL;
    *n = 0;
  }
  return s;
}
