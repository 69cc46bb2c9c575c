/*
 * stability.c - The stability report of a period (HTML and PDF, French or
 * English): overall availability against the targets and the downtime
 * budgets, daily availability, incidents by cause, MTTR overall and per
 * cause, the worst sites, availability per category, the leases against
 * their contractual SLA with the penalties due, the incident list.
 *
 * Design: the figures come from the monitor's own JSON (gn_monitor_sla_json
 * for availability, gn_monitor_incidents_period_json for incidents), read
 * back with jansson, so the report, `govnet monitor sla` and the API never
 * disagree. They are turned once into text tables (doc.c) and bar charts;
 * each chart is one cairo drawing function, drawn as vectors on the PDF
 * page and, for the HTML, into cairo's SVG surface embedded as a data: URI
 * image (self-contained, offline, scales to a phone's width; separate
 * images keep cairo's glyph ids from clashing).
 * Superseded incidents (the first alarms of a cut, later explained by a
 * larger element) count in availability but not as incidents nor in MTTR.
 * Ownership: everything is freed before return; files are written under a
 * temporary name and renamed. Threads: reentrant, one ctx per thread.
 */
#include <cairo.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "govnet/monitor.h"
#include "govnet/report.h"
#include "report/report_internal.h"
#include "util/internal.h"

#define MAX_CAUSES 24  /* distinct causes drawn; more go to "other" */
#define MAX_LISTED 1000 /* incident rows */

typedef struct cause_row {
  char label[96];
  size_t n, nres;
  double ttr_sum_s;
} cause_row;

typedef struct stab {
  gn_ctx *ctx;
  int L, prom;
  int64_t from, to;
  json_t *sla, *inc, *site_by_id; /* owned */
  size_t nsites, ncrit, met, nincidents, nopen, nsuperseded, nres;
  double ttr_sum_s;
  cause_row causes[MAX_CAUSES + 1];
  size_t ncauses;
  gn__table summary, causes_t, worst_t, cats_t, list_t, leases_t;
  double penalties_fcfa;
  size_t nlisted;
} stab;

/* ---- formatting ------------------------------------------------------ */

static const char *pct(const stab *d, double a, char *b) {
  char x[64];
  snprintf(b, 80, "%s %%", gn__fmt_num(d->L, 100.0 * a, 3, x, sizeof x));
  return b;
}

/* An availability member: "-" when null (no data at all). */
static const char *pct_of(const stab *d, const json_t *o, char *b) {
  const json_t *a = json_object_get(o, "availability");
  return json_is_number(a) ? pct(d, json_number_value(a), b) : "-";
}

/* "3 h 05 min", "12 min", "40 s". */
static const char *dur(double s, char *b, size_t n) {
  long long v = llround(s), m = (v + 30) / 60;
  if (m >= 60)
    snprintf(b, n, "%lld h %02lld min", m / 60, m % 60);
  else if (v >= 60)
    snprintf(b, n, "%lld min", m);
  else
    snprintf(b, n, "%lld s", v);
  return b;
}

/* "2026-11-03T08:00:00Z" -> "2026-11-03 08:00". */
static const char *when(const json_t *v, const char *none, char *b, size_t n) {
  const char *s = json_string_value(v);
  if (!s || strlen(s) < 16) return none;
  snprintf(b, n, "%.10s %.5s", s, s + 11);
  return b;
}

static double jnum(const json_t *o, const char *k) {
  return json_number_value(json_object_get(o, k));
}

static const char *jstr(const json_t *o, const char *k) {
  const char *s = json_string_value(json_object_get(o, k));
  return s ? s : "";
}

static const char *category(int L, const char *name) {
  static const gn__str cats[GN_CAT_COUNT] = {GN__S_ADMIN, GN__S_HEALTH,
                                             GN__S_EDUCATION, GN__S_OTHER};
  gn_category c = gn_category_parse(name);
  return c < GN_CAT_COUNT ? gn__tr(L, cats[c]) : name;
}

/* ---- incidents ------------------------------------------------------- */

/* The cause of an incident: its recorded cause, else its element kind. */
static const char *cause_of(const stab *d, const json_t *i, char *b, size_t n) {
  const char *c = json_string_value(json_object_get(i, "cause"));
  if (c && *c) return gn__utf8_cut(c, b, n);
  const char *k = jstr(i, "key");
  gn__str s = strncmp(k, "trench:", 7) == 0    ? GN__S_ST_C_TRENCH
              : strncmp(k, "cable:", 6) == 0   ? GN__S_ST_C_CABLE
              : strncmp(k, "closure:", 8) == 0 ? GN__S_ST_C_CLOSURE
                                               : GN__S_ST_C_DEVICE;
  return gn__tr(d->L, s);
}

static void count_cause(stab *d, const char *label, const json_t *i) {
  size_t k = 0;
  while (k < d->ncauses && strcmp(d->causes[k].label, label) != 0) k++;
  if (k == d->ncauses && k >= MAX_CAUSES) { /* the last row: "other" */
    label = gn__tr(d->L, GN__S_OTHER);
    for (k = 0; k < d->ncauses && strcmp(d->causes[k].label, label);) k++;
  }
  if (k == d->ncauses) {
    snprintf(d->causes[k].label, sizeof d->causes[k].label, "%s", label);
    d->ncauses++;
  }
  cause_row *c = &d->causes[k];
  c->n++;
  const json_t *ttr = json_object_get(i, "ttr_s");
  if (json_is_number(ttr)) {
    c->nres++;
    c->ttr_sum_s += json_number_value(ttr);
  }
}

/* "trench 286", "device at site 134". */
static const char *element(const stab *d, const json_t *i, char *b, size_t n) {
  const char *k = jstr(i, "key"), *colon = strchr(k, ':');
  gn__str s = strncmp(k, "trench:", 7) == 0    ? GN__S_ST_E_TRENCH
              : strncmp(k, "cable:", 6) == 0   ? GN__S_ST_E_CABLE
              : strncmp(k, "closure:", 8) == 0 ? GN__S_ST_E_CLOSURE
                                               : GN__S_ST_E_DEVICE;
  snprintf(b, n, "%s %s", gn__tr(d->L, s), colon ? colon + 1 : k);
  return b;
}

static const char *state(const stab *d, const json_t *i) {
  const char *s = jstr(i, "state");
  return gn__tr(d->L, strcmp(s, "open") == 0           ? GN__S_ST_S_OPEN
                      : strcmp(s, "acknowledged") == 0 ? GN__S_ST_S_ACK
                                                       : GN__S_ST_S_RESOLVED);
}

static gn_status list_row(stab *d, const json_t *i) {
  char id[32], el[200], ns[32], t0[32], t1[32], ttr[48], cause[120];
  const json_t *v = json_object_get(i, "ttr_s");
  snprintf(id, sizeof id, "%lld", (long long)jnum(i, "id"));
  snprintf(ns, sizeof ns, "%zu", json_array_size(json_object_get(i, "sites")));
  return gn__table_row(
      &d->list_t, id, element(d, i, el, sizeof el), ns,
      when(json_object_get(i, "opened_at"), "", t0, sizeof t0),
      when(json_object_get(i, "resolved_at"), gn__tr(d->L, GN__S_ST_ONGOING),
           t1, sizeof t1),
      json_is_number(v) ? dur(json_number_value(v), ttr, sizeof ttr) : "",
      state(d, i), cause_of(d, i, cause, sizeof cause));
}

static gn_status gather_incidents(stab *d) {
  size_t k;
  const json_t *i;
  gn_status s = GN_OK;
  json_array_foreach(json_object_get(d->inc, "incidents"), k, i) {
    if (strcmp(jstr(i, "resolution"), "superseded") == 0) {
      d->nsuperseded++;
      continue;
    }
    char cause[120];
    d->nincidents++;
    d->nopen += strcmp(jstr(i, "state"), "resolved") != 0;
    count_cause(d, cause_of(d, i, cause, sizeof cause), i);
    if (s == GN_OK && d->nlisted < MAX_LISTED) {
      s = list_row(d, i);
      d->nlisted++;
    }
  }
  for (size_t c = 0; c < d->ncauses; c++) {
    d->nres += d->causes[c].nres;
    d->ttr_sum_s += d->causes[c].ttr_sum_s;
  }
  return s;
}

static gn_status cause_rows(stab *d) {
  gn_status s = GN_OK;
  for (size_t c = 0; s == GN_OK && c < d->ncauses; c++) {
    const cause_row *r = &d->causes[c];
    char n[32], nr[32], m[48];
    snprintf(n, sizeof n, "%zu", r->n);
    snprintf(nr, sizeof nr, "%zu", r->nres);
    s = gn__table_row(&d->causes_t, r->label, n, nr,
                      r->nres ? dur(r->ttr_sum_s / (double)r->nres, m, sizeof m)
                              : "-");
  }
  return s;
}

/* ---- availability ---------------------------------------------------- */

/* Availability of the critical (crit=1) or other sites, from their down
 * seconds over the period. */
static double group_avail(const stab *d, int crit, size_t *n) {
  double down = 0, nodata = 0;
  size_t k;
  const json_t *x;
  *n = 0;
  json_array_foreach(json_object_get(d->sla, "sites"), k, x) {
    if (json_is_true(json_object_get(x, "critical")) != crit) continue;
    down += jnum(x, "down_s");
    nodata += jnum(x, "nodata_s");
    (*n)++;
  }
  double meas = (double)(d->to - d->from) * (double)*n - nodata;
  return meas > 0 ? 1.0 - down / meas : NAN;
}

static gn_status summary_group(stab *d, int crit, char *tgt) {
  size_t n;
  double a = group_avail(d, crit, &n);
  double t = jnum(json_object_get(d->sla, "targets"), crit ? "critical" : "other");
  char label[160], v[80], b[64];
  snprintf(label, sizeof label,
           gn__tr(d->L, crit ? GN__S_ST_AVAIL_CRIT : GN__S_ST_AVAIL_OTHER),
           pct(d, t, tgt));
  if (crit) d->ncrit = n;
  gn_status s = GN_OK;
  if (n) s = gn__table_row(&d->summary, label, isnan(a) ? "-" : pct(d, a, v));
  if (s == GN_OK && n)
    s = gn__table_row(&d->summary,
                      gn__tr(d->L, crit ? GN__S_ST_BUDGET_CRIT : GN__S_ST_BUDGET_OTHER),
                      dur((1.0 - t) * (double)(d->to - d->from), b, sizeof b));
  return s;
}

static gn_status summary_rows(stab *d) {
  const json_t *o = json_object_get(d->sla, "overall");
  char per[160], n[64], v[80], tg[80], tg2[80], m[96], dt[64];
  time_t a = (time_t)d->from, b = (time_t)(d->to - 1);
  struct tm t0, t1;
  char s0[16], s1[16];
  strftime(s0, sizeof s0, "%Y-%m-%d", gmtime_r(&a, &t0));
  strftime(s1, sizeof s1, "%Y-%m-%d", gmtime_r(&b, &t1));
  snprintf(per, sizeof per, "%s → %s (%s %s)", s0, s1,
           gn__fmt_num(d->L, (double)(d->to - d->from) / 86400.0, 1, n, sizeof n),
           gn__tr(d->L, GN__S_ST_DAYS));
  gn_status s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_PERIOD), per);
  snprintf(n, sizeof n, "%zu", d->nsites);
  if (s == GN_OK) s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_SITES), n);
  if (s == GN_OK)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_AVAIL), pct_of(d, o, v));
  if (s == GN_OK && d->prom)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_NODATA),
                      dur(jnum(o, "nodata_s"), dt, sizeof dt));
  if (s == GN_OK) s = summary_group(d, 1, tg);
  if (s == GN_OK) s = summary_group(d, 0, tg2);
  snprintf(m, sizeof m, "%zu / %zu", d->met, d->nsites);
  if (s == GN_OK) s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_MET), m);
  if (s == GN_OK)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_DOWN_TOTAL),
                      dur(jnum(o, "down_s"), dt, sizeof dt));
  snprintf(n, sizeof n, "%zu", d->nincidents);
  if (s == GN_OK) s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_INCIDENTS), n);
  snprintf(n, sizeof n, "%zu", d->nopen);
  if (s == GN_OK) s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_OPEN), n);
  snprintf(n, sizeof n, "%zu", d->nsuperseded);
  if (s == GN_OK && d->nsuperseded)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_SUPERSEDED), n);
  char pen[64];
  if (s == GN_OK && d->leases_t.nrows)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_PENALTIES),
                      gn__fmt_num(d->L, d->penalties_fcfa, 0, pen, sizeof pen));
  if (s == GN_OK)
    s = gn__table_row(&d->summary, gn__tr(d->L, GN__S_ST_MTTR),
                      d->nres ? dur(d->ttr_sum_s / (double)d->nres, dt, sizeof dt)
                              : "-");
  return s;
}

/* The leases' SLA (from the cut incidents) and the penalties due. */
static gn_status lease_rows(stab *d) {
  size_t k;
  const json_t *x;
  gn_status s = GN_OK;
  json_array_foreach(json_object_get(d->sla, "leases"), k, x) {
    char id[32], down[48], a[80], sla[80], pen[64];
    snprintf(id, sizeof id, "%lld", (long long)jnum(x, "lease"));
    d->penalties_fcfa += jnum(x, "penalty_fcfa");
    if (s == GN_OK)
      s = gn__table_row(
          &d->leases_t, id, jstr(x, "operator"),
          dur(jnum(x, "down_s"), down, sizeof down), pct_of(d, x, a),
          pct(d, jnum(x, "sla_pct") / 100.0, sla),
          gn__tr(d->L, json_is_true(json_object_get(x, "met")) ? GN__S_ST_MET_YES
                                                                : GN__S_ST_MET_NO),
          gn__fmt_num(d->L, jnum(x, "penalty_fcfa"), 0, pen, sizeof pen));
  }
  return s;
}

static gn_status site_row(stab *d, gn__table *t, const json_t *x) {
  char name[120], down[48], a[80], tg[80];
  return gn__table_row(
      t, jstr(x, "id"), gn__utf8_cut(jstr(x, "name"), name, sizeof name),
      category(d->L, jstr(x, "category")), dur(jnum(x, "down_s"), down, sizeof down),
      pct_of(d, x, a), pct(d, jnum(x, "target"), tg),
      gn__tr(d->L, json_is_true(json_object_get(x, "met")) ? GN__S_ST_MET_YES
                                                            : GN__S_ST_MET_NO));
}

static gn_status site_rows(stab *d) {
  size_t k;
  const json_t *x;
  gn_status s = GN_OK;
  json_array_foreach(json_object_get(d->sla, "sites"), k, x) {
    d->nsites++;
    d->met += json_is_true(json_object_get(x, "met"));
    if (json_object_set(d->site_by_id, jstr(x, "id"), (json_t *)x) != 0)
      return gn__fail(d->ctx, GN_ENOMEM, "out of memory (report)");
  }
  json_array_foreach(json_object_get(d->sla, "worst"), k, x) {
    const json_t *site = json_object_get(d->site_by_id, json_string_value(x));
    if (site && s == GN_OK) s = site_row(d, &d->worst_t, site);
  }
  json_array_foreach(json_object_get(d->sla, "categories"), k, x) {
    char n[32], down[48], a[80];
    snprintf(n, sizeof n, "%lld", (long long)jnum(x, "sites"));
    if (s == GN_OK)
      s = gn__table_row(&d->cats_t, category(d->L, jstr(x, "category")), n,
                        dur(jnum(x, "down_s"), down, sizeof down),
                        pct_of(d, x, a));
  }
  return s;
}

static void set_heads(stab *d) {
  int L = d->L;
  const char *hc[] = {gn__tr(L, GN__S_ST_CAUSE), gn__tr(L, GN__S_ST_INCIDENTS),
                      gn__tr(L, GN__S_ST_RESOLVED), "MTTR"};
  const int rc[] = {0, 1, 1, 1};
  const double wc[] = {235, 90, 90, 100};
  gn__table_head(&d->causes_t, hc, rc, wc);
  const char *hw[] = {gn__tr(L, GN__S_ST_SITE), gn__tr(L, GN__S_ST_NAME),
                      gn__tr(L, GN__S_ST_CATEGORY), gn__tr(L, GN__S_ST_DOWNTIME),
                      gn__tr(L, GN__S_ST_AVAILABILITY), gn__tr(L, GN__S_ST_TARGET),
                      gn__tr(L, GN__S_ST_WITHIN)};
  const int rw[] = {0, 0, 0, 1, 1, 1, 0};
  const double ww[] = {45, 150, 65, 70, 65, 60, 60};
  gn__table_head(&d->worst_t, hw, rw, ww);
  const char *hk[] = {gn__tr(L, GN__S_ST_CATEGORY), gn__tr(L, GN__S_ST_NSITES),
                      gn__tr(L, GN__S_ST_DOWNTIME), gn__tr(L, GN__S_ST_AVAILABILITY)};
  const int rk[] = {0, 1, 1, 1};
  const double wk[] = {175, 100, 120, 120};
  gn__table_head(&d->cats_t, hk, rk, wk);
  const char *hl[] = {"#", gn__tr(L, GN__S_ST_ELEMENT), gn__tr(L, GN__S_ST_NSITES),
                      gn__tr(L, GN__S_ST_OPENED), gn__tr(L, GN__S_ST_CLOSED),
                      gn__tr(L, GN__S_ST_TTR), gn__tr(L, GN__S_ST_STATE),
                      gn__tr(L, GN__S_ST_CAUSE)};
  const int rl[] = {1, 0, 1, 0, 0, 1, 0, 0};
  const double wl[] = {22, 105, 30, 72, 72, 58, 50, 106};
  gn__table_head(&d->list_t, hl, rl, wl);
  const char *hs[] = {gn__tr(L, GN__S_ST_LEASE), gn__tr(L, GN__S_ST_OPERATOR),
                      gn__tr(L, GN__S_ST_DOWNTIME), gn__tr(L, GN__S_ST_AVAILABILITY),
                      "SLA", gn__tr(L, GN__S_ST_WITHIN), gn__tr(L, GN__S_ST_PENALTY)};
  const int rs[] = {1, 0, 1, 1, 1, 0, 1};
  const double ws[] = {45, 130, 75, 70, 60, 55, 80};
  gn__table_head(&d->leases_t, hs, rs, ws);
}

static gn_status load_json(stab *d, gn_store *st, const gn_monitor_sla_opts *so) {
  char *sla = NULL, *inc = NULL;
  gn_status s = gn_monitor_sla_json(st, d->from, d->to, so, &sla);
  if (s == GN_OK) s = gn_monitor_incidents_period_json(st, d->from, d->to, &inc);
  if (s == GN_OK) {
    d->sla = json_loads(sla, 0, NULL);
    d->inc = json_loads(inc, 0, NULL);
    d->site_by_id = json_object();
    if (!d->sla || !d->inc || !d->site_by_id)
      s = gn__fail(d->ctx, GN_ENOMEM, "out of memory (report)");
  }
  gn_free(d->ctx, sla);
  gn_free(d->ctx, inc);
  return s;
}

static gn_status gather(stab *d, gn_store *st, const gn_report_stability_opts *o) {
  gn_monitor_sla_opts so = {o->target_critical, o->target_other,
                            o->worst > 0 ? o->worst : 10, o->prometheus,
                            o->step_s};
  gn__table_init_pairs(&d->summary, d->ctx);
  gn__table_init(&d->causes_t, d->ctx, 4);
  gn__table_init(&d->worst_t, d->ctx, 7);
  gn__table_init(&d->cats_t, d->ctx, 4);
  gn__table_init(&d->list_t, d->ctx, 8);
  gn__table_init(&d->leases_t, d->ctx, 7);
  set_heads(d);
  gn_status s = load_json(d, st, &so);
  if (s == GN_OK) s = gather_incidents(d);
  if (s == GN_OK) s = cause_rows(d);
  if (s == GN_OK) s = site_rows(d);
  if (s == GN_OK) s = lease_rows(d);
  if (s == GN_OK) s = summary_rows(d);
  return s;
}

static void stab_free(stab *d) {
  gn__table_free(&d->summary);
  gn__table_free(&d->causes_t);
  gn__table_free(&d->worst_t);
  gn__table_free(&d->cats_t);
  gn__table_free(&d->list_t);
  gn__table_free(&d->leases_t);
  json_decref(d->sla);
  json_decref(d->inc);
  json_decref(d->site_by_id);
}

/* ---- charts (cairo: PDF page or SVG image) --------------------------- */

/* The axis floor of the daily chart: the highest round level below the
 * worst day and the lower target, so both show. */
static double daily_floor(const stab *d) {
  double lo = jnum(json_object_get(d->sla, "targets"), "other");
  size_t k;
  const json_t *x;
  json_array_foreach(json_object_get(d->sla, "days"), k, x) {
    double a = jnum(x, "availability");
    if (json_is_number(json_object_get(x, "availability")) && a < lo) lo = a;
  }
  static const double levels[] = {0.998, 0.995, 0.99, 0.98, 0.95, 0.9, 0.8, 0.5};
  for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
    if (levels[i] < lo) return levels[i];
  return 0;
}

static void target_line(cairo_t *cr, double x0, double x1, double y,
                        const char *text) {
  const double dash[] = {4, 3};
  cairo_set_source_rgb(cr, 0.77, 0.19, 0.19);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 0.8);
  cairo_move_to(cr, x0, y);
  cairo_line_to(cr, x1, y);
  cairo_stroke(cr);
  cairo_set_dash(cr, NULL, 0, 0);
  gn__chart_label(cr, x1 + 3, y + 3, text, 7, 0);
}

static void chart_daily(cairo_t *cr, const void *arg, double w, double h) {
  const stab *d = arg;
  const json_t *days = json_object_get(d->sla, "days");
  size_t n = json_array_size(days), k;
  const json_t *x;
  double lo = daily_floor(d), x0 = 48, y0 = h - 22, ph = h - 34, pw = w - 100;
  char b[80];
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
  for (int t = 0; t <= 4; t++) { /* y axis: 5 ticks */
    double v = lo + (1.0 - lo) * t / 4.0, y = y0 - ph * t / 4.0;
    gn__chart_label(cr, x0 - 4, y + 3, pct(d, v, b), 7, 1);
    cairo_rectangle(cr, x0, y, pw, 0.3);
    cairo_fill(cr);
  }
  double bw = n ? pw / (double)n : pw;
  json_array_foreach(days, k, x) {
    if (!json_is_number(json_object_get(x, "availability"))) continue;
    double a = jnum(x, "availability"), v = (a - lo) / (1.0 - lo);
    double bh = ph * (v < 0 ? 0 : v > 1 ? 1 : v);
    int low = a < jnum(json_object_get(d->sla, "targets"), "critical");
    cairo_set_source_rgb(cr, low ? 0.85 : 0.17, low ? 0.33 : 0.42, low ? 0.1 : 0.69);
    cairo_rectangle(cr, x0 + bw * (double)k + (bw > 3 ? 0.5 : 0), y0 - bh,
                    bw > 3 ? bw - 1 : bw, bh);
    cairo_fill(cr);
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  if (n) {
    gn__chart_label(cr, x0, h - 8, jstr(json_array_get(days, 0), "day"), 7, 0);
    gn__chart_label(cr, x0 + pw, h - 8, jstr(json_array_get(days, n - 1), "day"), 7, 1);
  }
  const char *keys[2] = {"critical", "other"};
  for (int t = 0; t < 2; t++) {
    double tv = jnum(json_object_get(d->sla, "targets"), keys[t]);
    if (tv > lo) target_line(cr, x0, x0 + pw, y0 - ph * (tv - lo) / (1.0 - lo),
                             pct(d, tv, b));
  }
}

static void bars_causes(const stab *d, gn__bars *b, int mttr) {
  memset(b, 0, sizeof(*b));
  for (size_t c = 0; c < d->ncauses && b->n < GN__MAX_BARS; c++) {
    const cause_row *r = &d->causes[c];
    if (mttr && !r->nres) continue;
    gn__utf8_cut(r->label, b->label[b->n], sizeof b->label[0]);
    if (mttr) {
      b->v[b->n] = r->ttr_sum_s / (double)r->nres;
      dur(b->v[b->n], b->text[b->n], sizeof b->text[0]);
    } else {
      b->v[b->n] = (double)r->n;
      snprintf(b->text[b->n], sizeof b->text[0], "%zu", r->n);
    }
    b->n++;
  }
}

static void bars_worst(const stab *d, gn__bars *b) {
  memset(b, 0, sizeof(*b));
  for (size_t r = 0; r < d->worst_t.nrows && b->n < GN__MAX_BARS; r++) {
    const json_t *x = json_object_get(d->site_by_id, gn__table_cell(&d->worst_t, r, 0));
    char l[160];
    snprintf(l, sizeof l, "%s %s", gn__table_cell(&d->worst_t, r, 0),
             gn__table_cell(&d->worst_t, r, 1));
    gn__utf8_cut(l, b->label[b->n], sizeof b->label[0]);
    b->v[b->n] = jnum(x, "down_s");
    snprintf(b->text[b->n], sizeof b->text[0], "%s",
             gn__table_cell(&d->worst_t, r, 3));
    b->n++;
  }
}

/* ---- HTML ------------------------------------------------------------ */

static void html_kpis(FILE *f, const stab *d) {
  const char *labels[] = {gn__tr(d->L, GN__S_ST_AVAIL),
                          gn__tr(d->L, GN__S_ST_INCIDENTS),
                          gn__tr(d->L, GN__S_ST_MTTR), gn__tr(d->L, GN__S_ST_MET)};
  gn__html_kpis(f, &d->summary, labels, sizeof labels / sizeof labels[0]);
}

static void html_h2(FILE *f, int L, gn__str k) { gn__html_h2(f, gn__tr(L, k)); }

static gn_status html_body(FILE *f, const stab *d) {
  int L = d->L;
  gn__bars b;
  gn__html_head(f, L, gn__tr(L, GN__S_ST_TITLE));
  html_kpis(f, d);
  gn__html_table(f, &d->summary, 0);
  fprintf(f, "<p class=\"note\">%s</p>\n",
          gn__tr(L, d->prom ? GN__S_ST_SOURCE_PROM : GN__S_ST_SOURCE));
  html_h2(f, L, GN__S_ST_DAILY);
  fprintf(f, "<p class=\"note\">%s</p>\n", gn__tr(L, GN__S_ST_DAILY_NOTE));
  gn_status s = gn__html_chart(f, d->ctx, chart_daily, d, 200, gn__tr(L, GN__S_ST_DAILY));
  html_h2(f, L, GN__S_ST_BY_CAUSE);
  if (!d->nincidents) fprintf(f, "<p>%s</p>\n", gn__tr(L, GN__S_ST_NONE));
  bars_causes(d, &b, 0);
  if (s == GN_OK && b.n)
    s = gn__html_chart(f, d->ctx, gn__chart_bars, &b, gn__bars_height(&b), gn__tr(L, GN__S_ST_BY_CAUSE));
  if (b.n) gn__html_table(f, &d->causes_t, 1);
  bars_causes(d, &b, 1);
  if (b.n) html_h2(f, L, GN__S_ST_MTTR_CAUSE);
  if (s == GN_OK && b.n)
    s = gn__html_chart(f, d->ctx, gn__chart_bars, &b, gn__bars_height(&b), gn__tr(L, GN__S_ST_MTTR_CAUSE));
  html_h2(f, L, GN__S_ST_WORST);
  bars_worst(d, &b);
  if (s == GN_OK && b.n)
    s = gn__html_chart(f, d->ctx, gn__chart_bars, &b, gn__bars_height(&b), gn__tr(L, GN__S_ST_WORST));
  gn__html_table(f, &d->worst_t, 1);
  html_h2(f, L, GN__S_ST_BY_CAT);
  gn__html_table(f, &d->cats_t, 1);
  if (d->leases_t.nrows) {
    html_h2(f, L, GN__S_ST_LEASES);
    fprintf(f, "<p class=\"note\">%s</p>\n", gn__tr(L, GN__S_ST_LEASE_NOTE));
    gn__html_table(f, &d->leases_t, 1);
  }
  html_h2(f, L, GN__S_ST_LIST);
  if (d->nlisted) gn__html_table(f, &d->list_t, 1);
  else fprintf(f, "<p>%s</p>\n", gn__tr(L, GN__S_ST_NONE));
  fprintf(f, "<footer>%s 0.1.0</footer>\n</body></html>\n",
          gn__tr(L, GN__S_GENERATED));
  return s;
}

static gn_status html_file_body(FILE *f, const void *d) {
  return html_body(f, d);
}

/* ---- PDF ------------------------------------------------------------- */

static void pdf_body(gn__pdf *p, const void *arg) {
  const stab *d = arg;
  int L = d->L;
  gn__bars b;
  gn__pdf_title(p, gn__tr(L, GN__S_ST_TITLE));
  gn__pdf_table(p, &d->summary, 0);
  gn__pdf_para(p, gn__tr(L, d->prom ? GN__S_ST_SOURCE_PROM : GN__S_ST_SOURCE), 8);
  gn__pdf_heading(p, gn__tr(L, GN__S_ST_DAILY));
  gn__pdf_para(p, gn__tr(L, GN__S_ST_DAILY_NOTE), 8);
  gn__pdf_chart(p, chart_daily, d, 200);
  gn__pdf_heading(p, gn__tr(L, GN__S_ST_BY_CAUSE));
  if (!d->nincidents) gn__pdf_para(p, gn__tr(L, GN__S_ST_NONE), 9);
  bars_causes(d, &b, 0);
  if (b.n) gn__pdf_chart(p, gn__chart_bars, &b, gn__bars_height(&b));
  if (b.n) gn__pdf_table(p, &d->causes_t, 1);
  bars_causes(d, &b, 1);
  if (b.n) {
    gn__pdf_heading(p, gn__tr(L, GN__S_ST_MTTR_CAUSE));
    gn__pdf_chart(p, gn__chart_bars, &b, gn__bars_height(&b));
  }
  gn__pdf_heading(p, gn__tr(L, GN__S_ST_WORST));
  bars_worst(d, &b);
  if (b.n) gn__pdf_chart(p, gn__chart_bars, &b, gn__bars_height(&b));
  gn__pdf_table(p, &d->worst_t, 1);
  gn__pdf_heading(p, gn__tr(L, GN__S_ST_BY_CAT));
  gn__pdf_table(p, &d->cats_t, 1);
  if (d->leases_t.nrows) {
    gn__pdf_heading(p, gn__tr(L, GN__S_ST_LEASES));
    gn__pdf_para(p, gn__tr(L, GN__S_ST_LEASE_NOTE), 8);
    gn__pdf_table(p, &d->leases_t, 1);
  }
  gn__pdf_heading(p, gn__tr(L, GN__S_ST_LIST));
  if (d->nlisted) gn__pdf_table(p, &d->list_t, 1);
  else gn__pdf_para(p, gn__tr(L, GN__S_ST_NONE), 9);
}

gn_status gn_report_stability(gn_store *st, const gn_report_stability_opts *o,
                              const char *html_path, const char *pdf_path) {
  gn_ctx *ctx = gn_store_ctx(st);
  gn_ctx_clear(ctx);
  const char *lang = o->lang ? o->lang : "fr";
  if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
    return gn__fail(ctx, GN_EINVAL, "stability report: language '%s' (fr or"
                    " en)", lang);
  if (o->to <= o->from)
    return gn__fail(ctx, GN_EINVAL, "stability report: the end of the period"
                    " must follow its start");
  stab *d = gn_malloc(ctx, sizeof(stab));
  if (!d) return gn__fail(ctx, GN_ENOMEM, "out of memory (report)");
  memset(d, 0, sizeof(*d));
  d->ctx = ctx;
  d->L = strcmp(lang, "en") == 0;
  d->from = o->from;
  d->to = o->to;
  d->prom = o->prometheus != NULL;
  gn_status s = gather(d, st, o);
  if (s == GN_OK && html_path) s = gn__html_file(ctx, html_path, html_file_body, d);
  if (s == GN_OK && pdf_path)
    s = gn__pdf_file(ctx, pdf_path, gn__tr(d->L, GN__S_ST_TITLE), pdf_body, d);
  stab_free(d);
  gn_free(ctx, d);
  return s;
}
