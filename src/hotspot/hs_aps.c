/*
 * hs_aps.c - Access points as network records: placement on a campus,
 * listing, and the APs a cut takes down.
 *
 * Design: an AP belongs to a store site (the campus building) and rides
 * that site's working circuit as backhaul, so the store's impact (which
 * knows which circuits a cut takes and whether a protect path survives)
 * answers for hotspots too; this module only maps circuits and sites to
 * APs, and the store never needs to know hotspots exist. Placement is a
 * sunflower (Vogel) spiral over a disc: even density, no grid artefacts,
 * deterministic. Metres become degrees by the local equirectangular
 * approximation (error well under 1 % across a campus).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "hotspot/hs_int.h"

#define GOLDEN_ANGLE 2.399963229728653 /* pi * (3 - sqrt 5) */
#define M_PER_DEG 111320.0
#define PI 3.14159265358979323846

typedef struct campus {
  double lon, lat;
  int64_t circuit; /* 0 = none */
} campus;

static gn_status find_campus(gn_store *st, const char *site, campus *c) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT s.lon,s.lat,(SELECT c.fid FROM circuits c WHERE c.site=s.fid"
      " AND c.role='working' ORDER BY c.fid LIMIT 1) FROM sites s WHERE"
      " s.site_id=?1",
      &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, site, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  if (rc == SQLITE_ROW) {
    c->lon = sqlite3_column_double(s, 0);
    c->lat = sqlite3_column_double(s, 1);
    c->circuit = sqlite3_column_int64(s, 2);
  } else if (rc == SQLITE_DONE) {
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "site '%s' is not in the store",
                  site);
  } else {
    rs = gn__st_err(st, rc, "site");
  }
  sqlite3_finalize(s);
  return rs;
}

/* Number of APs and the covered area for rule r (defaults applied). */
static gn_status rule_size(gn_ctx *ctx, const gn_hotspot_plan_rule *r,
                           int64_t *n, double *area) {
  int64_t per = r->students_per_ap ? r->students_per_ap : 40;
  double m2 = r->m2_per_ap > 0 ? r->m2_per_ap : 600;
  if (r->students < 0 || r->students > 1000000 || per < 1 || per > 1000 ||
      !(r->area_m2 >= 0 && r->area_m2 <= 1e8) || !(m2 >= 10 && m2 <= 1e6))
    return gn__fail(ctx, GN_EINVAL, "hotspot plan: students 0..1000000, "
                    "area 0..1e8 m2, students per AP 1..1000, m2 per AP "
                    "10..1e6");
  *area = r->area_m2 > 0 ? r->area_m2
                         : fmax(2000.0, 2.0 * (double)r->students);
  int64_t by_students = (r->students + per - 1) / per;
  int64_t by_area = (int64_t)ceil(*area / m2);
  *n = by_students > by_area ? by_students : by_area;
  if (*n < 1) *n = 1;
  if (*n > 5000)
    return gn__fail(ctx, GN_EINVAL, "hotspot plan: %lld APs for one site; "
                    "split the campus", (long long)*n);
  return GN_OK;
}

static gn_status insert_ap(gn_store *st, const char *site, int i, double lon,
                           double lat, int64_t circuit, const char *rule) {
  char name[200];
  snprintf(name, sizeof(name), "%s-ap-%02d", site, i + 1);
  gn__sb g;
  gn__sb_init(&g, st->ctx);
  gn__gpkg_point(&g, lon, lat);
  sqlite3_stmt *s = NULL;
  gn_status rs = g.oom ? gn__fail(st->ctx, GN_ENOMEM, "out of memory")
                       : gn__st_cached(st,
                                       "INSERT INTO hs_aps(geom,name,site,lon,"
                                       "lat,nas_id,circuit,rule) VALUES(?1,?2,"
                                       "?3,?4,?5,?2,NULLIF(?6,0),?7)",
                                       &s);
  if (rs == GN_OK) {
    sqlite3_bind_blob(s, 1, g.p, (int)g.n, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, site, -1, SQLITE_STATIC);
    sqlite3_bind_double(s, 4, lon);
    sqlite3_bind_double(s, 5, lat);
    sqlite3_bind_int64(s, 6, circuit);
    sqlite3_bind_text(s, 7, rule, -1, SQLITE_STATIC);
    int rc = sqlite3_step(s);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
      rs = gn__fail(st->ctx, GN_ECONFLICT, "AP name %s already used", name);
    else if (rc != SQLITE_DONE)
      rs = gn__st_err(st, rc, "AP");
    gn__st_release(st, s);
  }
  gn__sb_cleanup(&g);
  return rs;
}

static gn_status place(gn_store *st, const gn_hotspot_plan_rule *r,
                       const campus *c, int64_t n, double area) {
  char rule[160];
  snprintf(rule, sizeof(rule), "%lld APs over %.0f m2 (%lld students)",
           (long long)n, area, (long long)r->students);
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st, "DELETE FROM hs_aps WHERE site=?1", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_text(s, 1, r->site, -1, SQLITE_STATIC);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return gn__st_err(st, rc, "AP replace");
  double radius = sqrt(area / PI);
  double cos_lat = cos(c->lat * PI / 180.0);
  for (int64_t i = 0; rs == GN_OK && i < n; i++) {
    double rr = radius * sqrt(((double)i + 0.5) / (double)n);
    double th = (double)i * GOLDEN_ANGLE;
    double lon = c->lon + rr * cos(th) / (M_PER_DEG * fmax(cos_lat, 1e-6));
    double lat = c->lat + rr * sin(th) / M_PER_DEG;
    rs = insert_ap(st, r->site, (int)i, lon, lat, c->circuit, rule);
  }
  return rs;
}

gn_status gn_hotspot_plan(gn_store *st, const gn_hotspot_plan_rule *r,
                          const char *user, size_t *count) {
  gn_ctx_clear(st->ctx);
  if (count) *count = 0;
  int64_t n = 0;
  double area = 0;
  campus c = {0, 0, 0};
  if (!r->site || !*r->site)
    return gn__fail(st->ctx, GN_EINVAL, "hotspot plan: give the site");
  gn_status rs = rule_size(st->ctx, r, &n, &area);
  if (rs == GN_OK) rs = gn__hs_ensure(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = find_campus(st, r->site, &c);
  if (rs == GN_OK) rs = place(st, r, &c, n, area);
  char obj[200];
  snprintf(obj, sizeof(obj), "hotspot APs of site %s", r->site);
  if (rs == GN_OK) rs = gn__st_audit(st, user, "hotspot.plan", obj, NULL, NULL);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) {
    gn__st_rollback(st);
    return rs;
  }
  if (count) *count = (size_t)n;
  return GN_OK;
}

gn_status gn_hotspot_aps_geojson(gn_store *st, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__hs_ensure(st);
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "SELECT name,site,nas_id,circuit,rule,lon,lat FROM hs_aps"
                     " ORDER BY name",
                     &s);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "{\"type\":\"FeatureCollection\",\"features\":[");
  int rc, row = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    gn__sb_puts(&b, row++ ? ",\n" : "\n");
    gn__sb_puts(&b, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
                    "\"coordinates\":[");
    gn__sb_num(&b, sqlite3_column_double(s, 5));
    gn__sb_puts(&b, ",");
    gn__sb_num(&b, sqlite3_column_double(s, 6));
    gn__sb_puts(&b, "]},\"properties\":{\"name\":");
    gn__sb_jstr(&b, gn__col_text(s, 0));
    gn__sb_puts(&b, ",\"site\":");
    gn__sb_jstr(&b, gn__col_text(s, 1));
    gn__sb_puts(&b, ",\"nas_id\":");
    gn__sb_jstr(&b, gn__col_text(s, 2));
    if (sqlite3_column_type(s, 3) == SQLITE_NULL)
      gn__sb_puts(&b, ",\"circuit\":null");
    else
      gn__sb_printf(&b, ",\"circuit\":%lld",
                    (long long)sqlite3_column_int64(s, 3));
    gn__sb_puts(&b, ",\"rule\":");
    gn__sb_jstr(&b, gn__col_text(s, 4));
    gn__sb_puts(&b, "}}");
  }
  gn__sb_puts(&b, "\n]}\n");
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "AP list");
  sqlite3_finalize(s);
  if (rs == GN_OK) rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

/* 1 if site_id is in imp's list as down (no surviving circuit). */
static int site_down(const gn_impact *imp, const char *site) {
  for (size_t i = 0; i < imp->nsites; i++)
    if (strcmp(imp->sites[i].id, site) == 0) return !imp->sites[i].protected_;
  return 0;
}

static int circuit_cut(const gn_impact *imp, int64_t circuit) {
  for (size_t i = 0; i < imp->ncircuits; i++)
    if (imp->circuits[i].id == circuit) return 1;
  return 0;
}

static void ap_json(gn__sb *b, sqlite3_stmt *s, int first) {
  gn__sb_puts(b, first ? "{\"name\":" : ",{\"name\":");
  gn__sb_jstr(b, gn__col_text(s, 0));
  gn__sb_puts(b, ",\"site\":");
  gn__sb_jstr(b, gn__col_text(s, 1));
  gn__sb_puts(b, ",\"nas_id\":");
  gn__sb_jstr(b, gn__col_text(s, 2));
  gn__sb_printf(b, ",\"circuit\":%lld}", (long long)sqlite3_column_int64(s, 3));
}

gn_status gn_hotspot_impact_json(gn_store *st, const gn_impact *imp,
                                 char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  int64_t has = 0;
  int found = 0;
  gn_status rs = gn__st_int(st,
                            "SELECT count(*) FROM sqlite_master WHERE name="
                            "'hs_aps'",
                            0, &has, &found);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK && has)
    rs = gn__st_prep(st,
                     "SELECT name,site,nas_id,circuit FROM hs_aps WHERE"
                     " circuit IS NOT NULL ORDER BY name",
                     &s);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc = SQLITE_DONE, n = 0;
  while (s && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    if (!circuit_cut(imp, sqlite3_column_int64(s, 3)) ||
        !site_down(imp, gn__col_text(s, 1)))
      continue;
    ap_json(&b, s, n++ == 0);
  }
  gn__sb_puts(&b, "]");
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "AP impact");
  sqlite3_finalize(s);
  if (rs == GN_OK) rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}
