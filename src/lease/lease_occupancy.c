/*
 * lease_occupancy.c - Fibers by use per cable and per trench, and the
 * leases a cut hits with their contractual penalty exposure.
 *
 * Exposure model (docs/lease.md): a cut that takes a lease down costs the
 * expected repair time (tariff repair_hours) out of the month (730 h);
 * every started 0.1 % below the lease's SLA target costs penalty_share of
 * the monthly price, capped at the monthly price. A diverse lease with
 * one route intact is protected and exposes nothing.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lease/lease_int.h"

static void put_counts(gn__sb *b, const uint32_t *count, uint32_t n) {
  gn__sb_printf(b, "\"fibers\":%u", n);
  for (int u = 1; u < GN__USE_COUNT; u++)
    gn__sb_printf(b, ",\"%s\":%u", gn__use_names[u], count[u]);
  gn__sb_printf(b, ",\"spare\":%u,\"spare_share\":", count[GN__USE_SPARE]);
  gn__sb_num(b, n ? round(1000.0 * count[GN__USE_SPARE] / n) / 1000 : 0);
}

/* Per trench: the sum over the cables running through it. */
static gn_status trench_rows(gn_store *st, const gn__lnet *net, gn__sb *b) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(st,
                             "SELECT trench, cable FROM cable_trenches ORDER"
                             " BY trench",
                             &s);
  if (rs != GN_OK) return rs;
  int rc, first = 1;
  int64_t cur = -1;
  uint32_t count[GN__USE_COUNT] = {0}, n = 0;
  for (;;) {
    rc = sqlite3_step(s);
    int64_t t = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -2;
    if (t != cur && cur >= 0) {
      gn__sb_printf(b, "%s{\"id\":%lld,", first ? "" : ",", (long long)cur);
      put_counts(b, count, n);
      gn__sb_puts(b, "}");
      first = 0;
      memset(count, 0, sizeof count);
      n = 0;
    }
    if (rc != SQLITE_ROW) break;
    cur = t;
    uint32_t ci = gn__lease_cable(net, sqlite3_column_int64(s, 1));
    if (ci == UINT32_MAX) continue;
    for (int u = 0; u < GN__USE_COUNT; u++) count[u] += net->cables[ci].count[u];
    n += net->cables[ci].n;
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(st, rc, "cable trenches");
}

gn_status gn_lease_occupancy_json(gn_store *st, const gn_lease_tariff *t,
                                  char **json) {
  *json = NULL;
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__lease_tables(st);
  const gn__lnet *net = NULL;
  if (rs == GN_OK) rs = gn__lease_net_get(st, t, &net);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  uint32_t total[GN__USE_COUNT] = {0}, n = 0;
  gn__sb_puts(&b, "{\"cables\":[");
  for (uint32_t i = 0, k = 0; i < net->ncables; i++) {
    const gn__lcable *c = &net->cables[i];
    if (i > 0 && net->cables[i - 1].id == c->id) continue; /* a piece */
    gn__sb_printf(&b, "%s{\"id\":%lld,", k++ ? "," : "", (long long)c->id);
    put_counts(&b, c->count, c->n);
    gn__sb_puts(&b, "}");
    for (int u = 0; u < GN__USE_COUNT; u++) total[u] += c->count[u];
    n += c->n;
  }
  gn__sb_puts(&b, "],\"trenches\":[");
  rs = trench_rows(st, net, &b);
  gn__sb_puts(&b, "],\"totals\":{");
  put_counts(&b, total, n);
  gn__sb_puts(&b, "}}");
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}

/* 1 if a route of the lease runs through a cut trench. */
static gn_status route_cut(gn_store *st, int64_t lease, int route,
                           const gn_impact *imp, int *cut, int *fibers_cut) {
  sqlite3_stmt *s = NULL;
  *cut = 0;
  *fibers_cut = 0;
  gn_status rs = gn__st_prep(st,
                             "SELECT DISTINCT lf.fiber, ct.trench FROM"
                             " lease_fibers lf JOIN cable_trenches ct ON"
                             " ct.cable=lf.cable WHERE lf.lease=?1 AND"
                             " lf.route=?2",
                             &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, lease);
  sqlite3_bind_int(s, 2, route);
  int rc;
  int64_t last = 0;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t fiber = sqlite3_column_int64(s, 0), tr = sqlite3_column_int64(s, 1);
    for (size_t i = 0; i < imp->ntrenches; i++) {
      if (imp->trenches[i] != tr) continue;
      *cut = 1;
      if (fiber != last) (*fibers_cut)++;
      last = fiber;
      break;
    }
  }
  sqlite3_finalize(s);
  return rc == SQLITE_DONE ? GN_OK : gn__st_err(st, rc, "lease routes");
}

double gn__lease_penalty(const gn_lease_tariff *t, double billed,
                         double sla_pct, double avail_pct) {
  double below = sla_pct - avail_pct;
  if (below <= 1e-9) return 0;
  double steps = ceil(below / 0.1 - 1e-9);
  double share = steps * t->penalty_share;
  return billed * (share > 1 ? 1 : share);
}

/* A cut costs the expected repair time out of the month (730 h). */
static double exposure(const gn_lease_tariff *t, double month, double sla) {
  return gn__lease_penalty(t, month, sla,
                           100.0 * (1 - t->repair_hours / 730.0));
}

gn_status gn_lease_impact_json(gn_store *st, const gn_lease_tariff *t,
                               const gn_impact *imp, char **json) {
  *json = NULL;
  gn_status rs = gn__lease_tables(st);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st,
                     "SELECT id, operator, state, diverse, price_fcfa_month,"
                     " sla_pct FROM lease_leases WHERE state IN ('active',"
                     "'reserved') ORDER BY id",
                     &s);
  if (rs != GN_OK) return rs;
  gn__sb b;
  gn__sb_init(&b, st->ctx);
  gn__sb_puts(&b, "[");
  int rc, n = 0;
  while (rs == GN_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
    int64_t id = sqlite3_column_int64(s, 0);
    int diverse = sqlite3_column_int(s, 3);
    int cut[2] = {0, 0}, fc[2] = {0, 0};
    for (int r = 0; r < 1 + diverse && rs == GN_OK; r++)
      rs = route_cut(st, id, r, imp, &cut[r], &fc[r]);
    if (rs != GN_OK || (!cut[0] && !cut[1])) continue;
    int protected_ = diverse && !(cut[0] && cut[1]);
    double month = sqlite3_column_double(s, 4);
    int active = strcmp(gn__col_text(s, 2), "active") == 0;
    double exp = protected_ || !active
                     ? 0
                     : exposure(t, month, sqlite3_column_double(s, 5));
    gn__sb_printf(&b, "%s{\"lease\":%lld,\"operator\":", n++ ? "," : "",
                  (long long)id);
    gn__sb_jstr(&b, gn__col_text(s, 1));
    gn__sb_puts(&b, ",\"state\":");
    gn__sb_jstr(&b, gn__col_text(s, 2));
    gn__sb_printf(&b, ",\"fibers_cut\":%d,\"routes_cut\":%d,\"protected\":%s,"
                  "\"price_fcfa_month\":",
                  fc[0] + fc[1], cut[0] + cut[1], protected_ ? "true" : "false");
    gn__sb_num(&b, month);
    gn__sb_puts(&b, ",\"penalty_exposure_fcfa\":");
    gn__sb_num(&b, round(exp));
    gn__sb_puts(&b, "}");
  }
  sqlite3_finalize(s);
  gn__sb_puts(&b, "]");
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}
