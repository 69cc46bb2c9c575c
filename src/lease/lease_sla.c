/*
 * lease_sla.c - Availability of each lease over a period against its
 * contractual SLA, and the penalty due, from the outages of trenches and
 * cables (the monitor's cut incidents, given by the caller).
 *
 * Design: a route of a lease is down while an outage hits one of its
 * cables or one of the trenches those cables run through (the store's
 * cable_trenches, as gn_lease_impact_json); a single-route lease is down
 * when its route is, a diverse lease only while both routes are down at
 * once. Intervals are merged per route, intersected for diverse leases,
 * clipped to the days the lease was active (start_date to end_date, both
 * whole UTC days) within [from, to). The penalty is the impact exposure's
 * rule applied to what was measured: per calendar month, every started
 * 0.1 % below the SLA costs penalty_share of that month's billed amount
 * (the monthly price pro rata of the active time, as the invoice),
 * capped at it.
 * Ownership: the JSON is allocated with the store's ctx. Threads: as the
 * store.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lease/lease_int.h"

typedef struct span {
  int64_t s, e;
} span;

typedef struct spans {
  gn_ctx *ctx;
  span *v;
  size_t n, cap;
} spans;

static gn_status spans_add(spans *x, int64_t s, int64_t e) {
  if (e <= s) return GN_OK;
  if (GN__GROW(x->ctx, x->v, x->cap, x->n + 1) != GN_OK)
    return gn__fail(x->ctx, GN_ENOMEM, "out of memory");
  x->v[x->n++] = (span){s, e};
  return GN_OK;
}

static int cmp_span(const void *a, const void *b) {
  const span *x = a, *y = b;
  return (x->s > y->s) - (x->s < y->s);
}

/* Sort and merge overlapping spans in place. */
static void spans_merge(spans *x) {
  if (x->n < 2) return;
  qsort(x->v, x->n, sizeof(span), cmp_span);
  size_t k = 0;
  for (size_t i = 1; i < x->n; i++) {
    if (x->v[i].s <= x->v[k].e) {
      if (x->v[i].e > x->v[k].e) x->v[k].e = x->v[i].e;
    } else {
      x->v[++k] = x->v[i];
    }
  }
  x->n = k + 1;
}

/* out = a ∩ b (both merged). */
static gn_status spans_meet(const spans *a, const spans *b, spans *out) {
  gn_status rs = GN_OK;
  for (size_t i = 0, j = 0; rs == GN_OK && i < a->n && j < b->n;) {
    int64_t s = a->v[i].s > b->v[j].s ? a->v[i].s : b->v[j].s;
    int64_t e = a->v[i].e < b->v[j].e ? a->v[i].e : b->v[j].e;
    rs = spans_add(out, s, e);
    if (a->v[i].e < b->v[j].e) i++;
    else j++;
  }
  return rs;
}

/* Seconds of x inside [s, e). */
static int64_t spans_within(const spans *x, int64_t s, int64_t e) {
  int64_t t = 0;
  for (size_t i = 0; i < x->n; i++) {
    int64_t u = x->v[i].s > s ? x->v[i].s : s, w = x->v[i].e < e ? x->v[i].e : e;
    if (w > u) t += w - u;
  }
  return t;
}

/* The down spans of route r of lease id: the outages on its cables or
 * their trenches. */
static gn_status route_spans(gn_store *st, int64_t id, int r,
                             const gn_lease_outage *o, size_t n, spans *out) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT 0, cable FROM lease_fibers WHERE lease=?1 AND route=?2 UNION"
      " SELECT 1, ct.trench FROM lease_fibers lf JOIN cable_trenches ct ON"
      " ct.cable=lf.cable WHERE lf.lease=?1 AND lf.route=?2", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, id);
  sqlite3_bind_int(q, 2, r);
  int rc;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    int trench = sqlite3_column_int(q, 0);
    int64_t el = sqlite3_column_int64(q, 1);
    for (size_t i = 0; rs == GN_OK && i < n; i++)
      if (o[i].id == el && (o[i].kind == GN_CUT_TRENCHES) == trench &&
          (o[i].kind == GN_CUT_TRENCHES || o[i].kind == GN_CUT_CABLE))
        rs = spans_add(out, o[i].start, o[i].end);
  }
  sqlite3_finalize(q);
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "lease routes");
  spans_merge(out);
  return rs;
}

/* The down spans of a lease: its route's, or both routes' at once. */
static gn_status lease_spans(gn_store *st, int64_t id, int diverse,
                             const gn_lease_outage *o, size_t n, spans *out) {
  spans r[2] = {{st->ctx, NULL, 0, 0}, {st->ctx, NULL, 0, 0}};
  gn_status rs = route_spans(st, id, 0, o, n, diverse ? &r[0] : out);
  if (rs == GN_OK && diverse) rs = route_spans(st, id, 1, o, n, &r[1]);
  if (rs == GN_OK && diverse) rs = spans_meet(&r[0], &r[1], out);
  gn_free(st->ctx, r[0].v);
  gn_free(st->ctx, r[1].v);
  return rs;
}

typedef struct lrow {
  int64_t id, start, end; /* active within the period */
  double price, sla_pct;
  int diverse;
} lrow;

/* The calendar month (UTC) holding t: [*first, *next), by SQLite's date
 * functions. */
static void month_of(sqlite3_stmt *m, int64_t t, int64_t *first,
                     int64_t *next) {
  sqlite3_bind_int64(m, 1, t);
  *first = t;
  *next = t + 86400;
  if (sqlite3_step(m) == SQLITE_ROW) {
    *first = sqlite3_column_int64(m, 0);
    *next = sqlite3_column_int64(m, 1);
  }
  sqlite3_reset(m);
  if (*next <= t) *next = t + 86400;
}

/* Per month of the lease's active time: availability and penalty (on
 * the month's billed amount: the price pro rata of the active time). */
static gn_status months(gn_store *st, const gn_lease_tariff *t,
                        const lrow *l, const spans *down, gn__sb *b,
                        double *penalty) {
  sqlite3_stmt *m = NULL;
  gn_status rs = gn__st_prep(
      st, "SELECT CAST(strftime('%s', ?1, 'unixepoch', 'start of month') AS"
          " INTEGER), CAST(strftime('%s', ?1, 'unixepoch', 'start of month',"
          " '+1 month') AS INTEGER)", &m);
  if (rs != GN_OK) return rs;
  *penalty = 0;
  gn__sb_puts(b, ",\"months\":[");
  for (int64_t s = l->start, k = 0, first, next; s < l->end; s = next, k++) {
    month_of(m, s, &first, &next);
    int64_t e = next < l->end ? next : l->end, d = spans_within(down, s, e);
    double a = 1.0 - (double)d / (double)(e - s);
    double billed = l->price * (double)(e - s) / (double)(next - first);
    double p = gn__lease_penalty(t, billed, l->sla_pct, 100.0 * a);
    char mon[16];
    time_t tt = (time_t)s;
    struct tm tm;
    strftime(mon, sizeof mon, "%Y-%m", gmtime_r(&tt, &tm));
    *penalty += p;
    gn__sb_printf(b, "%s{\"month\":\"%s\",\"down_s\":%lld,\"availability\":",
                  k ? "," : "", mon, (long long)d);
    gn__sb_num(b, a);
    gn__sb_puts(b, ",\"penalty_fcfa\":");
    gn__sb_num(b, round(p));
    gn__sb_puts(b, "}");
  }
  gn__sb_puts(b, "]");
  sqlite3_finalize(m);
  return GN_OK;
}

static gn_status lease_json(gn_store *st, const gn_lease_tariff *t,
                            sqlite3_stmt *q, const lrow *l,
                            const gn_lease_outage *o, size_t n, gn__sb *b) {
  spans down = {st->ctx, NULL, 0, 0};
  gn_status rs = lease_spans(st, l->id, l->diverse, o, n, &down);
  int64_t d = spans_within(&down, l->start, l->end), act = l->end - l->start;
  double a = 1.0 - (double)d / (double)act, pen = 0;
  gn__sb_printf(b, "{\"lease\":%lld,\"operator\":", (long long)l->id);
  gn__sb_jstr(b, gn__col_text(q, 1));
  gn__sb_printf(b, ",\"diverse\":%s,\"active_s\":%lld,\"down_s\":%lld,"
                "\"availability\":", l->diverse ? "true" : "false",
                (long long)act, (long long)d);
  gn__sb_num(b, a);
  gn__sb_puts(b, ",\"sla_pct\":");
  gn__sb_num(b, l->sla_pct);
  gn__sb_printf(b, ",\"met\":%s,\"price_fcfa_month\":",
                100.0 * a >= l->sla_pct - 1e-9 ? "true" : "false");
  gn__sb_num(b, l->price);
  if (rs == GN_OK) rs = months(st, t, l, &down, b, &pen);
  gn__sb_puts(b, ",\"penalty_fcfa\":");
  gn__sb_num(b, round(pen));
  gn__sb_puts(b, "}");
  gn_free(st->ctx, down.v);
  return rs;
}

gn_status gn_lease_sla_json(gn_store *st, const gn_lease_tariff *t,
                            const gn_lease_outage *o, size_t n, int64_t from,
                            int64_t to, char **json) {
  *json = NULL;
  gn_lease_tariff def;
  if (!t) {
    gn_lease_tariff_init(&def);
    t = &def;
  }
  if (to <= from)
    return gn__fail(st->ctx, GN_EINVAL, "lease SLA period: the end must"
                    " follow the start");
  gn_status rs = gn__lease_tables(st);
  sqlite3_stmt *q = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(
        st,
        "SELECT id, operator, diverse, price_fcfa_month, sla_pct,"
        " max(CAST(strftime('%s', start_date) AS INTEGER), ?1),"
        " min(coalesce(CAST(strftime('%s', end_date, '+1 day') AS INTEGER),"
        " ?2), ?2) FROM lease_leases WHERE start_date IS NOT NULL AND"
        " state IN ('active','terminated') ORDER BY id", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, from);
  sqlite3_bind_int64(q, 2, to);
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, k = 0;
  while (rs == GN_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
    lrow l = {sqlite3_column_int64(q, 0), sqlite3_column_int64(q, 5),
              sqlite3_column_int64(q, 6), sqlite3_column_double(q, 3),
              sqlite3_column_double(q, 4), sqlite3_column_int(q, 2)};
    if (l.end <= l.start) continue; /* not active in the period */
    if (k++) gn__sb_puts(&b, ",");
    rs = lease_json(st, t, q, &l, o, n, &b);
  }
  if (rs == GN_OK && rc != SQLITE_DONE) rs = gn__st_err(st, rc, "leases");
  sqlite3_finalize(q);
  gn__sb_puts(&b, "]");
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}
