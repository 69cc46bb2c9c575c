/*
 * plan_gpkg.c - A plan as a GeoPackage, both ways.
 *
 * Layers (EPSG:4326): sites (point), pops (point), trenches (linestring),
 * drops (linestring site -> network node, derived, not read back), nodes
 * (point, idx = plan node index) and the attribute table plan_meta
 * (key, value). Every gn_plan field is a column, so write + read gives
 * the same plan (doubles are stored as 8-byte REALs and WKB, exactly).
 * Design: each layer is described by a field table; columns are created
 * in table order, so the table index is the OGR field index on write;
 * on read fields are looked up by name. Writes run in one transaction
 * into a temporary file that is renamed on success.
 */
#include <stdlib.h>
#include <string.h>

#include "govnet/io.h"
#include "io/atomic_file.h"
#include "io/ogr_util.h"
#include "util/internal.h"

typedef struct fspec {
  const char *name;
  OGRFieldType type;
} fspec;

static const fspec site_f[] = {
    {"id", OFTString},       {"name", OFTString},    {"category", OFTString},
    {"priority", OFTInteger}, {"critical", OFTInteger}, {"status", OFTString},
    {"reason", OFTString},   {"phase", OFTString},   {"drop_m", OFTReal},
    {"snap_dist_m", OFTReal}, {"node", OFTInteger64}, {NULL, OFTString}};
enum { S_ID, S_NAME, S_CAT, S_PRI, S_CRIT, S_STATUS, S_REASON, S_PHASE,
       S_DROP, S_SNAP, S_NODE, S_N };

static const fspec pop_f[] = {
    {"id", OFTString}, {"name", OFTString}, {"node", OFTInteger64},
    {NULL, OFTString}};
enum { P_ID, P_NAME, P_NODE, P_N };

static const fspec trench_f[] = {
    {"id", OFTInteger64},     {"a", OFTInteger64},
    {"b", OFTInteger64},      {"length_m", OFTReal},
    {"road_class", OFTString}, {"sites_downstream", OFTInteger},
    {"fibers", OFTInteger},   {"cable_size", OFTInteger},
    {"redundant", OFTInteger}, {"phase", OFTString},
    {"cost_fcfa", OFTReal},   {NULL, OFTString}};
enum { T_ID, T_A, T_B, T_LEN, T_CLASS, T_DOWN, T_FIB, T_CABLE, T_RED,
       T_PHASE, T_COST, T_N };

static const fspec drop_f[] = {
    {"site_id", OFTString}, {"length_m", OFTReal}, {NULL, OFTString}};
static const fspec node_f[] = {{"idx", OFTInteger64}, {NULL, OFTString}};
static const fspec meta_f[] = {
    {"key", OFTString}, {"value", OFTString}, {NULL, OFTString}};

/* ---- writing --------------------------------------------------------- */

typedef struct writer {
  gn_ctx *ctx;
  const gn_plan *plan;
  const char *path;
  GDALDatasetH ds;
  OGRSpatialReferenceH srs;
} writer;

static gn_status wfail(writer *w, const char *what) {
  return gn__fail(w->ctx, GN_EIO, "%s: cannot write %s: %s", w->path, what,
                  gn__ogr_msg());
}

static gn_status make_layer(writer *w, const char *name,
                            OGRwkbGeometryType gt, const fspec *spec,
                            OGRLayerH *out) {
  *out = GDALDatasetCreateLayer(w->ds, name, gt == wkbNone ? NULL : w->srs,
                                gt, NULL);
  if (!*out) return wfail(w, name);
  for (const fspec *f = spec; f->name; f++) {
    OGRFieldDefnH fd = OGR_Fld_Create(f->name, f->type);
    OGRErr e = OGR_L_CreateField(*out, fd, TRUE);
    OGR_Fld_Destroy(fd);
    if (e != OGRERR_NONE) return wfail(w, name);
  }
  return GN_OK;
}

static void set_str(OGRFeatureH f, int i, const char *s) {
  if (s)
    OGR_F_SetFieldString(f, i, s);
  else
    OGR_F_SetFieldNull(f, i);
}

static void set_point(OGRFeatureH f, double lon, double lat) {
  OGRGeometryH g = OGR_G_CreateGeometry(wkbPoint);
  OGR_G_SetPoint_2D(g, 0, lon, lat);
  OGR_F_SetGeometryDirectly(f, g);
}

static void set_line(OGRFeatureH f, const double *c, size_t n) {
  OGRGeometryH g = OGR_G_CreateGeometry(wkbLineString);
  OGR_G_SetPoints(g, (int)n, (void *)c, 2 * sizeof(double), (void *)(c + 1),
                  2 * sizeof(double), NULL, 0);
  OGR_F_SetGeometryDirectly(f, g);
}

static gn_status put(writer *w, OGRLayerH l, OGRFeatureH f, const char *what) {
  OGRErr e = OGR_L_CreateFeature(l, f);
  OGR_F_Destroy(f);
  return e == OGRERR_NONE ? GN_OK : wfail(w, what);
}

static long long node_val(gn_id n) { return n == GN_NONE ? -1 : (long long)n; }

static gn_status write_sites(writer *w) {
  OGRLayerH l;
  gn_status rc = make_layer(w, "sites", wkbPoint, site_f, &l);
  for (size_t i = 0; rc == GN_OK && i < gn_plan_site_count(w->plan); i++) {
    const gn_plan_site *s = gn_plan_site_get(w->plan, i);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_str(f, S_ID, s->id);
    set_str(f, S_NAME, s->name);
    set_str(f, S_CAT, gn_category_name(s->category));
    OGR_F_SetFieldInteger(f, S_PRI, s->priority);
    OGR_F_SetFieldInteger(f, S_CRIT, s->critical);
    set_str(f, S_STATUS, gn_site_status_name(s->status));
    set_str(f, S_REASON, s->reason);
    set_str(f, S_PHASE, s->phase);
    OGR_F_SetFieldDouble(f, S_DROP, s->drop_m);
    OGR_F_SetFieldDouble(f, S_SNAP, s->snap_dist_m);
    OGR_F_SetFieldInteger64(f, S_NODE, node_val(s->node));
    set_point(f, s->lon, s->lat);
    rc = put(w, l, f, "a site");
  }
  return rc;
}

static gn_status write_pops(writer *w) {
  OGRLayerH l;
  gn_status rc = make_layer(w, "pops", wkbPoint, pop_f, &l);
  for (size_t i = 0; rc == GN_OK && i < gn_plan_pop_count(w->plan); i++) {
    const gn_plan_pop *p = gn_plan_pop_get(w->plan, i);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_str(f, P_ID, p->id);
    set_str(f, P_NAME, p->name);
    OGR_F_SetFieldInteger64(f, P_NODE, node_val(p->node));
    set_point(f, p->lon, p->lat);
    rc = put(w, l, f, "a POP");
  }
  return rc;
}

static gn_status write_trenches(writer *w) {
  OGRLayerH l;
  gn_status rc = make_layer(w, "trenches", wkbLineString, trench_f, &l);
  for (size_t i = 0; rc == GN_OK && i < gn_plan_trench_count(w->plan); i++) {
    const gn_plan_trench *t = gn_plan_trench_get(w->plan, i);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldInteger64(f, T_ID, t->id);
    OGR_F_SetFieldInteger64(f, T_A, t->a);
    OGR_F_SetFieldInteger64(f, T_B, t->b);
    OGR_F_SetFieldDouble(f, T_LEN, t->length_m);
    set_str(f, T_CLASS, gn_road_class_name((gn_road_class)t->road_class));
    OGR_F_SetFieldInteger(f, T_DOWN, t->sites_downstream);
    OGR_F_SetFieldInteger(f, T_FIB, t->fibers);
    OGR_F_SetFieldInteger(f, T_CABLE, t->cable_size);
    OGR_F_SetFieldInteger(f, T_RED, t->redundant);
    set_str(f, T_PHASE, t->phase);
    OGR_F_SetFieldDouble(f, T_COST, t->cost_fcfa);
    set_line(f, t->coords, t->ncoords);
    rc = put(w, l, f, "a trench");
  }
  return rc;
}

static gn_status write_drops(writer *w) {
  OGRLayerH l;
  gn_status rc = make_layer(w, "drops", wkbLineString, drop_f, &l);
  for (size_t i = 0; rc == GN_OK && i < gn_plan_site_count(w->plan); i++) {
    const gn_plan_site *s = gn_plan_site_get(w->plan, i);
    if (s->node == GN_NONE) continue;
    const gn_plan_node *n = gn_plan_node_get(w->plan, s->node);
    double c[4] = {s->lon, s->lat, n->lon, n->lat};
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_str(f, 0, s->id);
    OGR_F_SetFieldDouble(f, 1, s->drop_m);
    set_line(f, c, 2);
    rc = put(w, l, f, "a drop");
  }
  return rc;
}

static gn_status write_nodes_meta(writer *w) {
  OGRLayerH l;
  gn_status rc = make_layer(w, "nodes", wkbPoint, node_f, &l);
  for (size_t i = 0; rc == GN_OK && i < gn_plan_node_count(w->plan); i++) {
    const gn_plan_node *n = gn_plan_node_get(w->plan, (gn_id)i);
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    OGR_F_SetFieldInteger64(f, 0, (long long)i);
    set_point(f, n->lon, n->lat);
    rc = put(w, l, f, "a node");
  }
  if (rc == GN_OK) rc = make_layer(w, "plan_meta", wkbNone, meta_f, &l);
  int has_attr = gn_plan_get_meta(w->plan, "attribution") != NULL;
  for (size_t i = 0; rc == GN_OK && i <= gn_plan_meta_count(w->plan); i++) {
    const char *k = "attribution", *v = GN_OSM_ATTRIBUTION;
    if (i < gn_plan_meta_count(w->plan))
      gn_plan_meta_at(w->plan, i, &k, &v);
    else if (has_attr)
      break;
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_str(f, 0, k);
    set_str(f, 1, v);
    rc = put(w, l, f, "plan metadata");
  }
  if (rc == GN_OK && !gn_plan_get_meta(w->plan, "plan_version")) {
    OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(l));
    set_str(f, 0, "plan_version"); /* readers refuse other versions */
    set_str(f, 1, GN_PLAN_FORMAT_VERSION);
    rc = put(w, l, f, "plan metadata");
  }
  return rc;
}

static gn_status write_all(writer *w) {
  const char *attr = gn_plan_get_meta(w->plan, "attribution");
  GDALSetMetadataItem(w->ds, "attribution", attr ? attr : GN_OSM_ATTRIBUTION,
                      NULL);
  GDALSetMetadataItem(w->ds, "license", "ODbL 1.0", NULL);
  if (GDALDatasetStartTransaction(w->ds, FALSE) != OGRERR_NONE)
    return wfail(w, "(transaction)");
  gn_status rc = write_sites(w);
  if (rc == GN_OK) rc = write_pops(w);
  if (rc == GN_OK) rc = write_trenches(w);
  if (rc == GN_OK) rc = write_drops(w);
  if (rc == GN_OK) rc = write_nodes_meta(w);
  if (rc == GN_OK) rc = gn__qgis_styles_write(w->ctx, w->ds, w->path);
  if (rc == GN_OK && GDALDatasetCommitTransaction(w->ds) != OGRERR_NONE)
    rc = wfail(w, "(commit)");
  return rc;
}

gn_status gn_plan_write_gpkg(const gn_plan *plan, const char *path) {
  gn_ctx *ctx = gn_plan_ctx(plan);
  char *tmp = NULL;
  gn_ctx_clear(ctx);
  gn_status rc = gn__tmp_path(ctx, path, &tmp);
  if (rc != GN_OK) return rc;
  writer w = {ctx, plan, path, NULL, NULL};
  gn__ogr_begin();
  GDALDriverH drv = GDALGetDriverByName("GPKG");
  w.ds = drv ? GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL) : NULL;
  if (!w.ds) rc = wfail(&w, "the GeoPackage");
  w.srs = OSRNewSpatialReference(NULL);
  OSRImportFromEPSG(w.srs, 4326);
  OSRSetAxisMappingStrategy(w.srs, OAMS_TRADITIONAL_GIS_ORDER);
  if (rc == GN_OK) rc = write_all(&w);
  if (w.ds) {
    CPLErrorReset();
    GDALClose(w.ds);
    if (CPLGetLastErrorType() == CE_Failure && rc == GN_OK)
      rc = wfail(&w, "the GeoPackage");
  }
  OSRDestroySpatialReference(w.srs);
  gn__ogr_end();
  gn_status rc2 = gn__tmp_commit(ctx, tmp, path, rc == GN_OK);
  return rc != GN_OK ? rc : rc2;
}

/* ---- reading ---------------------------------------------------------- */

typedef struct reader {
  gn_ctx *ctx;
  const char *path;
  GDALDatasetH ds;
  gn_plan *plan;
} reader;

/* Field indexes of spec in layer l; GN_EFORMAT naming the first missing. */
static gn_status field_map(reader *r, OGRLayerH l, const fspec *spec,
                           int *idx) {
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(l);
  for (int i = 0; spec[i].name; i++) {
    idx[i] = OGR_FD_GetFieldIndex(d, spec[i].name);
    if (idx[i] < 0)
      return gn__fail(r->ctx, GN_EFORMAT, "%s: layer %s has no field %s",
                      r->path, OGR_L_GetName(l), spec[i].name);
  }
  return GN_OK;
}

static gn_status get_layer(reader *r, const char *name, const fspec *spec,
                           int *idx, OGRLayerH *l) {
  *l = GDALDatasetGetLayerByName(r->ds, name);
  if (!*l)
    return gn__fail(r->ctx, GN_EFORMAT, "%s: no layer %s (not a govnet "
                    "plan?)", r->path, name);
  OGR_L_ResetReading(*l);
  return field_map(r, *l, spec, idx);
}

static const char *get_str(OGRFeatureH f, int i) {
  return OGR_F_IsFieldSetAndNotNull(f, i) ? OGR_F_GetFieldAsString(f, i)
                                          : NULL;
}

static gn_id get_node(OGRFeatureH f, int i) {
  long long v = OGR_F_GetFieldAsInteger64(f, i);
  return v < 0 ? GN_NONE : (gn_id)v;
}

static int get_point(OGRFeatureH f, double *lon, double *lat) {
  OGRGeometryH g = OGR_F_GetGeometryRef(f);
  if (!g || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint) return 0;
  *lon = OGR_G_GetX(g, 0);
  *lat = OGR_G_GetY(g, 0);
  return 1;
}

static gn_site_status parse_status(const char *s) {
  for (int i = GN_SITE_CONNECTED; i <= GN_SITE_INVALID; i++)
    if (s && strcmp(s, gn_site_status_name((gn_site_status)i)) == 0)
      return (gn_site_status)i;
  return GN_SITE_INVALID;
}

static gn_status bad_geom(reader *r, const char *layer, OGRFeatureH f) {
  long long fid = (long long)OGR_F_GetFID(f);
  OGR_F_Destroy(f);
  return gn__fail(r->ctx, GN_EGEOM, "%s: layer %s feature %lld: missing or "
                  "wrong geometry", r->path, layer, fid);
}

static gn_status read_nodes(reader *r) {
  OGRLayerH l;
  int idx[2];
  gn_status rc = get_layer(r, "nodes", node_f, idx, &l);
  if (rc != GN_OK) return rc;
  long long n = OGR_L_GetFeatureCount(l, TRUE);
  double *pos = gn_malloc(r->ctx, (size_t)(2 * n + 2) * sizeof(double));
  uint8_t *seen = gn_malloc(r->ctx, (size_t)n + 1);
  if (!pos || !seen) rc = gn__fail(r->ctx, GN_ENOMEM, "out of memory");
  if (seen) memset(seen, 0, (size_t)n + 1);
  OGRFeatureH f;
  while (rc == GN_OK && (f = OGR_L_GetNextFeature(l)) != NULL) {
    long long i = OGR_F_GetFieldAsInteger64(f, idx[0]);
    if (i < 0 || i >= n || seen[i]) {
      OGR_F_Destroy(f);
      rc = gn__fail(r->ctx, GN_EFORMAT, "%s: layer nodes: bad or repeated "
                    "idx %lld", r->path, i);
      break;
    }
    seen[i] = 1;
    if (!get_point(f, &pos[2 * i], &pos[2 * i + 1])) {
      rc = bad_geom(r, "nodes", f);
      break;
    }
    OGR_F_Destroy(f);
  }
  for (long long i = 0; rc == GN_OK && i < n; i++)
    rc = gn_plan_add_node(r->plan, pos[2 * i], pos[2 * i + 1], NULL);
  gn_free(r->ctx, pos);
  gn_free(r->ctx, seen);
  return rc;
}

static gn_status read_site(reader *r, OGRFeatureH f, const int *x) {
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  if (!get_point(f, &s.lon, &s.lat)) return bad_geom(r, "sites", f);
  s.id = (char *)get_str(f, x[S_ID]);
  s.name = (char *)get_str(f, x[S_NAME]);
  const char *cat = get_str(f, x[S_CAT]);
  s.category = cat ? gn_category_parse(cat) : GN_CAT_OTHER;
  if (s.category == GN_CAT_COUNT) s.category = GN_CAT_OTHER;
  s.priority = OGR_F_GetFieldAsInteger(f, x[S_PRI]);
  s.critical = OGR_F_GetFieldAsInteger(f, x[S_CRIT]);
  s.status = parse_status(get_str(f, x[S_STATUS]));
  s.reason = (char *)get_str(f, x[S_REASON]);
  s.phase = (char *)get_str(f, x[S_PHASE]);
  s.drop_m = OGR_F_GetFieldAsDouble(f, x[S_DROP]);
  s.snap_dist_m = OGR_F_GetFieldAsDouble(f, x[S_SNAP]);
  s.node = get_node(f, x[S_NODE]);
  gn_status rc = gn_plan_add_site(r->plan, &s, NULL);
  OGR_F_Destroy(f);
  return rc;
}

static gn_status read_pop(reader *r, OGRFeatureH f, const int *x) {
  gn_plan_pop p;
  memset(&p, 0, sizeof(p));
  if (!get_point(f, &p.lon, &p.lat)) return bad_geom(r, "pops", f);
  p.id = (char *)get_str(f, x[P_ID]);
  p.name = (char *)get_str(f, x[P_NAME]);
  p.node = get_node(f, x[P_NODE]);
  gn_status rc = gn_plan_add_pop(r->plan, &p, NULL);
  OGR_F_Destroy(f);
  return rc;
}

static gn_status read_trench(reader *r, OGRFeatureH f, const int *x) {
  gn_plan_trench t;
  memset(&t, 0, sizeof(t));
  OGRGeometryH g = OGR_F_GetGeometryRef(f);
  if (!g || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbLineString)
    return bad_geom(r, "trenches", f);
  t.ncoords = (size_t)OGR_G_GetPointCount(g);
  t.coords = gn_malloc(r->ctx, (2 * t.ncoords + 2) * sizeof(double));
  if (!t.coords) {
    OGR_F_Destroy(f);
    return gn__fail(r->ctx, GN_ENOMEM, "out of memory");
  }
  OGR_G_GetPoints(g, t.coords, 2 * sizeof(double), t.coords + 1,
                  2 * sizeof(double), NULL, 0);
  t.id = OGR_F_GetFieldAsInteger64(f, x[T_ID]);
  t.a = get_node(f, x[T_A]);
  t.b = get_node(f, x[T_B]);
  t.length_m = OGR_F_GetFieldAsDouble(f, x[T_LEN]);
  const char *cls = get_str(f, x[T_CLASS]);
  gn_road_class c = cls ? gn_road_class_parse(cls) : GN_ROAD_NONE;
  t.road_class = (uint8_t)(c == GN_ROAD_CLASS_COUNT ? GN_ROAD_NONE : c);
  t.sites_downstream = OGR_F_GetFieldAsInteger(f, x[T_DOWN]);
  t.fibers = OGR_F_GetFieldAsInteger(f, x[T_FIB]);
  t.cable_size = OGR_F_GetFieldAsInteger(f, x[T_CABLE]);
  t.redundant = OGR_F_GetFieldAsInteger(f, x[T_RED]);
  t.phase = (char *)get_str(f, x[T_PHASE]);
  t.cost_fcfa = OGR_F_GetFieldAsDouble(f, x[T_COST]);
  gn_status rc = gn_plan_add_trench(r->plan, &t, NULL);
  gn_free(r->ctx, t.coords);
  OGR_F_Destroy(f);
  return rc;
}

static gn_status read_meta(reader *r, OGRFeatureH f, const int *x) {
  const char *k = get_str(f, x[0]);
  gn_status rc = k ? gn_plan_set_meta(r->plan, k, get_str(f, x[1])) : GN_OK;
  OGR_F_Destroy(f);
  return rc;
}

typedef gn_status (*row_fn)(reader *, OGRFeatureH, const int *);

static gn_status read_rows(reader *r, const char *name, const fspec *spec,
                           row_fn fn) {
  OGRLayerH l;
  int idx[16];
  gn_status rc = get_layer(r, name, spec, idx, &l);
  OGRFeatureH f;
  while (rc == GN_OK && (f = OGR_L_GetNextFeature(l)) != NULL)
    rc = fn(r, f, idx);
  return rc;
}

gn_status gn_plan_read_gpkg(gn_ctx *ctx, const char *path, gn_plan **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  reader r = {ctx, path, NULL, NULL};
  gn_status rc = gn_plan_create(ctx, &r.plan);
  if (rc != GN_OK) return rc;
  gn__ogr_begin();
  rc = gn__ogr_open(ctx, path, NULL, &r.ds);
  /* a system of record has cables and circuits, not the plan's layers */
  if (rc == GN_OK && GDALDatasetGetLayerByName(r.ds, "circuits") &&
      GDALDatasetGetLayerByName(r.ds, "cables"))
    rc = gn__fail(ctx, GN_EFORMAT, "%s is a govnet store (system of record), not a "
                  "plan: this needs the plan GeoPackage written by 'govnet plan --out'",
                  path);
  if (rc == GN_OK) rc = read_nodes(&r);
  if (rc == GN_OK) rc = read_rows(&r, "sites", site_f, read_site);
  if (rc == GN_OK) rc = read_rows(&r, "pops", pop_f, read_pop);
  if (rc == GN_OK) rc = read_rows(&r, "trenches", trench_f, read_trench);
  if (rc == GN_OK) rc = read_rows(&r, "plan_meta", meta_f, read_meta);
  if (r.ds) GDALClose(r.ds);
  gn__ogr_end();
  if (rc != GN_OK) {
    gn_plan_free(r.plan);
    return rc;
  }
  *out = r.plan;
  return GN_OK;
}
