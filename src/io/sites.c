/*
 * sites.c - Public buildings (sites) from any OGR point layer.
 *
 * Design: features are read into a temporary array of gn_plan_site and
 * validated (point geometry, lon/lat range, unique ids) before any is
 * added to the plan, so a failure leaves the plan unchanged.
 * CSV: GDAL's CSV reader only splits fields (all strings): its
 * X/Y_POSSIBLE_NAMES/KEEP_GEOM_COLUMNS options crash GDAL 3.6 on headers
 * with repeated names, so the header is checked here (no empty or
 * repeated column name) and the coordinates are found by name (lon/lat,
 * longitude/latitude, lng, x/y, any case) and parsed as strict decimals.
 * GeoJSON goes through gn__geojson_guard first (in gn__ogr_open).
 * Text: ids and names must be UTF-8 without control characters, unless
 * opts->encoding says Latin-1 (then they are converted); ids must be in
 * the site id alphabet (io/text.h).
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
#include "io/text.h"
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
  int lon, lat;    /* CSV coordinate columns */
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
  static const char *const lon[] = {"lon", "longitude", "lng", "long", "x", NULL};
  static const char *const lat[] = {"lat", "latitude", "y", NULL};
  sf->lon = gn__ogr_field(d, lon);
  sf->lat = gn__ogr_field(d, lat);
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
  int latin1; /* convert text from Latin-1 */
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

static gn_status csv_coord(site_list *l, OGRFeatureH f, int fld,
                           const char *w, double *out) {
  const char *v = OGR_F_IsFieldSetAndNotNull(f, fld)
                      ? OGR_F_GetFieldAsString(f, fld) : "";
  const char *col = OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, fld));
  if (gn__parse_decimal(v, out) != 0)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: %s: column %s: '%.40s' is not a "
                    "decimal number", l->path, w, col, v);
  return GN_OK;
}

static gn_status feature_point(site_list *l, OGRFeatureH f,
                               const site_fields *sf,
                               OGRCoordinateTransformationH ct, double *lon,
                               double *lat) {
  char w[48];
  where(l, OGR_F_GetFID(f), w, sizeof(w));
  if (l->is_csv) {
    gn_status rc = csv_coord(l, f, sf->lon, w, lon);
    if (rc == GN_OK) rc = csv_coord(l, f, sf->lat, w, lat);
    if (rc != GN_OK) return rc;
    if (!gn_geo_valid_lonlat(*lon, *lat))
      return gn__fail(l->ctx, GN_EGEOM, "%s: %s: coordinates (%g, %g) out of "
                      "range (lon -180..180, lat -90..90)", l->path, w, *lon,
                      *lat);
    return GN_OK;
  }
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

/* A stored copy of text from the file: converted from Latin-1, or
 * checked as UTF-8 without control characters. */
static gn_status text_in(site_list *l, const char *v, const char *w,
                         const char *field, char **out) {
  if (!l->latin1 && !gn__text_valid(v, 0)) {
    long at = gn__text_bad_offset(v, strlen(v), 0);
    return gn__fail(l->ctx, GN_EFORMAT, "%s: %s: %s is not UTF-8 text (byte %ld"
                    " is 0x%02x); if the file is Latin-1, give --encoding "
                    "latin1", l->path, w, field, at + 1,
                    (unsigned)(unsigned char)v[at]);
  }
  *out = l->latin1 ? gn__latin1_to_utf8(l->ctx, v) : gn__strdup(l->ctx, v);
  if (!*out) return gn__fail(l->ctx, GN_ENOMEM, "out of memory reading sites");
  if (l->latin1 && !gn__text_valid(*out, 0))
    return gn__fail(l->ctx, GN_EFORMAT, "%s: %s: %s holds a control "
                    "character", l->path, w, field);
  return GN_OK;
}

/* An optional integer field within [lo, hi] (true/false for flags). */
static gn_status int_field(site_list *l, OGRFeatureH f, int fld,
                           const char *w, long long lo, long long hi,
                           int *out) {
  if (fld < 0 || !OGR_F_IsFieldSetAndNotNull(f, fld)) return GN_OK;
  OGRFieldType t = OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, fld));
  const char *v = OGR_F_GetFieldAsString(f, fld);
  long long x = 0;
  if (hi == 1 && (strcasecmp(v, "true") == 0 || strcasecmp(v, "false") == 0))
    x = strcasecmp(v, "true") == 0;
  else if (t == OFTReal) {
    double d = OGR_F_GetFieldAsDouble(f, fld);
    x = d >= (double)lo && d <= (double)hi && d == (double)(long long)d
            ? (long long)d : lo - 1;
  } else if (!*v)
    return GN_OK;
  else if (gn__parse_int(v, lo, hi, &x) != 0)
    x = lo - 1;
  if (x < lo || x > hi)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: %s: %s '%.20s' is not an "
                    "integer in %lld..%lld", l->path, w,
                    OGR_Fld_GetNameRef(OGR_F_GetFieldDefnRef(f, fld)), v, lo, hi);
  *out = (int)x;
  return GN_OK;
}

static gn_status add_feature(site_list *l, OGRFeatureH f,
                             const site_fields *sf,
                             OGRCoordinateTransformationH ct) {
  gn_plan_site s;
  memset(&s, 0, sizeof(s));
  s.node = GN_NONE;
  gn_status rc = feature_point(l, f, sf, ct, &s.lon, &s.lat);
  if (rc != GN_OK) return rc;
  char fid[32], w[48];
  snprintf(fid, sizeof(fid), "%lld", (long long)OGR_F_GetFID(f));
  where(l, OGR_F_GetFID(f), w, sizeof(w));
  const char *id = field_str(f, sf->id);
  if (!id && sf->id_required)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: feature %s has no value in the "
                    "id field", l->path, fid);
  rc = text_in(l, id ? id : fid, w, "id", &s.id);
  if (rc == GN_OK && !gn__id_valid(s.id))
    rc = gn__fail(l->ctx, GN_EFORMAT, "%s: %s: id '%.40s' is not a valid site "
                  "id (1-128 letters, digits or -_.:~@+=, ; no space or /)",
                  l->path, w, s.id);
  const char *name = feature_name(f, sf);
  if (rc == GN_OK && name) rc = text_in(l, name, w, "name", &s.name);
  s.category = feature_category(f, sf);
  if (rc == GN_OK) rc = int_field(l, f, sf->priority, w, 0, 100, &s.priority);
  if (rc == GN_OK) rc = int_field(l, f, sf->critical, w, 0, 1, &s.critical);
  if (rc == GN_OK && GN__GROW(l->ctx, l->s, l->cap, l->n + 1) != GN_OK)
    rc = gn__fail(l->ctx, GN_ENOMEM, "out of memory reading sites");
  if (rc != GN_OK) {
    gn_free(l->ctx, s.id);
    gn_free(l->ctx, s.name);
    return rc;
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

/* Every CSV column has a distinct, non-empty, UTF-8 name. */
static gn_status csv_header_check(site_list *l, OGRFeatureDefnH d) {
  int n = OGR_FD_GetFieldCount(d);
  for (int i = 0; i < n; i++) {
    const char *a = OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, i));
    if (!a[0] || !gn__text_valid(a, 0))
      return gn__fail(l->ctx, GN_EFORMAT, "%s: line 1: column %d has an empty "
                      "or invalid name", l->path, i + 1);
    for (int j = 0; j < i; j++)
      if (strcasecmp(a, OGR_Fld_GetNameRef(OGR_FD_GetFieldDefn(d, j))) == 0)
        return gn__fail(l->ctx, GN_EFORMAT, "%s: line 1: column name '%.40s' "
                        "appears twice (columns %d and %d)", l->path, a, j + 1,
                        i + 1);
  }
  return GN_OK;
}

static gn_status read_layer(site_list *l, OGRLayerH layer,
                            const gn_sites_opts *o) {
  site_fields sf;
  find_fields(OGR_L_GetLayerDefn(layer), o ? o->id_field : NULL, &sf);
  if (l->is_csv) {
    gn_status rc = csv_header_check(l, OGR_L_GetLayerDefn(layer));
    if (rc != GN_OK) return rc;
    if (sf.lon < 0 || sf.lat < 0) return csv_columns_error(l, layer);
  } else if (OGR_L_GetGeomType(layer) == wkbNone) {
    return gn__fail(l->ctx, GN_EFORMAT, "%s: layer %s has no geometry",
                    l->path, OGR_L_GetName(layer));
  }
  if (sf.id_required && sf.id < 0)
    return gn__fail(l->ctx, GN_EFORMAT, "%s: no field named '%s' for site "
                    "ids in layer %s", l->path, o->id_field,
                    OGR_L_GetName(layer));
  OGRCoordinateTransformationH ct = NULL;
  gn_status rc = l->is_csv ? GN_OK : gn__ogr_to_wgs84(l->ctx, l->path, layer, &ct);
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
  /* Fields as strings, geometry from our own parse: see the top. */
  static const char *const csv_opts[] = {"HEADERS=YES", NULL};
  gn_status rc = gn__ogr_open(l->ctx, l->path, l->is_csv ? csv_opts : NULL, ds);
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
  site_list l = {ctx, path, is_csv_path(path), 0, NULL, 0, 0};
  const char *enc = opts ? opts->encoding : NULL;
  if (enc && (strcasecmp(enc, "latin1") == 0 || strcasecmp(enc, "latin-1") == 0 ||
              strcasecmp(enc, "iso-8859-1") == 0))
    l.latin1 = 1;
  else if (enc && strcasecmp(enc, "utf-8") != 0 && strcasecmp(enc, "utf8") != 0)
    return gn__fail(ctx, GN_EINVAL, "--encoding %s: expected utf-8 or latin1",
                    enc);
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
