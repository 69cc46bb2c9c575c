/*
 * store_site.c - Site records: list, validated create/update/delete, and
 * a circuit as a GeoJSON feature.
 *
 * Design: validation happens before any SQL and names the field, so the
 * HTTP layer can pass the message through as a 400/409 body. Every write
 * is one transaction with an audit row holding the before/after record
 * as JSON.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "govnet/geo.h"
#include "io/text.h"
#include "store/store_int.h"

gn_status gn__st_site_text(gn_ctx *ctx, const char *id, const char *name,
                           const char *phase) {
  if (!gn__id_valid(id))
    return gn__fail(ctx, GN_EINVAL, "site id: 1-128 ASCII letters, digits, "
                    "-_.:~@+=, or non-ASCII letters (no space, '/', '?', "
                    "'#', '%%', '&' or control character)");
  if (name && (strlen(name) > 512 || !gn__text_valid(name, 0)))
    return gn__fail(ctx, GN_EINVAL, "site %s: name must be UTF-8 text of at "
                    "most 512 bytes without control characters", id);
  if (phase && (strlen(phase) > 128 || !gn__text_valid(phase, 0)))
    return gn__fail(ctx, GN_EINVAL, "site %s: phase must be UTF-8 text of at "
                    "most 128 bytes without control characters", id);
  return GN_OK;
}

static gn_status validate(gn_ctx *ctx, const gn_store_site *s) {
  gn_status rs = gn__st_site_text(ctx, s->id, s->name, s->phase);
  if (rs != GN_OK) return rs;
  if ((unsigned)s->category >= GN_CAT_COUNT)
    return gn__fail(ctx, GN_EINVAL, "site %s: category invalid", s->id);
  if (!gn_geo_valid_lonlat(s->lon, s->lat))
    return gn__fail(ctx, GN_EINVAL, "site %s: lon/lat %g,%g out of range",
                    s->id, s->lon, s->lat);
  if (s->priority < 0 || s->priority > 100)
    return gn__fail(ctx, GN_EINVAL, "site %s: priority %d not in 0..100",
                    s->id, s->priority);
  if (s->critical != 0 && s->critical != 1)
    return gn__fail(ctx, GN_EINVAL, "site %s: critical must be 0 or 1",
                    s->id);
  return GN_OK;
}

static void site_json(gn__sb *b, const gn_store_site *s) {
  gn__sb_puts(b, "{\"id\":");
  gn__sb_jstr(b, s->id);
  gn__sb_puts(b, ",\"name\":");
  gn__sb_jstr(b, s->name);
  gn__sb_printf(b, ",\"category\":\"%s\",\"priority\":%d,\"critical\":%d,"
                   "\"lon\":%.7f,\"lat\":%.7f,\"phase\":",
                gn_category_name(s->category), s->priority, s->critical,
                s->lon, s->lat);
  gn__sb_jstr(b, s->phase);
  gn__sb_puts(b, "}");
}

static const char site_cols[] =
    "site_id, name, category, priority, critical, lon, lat, phase";

static gn_status read_site(gn_ctx *ctx, sqlite3_stmt *q, gn_store_site *s) {
  memset(s, 0, sizeof(*s));
  s->id = gn__strdup(ctx, gn__col_text(q, 0));
  if (sqlite3_column_type(q, 1) != SQLITE_NULL)
    s->name = gn__strdup(ctx, gn__col_text(q, 1));
  s->category = gn_category_parse(gn__col_text(q, 2));
  s->priority = sqlite3_column_int(q, 3);
  s->critical = sqlite3_column_int(q, 4);
  s->lon = sqlite3_column_double(q, 5);
  s->lat = sqlite3_column_double(q, 6);
  if (sqlite3_column_type(q, 7) != SQLITE_NULL)
    s->phase = gn__strdup(ctx, gn__col_text(q, 7));
  if (!s->id) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  return GN_OK;
}

void gn_store_sites_free(gn_ctx *ctx, gn_store_site *arr, size_t n) {
  if (!arr) return;
  for (size_t i = 0; i < n; i++) {
    gn_free(ctx, arr[i].id);
    gn_free(ctx, arr[i].name);
    gn_free(ctx, arr[i].phase);
  }
  gn_free(ctx, arr);
}

gn_status gn_store_list_sites(gn_store *st, const gn_store_query *q,
                              gn_store_site **arr, size_t *n) {
  gn_ctx_clear(st->ctx);
  *arr = NULL;
  *n = 0;
  if (q && q->category && gn_category_parse(q->category) == GN_CAT_COUNT)
    return gn__fail(st->ctx, GN_EINVAL, "category '%s' unknown", q->category);
  char sql[512];
  snprintf(sql, sizeof(sql),
           "SELECT %s FROM sites WHERE (?1 IS NULL OR (lon>=?1 AND lat>=?2 AND"
           " lon<=?3 AND lat<=?4)) AND (?5 IS NULL OR category=lower(?5))"
           " ORDER BY fid LIMIT ?6 OFFSET ?7", site_cols);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, sql, &s);
  if (rs != GN_OK) return rs;
  if (q && q->has_bbox) {
    sqlite3_bind_double(s, 1, q->min_lon);
    sqlite3_bind_double(s, 2, q->min_lat);
    sqlite3_bind_double(s, 3, q->max_lon);
    sqlite3_bind_double(s, 4, q->max_lat);
  }
  if (q && q->category) sqlite3_bind_text(s, 5, q->category, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 6, q && q->limit ? (int64_t)q->limit : -1);
  sqlite3_bind_int64(s, 7, q ? (int64_t)q->offset : 0);
  size_t cap = 0;
  while (rs == GN_OK && sqlite3_step(s) == SQLITE_ROW) {
    if (GN__GROW(st->ctx, *arr, cap, *n + 1) != GN_OK) {
      rs = gn__fail(st->ctx, GN_ENOMEM, "out of memory");
      break;
    }
    rs = read_site(st->ctx, s, &(*arr)[*n]);
    (*n)++;
  }
  sqlite3_finalize(s);
  if (rs != GN_OK) {
    gn_store_sites_free(st->ctx, *arr, *n);
    *arr = NULL;
    *n = 0;
  }
  return rs;
}

static void site_clear(gn_ctx *ctx, gn_store_site *s) {
  gn_free(ctx, s->id);
  gn_free(ctx, s->name);
  gn_free(ctx, s->phase);
  memset(s, 0, sizeof(*s));
}

/* The site's current record into *cur (*found = 0 if absent); release
 * with site_clear. */
static gn_status load_site(gn_store *st, const char *id, gn_store_site *cur,
                           int *found) {
  char sql[200];
  snprintf(sql, sizeof(sql), "SELECT %s FROM sites WHERE site_id=?", site_cols);
  sqlite3_stmt *q = NULL;
  memset(cur, 0, sizeof(*cur));
  /* kept prepared: every GET of a site reads it (for its ETag), and
   * parsing the statement was a third of a single-object GET */
  gn_status rs = gn__st_cached(st, sql, &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  *found = rc == SQLITE_ROW;
  if (*found) rs = read_site(st->ctx, q, cur);
  else if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "read site");
  gn__st_release(st, q);
  if (rs != GN_OK) site_clear(st->ctx, cur);
  return rs;
}

static gn_status record_json(gn_ctx *ctx, const gn_store_site *s, char **out) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  site_json(&b, s);
  return gn__sb_finish(&b, out);
}

/* A strong entity tag of a site record: its canonical JSON hashed. */
static void site_etag(const gn_store_site *s, char out[GN_STORE_ETAG_SIZE],
                      gn_ctx *ctx) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  site_json(&b, s);
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < b.n; i++)
    h = (h ^ (unsigned char)b.p[i]) * 1099511628211ull;
  if (b.oom) h = 0; /* never matches a real tag */
  gn__sb_cleanup(&b);
  snprintf(out, GN_STORE_ETAG_SIZE, "\"%016llx\"", (unsigned long long)h);
}

/* The site's current record as JSON into *before ("" if absent). */
static gn_status before_json(gn_store *st, const char *id, char **before,
                             int *found) {
  gn_store_site cur;
  gn_status rs = load_site(st, id, &cur, found);
  if (rs != GN_OK) return rs;
  if (*found) {
    rs = record_json(st->ctx, &cur, before);
  } else {
    gn__sb b;
    gn__sb_init(&b, st->ctx);
    rs = gn__sb_finish(&b, before);
  }
  site_clear(st->ctx, &cur);
  return rs;
}

static gn_status write_site(gn_store *st, const gn_store_site *s, int update) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st,
      update ? "UPDATE sites SET name=?2, category=?3, priority=?4,"
               " critical=?5, lon=?6, lat=?7, phase=?8, geom=?9 WHERE"
               " site_id=?1"
             : "INSERT INTO sites(site_id,name,category,priority,critical,"
               "lon,lat,phase,geom) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
      &q);
  if (rs != GN_OK) return rs;
  gn__sb g;
  gn__sb_init(&g, st->ctx);
  gn__gpkg_point(&g, s->lon, s->lat);
  sqlite3_bind_text(q, 1, s->id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 2, s->name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(q, 3, gn_category_name(s->category), -1, SQLITE_STATIC);
  sqlite3_bind_int(q, 4, s->priority);
  sqlite3_bind_int(q, 5, s->critical);
  sqlite3_bind_double(q, 6, s->lon);
  sqlite3_bind_double(q, 7, s->lat);
  sqlite3_bind_text(q, 8, s->phase, -1, SQLITE_TRANSIENT);
  if (!g.oom) sqlite3_bind_blob(q, 9, g.p, (int)g.n, SQLITE_TRANSIENT);
  int rc = sqlite3_step(q);
  sqlite3_finalize(q);
  gn__sb_cleanup(&g);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(st, rc, "write site");
}

static gn_status site_write_tx(gn_store *st, const gn_store_site *s,
                               const char *user, int update) {
  gn_ctx_clear(st->ctx);
  gn_status rs = validate(st->ctx, s);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  char *before = NULL, *after = NULL;
  int found = 0;
  rs = before_json(st, s->id, &before, &found);
  if (rs == GN_OK && update && !found)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "site %s not found", s->id);
  if (rs == GN_OK && !update && found)
    rs = gn__fail(st->ctx, GN_ECONFLICT, "site %s already exists", s->id);
  if (rs == GN_OK) rs = write_site(st, s, update);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  site_json(&b, s);
  if (rs == GN_OK) rs = gn__sb_finish(&b, &after);
  gn__sb_cleanup(&b);
  char obj[160];
  snprintf(obj, sizeof(obj), "site %s", s->id);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, update ? "site-update" : "site-create", obj,
                      update ? before : NULL, after);
  gn_free(st->ctx, before);
  gn_free(st->ctx, after);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_store_site_create(gn_store *st, const gn_store_site *s,
                               const char *user) {
  return site_write_tx(st, s, user, 0);
}

gn_status gn_store_site_update(gn_store *st, const gn_store_site *s,
                               const char *user) {
  return site_write_tx(st, s, user, 1);
}

/* 1 if the If-Match header value (a list of entity tags or "*") names
 * tag; weak tags never match (RFC 9110 13.1.1: strong comparison). */
static int etag_matches(const char *if_match, const char *tag) {
  size_t tn = strlen(tag);
  for (const char *p = if_match; *p;) {
    while (*p == ' ' || *p == '\t' || *p == ',') p++;
    const char *e = p;
    while (*e && *e != ',') e++;
    const char *t = e;
    while (t > p && (t[-1] == ' ' || t[-1] == '\t')) t--;
    size_t n = (size_t)(t - p);
    if ((n == 1 && *p == '*') || (n == tn && memcmp(p, tag, n) == 0)) return 1;
    p = e;
  }
  return 0;
}

static gn_status patch_body(gn_store *st, gn_store_site *cur,
                            const char *if_match, gn_store_site_merge_fn merge,
                            void *ud, const char *user,
                            char etag[GN_STORE_ETAG_SIZE]) {
  char tag[GN_STORE_ETAG_SIZE];
  site_etag(cur, tag, st->ctx);
  if (if_match && !etag_matches(if_match, tag))
    return gn__fail(st->ctx, GN_EPRECOND, "site %s changed since it was read"
                    " (If-Match does not match its ETag %s)", cur->id, tag);
  gn_store_site m = *cur; /* strings borrowed from cur or from the merge */
  gn_status rs = merge(ud, st->ctx, &m);
  m.id = cur->id; /* an id never changes */
  if (rs == GN_OK) rs = validate(st->ctx, &m);
  if (rs == GN_OK) rs = write_site(st, &m, 1);
  char *before = NULL, *after = NULL, obj[160];
  if (rs == GN_OK) rs = record_json(st->ctx, cur, &before);
  if (rs == GN_OK) rs = record_json(st->ctx, &m, &after);
  snprintf(obj, sizeof(obj), "site %s", cur->id);
  if (rs == GN_OK) rs = gn__st_audit(st, user, "site-update", obj, before, after);
  if (rs == GN_OK && etag) site_etag(&m, etag, st->ctx);
  gn_free(st->ctx, before);
  gn_free(st->ctx, after);
  return rs;
}

gn_status gn_store_site_patch(gn_store *st, const char *id,
                              const char *if_match,
                              gn_store_site_merge_fn merge, void *ud,
                              const char *user,
                              char etag[GN_STORE_ETAG_SIZE]) {
  gn_ctx_clear(st->ctx);
  if (!id || !merge) return gn__fail(st->ctx, GN_EINVAL, "site id required");
  gn_status rs = gn__st_begin(st); /* BEGIN IMMEDIATE: read-merge-write */
  if (rs != GN_OK) return rs;
  gn_store_site cur = {0};
  int found = 0;
  rs = load_site(st, id, &cur, &found);
  if (rs == GN_OK && !found)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "site %s not found", id);
  if (rs == GN_OK) rs = patch_body(st, &cur, if_match, merge, ud, user, etag);
  site_clear(st->ctx, &cur);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_store_site_get(gn_store *st, const char *id, char **json,
                            char etag[GN_STORE_ETAG_SIZE]) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  if (!id) return gn__fail(st->ctx, GN_EINVAL, "site id required");
  gn_status rs = gn__st_exec(st, "BEGIN"); /* one snapshot for both reads */
  if (rs != GN_OK) return rs;
  rs = gn_store_get_geojson(st, GN_LAYER_SITES, id, json);
  gn_store_site cur = {0};
  int found = 0;
  if (rs == GN_OK) rs = load_site(st, id, &cur, &found);
  if (rs == GN_OK && found) site_etag(&cur, etag, st->ctx);
  if (rs == GN_OK && !found)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "site %s not found", id);
  site_clear(st->ctx, &cur);
  sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
  if (rs != GN_OK) {
    gn_free(st->ctx, *json);
    *json = NULL;
  }
  return rs;
}

static gn_status site_delete_body(gn_store *st, const char *id,
                                  const char *user) {
  static const char *const steps[] = {
      "SELECT count(*) FROM circuits c JOIN sites s ON s.fid=c.site WHERE"
      " s.site_id=?1",
      "DELETE FROM equipment WHERE site=(SELECT fid FROM sites WHERE"
      " site_id=?1)",
      "DELETE FROM sites WHERE site_id=?1"};
  char *before = NULL;
  int found = 0;
  gn_status rs = before_json(st, id, &before, &found);
  if (rs == GN_OK && !found)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "site %s not found", id);
  for (size_t i = 0; rs == GN_OK && i < 3; i++) {
    sqlite3_stmt *q = NULL;
    rs = gn__st_prep(st, steps[i], &q);
    if (rs != GN_OK) break;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (i == 0 && rc == SQLITE_ROW && sqlite3_column_int64(q, 0) > 0)
      rs = gn__fail(st->ctx, GN_ECONFLICT,
                    "site %s is served by %lld circuits; remove them first",
                    id, (long long)sqlite3_column_int64(q, 0));
    else if (rc != SQLITE_DONE && rc != SQLITE_ROW)
      rs = gn__st_err(st, rc, "delete site");
    sqlite3_finalize(q);
  }
  char obj[160];
  snprintf(obj, sizeof(obj), "site %s", id);
  if (rs == GN_OK) rs = gn__st_audit(st, user, "site-delete", obj, before, NULL);
  gn_free(st->ctx, before);
  return rs;
}

gn_status gn_store_site_delete(gn_store *st, const char *id, const char *user) {
  gn_ctx_clear(st->ctx);
  if (!id) return gn__fail(st->ctx, GN_EINVAL, "site id required");
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = site_delete_body(st, id, user);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

gn_status gn_store_circuit_geojson(gn_store *st, int64_t circuit,
                                   char **json) {
  char id[32];
  snprintf(id, sizeof(id), "%lld", (long long)circuit);
  return gn_store_get_geojson(st, GN_LAYER_CIRCUITS, id, json);
}
