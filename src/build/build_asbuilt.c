/*
 * build_asbuilt.c - As-built tracks against the designed trenches.
 *
 * Design: a track goes to the trench it names, else to the candidate
 * trench (bounding boxes within match_m) whose line is nearest on average
 * from the track's vertices. Deviation is the discrete Hausdorff distance
 * (the larger of the farthest track vertex from the designed line and the
 * farthest designed vertex from the track), so a detour and a missing
 * stretch both show. Lengths follow the as-built line: the trench's
 * length, and its cables' lengths by the same difference, so traces and
 * loss budgets use what was built. All in one transaction.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "build/build_int.h"
#include "govnet/geo.h"

void gn_build_asbuilt_defaults(gn_build_asbuilt_opts *o) {
  o->threshold_m = 10;
  o->match_m = 30;
}

/* Distance in metres from a point to a polyline (n >= 1 points). */
static double to_line(double lon, double lat, const double *ll, size_t n) {
  if (n == 1) return gn_geo_fast_distance_m(lon, lat, ll[0], ll[1]);
  double best = INFINITY;
  for (size_t i = 0; i + 1 < n; i++) {
    double qx, qy;
    gn_geo_project_segment(lon, lat, ll[2 * i], ll[2 * i + 1], ll[2 * i + 2],
                           ll[2 * i + 3], &qx, &qy);
    best = fmin(best, gn_geo_fast_distance_m(lon, lat, qx, qy));
  }
  return best;
}

/* Mean (mean != NULL) and max distance of a's vertices from line b. */
static double spread(const double *a, size_t na, const double *b, size_t nb,
                     double *mean) {
  double mx = 0, sum = 0;
  for (size_t i = 0; i < na; i++) {
    double d = to_line(a[2 * i], a[2 * i + 1], b, nb);
    mx = fmax(mx, d);
    sum += d;
  }
  if (mean) *mean = na ? sum / (double)na : INFINITY;
  return mx;
}

typedef struct line {
  int64_t trench;
  double *ll;
  size_t n;
  double length_m;
} line;

static gn_status trench_line(gn_store *st, sqlite3_stmt *q, line *l) {
  l->trench = sqlite3_column_int64(q, 0);
  l->length_m = sqlite3_column_double(q, 2);
  return gn__gpkg_line_decode(st->ctx, sqlite3_column_blob(q, 1),
                              (size_t)sqlite3_column_bytes(q, 1), &l->ll,
                              &l->n);
}

static gn_status named(gn_store *st, int64_t trench, line *l, int *found) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(
      st, "SELECT fid, geom, length_m FROM trenches WHERE fid=?1", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, trench);
  int rc = sqlite3_step(q);
  *found = rc == SQLITE_ROW;
  if (*found) rs = trench_line(st, q, l);
  else if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "trench");
  gn__st_release(st, q);
  return rs;
}

/* The trench nearest on average to track t, within match_m. */
static gn_status nearest(gn_store *st, const gn_track *t, double match_m,
                         line *best, int *found) {
  double x0 = INFINITY, y0 = INFINITY, x1 = -INFINITY, y1 = -INFINITY;
  for (size_t i = 0; i < t->npts; i++) {
    x0 = fmin(x0, t->lonlat[2 * i]);
    x1 = fmax(x1, t->lonlat[2 * i]);
    y0 = fmin(y0, t->lonlat[2 * i + 1]);
    y1 = fmax(y1, t->lonlat[2 * i + 1]);
  }
  double dy = match_m / 111000, dx = dy / fmax(0.01, cos(y0 * 0.017453292519943295));
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st,
                               "SELECT fid, geom, length_m FROM trenches WHERE"
                               " max_x>=?1 AND min_x<=?2 AND max_y>=?3 AND"
                               " min_y<=?4",
                               &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_double(q, 1, x0 - dx);
  sqlite3_bind_double(q, 2, x1 + dx);
  sqlite3_bind_double(q, 3, y0 - dy);
  sqlite3_bind_double(q, 4, y1 + dy);
  double best_mean = match_m;
  int rc = SQLITE_DONE;
  *found = 0;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    line l = {0, NULL, 0, 0};
    double mean = INFINITY;
    rs = trench_line(st, q, &l);
    if (rs == GN_OK) spread(t->lonlat, t->npts, l.ll, l.n, &mean);
    if (rs == GN_OK && mean <= best_mean) {
      gn_free(st->ctx, best->ll);
      *best = l;
      best_mean = mean;
      *found = 1;
    } else {
      gn_free(st->ctx, l.ll);
    }
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "trenches");
  gn__st_release(st, q);
  return rs;
}

static gn_status exec_id(gn_store *st, const char *sql, int64_t id, double v) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_cached(st, sql, &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_double(q, 2, v);
  int rc = sqlite3_step(q);
  if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "as-built");
  gn__st_release(st, q);
  return rs;
}

static gn_status keep(gn_store *st, const line *d, const gn_track *t,
                      double len, double dev, int flagged, const char *source,
                      const char *user) {
  gn__sb g;
  gn__sb_init(&g, st->ctx);
  gn__gpkg_line(&g, t->lonlat, t->npts);
  sqlite3_stmt *q = NULL;
  gn_status rs = g.oom ? gn__fail(st->ctx, GN_ENOMEM, "as-built") : GN_OK;
  if (rs == GN_OK)
    rs = gn__st_cached(
        st,
        "INSERT INTO build_asbuilt(trench,geom,length_m,design_length_m,"
        "deviation_m,flagged,source,at,who) VALUES(?1,?2,?3,?4,?5,?6,?7,"
        "strftime('%Y-%m-%dT%H:%M:%SZ','now'),?8) ON CONFLICT(trench) DO"
        " UPDATE SET geom=excluded.geom, length_m=excluded.length_m,"
        " deviation_m=excluded.deviation_m, flagged=excluded.flagged,"
        " source=excluded.source, at=excluded.at, who=excluded.who",
        &q);
  if (rs == GN_OK) {
    sqlite3_bind_int64(q, 1, d->trench);
    sqlite3_bind_blob(q, 2, g.p, (int)g.n, SQLITE_TRANSIENT);
    sqlite3_bind_double(q, 3, len);
    sqlite3_bind_double(q, 4, d->length_m);
    sqlite3_bind_double(q, 5, dev);
    sqlite3_bind_int(q, 6, flagged);
    sqlite3_bind_text(q, 7, source ? source : "", -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(q, 8, user && *user ? user : "unknown", -1,
                      SQLITE_TRANSIENT);
    int rc = sqlite3_step(q);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "as-built");
    gn__st_release(st, q);
  }
  gn__sb_cleanup(&g);
  /* lengths follow what was built; cables by the same difference */
  if (rs == GN_OK)
    rs = exec_id(st,
                 "UPDATE cables SET length_m=max(0, length_m+?2) WHERE fid IN"
                 " (SELECT cable FROM cable_trenches WHERE trench=?1)",
                 d->trench, len - d->length_m);
  if (rs == GN_OK)
    rs = exec_id(st, "UPDATE trenches SET length_m=?2 WHERE fid=?1", d->trench,
                 len);
  return rs;
}

typedef struct run {
  gn__sb seg, miss;
  size_t matched, flagged, nmiss;
} run;

static void unmatched(run *r, size_t i, const gn_track *t, const char *why) {
  gn__sb_puts(&r->miss, r->nmiss++ ? ", {\"track\": " : "{\"track\": ");
  gn__sb_printf(&r->miss, "%zu, \"name\": ", i + 1);
  gn__sb_jstr(&r->miss, t->name);
  gn__sb_puts(&r->miss, ", \"reason\": ");
  gn__sb_jstr(&r->miss, why);
  gn__sb_puts(&r->miss, "}");
}

static gn_status one_track(gn_store *st, run *r, size_t i, const gn_track *t,
                           const char *source, const gn_build_asbuilt_opts *o,
                           const char *user) {
  line d = {0, NULL, 0, 0};
  int found = 0;
  gn_status rs = t->trench ? named(st, t->trench, &d, &found)
                           : nearest(st, t, o->match_m, &d, &found);
  if (rs == GN_OK && !found) {
    unmatched(r, i, t, t->trench ? "no such trench" : "no trench within match_m");
    return GN_OK;
  }
  double dev = 0, len = gn_geo_line_length_m(t->lonlat, t->npts);
  if (rs == GN_OK)
    dev = fmax(spread(t->lonlat, t->npts, d.ll, d.n, NULL),
               spread(d.ll, d.n, t->lonlat, t->npts, NULL));
  int flagged = dev > o->threshold_m;
  if (rs == GN_OK) rs = keep(st, &d, t, len, dev, flagged, source, user);
  if (rs == GN_OK) {
    gn__sb_printf(&r->seg,
                  "%s{\"trench\": %lld, \"track\": %zu, \"design_m\": %.1f,"
                  " \"asbuilt_m\": %.1f, \"deviation_m\": %.1f, \"flagged\": %s}",
                  r->matched ? ", " : "", (long long)d.trench, i + 1,
                  d.length_m, len, dev, flagged ? "true" : "false");
    r->matched++;
    r->flagged += (size_t)flagged;
  }
  gn_free(st->ctx, d.ll);
  return rs;
}

static gn_status report(gn_store *st, run *r, size_t n,
                        const gn_build_asbuilt_opts *o, char **json) {
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_printf(&b,
                "{\"tracks\": %zu, \"matched\": %zu, \"flagged\": %zu,"
                " \"threshold_m\": %g, \"segments\": [",
                n, r->matched, r->flagged, o->threshold_m);
  gn__sb_add(&b, r->seg.p ? r->seg.p : "", r->seg.n);
  gn__sb_puts(&b, "], \"unmatched\": [");
  gn__sb_add(&b, r->miss.p ? r->miss.p : "", r->miss.n);
  gn__sb_puts(&b, "]}");
  b.oom |= r->seg.oom | r->miss.oom;
  gn_status rs = gn__sb_finish(&b, json);
  gn__sb_cleanup(&b);
  return rs;
}

gn_status gn_build_asbuilt_import(gn_store *st, const gn_track *t, size_t n,
                                  const char *source,
                                  const gn_build_asbuilt_opts *o,
                                  const char *user, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  gn_build_asbuilt_opts def;
  gn_build_asbuilt_defaults(&def);
  if (!o) o = &def;
  if (!(o->threshold_m >= 0) || !(o->match_m > 0))
    return gn__fail(st->ctx, GN_EINVAL, "as-built: threshold >= 0, match > 0");
  gn_status rs = gn__build_ready(st);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  run r;
  memset(&r, 0, sizeof(r));
  gn__sb_init(&r.seg, st->ctx);
  gn__sb_init(&r.miss, st->ctx);
  for (size_t i = 0; rs == GN_OK && i < n; i++)
    rs = one_track(st, &r, i, &t[i], source, o, user);
  char after[96];
  snprintf(after, sizeof(after), "{\"matched\":%zu,\"flagged\":%zu}",
           r.matched, r.flagged);
  if (rs == GN_OK)
    rs = gn__st_audit(st, user, "build.asbuilt", source ? source : "", NULL,
                      after);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  if (rs == GN_OK) rs = report(st, &r, n, o, json);
  gn__sb_cleanup(&r.seg);
  gn__sb_cleanup(&r.miss);
  return rs;
}
