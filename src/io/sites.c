/*
 * sites.c - Public buildings (sites) from any OGR point layer.
 *
 * Design: features are read into a temporary array of gn_plan_site and
 * validated (point geometry, lon/lat range, unique ids) before any is
 * added to the plan, so a failure leaves the plan unchanged. CSV files
 * are opened with GDAL's X/Y_POSSIBLE_NAMES so lon/lat, longitude/
 * latitude, lng and x/y columns are found whatever their case.
 * Category mapping (documented in docs/planning.md): a "category" field
 * naming a gn_category wins; otherwise keyword matching over the values
 * of amenity-like fields; otherwise "other".
 * Ownership: the temporary records own their strings until copied.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "govnet/geo.h"
#include "govnet/io.h"
#include "io/ogr_util.h"
#include "util/internal.h"

void gn_sites_opts_init(gn_sites_opts *o) { memset(o, 0, sizeof(*o)); }

const char *gn_site_status_name(gn_site_status s) {
  switch (s) {
    case GN_SITE_CONNECTED:
      return "connected";
    case GN_SITE_TOO_FAR:
      return "too_far";
    case GN_SITE_UNREACHABLE:
      return "unreachable";
    default:
      return "invalid";
  }
}

/* Keyword -> category, matched case-insensitively as substrings of
 * amenity-like field values. First match in table order wins. */
static const struct {
  const char *kw;
  gn_category cat;
} keywords[] = {
    {"hospital", GN_CAT_HEALTH},    {"clinic", GN_CAT_HEALTH},
    {"doctor", GN_CAT_HEALTH},      {"health", GN_CAT_HEALTH},
    {"pharmac", GN_CAT_HEALTH},     {"dentist", GN_CAT_HEALTH},
    {"medic", GN_CAT_HEALTH},       {"m\xc3\xa9" "dic", GN_CAT_HEALTH},
    {"sant\xc3\xa9", GN_CAT_HEALTH}, {"soins", GN_CAT_HEALTH},
    {"h\xc3\xb4pital", GN_CAT_HEALTH}, {"dispensaire", GN_CAT_HEALTH},
    {"maternit", GN_CAT_HEALTH},    {"school", GN_CAT_EDUCATION},
    {"college", GN_CAT_EDUCATION},  {"coll\xc3\xa8ge", GN_CAT_EDUCATION},
    {"universit", GN_CAT_EDUCATION}, {"kindergarten", GN_CAT_EDUCATION},
    {"education", GN_CAT_EDUCATION}, {"\xc3\xa9" "cole", GN_CAT_EDUCATION},
    {"lyc\xc3\xa9" "e", GN_CAT_EDUCATION}, {"ecole", GN_CAT_EDUCATION},
    {"townhall", GN_CAT_ADMIN},     {"town_hall", GN_CAT_ADMIN},
    {"police", GN_CAT_ADMIN},       {"courthouse", GN_CAT_ADMIN},
    {"post_office", GN_CAT_ADMIN},  {"public_building", GN_CAT_ADMIN},
    {"government", GN_CAT_ADMIN},   {"admin", GN_CAT_ADMIN},
    {"minist", GN_CAT_ADMIN},       {"mairie", GN_CAT_ADMIN},
    {"pr\xc3\xa9" "fecture", GN_CAT_ADMIN}, {"prefecture", GN_CAT_ADMIN},
    {"tribunal", GN_CAT_ADMIN},     {"office", GN_CAT_ADMIN},
};

static int contains_ci(const char *hay, const char *needle) {
  size_t n = strlen(needle);
  for (; *hay; hay++)
    if (strncasecmp(hay, needle, n) == 0) return 1;
  return 0;
}

static gn_category category_guess(const char *value) {
  for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
    if (contains_ci(value, keywords[i].kw)) return keywords[i].cat;
  return GN_CAT_COUNT;
}

/* Field indexes looked up once per layer. */
typedef struct site_fields {
  int id, name[3], names, category, priority, critical;
  int id_required; /* the caller named the id field: no FID fallback */
  int kw[6]; /* amenity-like fields, -1 if absent */
} site_fields;

static void find_fields(OGRFeatureDefnH d, const char *id_field,
                        site_fields *sf) {
  const char *idn[] = {id_field ? id_field : "id", NULL};
  static const char *const name[3][2] = {
      {"name", NULL}, {"nom", NULL}, {"Facility name", NULL}};
  static const char *const names[] = {"names", NULL};
  static const char *const cat[] = {"category", "categorie", NULL};
  static const char *const pri[] = {"priority", "priorite", NULL};
  static const char *const crit[] = {"critical", NULL};
  static const char *const kw[6][2] = {
      {"amenity", NULL}, {"healthcare", NULL},      {"tag", NULL},
      {"type", NULL},    {"Facility type", NULL},   {"building", NULL}};
  sf->id = gn__ogr_field(d, idn);
  sf->id_required = id_field != NULL;
  for (int i = 0; i < 3; i++) sf->name[i] = gn__ogr_field(d, name[i]);
  sf->names = gn__ogr_field(d, names);
  sf->category = gn__ogr_field(d, cat);
  sf->priority = gn__ogr_field(d, pri);
  sf->critical = gn__ogr_field(d, crit);
  for (int i = 0; i < 6; i++) sf->kw[i] = gn__ogr_field(d, kw[i]);
}

static const char *field_str(OGRFeatureH f, int i) {
  if (i < 0 || !OGR_F_IsFieldSetAndNotNull(f, i)) return NULL;
  const char *s = OGR_F_GetFieldAsString(f, i);
  return s && *s ? s : NULL;
}

static gn_category feature_category(OGRFeatureH f, const site_fields *sf) {
  const char *c = field_str(f, sf->category);
  if (c) {
    gn_category k = gn_category_parse(c);
    if (k != GN_CAT_COUNT) return k;
    k = category_guess(c);
    if (k != GN_CAT_COUNT) return k;
  }
  for (int i = 0; i < 6; i++) {
    const char *v = field_str(f, sf->kw[i]);
    gn_category k = v ? category_guess(v) : GN_CAT_COUNT;
    if (k != GN_CAT_COUNT) return k;
  }
  return GN_CAT_OTHER;
}

static const char *feature_name(OGRFeatureH f, const site_fields *sf) {
  const char *n = NULL;
  for (int i = 0; i < 3 && !n; i++) n = field_str(f, sf->name[i]);
  if (n || sf->names < 0 || !OGR_F_IsFieldSetAndNotNull(f, sf->names))
    return n;
  if (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, sf->names)) == OFTStringList) {
    char **l = OGR_F_GetFieldAsStringList(f, sf->names);
    return l && l[0] && *l[0] ? l[0] : NULL;
  }
  return field_str(f, sf->names);
}

typedef struct site_list {
  gn_ctx *ctx;
  const char *path;
  int is_csv;
  gn_plan_site *s;
  size_t n, cap;
} site_list;

static void list_free(site_list *l) {
  for (size_t i = 0; i < l->n; i++) {
    gn_free(l->ctx, l->s[i].id);
    gn_free(l->ctx, l->s[i].name);
  }
  gn_free(l->ctx, l->s);
}

/* "line 12" for CSV (header is line 1), "feature 11" otherwise. */
static void where(const site_list *l, int64_t fid, char *buf, size_t n) {
  if (l->is_csv)
    snprintf(buf, n, "line %lld", (long long)fid + 1);
  else
    snprintf(buf, n, "feature %lld", (long long)fid);
}

static gn_status feature_point(site_list *l, OGRFeatureH f,
                               OGRCoordinateTransformationH ct, double *lon,
                               double *lat) {
  char w[48];
  where(l, OGR_F_GetFID(f), w, sizeof(w));
  OGRGeometryH g = OGR_F_GetGeometryRef(f);
  if (g && wkbFlatten(OGR_G_GetGeometryType(g)) == wkbMultiPoint &&
      OGR_G_GetGeometryCount(g) == 1)
    g = OGR_G_GetGeometryRef(g, 0);
  if (!g || wkbFlatten(OGR_G_GetGeometryType(g)) != wkbPoint)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: %s: geometry is %s, expected a "
                    "Point", l->path, w,
                    g ? OGR_G_GetGeometryName(g) : "empty");
  if (ct && OGR_G_Transform(g, ct) != OGRERR_NONE)
    return gn__fail(l->ctx, GN_EGEOM, "%s: %s: cannot reproject to WGS84",
                    l->path, w);
  *lon = OGR_G_GetX(g, 0);
  *lat = OGR_G_GetY(g, 0);
  if (!gn_geo_valid_lonlat(*lon, *lat))
    return gn__fail(l->ctx, GN_EGEOM, "%s: %s: coordinates (%g, %g) out of "
                    "range (lon -180..180, lat -90..90)", l->path, w, *lon,
                    *lat);
  return GN_OK;
}

static gn_status add_feature(site_list *l, OGRFeatureH f,
                             const site_fields *sf,
                             OGRCoordinateTransformationH ct) {
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  s.node = GN_NONE;
  gn_status rc = feature_point(l, f, ct, &s.lon, &s.lat);
  if (rc != GN_OK) return rc;
  char fid[32];
  snprintf(fid, sizeof(fid), "%lld", (long long)OGR_F_GetFID(f));
  const char *id = field_str(f, sf->id);
  if (!id && sf->id_required)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: feature %s has no value in the "
                    "id field", l->path, fid);
  s.id = gn__strdup(l->ctx, id ? id : fid);
  s.name = gn__strdup(l->ctx, feature_name(f, sf));
  s.category = feature_category(f, sf);
  if (sf->priority >= 0 && OGR_F_IsFieldSetAndNotNull(f, sf->priority))
    s.priority = OGR_F_GetFieldAsInteger(f, sf->priority);
  if (sf->critical >= 0 && OGR_F_IsFieldSetAndNotNull(f, sf->critical))
    s.critical = OGR_F_GetFieldAsInteger(f, sf->critical) != 0;
  if (!s.id || GN__GROW(l->ctx, l->s, l->cap, l->n + 1) != GN_OK) {
    gn_free(l->ctx, s.id);
    gn_free(l->ctx, s.name);
    return gn__fail(l->ctx, GN_ENOMEM, "out of memory reading sites");
  }
  l->s[l->n++] = s;
  return GN_OK;
}

static gn_status csv_columns_error(site_list *l, OGRLayerH layer) {
  OGRFeatureDefnH d = OGR_L_GetLayerDefn(layer);
  char cols[256] = "";
  size_t used = 0;
  for (int i = 0; i < OGR_FD_GetFieldCount(d) && used < sizeof(cols); i++) {
    int k = snprintf(cols + used, sizeof(cols) - used, "%s%s", i ? ", " : "",
                     OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i)));
    if (k > 0) used += (size_t)k;
  }
  return gn__fail(l->ctx, GN_EFORMAT, "%s: no coordinate columns (need lon/"
                  "lat, longitude/latitude or x/y; columns are: %s)", l->path,
                  cols);
}

static gn_status read_layer(site_list *l, OGRLayerH layer,
                            const gn_sites_opts *o) {
  if (OGR_L_GetGeomType(layer) == wkbNone) {
    if (l->is_csv) return csv_columns_error(l, layer);
    return gn__fail(l->ctx, GN_EFORMAT, "%s: layer %s has no geometry",
                    l->path, OGR_L_GetName(layer));
  }
  site_fields sf;
  find_fields(OGR_L_GetLayerDefn(layer), o ? o->id_field : NULL, &sf);
  if (sf.id_required && sf.id < 0)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: no field named '%s' for site "
                    "ids in layer %s", l->path, o->id_field,
                    OGR_L_GetName(layer));
  OGRCoordinateTransformationH ct = NULL;
  gn_status rc = gn__ogr_to_wgs84(l->ctx, l->path, layer, &ct);
  OGRFeatureH f;
  OGR_L_ResetReading(layer);
  while (rc == GN_OK && (f = OGR_L_GetNextFeature(layer)) != NULL) {
    rc = add_feature(l, f, &sf, ct);
    OGR_F_Destroy(f);
  }
  if (ct) OCTDestroyCoordinateTransformation(ct);
  if (rc == GN_OK && l->n == 0)
    rc = gn__fail(l->ctx, GN_EFORMAT, "%s: no sites (the layer has no "
                  "feature)", l->path);
  return rc;
}

static int cmp_site_id(const void *a, const void *b) {
  const gn_plan_site *const *x = a, *const *y = b;
  return strcmp((*x)->id, (*y)->id);
}

static gn_status check_unique(site_list *l) {
  const gn_plan_site **p = gn_malloc(l->ctx, (l->n + 1) * sizeof(*p));
  if (!p) return gn__fail(l->ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < l->n; i++) p[i] = &l->s[i];
  qsort(p, l->n, sizeof(*p), cmp_site_id);
  gn_status rc = GN_OK;
  for (size_t i = 1; i < l->n && rc == GN_OK; i++)
    if (strcmp(p[i - 1]->id, p[i]->id) == 0)
      rc = gn__fail(l->ctx, GN_EFORMAT, "%s: duplicate site id '%s'",
                    l->path, p[i]->id);
  gn_free(l->ctx, p);
  return rc;
}

static gn_status open_layer(site_list *l, const gn_sites_opts *o,
                            GDALDatasetH *ds, OGRLayerH *layer) {
  static const char *const csv_opts[] = {
      "X_POSSIBLE_NAMES=lon,longitude,lng,long,x",
      "Y_POSSIBLE_NAMES=lat,latitude,y", "KEEP_GEOM_COLUMNS=NO",
      "AUTODETECT_TYPE=YES", NULL};
  gn_status rc = gn__ogr_open(l->ctx, l->path, l->is_csv ? csv_opts : NULL,
                              ds);
  if (rc != GN_OK) return rc;
  *layer = o && o->layer ? GDALDatasetGetLayerByName(*ds, o->layer)
                         : GDALDatasetGetLayer(*ds, 0);
  if (!*layer)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: no layer %s", l->path,
                    o && o->layer ? o->layer : "");
  return GN_OK;
}

static int is_csv_path(const char *path) {
  size_t n = strlen(path);
  return n > 4 && strcasecmp(path + n - 4, ".csv") == 0;
}

gn_status gn_io_read_sites(gn_ctx *ctx, const char *path,
                           const gn_sites_opts *opts, gn_plan *plan) {
  gn_ctx_clear(ctx);
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return gn__io_cannot_open(ctx, path, errno);
  fclose(fp);
  site_list l = {ctx, path, is_csv_path(path), NULL, 0, 0};
  GDALDatasetH ds = NULL;
  OGRLayerH layer = NULL;
  gn__ogr_begin();
  gn_status rc = open_layer(&l, opts, &ds, &layer);
  if (rc == GN_OK) rc = read_layer(&l, layer, opts);
  if (ds) GDALClose(ds);
  gn__ogr_end();
  if (rc == GN_OK) rc = check_unique(&l);
  for (size_t i = 0; rc == GN_OK && i < l.n; i++)
    rc = gn_plan_add_site(plan, &l.s[i], NULL);
  list_free(&l);
  return rc;
}
