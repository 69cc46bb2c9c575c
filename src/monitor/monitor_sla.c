/*
 * monitor_sla.c - Availability and downtime budgets from the incident
 * intervals, per site, category and calendar month.
 *
 * Design: one ordered scan of (site, start, end) over the incidents that
 * touch [from, to); each site's intervals are merged (a site in two
 * incidents at once is down once), clipped to the period and split at
 * month and day boundaries (UTC) into two series of buckets. Availability
 * of a group = 1 - its down seconds / (its sites x the seconds of the
 * period, month or day inside [from, to)). From Prometheus instead, the
 * probe_success samples counted per window (monitor_prom.c) give down and
 * measured seconds; availability = 1 - down / measured, the rest is "no
 * data".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "govnet/lease.h"
#include "monitor/monitor_int.h"
#include "store/store_int.h"

#define MAX_MONTHS 1200
#define MAX_DAYS (MAX_MONTHS * 31)

/* Down and measured seconds (all sites) in consecutive buckets:
 * start[0] = from, start[n] = to. */
typedef struct series {
  int64_t *start; /* [n + 1] */
  int64_t *down;  /* [n] */
  int64_t *meas;  /* [n] with Prometheus (else every second is measured) */
  int n;
} series;

typedef struct site_row {
  char *id, *name;
  int cat, critical;
  int64_t down_s, meas_s; /* meas_s: with Prometheus only */
} site_row;

typedef struct sla {
  gn_store *st;
  int64_t from, to;
  site_row *sites;
  size_t nsites;
  series months, days; /* calendar months and days (UTC) */
  int prom;             /* from Prometheus: meas counts */
} sla;

static int64_t month_floor(int64_t t, int next) {
  time_t tt = (time_t)t;
  struct tm tm;
  gmtime_r(&tt, &tm);
  int y = tm.tm_year + 1900, m = tm.tm_mon + next;
  y += m / 12;
  m %= 12;
  return gn__mon_days_from_civil(y, m + 1, 1) * 86400;
}

static int64_t day_next(int64_t t, int next) {
  int64_t d = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
  return (d + next) * 86400;
}

/* Buckets of [from, to) cut at next(t, 1); GN_ELIMIT past max. */
static gn_status series_init(sla *a, series *x, int64_t (*next)(int64_t, int),
                             int max, const char *what) {
  int n = 1;
  for (int64_t m = next(a->from, 1); m < a->to; m = next(m, 1))
    if (++n > max)
      return gn__fail(a->st->ctx, GN_ELIMIT, "SLA period: at most %d %s", max,
                      what);
  x->start = gn_malloc(a->st->ctx, (size_t)(n + 1) * sizeof(int64_t));
  x->down = gn_malloc(a->st->ctx, (size_t)n * sizeof(int64_t));
  x->meas = gn_malloc(a->st->ctx, (size_t)n * sizeof(int64_t));
  if (!x->start || !x->down || !x->meas)
    return gn__fail(a->st->ctx, GN_ENOMEM, "out of memory");
  x->n = n;
  x->start[0] = a->from;
  for (int i = 1; i < n; i++) x->start[i] = next(x->start[i - 1], 1);
  x->start[n] = a->to;
  memset(x->down, 0, (size_t)n * sizeof(int64_t));
  memset(x->meas, 0, (size_t)n * sizeof(int64_t));
  return GN_OK;
}

static void series_free(gn_ctx *ctx, series *x) {
  gn_free(ctx, x->start);
  gn_free(ctx, x->down);
  gn_free(ctx, x->meas);
}

/* Add [s, e) (inside [from, to)) to v, one of x's arrays, in the
 * buckets it overlaps. */
static void series_add(series *x, int64_t *v, int64_t s, int64_t e) {
  int lo = 0, hi = x->n - 1;
  while (lo < hi) { /* the first bucket ending after s */
    int mid = (lo + hi) / 2;
    if (x->start[mid + 1] <= s) lo = mid + 1;
    else hi = mid;
  }
  for (int m = lo; m < x->n && x->start[m] < e; m++) {
    int64_t u = s > x->start[m] ? s : x->start[m];
    int64_t w = e < x->start[m + 1] ? e : x->start[m + 1];
    if (w > u) v[m] += w - u;
  }
}

static gn_status load_sites(sla *a) {
  sqlite3_stmt *q = NULL;
  size_t cap = 0;
  gn_status rs = gn__st_prep(
      a->st,
      "SELECT site_id, coalesce(name,''), category, critical FROM sites s"
      " WHERE EXISTS(SELECT 1 FROM circuits c WHERE c.site=s.fid) ORDER BY"
      " site_id", &q);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    if (GN__GROW(a->st->ctx, a->sites, cap, a->nsites + 1) != GN_OK) {
      rs = gn__fail(a->st->ctx, GN_ENOMEM, "out of memory");
      break;
    }
    site_row *s = &a->sites[a->nsites];
    memset(s, 0, sizeof(*s));
    s->id = gn__strdup(a->st->ctx, gn__col_text(q, 0));
    s->name = gn__strdup(a->st->ctx, gn__col_text(q, 1));
    s->cat = (int)gn_category_parse(gn__col_text(q, 2));
    s->critical = sqlite3_column_int(q, 3);
    a->nsites++;
    if (!s->id || !s->name) rs = gn__fail(a->st->ctx, GN_ENOMEM, "out of memory");
  }
  sqlite3_finalize(q);
  return rs;
}

static int cmp_site(const void *k, const void *e) {
  return strcmp((const char *)k, ((const site_row *)e)->id);
}

/* Add [s, e) of site row r (clipped) to its total and the months. */
static void add_interval(sla *a, site_row *r, int64_t s, int64_t e) {
  if (s < a->from) s = a->from;
  if (e > a->to) e = a->to;
  if (e <= s) return;
  r->down_s += e - s;
  series_add(&a->months, a->months.down, s, e);
  series_add(&a->days, a->days.down, s, e);
}

/* A window of Prometheus samples (gn__mon_prom_windows): its down and
 * measured seconds are placed at its start (windows are whole days'
 * divisions when the step allows, so days and months stay exact). */
static void add_window(void *closure, const char *site, int64_t start,
                       int64_t len, int64_t down_s, int64_t meas_s) {
  sla *a = closure;
  site_row *r = a->nsites ? bsearch(site, a->sites, a->nsites,
                                    sizeof(site_row), cmp_site)
                          : NULL;
  if (!r || start < a->from || start + len > a->to) return;
  r->down_s += down_s;
  r->meas_s += meas_s;
  series *x[2] = {&a->months, &a->days};
  for (int k = 0; k < 2; k++) {
    series_add(x[k], x[k]->down, start, start + down_s);
    series_add(x[k], x[k]->meas, start, start + meas_s);
  }
}

static gn_status scan(sla *a) {
  sqlite3_stmt *q = NULL;
  gn_status rs = gn__st_prep(
      a->st,
      "SELECT x.site, i.opened_at, coalesce(i.resolved_at, ?2) FROM"
      " monitor_incident_sites x JOIN monitor_incidents i ON i.id=x.incident"
      " WHERE i.opened_at < ?2 AND coalesce(i.resolved_at, ?2) > ?1 ORDER BY"
      " x.site, 2", &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, a->from);
  sqlite3_bind_int64(q, 2, a->to);
  site_row *cur = NULL;
  int64_t s0 = 0, e0 = 0;
  char last[256] = "";
  while (sqlite3_step(q) == SQLITE_ROW) {
    const char *id = gn__col_text(q, 0);
    int64_t s = sqlite3_column_int64(q, 1), e = sqlite3_column_int64(q, 2);
    if (strcmp(id, last) != 0) {
      if (cur) add_interval(a, cur, s0, e0);
      snprintf(last, sizeof(last), "%s", id);
      cur = a->nsites ? bsearch(id, a->sites, a->nsites, sizeof(site_row),
                                cmp_site)
                      : NULL;
      s0 = s;
      e0 = e;
    } else if (s <= e0) {
      if (e > e0) e0 = e;
    } else {
      if (cur) add_interval(a, cur, s0, e0);
      s0 = s;
      e0 = e;
    }
  }
  if (cur) add_interval(a, cur, s0, e0);
  sqlite3_finalize(q);
  return GN_OK;
}

/* Down seconds over span seconds of which meas were measured (all of
 * them from incidents). */
static void avail(gn__sb *b, int64_t down, double span, double meas) {
  gn__sb_printf(b, "\"down_s\":%lld,\"nodata_s\":%.0f,\"availability\":",
                (long long)down, span - meas);
  if (meas > 0) gn__sb_num(b, 1.0 - (double)down / meas);
  else gn__sb_puts(b, span > 0 ? "null" : "1");
}

static void write_series(gn__sb *b, const char *name, const char *key,
                         const char *fmt, const series *x, size_t nsites,
                         int prom) {
  gn__sb_printf(b, "],\"%s\":[", name);
  for (int m = 0; m < x->n; m++) {
    time_t ms = (time_t)x->start[m];
    struct tm tm;
    char label[16];
    strftime(label, sizeof(label), fmt, gmtime_r(&ms, &tm));
    gn__sb_printf(b, "%s{\"%s\":\"%s\",", m ? "," : "", key, label);
    double span = (double)(x->start[m + 1] - x->start[m]) * (double)nsites;
    avail(b, x->down[m], span, prom ? (double)x->meas[m] : span);
    gn__sb_puts(b, "}");
  }
}

static int cmp_worst(const void *x, const void *y) {
  const site_row *a = *(const site_row *const *)x, *b = *(const site_row *const *)y;
  if (a->down_s != b->down_s) return a->down_s > b->down_s ? -1 : 1;
  return strcmp(a->id, b->id);
}

/* Seconds of site s measured: all of the period from incidents. */
static double site_meas(const sla *a, const site_row *s) {
  return a->prom ? (double)s->meas_s : (double)(a->to - a->from);
}

/* Overall and per category. */
static void write_groups(gn__sb *b, const sla *a) {
  double period = (double)(a->to - a->from);
  int64_t total = 0;
  double meas = 0;
  for (size_t i = 0; i < a->nsites; i++) {
    total += a->sites[i].down_s;
    meas += site_meas(a, &a->sites[i]);
  }
  gn__sb_printf(b, "},\"overall\":{\"sites\":%zu,", a->nsites);
  avail(b, total, period * (double)a->nsites, meas);
  gn__sb_puts(b, "},\"categories\":[");
  for (int c = 0, first = 1; c < GN_CAT_COUNT; c++) {
    size_t n = 0;
    int64_t d = 0;
    double m = 0;
    for (size_t i = 0; i < a->nsites; i++)
      if (a->sites[i].cat == c) {
        n++;
        d += a->sites[i].down_s;
        m += site_meas(a, &a->sites[i]);
      }
    if (!n) continue;
    gn__sb_printf(b, "%s{\"category\":\"%s\",\"sites\":%zu,", first ? "" : ",",
                  gn_category_name((gn_category)c), n);
    avail(b, d, period * (double)n, m);
    gn__sb_puts(b, "}");
    first = 0;
  }
}

/* Each site against its target; the downtime budget is a share of the
 * time measured. */
static void write_sites(gn__sb *b, const sla *a, const gn_monitor_sla_opts *o) {
  double period = (double)(a->to - a->from);
  gn__sb_puts(b, "],\"sites\":[");
  for (size_t i = 0; i < a->nsites; i++) {
    const site_row *s = &a->sites[i];
    double target = s->critical ? o->target_critical : o->target_other;
    double budget = (1.0 - target) * site_meas(a, s);
    gn__sb_puts(b, i ? ",{\"id\":" : "{\"id\":");
    gn__sb_jstr(b, s->id);
    gn__sb_puts(b, ",\"name\":");
    gn__sb_jstr(b, s->name);
    gn__sb_printf(b, ",\"category\":\"%s\",\"critical\":%s,",
                  gn_category_name((gn_category)s->cat),
                  s->critical ? "true" : "false");
    avail(b, s->down_s, period, site_meas(a, s));
    gn__sb_puts(b, ",\"target\":");
    gn__sb_num(b, target);
    gn__sb_printf(b, ",\"budget_s\":%.0f,\"met\":%s}", budget,
                  (double)s->down_s <= budget ? "true" : "false");
  }
}

/* The leases' availability and penalties (gn_lease_sla_json, default
 * tariff) from the cut incidents on trenches and cables, whatever the
 * sites' source: Prometheus probes buildings, not leased fibers.
 * Superseded incidents blame a smaller element than the cut and are left
 * out. */
static gn_status lease_member(sla *a, gn__sb *b) {
  sqlite3_stmt *q = NULL;
  gn_lease_outage *o = NULL;
  size_t n = 0, cap = 0;
  gn_status rs = gn__st_prep(
      a->st,
      "SELECT key, opened_at, coalesce(resolved_at, ?2) FROM"
      " monitor_incidents WHERE kind='cut' AND coalesce(resolution,'') <>"
      " 'superseded' AND opened_at < ?2 AND coalesce(resolved_at, ?2) > ?1",
      &q);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(q, 1, a->from);
  sqlite3_bind_int64(q, 2, a->to);
  while (rs == GN_OK && sqlite3_step(q) == SQLITE_ROW) {
    long long id = 0;
    const char *key = gn__col_text(q, 0);
    gn_cut_kind k = sscanf(key, "trench:%lld", &id) == 1 ? GN_CUT_TRENCHES
                                                          : GN_CUT_CABLE;
    if (k == GN_CUT_CABLE && sscanf(key, "cable:%lld", &id) != 1) continue;
    if (GN__GROW(a->st->ctx, o, cap, n + 1) != GN_OK)
      rs = gn__fail(a->st->ctx, GN_ENOMEM, "out of memory");
    else
      o[n++] = (gn_lease_outage){k, (int64_t)id, sqlite3_column_int64(q, 1),
                                 sqlite3_column_int64(q, 2)};
  }
  sqlite3_finalize(q);
  char *json = NULL;
  if (rs == GN_OK) rs = gn_lease_sla_json(a->st, NULL, o, n, a->from, a->to, &json);
  if (rs == GN_OK) gn__sb_puts(b, json);
  gn_free(a->st->ctx, json);
  gn_free(a->st->ctx, o);
  return rs;
}

static gn_status write_json(sla *a, const gn_monitor_sla_opts *o, char **json) {
  gn__sb b;
  gn__sb_init(&b, a->st->ctx);
  char t0[32], t1[32];
  time_t x = (time_t)a->from, y = (time_t)a->to;
  struct tm tm;
  strftime(t0, sizeof(t0), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&x, &tm));
  strftime(t1, sizeof(t1), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&y, &tm));
  gn__sb_printf(&b, "{\"from\":\"%s\",\"to\":\"%s\",\"period_s\":%lld,"
                    "\"source\":\"%s\",", t0, t1,
                (long long)(a->to - a->from), a->prom ? "prometheus" : "incidents");
  if (a->prom) gn__sb_printf(&b, "\"step_s\":%d,", o->step_s);
  gn__sb_puts(&b, "\"targets\":{\"critical\":");
  gn__sb_num(&b, o->target_critical);
  gn__sb_puts(&b, ",\"other\":");
  gn__sb_num(&b, o->target_other);
  write_groups(&b, a);
  write_series(&b, "months", "month", "%Y-%m", &a->months, a->nsites, a->prom);
  write_series(&b, "days", "day", "%Y-%m-%d", &a->days, a->nsites, a->prom);
  write_sites(&b, a, o);
  gn__sb_puts(&b, "],\"worst\":[");
  const site_row **w = gn_malloc(a->st->ctx, (a->nsites + 1) * sizeof(*w));
  if (w) {
    for (size_t i = 0; i < a->nsites; i++) w[i] = &a->sites[i];
    if (a->nsites > 1) qsort(w, a->nsites, sizeof(*w), cmp_worst);
    for (size_t i = 0, k = 0; i < a->nsites && k < (size_t)o->worst; i++) {
      if (!w[i]->down_s) break;
      if (k++) gn__sb_puts(&b, ",");
      gn__sb_jstr(&b, w[i]->id);
    }
  } else {
    b.oom = 1;
  }
  gn_free(a->st->ctx, w);
  gn__sb_puts(&b, "],\"leases\":");
  gn_status rs = lease_member(a, &b);
  gn__sb_puts(&b, "}");
  if (rs != GN_OK) {
    gn__sb_cleanup(&b);
    return rs;
  }
  return gn__sb_finish(&b, json);
}

gn_status gn_monitor_sla_json(gn_store *st, int64_t from, int64_t to,
                              const gn_monitor_sla_opts *opts, char **json) {
  gn_ctx_clear(st->ctx);
  *json = NULL;
  gn_monitor_sla_opts o = {0.999, 0.99, 10, NULL, 15};
  if (opts) {
    if (opts->target_critical > 0) o.target_critical = opts->target_critical;
    if (opts->target_other > 0) o.target_other = opts->target_other;
    if (opts->worst > 0) o.worst = opts->worst;
    o.prometheus = opts->prometheus;
    if (opts->step_s > 0) o.step_s = opts->step_s;
  }
  if (to <= from)
    return gn__fail(st->ctx, GN_EINVAL, "SLA period: the end must follow the"
                    " start");
  if (o.target_critical >= 1 || o.target_other >= 1)
    return gn__fail(st->ctx, GN_EINVAL, "SLA target: want a fraction < 1");
  sla *a = gn_malloc(st->ctx, sizeof(sla));
  if (!a) return gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  memset(a, 0, sizeof(*a));
  a->st = st;
  a->from = from;
  a->to = to;
  a->prom = o.prometheus != NULL;
  gn_status rs = series_init(a, &a->months, month_floor, MAX_MONTHS, "months");
  if (rs == GN_OK) rs = series_init(a, &a->days, day_next, MAX_DAYS, "days");
  if (rs == GN_OK) rs = gn__mon_migrate(st);
  if (rs == GN_OK) rs = load_sites(a);
  if (rs == GN_OK && !a->prom) rs = scan(a);
  if (rs == GN_OK && a->prom)
    rs = gn__mon_prom_windows(st->ctx, o.prometheus, from, to, o.step_s,
                              add_window, a);
  if (rs == GN_OK) rs = write_json(a, &o, json);
  for (size_t i = 0; i < a->nsites; i++) {
    gn_free(st->ctx, a->sites[i].id);
    gn_free(st->ctx, a->sites[i].name);
  }
  gn_free(st->ctx, a->sites);
  series_free(st->ctx, &a->months);
  series_free(st->ctx, &a->days);
  gn_free(st->ctx, a);
  return rs;
}
