/*
 * daily.c - The supervisors' daily construction report (HTML and PDF,
 * French or English): earned progress, the S-curve (planned against
 * actual per week), progress by phase and by subcontractor, metres per
 * crew-day, blocked segments with their age.
 *
 * Design: the figures come from gn_build_supervision_json (one source for
 * the API, the CLI and this report), read back with jansson into text
 * tables; the HTML draws the S-curve as inline SVG, the PDF with cairo.
 * Files are written to a temporary name and renamed.
 * Ownership: everything is freed before return. Threads: reentrant.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "govnet/build.h"
#include "govnet/report.h"
#include "io/atomic_file.h"
#include "report/report_internal.h"
#include "util/internal.h"

enum { S_TITLE, S_ASOF, S_KM, S_EARNED, S_BLOCKED_N, S_CURVE, S_PLANNED,
       S_ACTUAL, S_PHASES, S_ORGS, S_PROD, S_BLOCKED, S_PHASE, S_ORG, S_EPCT,
       S_CREW, S_METRES, S_DAYS, S_MPD, S_TRENCH, S_PACKAGE, S_REASON,
       S_SINCE, S_AGE, S_NONE, S_ALL, S_N };

static const char *const tr[2][S_N] = {
    {"Rapport journalier de chantier", "au", "km du programme",
     "avancement pondéré", "tronçons bloqués", "Courbe en S",
     "prévu", "réalisé", "Par phase", "Par sous-traitant",
     "Productivité (mètres par équipe-jour)", "Tronçons bloqués", "Phase",
     "Sous-traitant", "Avancement %", "Équipe", "Mètres", "Équipes-jours",
     "m / équipe-jour", "Tranchée", "Lot", "Motif", "Depuis", "Jours",
     "aucun", "toutes"},
    {"Daily construction report", "as of", "programme km",
     "earned progress", "blocked segments", "S-curve", "planned", "actual",
     "By phase", "By subcontractor", "Productivity (metres per crew-day)",
     "Blocked segments", "Phase", "Subcontractor", "Earned %", "Crew",
     "Metres", "Crew-days", "m / crew-day", "Trench", "Package", "Reason",
     "Since", "Days", "none", "all"}};

static const char *const reasons[2][4][2] = {
    {{"permit", "autorisation"}, {"obstacle", "obstacle"},
     {"flooding", "inondation"}, {"other", "autre"}},
    {{"permit", "permit"}, {"obstacle", "obstacle"}, {"flooding", "flooding"},
     {"other", "other"}}};

#define MAXC 6

typedef struct tab {
  const char *title;
  int ncols;
  const char *head[MAXC];
  json_t *rows; /* array of arrays of strings (owned) */
} tab;

typedef struct daily {
  int L;
  json_t *doc;
  tab t[4];
} daily;

/* Text of a JSON value for a table cell. */
static json_t *cell_text(const json_t *v, int dec) {
  char b[64];
  if (json_is_string(v)) return json_string(json_string_value(v));
  if (json_is_number(v)) {
    snprintf(b, sizeof b, "%.*f", dec, json_number_value(v));
    return json_string(b);
  }
  return json_string("");
}

static void fill(tab *t, const json_t *arr, const char *const *keys,
                 const int *dec, int L) {
  t->rows = json_array();
  size_t i;
  const json_t *o;
  json_array_foreach(arr, i, o) {
    json_t *row = json_array();
    for (int c = 0; c < t->ncols; c++) {
      const json_t *v = json_object_get(o, keys[c]);
      json_t *s = cell_text(v, dec[c]);
      if (strcmp(keys[c], "reason") == 0)
        for (int k = 0; k < 4; k++)
          if (json_is_string(v) && strcmp(json_string_value(v), reasons[L][k][0]) == 0)
            json_string_set(s, reasons[L][k][1]);
      if ((strcmp(keys[c], "org") == 0 || strcmp(keys[c], "phase") == 0) &&
          !*json_string_value(s))
        json_string_set(s, tr[L][S_NONE]);
      json_array_append_new(row, s);
    }
    json_array_append_new(t->rows, row);
  }
}

static void build_tabs(daily *d) {
  int L = d->L;
  static const char *const kp[] = {"phase", "km", "earned_pct"};
  static const char *const ko[] = {"org", "km", "earned_pct"};
  static const char *const kr[] = {"org", "crew", "metres", "crew_days",
                                   "m_per_crew_day"};
  static const char *const kb[] = {"trench", "package", "reason", "since",
                                   "age_days"};
  static const int dp[] = {0, 2, 1}, dr[] = {0, 0, 0, 0, 1},
                   db[] = {0, 0, 0, 0, 1};
  tab *t = d->t;
  t[0] = (tab){tr[L][S_PHASES], 3, {tr[L][S_PHASE], "km", tr[L][S_EPCT]}, NULL};
  t[1] = (tab){tr[L][S_ORGS], 3, {tr[L][S_ORG], "km", tr[L][S_EPCT]}, NULL};
  t[2] = (tab){tr[L][S_PROD], 5, {tr[L][S_ORG], tr[L][S_CREW], tr[L][S_METRES],
                                  tr[L][S_DAYS], tr[L][S_MPD]}, NULL};
  t[3] = (tab){tr[L][S_BLOCKED], 5, {tr[L][S_TRENCH], tr[L][S_PACKAGE],
                                     tr[L][S_REASON], tr[L][S_SINCE],
                                     tr[L][S_AGE]}, NULL};
  fill(&t[0], json_object_get(d->doc, "by_phase"), kp, dp, L);
  fill(&t[1], json_object_get(d->doc, "by_org"), ko, dp, L);
  fill(&t[2], json_object_get(d->doc, "productivity"), kr, dr, L);
  fill(&t[3], json_object_get(d->doc, "blocked"), kb, db, L);
}

static double num(const daily *d, const char *k) {
  return json_number_value(json_object_get(d->doc, k));
}

/* ---- HTML --------------------------------------------------------- */

static void svg_line(FILE *f, const json_t *curve, const char *key,
                     const char *style) {
  size_t n = json_array_size(curve), i;
  const json_t *p;
  fprintf(f, "<polyline fill=\"none\" %s points=\"", style);
  json_array_foreach(curve, i, p) {
    double x = 50 + (n > 1 ? 540.0 * (double)i / (double)(n - 1) : 270);
    double y = 230 - 2.0 * json_number_value(json_object_get(p, key));
    fprintf(f, "%.1f,%.1f ", x, y);
  }
  fputs("\"/>\n", f);
}

static void html_curve(FILE *f, const daily *d) {
  const json_t *c = json_object_get(d->doc, "s_curve");
  size_t n = json_array_size(c);
  fputs("<svg viewBox=\"0 0 620 270\" width=\"620\" height=\"270\" role=\"img\">\n"
        "<line x1=\"50\" y1=\"230\" x2=\"590\" y2=\"230\" stroke=\"#999\"/>"
        "<line x1=\"50\" y1=\"30\" x2=\"50\" y2=\"230\" stroke=\"#999\"/>\n", f);
  for (int pct = 0; pct <= 100; pct += 25)
    fprintf(f, "<text x=\"44\" y=\"%d\" text-anchor=\"end\" font-size=\"10\">%d %%</text>\n",
            234 - 2 * pct, pct);
  if (n) {
    fprintf(f, "<text x=\"50\" y=\"250\" font-size=\"10\">%s</text>"
               "<text x=\"590\" y=\"250\" text-anchor=\"end\" font-size=\"10\">%s</text>\n",
            json_string_value(json_object_get(json_array_get(c, 0), "week")),
            json_string_value(json_object_get(json_array_get(c, n - 1), "week")));
    svg_line(f, c, "planned_pct", "stroke=\"#9ca3af\" stroke-dasharray=\"6 4\" stroke-width=\"2\"");
    svg_line(f, c, "actual_pct", "stroke=\"#0f766e\" stroke-width=\"3\"");
  }
  fprintf(f, "<text x=\"60\" y=\"24\" font-size=\"11\" fill=\"#6b7280\">- - %s</text>"
             "<text x=\"160\" y=\"24\" font-size=\"11\" fill=\"#0f766e\">— %s</text></svg>\n",
          tr[d->L][S_PLANNED], tr[d->L][S_ACTUAL]);
}

static void html_tab(FILE *f, const tab *t, int L) {
  fputs("<h2>", f);
  gn__html_text(f, t->title);
  fputs("</h2>\n<table><tr>", f);
  for (int c = 0; c < t->ncols; c++) {
    fputs("<th>", f);
    gn__html_text(f, t->head[c]);
    fputs("</th>", f);
  }
  fputs("</tr>\n", f);
  size_t i;
  const json_t *row;
  json_array_foreach(t->rows, i, row) {
    fputs("<tr>", f);
    for (int c = 0; c < t->ncols; c++) {
      fputs("<td>", f);
      gn__html_text(f, json_string_value(json_array_get(row, (size_t)c)));
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  if (!json_array_size(t->rows))
    fprintf(f, "<tr><td colspan=\"%d\">%s</td></tr>\n", t->ncols, tr[L][S_NONE]);
  fputs("</table>\n", f);
}

static void html(FILE *f, const daily *d) {
  int L = d->L;
  fprintf(f, "<!doctype html><html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<title>%s</title><style>body{font:14px system-ui,sans-serif;"
             "margin:24px;color:#1f2937}h1{color:#0f3d3e}table{border-collapse:"
             "collapse;margin-bottom:12px}td,th{border:1px solid #e5e7eb;padding:"
             "4px 8px;text-align:left}th{background:#f0fdfa}.k{display:inline-block;"
             "margin-right:24px}.k b{font-size:20px;color:#0f766e;display:block}"
             "</style></head><body>\n",
          L ? "en" : "fr", tr[L][S_TITLE]);
  fprintf(f, "<h1>%s</h1><p>%s %s</p>\n", tr[L][S_TITLE], tr[L][S_ASOF],
          json_string_value(json_object_get(d->doc, "as_of")));
  fprintf(f, "<div class=\"k\"><b>%.1f</b>%s</div><div class=\"k\"><b>%.1f %%</b>%s</div>"
             "<div class=\"k\"><b>%zu</b>%s</div>\n",
          num(d, "km"), tr[L][S_KM], num(d, "earned_pct"), tr[L][S_EARNED],
          json_array_size(d->t[3].rows), tr[L][S_BLOCKED_N]);
  fprintf(f, "<h2>%s</h2>\n", tr[L][S_CURVE]);
  html_curve(f, d);
  for (int i = 0; i < 4; i++) html_tab(f, &d->t[i], L);
  fputs("</body></html>\n", f);
}

/* ---- PDF ---------------------------------------------------------- */

#define PW 595.0
#define PH 842.0
#define M 40.0

typedef struct pg {
  cairo_t *cr;
  double y;
} pg;

static void text(pg *p, double x, const char *s, double size, int bold) {
  cairo_select_font_face(p->cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(p->cr, size);
  cairo_move_to(p->cr, x, p->y);
  cairo_show_text(p->cr, s);
}

static void room(pg *p, double h) {
  if (p->y + h < PH - M) return;
  cairo_show_page(p->cr);
  p->y = M;
}

static void pdf_curve(pg *p, const daily *d) {
  const json_t *c = json_object_get(d->doc, "s_curve");
  size_t n = json_array_size(c);
  double x0 = M + 30, w = PW - 2 * M - 40, y0 = p->y + 160, h = 150;
  cairo_set_source_rgb(p->cr, 0.6, 0.6, 0.6);
  cairo_rectangle(p->cr, x0, y0 - h, w, h);
  cairo_set_line_width(p->cr, 0.5);
  cairo_stroke(p->cr);
  const char *keys[2] = {"planned_pct", "actual_pct"};
  for (int k = 0; k < 2 && n; k++) {
    cairo_set_source_rgb(p->cr, k ? 0.06 : 0.6, k ? 0.46 : 0.6, k ? 0.43 : 0.6);
    cairo_set_line_width(p->cr, k ? 2 : 1.2);
    double dash[1] = {4};
    cairo_set_dash(p->cr, dash, k ? 0 : 1, 0);
    for (size_t i = 0; i < n; i++) {
      double v = json_number_value(json_object_get(json_array_get(c, i), keys[k]));
      double x = x0 + (n > 1 ? w * (double)i / (double)(n - 1) : w / 2);
      if (i) cairo_line_to(p->cr, x, y0 - h * v / 100);
      else cairo_move_to(p->cr, x, y0 - h * v / 100);
    }
    cairo_stroke(p->cr);
  }
  cairo_set_dash(p->cr, NULL, 0, 0);
  cairo_set_source_rgb(p->cr, 0.1, 0.1, 0.1);
  p->y = y0 + 14;
  char b[96];
  snprintf(b, sizeof b, "0-100 %%   - - %s   — %s", tr[d->L][S_PLANNED],
           tr[d->L][S_ACTUAL]);
  text(p, x0, b, 8, 0);
  p->y += 20;
}

static void pdf_tab(pg *p, const tab *t, int L) {
  room(p, 60);
  text(p, M, t->title, 12, 1);
  p->y += 16;
  double cw = (PW - 2 * M) / t->ncols;
  for (int c = 0; c < t->ncols; c++) text(p, M + c * cw, t->head[c], 8, 1);
  p->y += 12;
  size_t i;
  const json_t *row;
  json_array_foreach(t->rows, i, row) {
    room(p, 12);
    for (int c = 0; c < t->ncols; c++)
      text(p, M + c * cw, json_string_value(json_array_get(row, (size_t)c)), 8, 0);
    p->y += 11;
  }
  if (!json_array_size(t->rows)) {
    text(p, M, tr[L][S_NONE], 8, 0);
    p->y += 11;
  }
  p->y += 10;
}

static gn_status pdf(gn_ctx *ctx, const daily *d, const char *path) {
  char *tmp = NULL;
  gn_status s = gn__tmp_path(ctx, path, &tmp);
  if (s != GN_OK) return s;
  cairo_surface_t *sf = cairo_pdf_surface_create(tmp, PW, PH);
  cairo_t *cr = cairo_create(sf);
  pg p = {cr, M + 10};
  int L = d->L;
  char b[160];
  text(&p, M, tr[L][S_TITLE], 18, 1);
  p.y += 20;
  snprintf(b, sizeof b, "%s %s — %.1f %s, %.1f %% %s, %zu %s", tr[L][S_ASOF],
           json_string_value(json_object_get(d->doc, "as_of")), num(d, "km"),
           tr[L][S_KM], num(d, "earned_pct"), tr[L][S_EARNED],
           json_array_size(d->t[3].rows), tr[L][S_BLOCKED_N]);
  text(&p, M, b, 10, 0);
  p.y += 22;
  text(&p, M, tr[L][S_CURVE], 12, 1);
  p.y += 6;
  pdf_curve(&p, d);
  for (int i = 0; i < 4; i++) pdf_tab(&p, &d->t[i], L);
  cairo_status_t cs = gn__pdf_close(cr, sf);
  if (cs != CAIRO_STATUS_SUCCESS) gn__fail(ctx, GN_EIO, "%s: %s", path, cairo_status_to_string(cs));
  return gn__tmp_commit(ctx, tmp, path, cs == CAIRO_STATUS_SUCCESS);
}

static gn_status html_file_body(FILE *f, const void *d) {
  html(f, d);
  return GN_OK;
}

gn_status gn_report_build_daily(gn_store *st, const char *phase,
                                const char *as_of, const char *lang,
                                const char *html_path, const char *pdf_path) {
  gn_ctx *ctx = gn_store_ctx(st);
  if (lang && strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
    return gn__fail(ctx, GN_EINVAL, "daily report: language '%s' (fr or en)", lang);
  char *json = NULL;
  gn_status s = gn_build_supervision_json(st, phase, NULL, as_of, &json);
  if (s != GN_OK) return s;
  daily d;
  memset(&d, 0, sizeof(d));
  d.L = lang && strcmp(lang, "en") == 0;
  d.doc = json_loads(json, 0, NULL);
  gn_free(ctx, json);
  if (!d.doc) return gn__fail(ctx, GN_ENOMEM, "daily report");
  build_tabs(&d);
  if (html_path) s = gn__html_file(ctx, html_path, html_file_body, &d);
  if (s == GN_OK && pdf_path) s = pdf(ctx, &d, pdf_path);
  for (int i = 0; i < 4; i++) json_decref(d.t[i].rows);
  json_decref(d.doc);
  return s;
}
