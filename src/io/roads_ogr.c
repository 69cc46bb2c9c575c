/*
 * roads_ogr.c - Street networks from GeoJSON/GeoPackage/Shapefile lines.
 *
 * Design: every vertex of every (Multi)LineString is collected; vertices
 * with bit-identical coordinates are one node (that is how lines meet in
 * these files), numbered by sorting the coordinates. Each line then goes
 * through the same builder as OSM ways (osm_build.c), so junctions and
 * shapes follow the same rules. Road class comes from a highway, fclass
 * or class field; lines without one get profile->default_class.
 * Ownership: everything is freed before return; the graph goes to *out.
 */
#include <stdlib.h>
#include <string.h>

#include "io/ogr_util.h"
#include "io/osm_build.h"
#include "io/roads_ogr.h"
#include "util/internal.h"

typedef struct vertex {
  double lon, lat;
  size_t seq; /* position in the ref stream */
} vertex;

typedef struct line_set {
  gn_ctx *ctx;
  vertex *v;
  size_t nv, cap_v;
  size_t *off; /* line offsets into v, nlines + 1 */
  size_t nlines, cap_off;
  int64_t *fid;
  size_t cap_fid;
  uint8_t *cls;
  size_t cap_cls;
} line_set;

static void lines_free(line_set *ls) {
  gn_free(ls->ctx, ls->v);
  gn_free(ls->ctx, ls->off);
  gn_free(ls->ctx, ls->fid);
  gn_free(ls->ctx, ls->cls);
}

static gn_status add_line(line_set *ls, OGRGeometryH g, int64_t fid,
                          gn_road_class c) {
  int n = OGR_G_GetPointCount(g);
  if (n < 2) return GN_OK;
  size_t k = ls->nlines;
  if (GN__GROW(ls->ctx, ls->v, ls->cap_v, ls->nv + (size_t)n) != GN_OK ||
      GN__GROW(ls->ctx, ls->off, ls->cap_off, k + 2) != GN_OK ||
      GN__GROW(ls->ctx, ls->fid, ls->cap_fid, k + 1) != GN_OK ||
      GN__GROW(ls->ctx, ls->cls, ls->cap_cls, k + 1) != GN_OK)
    return GN_ENOMEM;
  if (k == 0) ls->off[0] = 0;
  for (int i = 0; i < n; i++) {
    vertex *p = &ls->v[ls->nv];
    p->lon = OGR_G_GetX(g, i);
    p->lat = OGR_G_GetY(g, i);
    p->seq = ls->nv++;
  }
  ls->fid[k] = fid;
  ls->cls[k] = (uint8_t)c;
  ls->off[k + 1] = ls->nv;
  ls->nlines++;
  return GN_OK;
}

static gn_status add_geometry(line_set *ls, OGRGeometryH g, int64_t fid,
                              gn_road_class c) {
  OGRwkbGeometryType t = wkbFlatten(OGR_G_GetGeometryType(g));
  if (t == wkbLineString) return add_line(ls, g, fid, c);
  if (t != wkbMultiLineString) return GN_OK;
  for (int i = 0; i < OGR_G_GetGeometryCount(g); i++) {
    gn_status rc = add_line(ls, OGR_G_GetGeometryRef(g, i), fid, c);
    if (rc != GN_OK) return rc;
  }
  return GN_OK;
}

static gn_road_class feature_class(OGRFeatureH f, int fld,
                                   const gn_osm_profile *p) {
  if (fld < 0 || !OGR_F_IsFieldSetAndNotNull(f, fld)) return p->default_class;
  return gn_road_class_parse(OGR_F_GetFieldAsString(f, fld));
}

static gn_status collect(gn_ctx *ctx, const char *path, OGRLayerH layer,
                         const gn_osm_profile *p, line_set *ls,
                         size_t *nfeat) {
  static const char *const names[] = {"highway", "fclass", "road_class",
                                      "class", NULL};
  OGRCoordinateTransformationH ct = NULL;
  gn_status rc = gn__ogr_to_wgs84(ctx, path, layer, &ct);
  int fld = gn__ogr_field(OGR_L_GetLayerDefn(layer), names);
  OGRFeatureH f;
  OGR_L_ResetReading(layer);
  while (rc == GN_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
    (*nfeat)++;
    gn_road_class c = feature_class(f, fld, p);
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g && c != GN_ROAD_CLASS_COUNT && p->allow[c]) {
      if (ct) OGR_G_Transform(g, ct);
      rc = add_geometry(ls, g, (int64_t)OGR_F_GetFID(f), c);
    }
    OGR_F_Destroy(f);
  }
  if (ct) OCTDestroyCoordinateTransformation(ct);
  if (rc == GN_ENOMEM) gn__fail(ctx, rc, "%s: out of memory", path);
  return rc;
}

static int cmp_vertex(const void *a, const void *b) {
  const vertex *x = a, *y = b;
  if (x->lon != y->lon) return x->lon < y->lon ? -1 : 1;
  if (x->lat != y->lat) return x->lat < y->lat ? -1 : 1;
  return 0;
}

/* Number identical vertices alike and feed nodes + ways to the builder. */
static gn_status feed_builder(line_set *ls, gn__osm_build *b) {
  gn_ctx *ctx = ls->ctx;
  int64_t *ref = gn_malloc(ctx, (ls->nv + 1) * sizeof(int64_t));
  if (!ref) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  qsort(ls->v, ls->nv, sizeof(vertex), cmp_vertex);
  int64_t id = 0;
  gn_status rc = GN_OK;
  for (size_t i = 0; rc == GN_OK && i < ls->nv; i++) {
    if (i == 0 || cmp_vertex(&ls->v[i - 1], &ls->v[i]) != 0) {
      id++;
      rc = gn__osm_build_node(b, id, ls->v[i].lon, ls->v[i].lat);
    }
    ref[ls->v[i].seq] = id;
  }
  for (size_t k = 0; rc == GN_OK && k < ls->nlines; k++)
    rc = gn__osm_build_way(b, ls->fid[k], ref + ls->off[k],
                           ls->off[k + 1] - ls->off[k], ls->cls[k]);
  gn_free(ctx, ref);
  if (rc == GN_ENOMEM) gn__fail(ctx, rc, "out of memory");
  return rc;
}

gn_status gn__roads_ogr_read(gn_ctx *ctx, const char *path,
                             const gn_osm_profile *prof, gn_graph **out,
                             gn_osm_stats *stats) {
  GDALDatasetH ds = NULL;
  line_set ls;
  memset(&ls, 0, sizeof(ls));
  ls.ctx = ctx;
  size_t nfeat = 0;
  gn__ogr_begin();
  gn_status rc = gn__ogr_open(ctx, path, NULL, &ds);
  if (rc == GN_OK && GDALDatasetGetLayerCount(ds) < 1)
    rc = gn__fail(ctx, GN_EFORMAT, "%s: no layer", path);
  if (rc == GN_OK)
    rc = collect(ctx, path, GDALDatasetGetLayer(ds, 0), prof, &ls, &nfeat);
  if (ds) GDALClose(ds);
  gn__ogr_end();
  if (rc == GN_OK && ls.nlines == 0)
    rc = gn__fail(ctx, GN_EFORMAT, "%s: no routable LineString among %zu "
                  "features", path, nfeat);
  gn__osm_build b;
  gn__osm_build_init(&b, ctx, prof);
  b.ways_seen = nfeat;
  if (rc == GN_OK) rc = feed_builder(&ls, &b);
  lines_free(&ls);
  if (rc == GN_OK) rc = gn__osm_build_finish(&b, path, out, stats);
  gn__osm_build_cleanup(&b);
  return rc;
}
