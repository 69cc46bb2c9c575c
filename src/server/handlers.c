/*
 * handlers.c - The API route handlers over the store.
 *
 * Design: each handler parses its parameters strictly, calls one store
 * function on the worker's own connection and hands the JSON text back.
 * The store allocates results with the worker's ctx; they are copied into
 * the answer buffer and freed at once, so nothing outlives the request.
 * Site edits take a GeoJSON Point Feature; PATCH is a merge: the given
 * properties (and geometry) replace the stored ones, the rest stays.
 * Errors: a handler returns a gn_status with the message on the worker's
 * ctx; the dispatcher maps it with gn_status_http().
 * Threads: one worker per thread; handlers share no mutable state.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/govnet.h"
#include "server/srv.h"
#include "util/internal.h"

#define GN__AUDIT_USER "api"
#define GN__MAX_CUT_IDS 256

static gn_status point_from(gn_ctx *ctx, const json_t *geom, double *lon,
                            double *lat);

/* The layer named by the first path segment after /api/. */
static gn_store_layer route_layer(const gn__req *r) {
  const char *name = r->route->path + 5;
  const char *slash = strchr(name, '/');
  size_t n = slash ? (size_t)(slash - name) : strlen(name);
  char buf[32];
  if (n >= sizeof(buf)) return GN_LAYER_COUNT;
  memcpy(buf, name, n);
  buf[n] = '\0';
  return gn_store_layer_parse(buf);
}

/* Copy a store result into the answer and free it. */
gn_status gn__h_health(gn__req *r) {
  return gn__req_json_value(
      r, json_pack("{s:s,s:s,s:i}", "status", "ok", "version",
                   GN_VERSION_STRING, "schema",
                   gn_store_schema_version(r->w->store)));
}

gn_status gn__h_openapi(gn__req *r) {
  return gn__req_copy(r, r->info->openapi, r->info->openapi_len,
                      "application/json");
}

gn_status gn__h_boundaries(gn__req *r) {
  return gn__req_copy(r, r->info->boundaries, r->info->boundaries_len,
                      "application/geo+json");
}

gn_status gn__h_places(gn__req *r) {
  return gn__req_copy(r, r->info->places, r->info->places_len,
                      "application/geo+json");
}

gn_status gn__h_basemap(gn__req *r) {
  return gn__req_copy(r, r->info->basemap, r->info->basemap_len,
                      "application/json");
}

static gn_status layer_query(gn__req *r, gn_store_query *q) {
  gn_ctx *ctx = r->w->ctx;
  const char *v = gn__req_arg(r, "bbox");
  double bbox[4];
  long lim = (long)r->info->opts->max_page, off = 0;
  gn_status s = GN_OK;
  memset(q, 0, sizeof(*q));
  if (v && (s = gn__parse_bbox(ctx, v, bbox)) != GN_OK) return s;
  if (v) {
    q->has_bbox = 1;
    q->min_lon = bbox[0];
    q->min_lat = bbox[1];
    q->max_lon = bbox[2];
    q->max_lat = bbox[3];
  }
  v = gn__req_arg(r, "category");
  if (v && gn_category_parse(v) == GN_CAT_COUNT)
    return gn__fail(ctx, GN_EINVAL,
                    "category: expected admin, health, education or other, got '%.32s'", v);
  q->category = v;
  v = gn__req_arg(r, "limit");
  if (v && (s = gn__parse_uint(ctx, "limit", v, 1, lim, &lim)) != GN_OK) return s;
  v = gn__req_arg(r, "offset");
  if (v && (s = gn__parse_uint(ctx, "offset", v, 0, 1000000000L, &off)) != GN_OK)
    return s;
  q->limit = (size_t)lim;
  q->offset = (size_t)off;
  return GN_OK;
}

gn_status gn__h_layer(gn__req *r) {
  gn_store_query q;
  gn_status s = layer_query(r, &q);
  if (s != GN_OK) return s;
  char *json = NULL;
  s = gn_store_list_geojson(r->w->store, route_layer(r), &q, &json);
  return gn__req_lib_json(r, s, json, "application/geo+json", 0);
}

gn_status gn__h_circuits(gn__req *r) {
  gn_store_query q;
  gn_status s = layer_query(r, &q);
  if (s != GN_OK) return s;
  q.site = gn__req_arg(r, "site"); /* the store's indexed site filter */
  char *json = NULL;
  s = gn_store_list_geojson(r->w->store, GN_LAYER_CIRCUITS, &q, &json);
  return gn__req_lib_json(r, s, json, "application/geo+json", 0);
}

gn_status gn__h_object(gn__req *r) {
  char *json = NULL;
  gn_store_layer layer = route_layer(r);
  gn_status s = layer == GN_LAYER_SITES
                    ? gn_store_site_get(r->w->store, r->path_id, &json, r->etag)
                    : gn_store_get_geojson(r->w->store, layer, r->path_id, &json);
  return gn__req_lib_json(r, s, json, "application/geo+json", 0);
}

static gn_status parse_id(gn_ctx *ctx, const char *name, const char *v,
                          int64_t *out) {
  long id = 0;
  gn_status s = gn__parse_uint(ctx, name, v, 1, 0x7fffffffL, &id);
  *out = id;
  return s;
}

gn_status gn__h_trace(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  const char *fiber = gn__req_arg(r, "fiber"), *port = gn__req_arg(r, "port");
  if ((fiber != NULL) == (port != NULL))
    return gn__fail(ctx, GN_EINVAL, "trace: give exactly one of fiber=ID or port=ID");
  int64_t id = 0;
  gn_status s = parse_id(ctx, fiber ? "fiber" : "port", fiber ? fiber : port, &id);
  if (s != GN_OK) return s;
  gn_trace *t = NULL;
  s = fiber ? gn_store_trace_fiber(r->w->store, id, NULL, &t)
            : gn_store_trace_port(r->w->store, id, NULL, &t);
  if (s != GN_OK) return s;
  char *json = NULL;
  s = gn_store_trace_json(r->w->store, t, &json);
  gn_trace_free(ctx, t);
  return gn__req_lib_json(r, s, json, "application/json", 0);
}

typedef struct id_list {
  gn_ctx *ctx;
  int64_t ids[GN__MAX_CUT_IDS];
  size_t n;
  gn_status s;
} id_list;

static enum MHD_Result collect_trench(void *cls, enum MHD_ValueKind kind,
                                      const char *key, const char *value) {
  (void)kind;
  id_list *l = cls;
  if (strcmp(key, "trench") != 0) return MHD_YES;
  if (l->n == GN__MAX_CUT_IDS) {
    l->s = gn__fail(l->ctx, GN_ELIMIT, "impact: at most %d trenches", GN__MAX_CUT_IDS);
    return MHD_NO;
  }
  l->s = parse_id(l->ctx, "trench", value ? value : "", &l->ids[l->n++]);
  return l->s == GN_OK ? MHD_YES : MHD_NO;
}

gn_status gn__h_impact(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  id_list *l = gn__arena_alloc(&r->arena, sizeof(*l));
  if (!l) return gn_ctx_errcode(ctx);
  l->ctx = ctx;
  l->n = 0;
  l->s = GN_OK;
  MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, collect_trench, l);
  if (l->s != GN_OK) return l->s;
  const char *cable = gn__req_arg(r, "cable");
  if ((l->n > 0) == (cable != NULL))
    return gn__fail(ctx, GN_EINVAL, "impact: give trench=ID (repeatable) or cable=ID");
  gn_impact_query q = {.kind = GN_CUT_TRENCHES, .ids = l->ids, .nids = l->n};
  if (cable) {
    gn_status s = parse_id(ctx, "cable", cable, &l->ids[0]);
    if (s != GN_OK) return s;
    q.kind = GN_CUT_CABLE;
    q.nids = 1;
  }
  gn_impact *imp = NULL;
  gn_status s = gn_store_impact(r->w->store, &q, &imp);
  if (s != GN_OK) return s;
  char *json = NULL;
  s = gn_impact_json(ctx, imp, &json);
  gn_impact_free(ctx, imp);
  return gn__req_lib_json(r, s, json, "application/json", 0);
}

gn_status gn__h_summary(gn__req *r) {
  char *json = NULL;
  gn_status s = gn_store_summary_json(r->w->store, &json);
  return gn__req_lib_json(r, s, json, "application/json", 0);
}

gn_status gn__h_bom(gn__req *r) {
  char *json = NULL;
  gn_status s = gn_store_summary_json(r->w->store, &json);
  if (s != GN_OK) return s;
  json_t *v = json_loads(json, 0, NULL);
  gn_free(r->w->ctx, json);
  json_t *bom = json_incref(json_object_get(v, "bom"));
  json_decref(v);
  if (!bom) return gn__fail(r->w->ctx, GN_EINTERNAL, "summary without a bom");
  return gn__req_json_value(r, bom);
}

/* ---- site edits ---- */

gn_status gn__feature_parse(gn_ctx *ctx, const char *body, size_t len,
                            void **out) {
  *out = NULL;
  json_error_t err;
  json_t *v = json_loadb(body, len, JSON_REJECT_DUPLICATES, &err);
  if (!v)
    return gn__fail(ctx, GN_EINVAL, "body line %d column %d: %s", err.line,
                    err.column, err.text);
  const char *type = json_string_value(json_object_get(v, "type"));
  if (!type || strcmp(type, "Feature") != 0) {
    json_decref(v);
    return gn__fail(ctx, GN_EINVAL, "body: expected a GeoJSON Feature");
  }
  *out = v;
  return GN_OK;
}

static gn_status body_feature(gn__req *r, json_t **out) {
  void *v = NULL;
  gn_status s = gn__feature_parse(r->w->ctx, r->body, r->body_len, &v);
  *out = v;
  return s;
}

static gn_status point_from(gn_ctx *ctx, const json_t *geom, double *lon,
                            double *lat) {
  const char *type = json_string_value(json_object_get(geom, "type"));
  const json_t *c = json_object_get(geom, "coordinates");
  if (!type || strcmp(type, "Point") != 0 || json_array_size(c) < 2 ||
      !json_is_number(json_array_get(c, 0)) || !json_is_number(json_array_get(c, 1)))
    return gn__fail(ctx, GN_EGEOM, "geometry: expected a Point [lon, lat]");
  *lon = json_number_value(json_array_get(c, 0));
  *lat = json_number_value(json_array_get(c, 1));
  if (!isfinite(*lon) || !isfinite(*lat) || fabs(*lon) > 180 || fabs(*lat) > 90)
    return gn__fail(ctx, GN_EGEOM, "geometry: coordinates out of range");
  return GN_OK;
}

/* A string property (NULL if absent or null), GN_EINVAL if not a string. */
static gn_status prop_str(gn_ctx *ctx, const json_t *props, const char *key,
                          char **out) {
  const json_t *v = json_object_get(props, key);
  *out = NULL;
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_string(v))
    return gn__fail(ctx, GN_EINVAL, "properties.%s: expected a string", key);
  *out = (char *)json_string_value(v);
  return GN_OK;
}

static gn_status prop_int(gn_ctx *ctx, const json_t *props, const char *key,
                          int *out) {
  const json_t *v = json_object_get(props, key);
  if (!v || json_is_null(v)) return GN_OK;
  if (json_is_boolean(v)) {
    *out = json_is_true(v);
    return GN_OK;
  }
  if (!json_is_integer(v) || json_integer_value(v) < 0 ||
      json_integer_value(v) > 1000000)
    return gn__fail(ctx, GN_EINVAL, "properties.%s: expected a small non-negative integer", key);
  *out = (int)json_integer_value(v);
  return GN_OK;
}

/* Fill s from a Feature (strings borrowed from f). Validation of ranges
 * and uniqueness is the store's, shared with every other writer. */
gn_status gn__site_from_feature(gn_ctx *ctx, const void *feature,
                                gn_store_site *s) {
  const json_t *f = feature;
  const json_t *props = json_object_get(f, "properties");
  if (!json_is_object(props))
    return gn__fail(ctx, GN_EINVAL, "properties: expected an object");
  gn_status st = point_from(ctx, json_object_get(f, "geometry"), &s->lon, &s->lat);
  char *cat = NULL;
  if (st == GN_OK) st = prop_str(ctx, props, "id", &s->id);
  if (st == GN_OK) st = prop_str(ctx, props, "name", &s->name);
  if (st == GN_OK) st = prop_str(ctx, props, "phase", &s->phase);
  if (st == GN_OK) st = prop_str(ctx, props, "category", &cat);
  if (st == GN_OK) st = prop_int(ctx, props, "priority", &s->priority);
  if (st == GN_OK) st = prop_int(ctx, props, "critical", &s->critical);
  if (st != GN_OK) return st;
  if (!s->id || !s->id[0]) return gn__fail(ctx, GN_EINVAL, "properties.id: required");
  s->category = cat ? gn_category_parse(cat) : GN_CAT_OTHER;
  if (s->category == GN_CAT_COUNT)
    return gn__fail(ctx, GN_EINVAL,
                    "properties.category: expected admin, health, education or other");
  return GN_OK;
}

static gn_status answer_site(gn__req *r, const char *id, unsigned http) {
  char *json = NULL;
  gn_status s = gn_store_site_get(r->w->store, id, &json, r->etag);
  s = gn__req_lib_json(r, s, json, "application/geo+json", 0);
  r->http = http;
  return s;
}

/* "/api/sites/<id>" with every byte outside RFC 3986 pchar
 * percent-encoded (ids may hold non-ASCII letters). */
static const char *site_location(gn__req *r, const char *id) {
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(id);
  char *loc = gn__arena_alloc(&r->arena, 12 + 3 * n);
  if (!loc) return NULL;
  memcpy(loc, "/api/sites/", 11);
  char *o = loc + 11;
  for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
    if (*p < 0x80 && (isalnum(*p) || strchr("-._~:@+=,!$&'()*;", *p))) {
      *o++ = (char)*p;
    } else {
      *o++ = '%';
      *o++ = hex[*p >> 4];
      *o++ = hex[*p & 15];
    }
  }
  *o = '\0';
  return loc;
}

gn_status gn__h_site_create(gn__req *r) {
  json_t *f = NULL;
  gn_status s = body_feature(r, &f);
  if (s != GN_OK) return s;
  gn_store_site site = {0};
  s = gn__site_from_feature(r->w->ctx, f, &site);
  if (s == GN_OK) s = gn_store_site_create(r->w->store, &site, GN__AUDIT_USER);
  if (s == GN_OK) {
    r->location = site_location(r, site.id);
    s = answer_site(r, site.id, 201);
  }
  json_decref(f);
  return s;
}

/* Apply a patch Feature to a site record (strings borrowed from the
 * patch): each property given replaces the stored one, null resets it
 * to its default; a non-null geometry replaces the position. */
gn_status gn__site_patch_apply(gn_ctx *ctx, const void *patch_feature,
                               gn_store_site *s) {
  const json_t *patch = patch_feature;
  const json_t *pp = json_object_get(patch, "properties");
  if (pp && !json_is_null(pp) && !json_is_object(pp))
    return gn__fail(ctx, GN_EINVAL, "properties: expected an object");
  const json_t *geom = json_object_get(patch, "geometry");
  gn_status st = GN_OK;
  if (geom && !json_is_null(geom)) st = point_from(ctx, geom, &s->lon, &s->lat);
  const char *pid = json_string_value(json_object_get(pp, "id"));
  if (st == GN_OK && json_object_get(pp, "id") && (!pid || strcmp(pid, s->id) != 0))
    return gn__fail(ctx, GN_EINVAL, "properties.id: cannot change a site's id");
  char *cat = NULL;
  if (st == GN_OK && json_object_get(pp, "name")) st = prop_str(ctx, pp, "name", &s->name);
  if (st == GN_OK && json_object_get(pp, "phase")) st = prop_str(ctx, pp, "phase", &s->phase);
  if (st == GN_OK && json_object_get(pp, "category")) {
    st = prop_str(ctx, pp, "category", &cat);
    s->category = cat ? gn_category_parse(cat) : GN_CAT_OTHER;
    if (st == GN_OK && s->category == GN_CAT_COUNT)
      st = gn__fail(ctx, GN_EINVAL,
                    "properties.category: expected admin, health, education or other");
  }
  if (st == GN_OK && json_object_get(pp, "priority")) {
    s->priority = 0;
    st = prop_int(ctx, pp, "priority", &s->priority);
  }
  if (st == GN_OK && json_object_get(pp, "critical")) {
    s->critical = 0;
    st = prop_int(ctx, pp, "critical", &s->critical);
  }
  return st;
}

static gn_status merge_cb(void *ud, gn_ctx *ctx, gn_store_site *site) {
  return gn__site_patch_apply(ctx, ud, site);
}

gn_status gn__h_site_update(gn__req *r) {
  json_t *patch = NULL;
  gn_status s = body_feature(r, &patch);
  const char *if_match = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_IF_MATCH);
  if (s == GN_OK)
    s = gn_store_site_patch(r->w->store, r->path_id, if_match, merge_cb, patch,
                            GN__AUDIT_USER, NULL);
  if (s == GN_OK) s = answer_site(r, r->path_id, 200);
  json_decref(patch);
  return s;
}

gn_status gn__h_site_delete(gn__req *r) {
  gn_status s = gn_store_site_delete(r->w->store, r->path_id, GN__AUDIT_USER);
  if (s != GN_OK) return s;
  r->http = 204;
  r->resp_len = 0;
  return GN_OK;
}
