/*
 * tracks.c - As-built tracks: the line features of a GPX or any OGR
 * vector file, as WGS84 polylines with the trench they name (if any).
 *
 * Design: every layer is read; point layers (GPX waypoints, track and
 * route points) are skipped; a multi-line gives one track per part (GPX
 * track segments). Names: "name"/"nom" field; the trench: a "trench"
 * integer field, else a name that is "trench N", "tranchee N" or just a
 * number. Hard ceilings on tracks and points keep hostile files bounded.
 * Ownership: the track array and its strings and points come from the
 * ctx allocator; gn_tracks_free releases them.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/geo.h"
#include "govnet/io.h"
#include "io/ogr_util.h"
#include "util/internal.h"

#define MAX_TRACKS 100000
#define MAX_POINTS 1000000

typedef struct rd {
  gn_ctx *ctx;
  const char *path;
  gn_track *t;
  size_t n, cap, points;
} rd;

void gn_tracks_free(gn_ctx *ctx, gn_track *t, size_t n) {
  for (size_t i = 0; t && i < n; i++) {
    gn_free(ctx, t[i].name);
    gn_free(ctx, t[i].lonlat);
  }
  gn_free(ctx, t);
}

/* "trench 12", "Tranchée 12", "T12", "12" -> 12; else 0. */
static int64_t trench_in_name(const char *s) {
  const char *p = s;
  while (*p && !isdigit((unsigned char)*p)) p++;
  if (!*p || p - s > 12) return 0;
  char *end = NULL;
  long long v = strtoll(p, &end, 10);
  while (*end == ' ') end++;
  return *end == '\0' && v > 0 ? (int64_t)v : 0;
}

static gn_status add_part(rd *r, OGRGeometryH g, const char *name,
                          int64_t trench, long long fid) {
  int np = OGR_G_GetPointCount(g);
  if (np < 2)
    return gn__fail(r->ctx, GN_EGEOM, "%s: feature %lld: a line of %d point(s)",
                    r->path, fid, np);
  if (r->n >= MAX_TRACKS || r->points + (size_t)np > MAX_POINTS)
    return gn__fail(r->ctx, GN_ELIMIT, "%s: over %d tracks or %d points",
                    r->path, MAX_TRACKS, MAX_POINTS);
  if (GN__GROW(r->ctx, r->t, r->cap, r->n + 1) != GN_OK)
    return gn__fail(r->ctx, GN_ENOMEM, "%s: tracks", r->path);
  gn_track *t = &r->t[r->n];
  memset(t, 0, sizeof(*t));
  r->n++;
  t->trench = trench;
  t->name = gn__strdup(r->ctx, name ? name : "");
  t->lonlat = gn_malloc(r->ctx, sizeof(double) * 2 * (size_t)np);
  if (!t->name || !t->lonlat) return gn__fail(r->ctx, GN_ENOMEM, "%s", r->path);
  for (int i = 0; i < np; i++) {
    t->lonlat[2 * i] = OGR_G_GetX(g, i);
    t->lonlat[2 * i + 1] = OGR_G_GetY(g, i);
    if (!gn_geo_valid_lonlat(t->lonlat[2 * i], t->lonlat[2 * i + 1]))
      return gn__fail(r->ctx, GN_EGEOM,
                      "%s: feature %lld: point %d (%g, %g) is not lon/lat",
                      r->path, fid, i, t->lonlat[2 * i], t->lonlat[2 * i + 1]);
  }
  t->npts = (size_t)np;
  r->points += (size_t)np;
  return GN_OK;
}

static gn_status add_feature(rd *r, OGRFeatureH f, int fname, int ftrench,
                             OGRCoordinateTransformationH ct) {
  OGRGeometryH g = OGR_F_GetGeometryRef(f);
  long long fid = (long long)OGR_F_GetFID(f);
  if (!g) return GN_OK;
  OGRwkbGeometryType ty = wkbFlatten(OGR_G_GetGeometryType(g));
  if (ty != wkbLineString && ty != wkbMultiLineString) return GN_OK;
  if (ct && OGR_G_Transform(g, ct) != OGRERR_NONE)
    return gn__fail(r->ctx, GN_EGEOM, "%s: feature %lld: cannot reproject",
                    r->path, fid);
  const char *name = fname >= 0 && OGR_F_IsFieldSetAndNotNull(f, fname)
                         ? OGR_F_GetFieldAsString(f, fname)
                         : "";
  int64_t trench = ftrench >= 0 && OGR_F_IsFieldSetAndNotNull(f, ftrench)
                       ? OGR_F_GetFieldAsInteger64(f, ftrench)
                       : trench_in_name(name);
  if (trench < 0) trench = 0;
  if (ty == wkbLineString) return add_part(r, g, name, trench, fid);
  gn_status s = GN_OK;
  for (int i = 0; s == GN_OK && i < OGR_G_GetGeometryCount(g); i++)
    s = add_part(r, OGR_G_GetGeometryRef(g, i), name, trench, fid);
  return s;
}

static gn_status read_layer(rd *r, OGRLayerH layer) {
  OGRwkbGeometryType lt = wkbFlatten(OGR_L_GetGeomType(layer));
  if (lt == wkbPoint || lt == wkbMultiPoint || lt == wkbNone) return GN_OK;
  static const char *const names[] = {"name", "nom", NULL};
  static const char *const trenches[] = {"trench", "tranchee", "trench_id", NULL};
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
  int fname = gn__ogr_field(d, names), ftrench = gn__ogr_field(d, trenches);
  OGRCoordinateTransformationH ct = NULL;
  gn_status s = gn__ogr_to_wgs84(r->ctx, r->path, layer, &ct);
  OGR_L_ResetReading(layer);
  OGRFeatureH f;
  while (s == GN_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
    s = add_feature(r, f, fname, ftrench, ct);
    OGR_F_Destroy(f);
  }
  if (ct) OCTDestroyCoordinateTransformation(ct);
  return s;
}

gn_status gn_io_read_tracks(gn_ctx *ctx, const char *path, gn_track **out,
                            size_t *n) {
  gn_ctx_clear(ctx);
  *out = NULL;
  *n = 0;
  rd r = {ctx, path, NULL, 0, 0, 0};
  gn__ogr_begin();
  GDALDatasetH ds = NULL;
  gn_status s = gn__ogr_open(ctx, path, NULL, &ds);
  for (int i = 0; s == GN_OK && i < GDALDatasetGetLayerCount(ds); i++)
    s = read_layer(&r, GDALDatasetGetLayer(ds, i));
  if (ds) GDALClose(ds);
  gn__ogr_end();
  if (s == GN_OK && r.n == 0)
    s = gn__fail(ctx, GN_EFORMAT, "%s: no line (track or route) feature", path);
  if (s != GN_OK) {
    gn_tracks_free(ctx, r.t, r.n);
    return s;
  }
  *out = r.t;
  *n = r.n;
  return GN_OK;
}
