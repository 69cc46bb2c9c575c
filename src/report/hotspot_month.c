/*
 * hotspot_month.c - The monthly usage report of the student WiFi hotspots
 * (HTML and PDF, French or English): the month's totals (distinct users,
 * sessions, data in and out, connected hours, active access points), data
 * and distinct users per day, and per access point a table and a chart of
 * the busiest ones.
 *
 * Design: the figures come from gn_hotspot_usage_summary_json for the
 * month's days (one source for the CLI, a future API and this report),
 * read back with jansson. Every day of the month gets a slot, so a day
 * without traffic shows as zero. Charts are cairo drawings shared by both
 * outputs (doc.c): vectors on the PDF page, an SVG image in the HTML.
 * No table per user: a student's or voucher's usage is personal data, so
 * the report keeps to totals per day and per access point (the footnote
 * says so; `govnet hotspot usage` gives administrators the detail).
 * Ownership: everything is freed before return; files are written under a
 * temporary name and renamed. Threads: reentrant, one ctx per thread.
 */
#include <cairo.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "govnet/hotspot.h"
#include "govnet/report.h"
#include "report/report_internal.h"
#include "util/internal.h"

#define MAX_DAYS 31
#define TOP_APS 10 /* access points in the chart; the table lists all */
#define DAY_CHART_H 170.0

static const char *const month_names[2][12] = {
    {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
     "septembre", "octobre", "novembre", "décembre"},
    {"January", "February", "March", "April", "May", "June", "July",
     "August", "September", "October", "November", "December"}};

typedef struct hsm {
  gn_ctx *ctx;
  int L, year, mon, ndays;
  json_t *doc; /* the usage summary (owned) */
  const json_t *total;
  double day_gb[MAX_DAYS], day_users[MAX_DAYS];
  gn__table summary, aps_t;
  gn__bars top;
} hsm;

/* One daily chart: data (bars) or distinct users (line). */
typedef struct series {
  const hsm *d;
  int users;
} series;

/* ---- month and formatting -------------------------------------------- */

/* "YYYY-MM" with a month 01..12: year and month, else 0. */
static int parse_month(const char *s, int *year, int *mon) {
  if (!s || strlen(s) != 7 || s[4] != '-') return 0;
  for (int i = 0; i < 7; i++)
    if (i != 4 && (s[i] < '0' || s[i] > '9')) return 0;
  *year = (int)strtol(s, NULL, 10);
  *mon = (int)strtol(s + 5, NULL, 10);
  return *year >= 1970 && *mon >= 1 && *mon <= 12;
}

static int days_in(int year, int mon) {
  static const int n[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return n[mon - 1] + (mon == 2 && leap);
}

static double jnum(const json_t *o, const char *k) {
  return json_number_value(json_object_get(o, k));
}

/* Gigabytes (10^9 bytes): two decimals below 100, then one. */
static const char *gb(int L, double bytes, char *b, size_t n) {
  double v = bytes / 1e9;
  return gn__fmt_num(L, v, v < 100 ? 2 : 1, b, n);
}

static const char *gb_unit(int L, double bytes, char *b, size_t n) {
  char x[64];
  snprintf(b, n, "%s %s", gb(L, bytes, x, sizeof x), gn__tr(L, GN__S_HS_GB));
  return b;
}

static const char *hours(int L, double seconds, char *b, size_t n) {
  return gn__fmt_num(L, seconds / 3600.0, 1, b, n);
}

static const char *count(int L, double v, char *b, size_t n) {
  return gn__fmt_num(L, v, 0, b, n);
}

/* ---- gathering ------------------------------------------------------- */

static gn_status summary_rows(hsm *d) {
  const json_t *t = d->total;
  int L = d->L;
  double in_b = jnum(t, "bytes_in"), out_b = jnum(t, "bytes_out");
  char per[96], u[48], se[48], all[64], in[64], out[64], h[48], ap[48];
  snprintf(per, sizeof per, "%s %d (%d %s)", month_names[L][d->mon - 1],
           d->year, d->ndays, gn__tr(L, GN__S_HS_DAYS));
  const struct {
    gn__str label;
    const char *value;
  } rows[] = {
      {GN__S_HS_MONTH, per},
      {GN__S_HS_USERS, count(L, jnum(t, "users"), u, sizeof u)},
      {GN__S_HS_SESSIONS, count(L, jnum(t, "sessions"), se, sizeof se)},
      {GN__S_HS_DATA, gb_unit(L, in_b + out_b, all, sizeof all)},
      {GN__S_HS_DATA_IN, gb_unit(L, in_b, in, sizeof in)},
      {GN__S_HS_DATA_OUT, gb_unit(L, out_b, out, sizeof out)},
      {GN__S_HS_HOURS, hours(L, jnum(t, "seconds"), h, sizeof h)},
      {GN__S_HS_ACTIVE, count(L, jnum(t, "hotspots"), ap, sizeof ap)}};
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < sizeof rows / sizeof rows[0]; i++)
    s = gn__table_row(&d->summary, gn__tr(L, rows[i].label), rows[i].value);
  return s;
}

/* Every day of the month a slot; days the summary lists fill theirs. */
static void day_slots(hsm *d) {
  size_t k;
  const json_t *x;
  json_array_foreach(json_object_get(d->doc, "days"), k, x) {
    const char *day = json_string_value(json_object_get(x, "day"));
    long dd = day && strlen(day) == 10 ? strtol(day + 8, NULL, 10) : 0;
    if (dd < 1 || dd > d->ndays) continue; /* not this month: cannot be */
    d->day_gb[dd - 1] = (jnum(x, "bytes_in") + jnum(x, "bytes_out")) / 1e9;
    d->day_users[dd - 1] = jnum(x, "users");
  }
}

static gn_status ap_rows(hsm *d) {
  size_t k;
  const json_t *x;
  gn_status s = GN_OK;
  int L = d->L;
  json_array_foreach(json_object_get(d->doc, "hotspots"), k, x) {
    const char *name = json_string_value(json_object_get(x, "hotspot"));
    double in_b = jnum(x, "bytes_in"), out_b = jnum(x, "bytes_out");
    char nm[GN__CELL], u[48], se[48], in[64], out[64], all[64], h[48];
    if (!name) name = "-";
    if (s == GN_OK)
      s = gn__table_row(&d->aps_t, gn__utf8_cut(name, nm, sizeof nm), count(L, jnum(x, "users"), u, sizeof u),
                        count(L, jnum(x, "sessions"), se, sizeof se),
                        gb(L, in_b, in, sizeof in), gb(L, out_b, out, sizeof out),
                        gb(L, in_b + out_b, all, sizeof all),
                        hours(L, jnum(x, "seconds"), h, sizeof h));
    if (d->top.n < TOP_APS) { /* the summary lists them by data already */
      gn__utf8_cut(name, d->top.label[d->top.n], sizeof d->top.label[0]);
      d->top.v[d->top.n] = in_b + out_b;
      gb_unit(L, in_b + out_b, d->top.text[d->top.n], sizeof d->top.text[0]);
      d->top.n++;
    }
  }
  return s;
}

static void set_heads(hsm *d) {
  int L = d->L;
  const char *ha[] = {gn__tr(L, GN__S_HS_AP),    gn__tr(L, GN__S_HS_H_USERS),
                      gn__tr(L, GN__S_HS_SESSIONS), gn__tr(L, GN__S_HS_H_IN),
                      gn__tr(L, GN__S_HS_H_OUT), gn__tr(L, GN__S_HS_H_TOTAL),
                      gn__tr(L, GN__S_HS_H_HOURS)};
  const int ra[] = {0, 1, 1, 1, 1, 1, 1};
  const double wa[] = {150, 55, 55, 65, 65, 65, 60};
  gn__table_head(&d->aps_t, ha, ra, wa);
}

static gn_status gather(hsm *d, gn_store *st, const char *month) {
  char from[16], to[16], *json = NULL;
  snprintf(from, sizeof from, "%.7s-01", month);
  snprintf(to, sizeof to, "%.7s-%02d", month, d->ndays);
  gn__table_init_pairs(&d->summary, d->ctx);
  gn__table_init(&d->aps_t, d->ctx, 7);
  set_heads(d);
  gn_status s = gn_hotspot_usage_summary_json(st, from, to, &json);
  if (s != GN_OK) return s;
  d->doc = json_loads(json, 0, NULL);
  gn_free(d->ctx, json);
  d->total = json_object_get(d->doc, "total");
  if (!d->doc || !json_is_object(d->total))
    return gn__fail(d->ctx, GN_ENOMEM, "out of memory (report)");
  day_slots(d);
  s = summary_rows(d);
  if (s == GN_OK) s = ap_rows(d);
  return s;
}

static int has_traffic(const hsm *d) { return jnum(d->total, "sessions") > 0; }

/* ---- the daily chart ------------------------------------------------- */

/* A round axis top at or above v, split in 4 ticks (1, 2, 5 times a
 * power of ten each); at least 4 ticks of least (1 user, 0.01 GB). */
static double axis_top(double v, double least) {
  if (v <= least) return least * 4;
  double step = pow(10, floor(log10(v / 4)));
  if (step * 4 < v) step *= 2;
  if (step * 4 < v) step *= 2.5;
  if (step * 4 < v) step *= 2;
  return step * 4;
}

static void chart_days(cairo_t *cr, const void *arg, double w, double h) {
  const series *sr = arg;
  const hsm *d = sr->d;
  const double *v = sr->users ? d->day_users : d->day_gb;
  double top = 0, x0 = 44, y0 = h - 20, ph = h - 30, pw = w - 54;
  char b[64];
  for (int i = 0; i < d->ndays; i++) top = v[i] > top ? v[i] : top;
  top = axis_top(top, sr->users ? 1 : 0.01);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (int t = 0; t <= 4; t++) { /* y axis: 5 ticks */
    double y = y0 - ph * t / 4.0, tv = top * t / 4.0;
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.4);
    gn__chart_label(cr, x0 - 4, y + 3,
                    gn__fmt_num(d->L, tv, sr->users || top >= 4 ? 0 : 2, b, sizeof b),
                    7, 1);
    cairo_rectangle(cr, x0, y, pw, 0.3);
    cairo_fill(cr);
  }
  double bw = pw / d->ndays;
  cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  for (int i = 0; i < d->ndays; i++) {
    double x = x0 + bw * (i + 0.5), y = y0 - ph * v[i] / top;
    if (!sr->users) {
      cairo_rectangle(cr, x0 + bw * i + 1, y, bw - 2, y0 - y);
      cairo_fill(cr);
    } else {
      if (i) cairo_line_to(cr, x, y);
      else cairo_move_to(cr, x, y);
    }
  }
  if (sr->users) {
    cairo_set_source_rgb(cr, 0.85, 0.33, 0.1);
    cairo_set_line_width(cr, 1.5);
    cairo_stroke(cr);
    for (int i = 0; i < d->ndays; i++) {
      cairo_arc(cr, x0 + bw * (i + 0.5), y0 - ph * v[i] / top, 2, 0, 6.2831853);
      cairo_fill(cr);
    }
  }
  cairo_set_source_rgb(cr, 0.3, 0.3, 0.3);
  for (int i = 0; i < d->ndays; i++) /* the 1st, every 5th, the last */
    if (i == 0 || (i + 1) % 5 == 0 || i + 1 == d->ndays) {
      snprintf(b, sizeof b, "%d", i + 1);
      gn__chart_label(cr, x0 + bw * (i + 0.5) + 3, h - 6, b, 7, 1);
    }
}

/* ---- HTML ------------------------------------------------------------ */

static void html_p(FILE *f, const char *cls, const char *text) {
  fprintf(f, "<p%s%s%s>", cls ? " class=\"" : "", cls ? cls : "",
          cls ? "\"" : "");
  gn__html_text(f, text);
  fputs("</p>\n", f);
}

static void html_h2(FILE *f, int L, gn__str k) { gn__html_h2(f, gn__tr(L, k)); }

static gn_status html_traffic(FILE *f, const hsm *d) {
  int L = d->L;
  series data = {d, 0}, users = {d, 1};
  html_h2(f, L, GN__S_HS_DAILY_DATA);
  gn_status s = gn__html_chart(f, d->ctx, chart_days, &data, DAY_CHART_H,
                               gn__tr(L, GN__S_HS_DAILY_DATA));
  html_h2(f, L, GN__S_HS_DAILY_USERS);
  if (s == GN_OK)
    s = gn__html_chart(f, d->ctx, chart_days, &users, DAY_CHART_H,
                       gn__tr(L, GN__S_HS_DAILY_USERS));
  html_h2(f, L, GN__S_HS_TOP);
  if (s == GN_OK)
    s = gn__html_chart(f, d->ctx, gn__chart_bars, &d->top,
                       gn__bars_height(&d->top), gn__tr(L, GN__S_HS_TOP));
  html_h2(f, L, GN__S_HS_BY_AP);
  gn__html_table(f, &d->aps_t, 1);
  return s;
}

static gn_status html_body(FILE *f, const void *arg) {
  const hsm *d = arg;
  int L = d->L;
  char title[256];
  snprintf(title, sizeof title, "%s — %s %d", gn__tr(L, GN__S_HS_TITLE),
           month_names[L][d->mon - 1], d->year);
  const char *kpis[] = {gn__tr(L, GN__S_HS_USERS), gn__tr(L, GN__S_HS_SESSIONS),
                        gn__tr(L, GN__S_HS_DATA), gn__tr(L, GN__S_HS_HOURS)};
  gn__html_head(f, L, title);
  gn__html_kpis(f, &d->summary, kpis, sizeof kpis / sizeof kpis[0]);
  gn__html_table(f, &d->summary, 0);
  gn_status s = GN_OK;
  if (has_traffic(d)) {
    html_p(f, "note", gn__tr(L, GN__S_HS_NOTE));
    s = html_traffic(f, d);
  } else {
    html_p(f, NULL, gn__tr(L, GN__S_HS_NONE));
  }
  fputs("<footer>", f);
  html_p(f, NULL, gn__tr(L, GN__S_HS_PRIVACY));
  fprintf(f, "%s 0.1.0</footer>\n</body></html>\n", gn__tr(L, GN__S_GENERATED));
  return s;
}

/* ---- PDF ------------------------------------------------------------- */

static void pdf_body(gn__pdf *p, const void *arg) {
  const hsm *d = arg;
  int L = d->L;
  series data = {d, 0}, users = {d, 1};
  gn__pdf_title(p, gn__tr(L, GN__S_HS_TITLE)); /* the month: first row */
  gn__pdf_table(p, &d->summary, 0);
  if (!has_traffic(d)) {
    gn__pdf_para(p, gn__tr(L, GN__S_HS_NONE), 10);
  } else {
    gn__pdf_para(p, gn__tr(L, GN__S_HS_NOTE), 8);
    gn__pdf_heading(p, gn__tr(L, GN__S_HS_DAILY_DATA));
    gn__pdf_chart(p, chart_days, &data, DAY_CHART_H);
    gn__pdf_heading(p, gn__tr(L, GN__S_HS_DAILY_USERS));
    gn__pdf_chart(p, chart_days, &users, DAY_CHART_H);
    gn__pdf_heading(p, gn__tr(L, GN__S_HS_TOP));
    gn__pdf_chart(p, gn__chart_bars, &d->top, gn__bars_height(&d->top));
    gn__pdf_heading(p, gn__tr(L, GN__S_HS_BY_AP));
    gn__pdf_table(p, &d->aps_t, 1);
  }
  gn__pdf_para(p, gn__tr(L, GN__S_HS_PRIVACY), 8);
}

gn_status gn_report_hotspot_month(gn_store *st, const char *month,
                                  const char *lang, const char *html_path,
                                  const char *pdf_path) {
  gn_ctx *ctx = gn_store_ctx(st);
  gn_ctx_clear(ctx);
  if (!lang) lang = "fr";
  if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
    return gn__fail(ctx, GN_EINVAL, "hotspot report: language '%s' (fr or en)",
                    lang);
  int year = 0, mon = 0;
  if (!parse_month(month, &year, &mon))
    return gn__fail(ctx, GN_EINVAL, "hotspot report: month '%s': expected"
                    " YYYY-MM with a month 01 to 12", month ? month : "");
  hsm *d = gn_malloc(ctx, sizeof(hsm));
  if (!d) return gn__fail(ctx, GN_ENOMEM, "out of memory (report)");
  memset(d, 0, sizeof(*d));
  d->ctx = ctx;
  d->L = strcmp(lang, "en") == 0;
  d->year = year;
  d->mon = mon;
  d->ndays = days_in(year, mon);
  gn_status s = gather(d, st, month);
  if (s == GN_OK && html_path) s = gn__html_file(ctx, html_path, html_body, d);
  if (s == GN_OK && pdf_path)
    s = gn__pdf_file(ctx, pdf_path, gn__tr(d->L, GN__S_HS_TITLE), pdf_body, d);
  gn__table_free(&d->summary);
  gn__table_free(&d->aps_t);
  json_decref(d->doc);
  gn_free(ctx, d);
  return s;
}
