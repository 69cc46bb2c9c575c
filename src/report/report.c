/*
 * report.c - The plan report as HTML and PDF (see report.h).
 *
 * Design: the figures are gathered once (sizing if needed, BOM, single-
 * cut analysis) into tables of preformatted cells; the same tables are
 * then written as HTML and drawn with cairo on A4 PDF pages, so both
 * outputs always agree. The map is a PNG embedded in the HTML (base64)
 * and drawn as vectors in the PDF.
 * Ownership: all memory is freed before return; files are written under
 * a temporary name and renamed.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "govnet/io.h"
#include "report/report_internal.h"
#include "util/internal.h"

#define CELL 160
#define MAX_COLS 8
#define CUT_ROWS 25

typedef struct table {
  gn_ctx *ctx;
  int ncols;
  const char *head[MAX_COLS];
  int right[MAX_COLS];
  double w[MAX_COLS]; /* PDF column widths (points) */
  char *cells;
  size_t nrows, cap;
} table;

typedef struct rdata {
  gn_ctx *ctx;
  gn_plan *p;
  int lang;
  gn_pricebook pb;
  gn_bom *bom;
  gn_cut_summary cut;
  table summary, reference, phases, bom_t, cuts;
  size_t cuts_total;
  gn_layout *layout;  /* circuits, when the plan has a POP */
  size_t loss_bins[30]; /* working circuits per 0.5 dB at 1310 nm */
  double budget_db, margin_db;
} rdata;

void gn_report_opts_init(gn_report_opts *o) {
  memset(o, 0, sizeof(*o));
  o->lang = "fr";
  o->map_width = 1400;
  o->map_height = 1000;
}

/* ---- tables ----------------------------------------------------------- */

static void table_init(table *t, gn_ctx *ctx, int ncols) {
  memset(t, 0, sizeof(*t));
  t->ctx = ctx;
  t->ncols = ncols;
}

static gn_status table_row(table *t, ...) {
  if (GN__GROW(t->ctx, t->cells, t->cap,
               (t->nrows + 1) * (size_t)t->ncols * CELL) != GN_OK)
    return gn__fail(t->ctx, GN_ENOMEM, "out of memory (report)");
  va_list ap;
  va_start(ap, t);
  for (int c = 0; c < t->ncols; c++) {
    const char *s = va_arg(ap, const char *);
    snprintf(t->cells + (t->nrows * (size_t)t->ncols + (size_t)c) * CELL, CELL,
             "%s", s ? s : "");
  }
  va_end(ap);
  t->nrows++;
  return GN_OK;
}

static const char *cell(const table *t, size_t r, int c) {
  return t->cells + (r * (size_t)t->ncols + (size_t)c) * CELL;
}

static void table_free(table *t) { gn_free(t->ctx, t->cells); }

static void table_head(table *t, const char *const *head, const int *right,
                       const double *w) {
  for (int c = 0; c < t->ncols; c++) {
    t->head[c] = head[c];
    t->right[c] = right[c];
    t->w[c] = w[c];
  }
}

/* ---- gathering -------------------------------------------------------- */

static const char *num(const rdata *d, double v, int dec, char *b) {
  return gn__fmt_num(d->lang, v, dec, b, 64);
}

static const char *share(const rdata *d, size_t a, size_t n, char *b) {
  char x[64];
  snprintf(b, 96, "%zu / %zu (%s %%)", a, n,
           gn__fmt_num(d->lang, n ? 100.0 * a / n : 100.0, 1, x, sizeof x));
  return b;
}

static int needs_sizing(const gn_plan *p) {
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->cable_size <= 0) return 1;
  return 0;
}

/* Street plans carry the Steiner solver's certified gap (planner
 * metadata certified_gap_pct): the trench tree costs at most that much
 * more than the cheapest one joining the same buildings. */
static gn_status optimality_row(rdata *d, table *t) {
  const char *gap = gn_plan_get_meta(d->p, "certified_gap_pct");
  char g[64], a[160];
  if (!gap) return GN_OK;
  double v = strtod(gap, NULL);
  int dec = v < 0.01 ? 4 : v < 1 ? 3 : 2;
  double scale = pow(10, dec); /* round up: the stated gap stays proven */
  num(d, ceil(v * scale - 1e-9) / scale, dec, g);
  snprintf(a, sizeof a, gn__tr(d->lang, GN__S_WITHIN), g);
  return table_row(t, gn__tr(d->lang, GN__S_OPTIMALITY), a);
}

static gn_status summary_rows(rdata *d) {
  table *t = &d->summary;
  const gn_plan *p = d->p;
  char a[96], b[96];
  size_t np, connected = 0;
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &np);
  double trench = 0, ring = 0, cable = 0, res = 0;
  for (size_t i = 0; i < np; i++) {
    trench += ph[i].trench_m;
    ring += ph[i].redundant_m;
    cable += ph[i].cable_m;
    res += ph[i].resilience_fcfa;
    connected += ph[i].buildings;
  }
  const char *mode = gn_plan_get_meta(p, "mode");
  int points = mode && strcmp(mode, "points") == 0;
  const char *det = gn_plan_get_meta(p, "detour");
  const char *resil = gn_plan_get_meta(p, "resilience");
  double total = gn_bom_total_fcfa(d->bom);
  gn_status s = table_row(t, gn__tr(d->lang, GN__S_MODE),
                          gn__tr(d->lang, points ? GN__S_MODE_POINTS
                                                 : GN__S_MODE_STREETS));
  if (s == GN_OK && points && det)
    s = table_row(t, gn__tr(d->lang, GN__S_DETOUR), num(d, strtod(det, NULL), 2, a));
  gn__str rk = !resil || strcmp(resil, "none") == 0 ? GN__S_RESIL_NONE
               : strcmp(resil, "critical") == 0    ? GN__S_RESIL_CRITICAL
                                                   : GN__S_RESIL_ALL;
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_RESILIENCE), gn__tr(d->lang, rk));
  snprintf(a, sizeof a, "%zu", gn_plan_site_count(p));
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_SITES_TOTAL), a);
  snprintf(a, sizeof a, "%zu", connected);
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_BUILDINGS), a);
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_TRENCH_KM), num(d, trench / 1000, 1, a));
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_RING_KM), num(d, ring / 1000, 1, a));
  if (s == GN_OK) s = optimality_row(d, t);
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_CABLE_KM), num(d, cable / 1000, 1, a));
  if (s == GN_OK) {
    char m[64], full[64];
    snprintf(a, sizeof a, "%s (%s)", num(d, total, 0, full), gn__fmt_money(d->lang, total, m, sizeof m));
    s = table_row(t, gn__tr(d->lang, GN__S_COST), a);
  }
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_COST_BUILDING),
                  num(d, connected ? total / connected : 0, 0, a));
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_COST_RES), num(d, res, 0, a));
  snprintf(a, sizeof a, "%zu", d->cut.critical);
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_CRITICAL), a);
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_CRIT_SURV),
                  share(d, d->cut.critical_surviving, d->cut.critical, a));
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_ALL_SURV),
                  share(d, d->cut.sites_surviving, d->cut.sites, b));
  if (s == GN_OK && d->cut.worst_trench != (size_t)-1) {
    snprintf(a, sizeof a, d->lang ? "no. %lld: %zu buildings (%zu critical)"
                                  : "n° %lld : %zu bâtiments (%zu critiques)",
             (long long)gn_plan_trench_get(p, d->cut.worst_trench)->id,
             d->cut.worst_sites_lost, d->cut.worst_critical_lost);
    s = table_row(t, gn__tr(d->lang, GN__S_WORST), a);
  }
  return s;
}

static gn_status reference_rows(rdata *d) {
  size_t np;
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &np);
  char a[64], b[64];
  table *t = &d->reference;
  double km = np ? ph[0].trench_m / 1000 : 0, cost = np ? ph[0].total_fcfa : 0;
  size_t bld = np ? ph[0].buildings : 0;
  gn_status s = table_row(t, gn__tr(d->lang, GN__S_TRENCH_KM),
                          num(d, GN_REF_PHASE1_KM, 0, a), num(d, km, 1, b));
  snprintf(a, sizeof a, "%d", GN_REF_PHASE1_BUILDINGS);
  snprintf(b, sizeof b, "%zu", bld);
  if (s == GN_OK) s = table_row(t, gn__tr(d->lang, GN__S_BUILDINGS), a, b);
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_COST), num(d, GN_REF_PHASE1_FCFA, 0, a),
                  num(d, cost, 0, b));
  if (s == GN_OK)
    s = table_row(t, gn__tr(d->lang, GN__S_COST_BUILDING),
                  num(d, GN_REF_PHASE1_FCFA / GN_REF_PHASE1_BUILDINGS, 0, a),
                  num(d, bld ? cost / bld : 0, 0, b));
  return s;
}

static const char *phase_name(const rdata *d, const char *ph) {
  return ph[0] ? ph : gn__tr(d->lang, GN__S_SINGLE);
}

static gn_status phase_rows(rdata *d) {
  size_t np;
  const gn_bom_phase *ph = gn_bom_phases(d->bom, &np);
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < np; i++) {
    char b[64], km[64], rk[64], ck[64], c[64], pb[64], rc[64];
    snprintf(b, sizeof b, "%zu", ph[i].buildings);
    s = table_row(&d->phases, phase_name(d, ph[i].phase), b,
                  num(d, ph[i].trench_m / 1000, 1, km),
                  num(d, ph[i].redundant_m / 1000, 1, rk),
                  num(d, ph[i].cable_m / 1000, 1, ck),
                  num(d, ph[i].total_fcfa, 0, c),
                  num(d, ph[i].per_building_fcfa, 0, pb),
                  num(d, ph[i].resilience_fcfa, 0, rc));
  }
  return s;
}

static gn_status bom_rows(rdata *d) {
  size_t n;
  const gn_bom_line *l = gn_bom_lines(d->bom, &n);
  gn_status s = GN_OK;
  for (size_t i = 0; s == GN_OK && i < n; i++) {
    char item[96], q[64], u[64], tt[64];
    int share = strcmp(l[i].unit, "share") == 0;
    if (share) snprintf(q, sizeof q, "%.0f %%", 100 * l[i].quantity);
    s = table_row(&d->bom_t, phase_name(d, l[i].phase),
                  gn__tr_item(d->lang, l[i].item, item, sizeof item),
                  gn__tr_unit(d->lang, l[i].unit),
                  share ? q : num(d, l[i].quantity, 0, q),
                  num(d, l[i].unit_fcfa, 0, u), num(d, l[i].total_fcfa, 0, tt));
  }
  return s;
}

typedef struct cutrow {
  size_t t, lost, crit;
} cutrow;

static int cutrow_cmp(const void *x, const void *y) {
  const cutrow *a = x, *b = y;
  if (a->lost != b->lost) return a->lost < b->lost ? 1 : -1;
  if (a->crit != b->crit) return a->crit < b->crit ? 1 : -1;
  return (a->t > b->t) - (a->t < b->t);
}

static gn_status cut_rows(rdata *d) {
  size_t nt = gn_plan_trench_count(d->p), m = 0;
  size_t *lost = gn_malloc(d->ctx, 2 * (nt + 1) * sizeof(size_t));
  cutrow *r = gn_malloc(d->ctx, (nt + 1) * sizeof(cutrow));
  gn_status s = lost && r ? GN_OK : gn__fail(d->ctx, GN_ENOMEM, "out of memory");
  if (s == GN_OK) s = gn_cut_analyse(d->p, lost, lost + nt, NULL, &d->cut);
  for (size_t t = 0; s == GN_OK && t < nt; t++)
    if (lost[t]) r[m++] = (cutrow){t, lost[t], lost[nt + t]};
  if (s == GN_OK && m) qsort(r, m, sizeof(cutrow), cutrow_cmp);
  d->cuts_total = m;
  for (size_t i = 0; s == GN_OK && i < m && i < CUT_ROWS; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(d->p, r[i].t);
    char id[32], len[64], cab[32], lo[32], cr[32];
    snprintf(id, sizeof id, "%lld", (long long)t->id);
    snprintf(cab, sizeof cab, "%d", t->cable_size);
    snprintf(lo, sizeof lo, "%zu", r[i].lost);
    snprintf(cr, sizeof cr, "%zu", r[i].crit);
    s = table_row(&d->cuts, id, phase_name(d, t->phase ? t->phase : ""),
                  num(d, t->length_m, 0, len), cab, lo, cr);
  }
  gn_free(d->ctx, lost);
  gn_free(d->ctx, r);
  return s;
}

static void set_heads(rdata *d) {
  int L = d->lang;
  const char *h1[] = {"", ""};
  const int r2[] = {0, 1}, r3[] = {0, 1, 1};
  const double w1[] = {300, 215}, w3[] = {235, 140, 140};
  table_head(&d->summary, h1, r2, w1);
  const char *h3[] = {"", gn__tr(L, GN__S_REAL), gn__tr(L, GN__S_GOVNET)};
  table_head(&d->reference, h3, r3, w3);
  const char *hp[] = {gn__tr(L, GN__S_PHASE), gn__tr(L, GN__S_H_BUILDINGS),
                      gn__tr(L, GN__S_H_TRENCH), gn__tr(L, GN__S_H_RING),
                      gn__tr(L, GN__S_H_CABLE), gn__tr(L, GN__S_H_COST),
                      gn__tr(L, GN__S_H_PER), gn__tr(L, GN__S_H_RES)};
  const int rp[] = {0, 1, 1, 1, 1, 1, 1, 1};
  const double wp[] = {40, 55, 60, 60, 55, 90, 70, 85};
  table_head(&d->phases, hp, rp, wp);
  const char *hb[] = {gn__tr(L, GN__S_PHASE), gn__tr(L, GN__S_ITEM),
                      gn__tr(L, GN__S_UNIT), gn__tr(L, GN__S_QTY),
                      gn__tr(L, GN__S_UNIT_PRICE), gn__tr(L, GN__S_TOTAL)};
  const int rb[] = {0, 0, 0, 1, 1, 1};
  const double wb[] = {40, 190, 35, 75, 75, 100};
  table_head(&d->bom_t, hb, rb, wb);
  const char *hc[] = {gn__tr(L, GN__S_TRENCH), gn__tr(L, GN__S_PHASE),
                      gn__tr(L, GN__S_LENGTH_M), gn__tr(L, GN__S_CABLE),
                      gn__tr(L, GN__S_LOST), gn__tr(L, GN__S_CRIT_LOST)};
  const int rc[] = {1, 0, 1, 1, 1, 1};
  const double wc[] = {60, 50, 90, 80, 120, 110};
  table_head(&d->cuts, hc, rc, wc);
}

static void rdata_free(rdata *d) {
  table_free(&d->summary);
  table_free(&d->reference);
  table_free(&d->phases);
  table_free(&d->bom_t);
  table_free(&d->cuts);
  gn_bom_free(d->bom);
  gn_layout_free(d->layout);
}

/* The circuits of the plan with the classes it was designed for (plan
 * meta "optics"), and the loss histogram of its working circuits. */
static gn_status lay_out(rdata *d) {
  gn_layout_opts lo;
  gn_layout_opts_init(&lo);
  gn_layout_opts_from_pricebook(&lo, &d->pb);
  gn_status s = gn_layout_opts_from_plan(d->ctx, d->p, &lo);
  if (s != GN_OK) return s;
  d->budget_db = lo.optics[lo.access].budget_db;
  d->margin_db = lo.margin_db;
  s = gn_layout_build(d->p, &lo, &d->layout);
  for (size_t i = 0; s == GN_OK && i < gn_layout_circuit_count(d->layout); i++) {
    gn_layout_circuit c;
    gn_layout_circuit_get(d->layout, i, &c);
    if (c.protect || c.in_building) continue;
    size_t b = (size_t)(c.loss_db / 0.5);
    d->loss_bins[b < 30 ? b : 29]++;
  }
  return s;
}

static gn_status gather(gn_plan *p, const gn_report_opts *o, rdata *d) {
  memset(d, 0, sizeof(*d));
  d->ctx = gn_plan_ctx(p);
  d->p = p;
  const char *lang = o && o->lang ? o->lang : "fr";
  if (strcmp(lang, "fr") != 0 && strcmp(lang, "en") != 0)
    return gn__fail(d->ctx, GN_EINVAL, "unknown language '%s' (fr or en)", lang);
  d->lang = strcmp(lang, "en") == 0;
  if (o && o->pb) d->pb = *o->pb;
  else gn_pricebook_init(&d->pb);
  table_init(&d->summary, d->ctx, 2);
  table_init(&d->reference, d->ctx, 3);
  table_init(&d->phases, d->ctx, 8);
  table_init(&d->bom_t, d->ctx, 6);
  table_init(&d->cuts, d->ctx, 6);
  set_heads(d);
  if (gn_plan_trench_count(p) == 0)
    return gn__fail(d->ctx, GN_EINVAL, "the plan has no trench to report on");
  gn_status s = GN_OK;
  if (needs_sizing(p)) {
    gn_sizing_opts so;
    gn_sizing_opts_init(&so);
    memcpy(so.fibers_per_site, d->pb.fibers_per_site, sizeof so.fibers_per_site);
    so.spare = d->pb.spare;
    s = gn_sizing_run(p, &so);
  }
  if (s == GN_OK && gn_plan_pop_count(p) > 0) s = lay_out(d);
  if (s == GN_OK) s = gn_bom_build_layout(p, &d->pb, d->layout, &d->bom);
  if (s == GN_OK) s = cut_rows(d);
  if (s == GN_OK) s = summary_rows(d);
  if (s == GN_OK) s = reference_rows(d);
  if (s == GN_OK) s = phase_rows(d);
  if (s == GN_OK) s = bom_rows(d);
  return s;
}

/* ---- map PNG ------------------------------------------------------------ */

typedef struct membuf {
  gn_ctx *ctx;
  unsigned char *b;
  size_t n, cap;
} membuf;

static cairo_status_t mem_write(void *closure, const unsigned char *data,
                                unsigned int len) {
  membuf *m = closure;
  if (GN__GROW(m->ctx, m->b, m->cap, m->n + len) != GN_OK)
    return CAIRO_STATUS_NO_MEMORY;
  memcpy(m->b + m->n, data, len);
  m->n += len;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *render_map(const gn_plan *p, int lang, int w, int h) {
  cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  cairo_t *cr = cairo_create(sf);
  gn__map_draw(cr, p, lang, 0, 0, w, h);
  cairo_destroy(cr);
  return sf;
}

static void map_size(const gn_report_opts *o, int *w, int *h) {
  *w = o && o->map_width > 0 ? o->map_width : 1400;
  *h = o && o->map_height > 0 ? o->map_height : 1000;
  if (*w > 8000) *w = 8000;
  if (*h > 8000) *h = 8000;
}

gn_status gn_report_map_png(const gn_plan *p, const gn_report_opts *o,
                            const char *path) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  int w, h;
  map_size(o, &w, &h);
  int lang = o && o->lang && strcmp(o->lang, "en") == 0;
  cairo_surface_t *sf = render_map(p, lang, w, h);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  cairo_status_t cs = cairo_surface_write_to_png(sf, tmp);
  cairo_surface_destroy(sf);
  if (cs != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
    remove(tmp);
    return gn__fail(ctx, GN_EIO, "%s: cannot write the map image", path);
  }
  return GN_OK;
}

/* ---- HTML ------------------------------------------------------------- */

void gn__html_text(FILE *f, const char *s) {
  for (; *s; s++) {
    if (*s == '<') fputs("&lt;", f);
    else if (*s == '>') fputs("&gt;", f);
    else if (*s == '&') fputs("&amp;", f);
    else if (*s == '"') fputs("&quot;", f);
    else fputc(*s, f);
  }
}

static void html_table(FILE *f, const table *t, int with_head) {
  fputs("<table>\n", f);
  if (with_head) {
    fputs("<thead><tr>", f);
    for (int c = 0; c < t->ncols; c++) {
      fputs(t->right[c] ? "<th class=\"r\">" : "<th>", f);
      gn__html_text(f, t->head[c]);
      fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
  }
  fputs("<tbody>\n", f);
  for (size_t r = 0; r < t->nrows; r++) {
    fputs("<tr>", f);
    for (int c = 0; c < t->ncols; c++) {
      fputs(t->right[c] ? "<td class=\"r\">" : "<td>", f);
      gn__html_text(f, cell(t, r, c));
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table>\n", f);
}

static void base64(FILE *f, const unsigned char *b, size_t n) {
  static const char al[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    unsigned v = (unsigned)b[i] << 16;
    if (i + 1 < n) v |= (unsigned)b[i + 1] << 8;
    if (i + 2 < n) v |= b[i + 2];
    fputc(al[(v >> 18) & 63], f);
    fputc(al[(v >> 12) & 63], f);
    fputc(i + 1 < n ? al[(v >> 6) & 63] : '=', f);
    fputc(i + 2 < n ? al[v & 63] : '=', f);
  }
}

static const char css[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#222;"
    "max-width:1100px;margin:2em auto;padding:0 1.5em;line-height:1.45}"
    "h1{font-size:1.6em;border-bottom:3px solid #08519c;padding-bottom:.3em}"
    "h2{font-size:1.2em;color:#08519c;margin-top:2em}"
    ".kpi{display:flex;gap:1em;flex-wrap:wrap;margin:1.2em 0}"
    ".kpi div{flex:1;min-width:160px;background:#f2f6fb;border-left:4px solid"
    " #08519c;padding:.6em .9em}.kpi b{display:block;font-size:1.35em}"
    "table{border-collapse:collapse;width:100%;font-size:.9em;margin:.5em 0}"
    "th{background:#08519c;color:#fff;text-align:left;padding:.35em .6em}"
    "td{padding:.3em .6em;border-bottom:1px solid #dde3ea}"
    "tr:nth-child(even) td{background:#f7f9fc}.r{text-align:right}"
    "img{width:100%;border:1px solid #bbb}.note{color:#555;font-size:.85em}"
    "footer{margin-top:3em;color:#777;font-size:.8em}";

static void html_kpis(FILE *f, const rdata *d) {
  fputs("<div class=\"kpi\">", f);
  for (size_t r = 0; r < d->summary.nrows; r++) {
    const char *k = cell(&d->summary, r, 0);
    if (strcmp(k, gn__tr(d->lang, GN__S_TRENCH_KM)) &&
        strcmp(k, gn__tr(d->lang, GN__S_BUILDINGS)) &&
        strcmp(k, gn__tr(d->lang, GN__S_COST)) &&
        strcmp(k, gn__tr(d->lang, GN__S_CRIT_SURV)))
      continue;
    fputs("<div><b>", f);
    gn__html_text(f, cell(&d->summary, r, 1));
    fputs("</b>", f);
    gn__html_text(f, k);
    fputs("</div>", f);
  }
  fputs("</div>\n", f);
}

/* Loss histogram (inline SVG bars, budget line) and the circuit figures;
 * the optics and hubs are priced in the BOM table above. */
static void html_optics(FILE *f, const rdata *d) {
  const gn_layout_stats *x = gn_layout_get_stats(d->layout);
  int L = d->lang;
  size_t top = 1;
  for (int b = 0; b < 30; b++) top = d->loss_bins[b] > top ? d->loss_bins[b] : top;
  fprintf(f, "<h2>%s</h2>\n<p class=\"note\">%s</p>\n",
          gn__tr(L, GN__S_OPTICS), gn__tr(L, GN__S_OPTICS_NOTE));
  fputs("<svg width=\"640\" height=\"190\" role=\"img\" "
        "aria-label=\"loss histogram\">", f);
  for (int b = 0; b < 30; b++) {
    double h = 150.0 * (double)d->loss_bins[b] / (double)top;
    fprintf(f, "<rect x=\"%d\" y=\"%.1f\" width=\"18\" height=\"%.1f\" "
               "fill=\"#2b6cb0\"><title>%.1f-%.1f dB: %zu</title></rect>",
            20 + 20 * b, 160 - h, h, b * 0.5, b * 0.5 + 0.5, d->loss_bins[b]);
    if (b % 2 == 0)
      fprintf(f, "<text x=\"%d\" y=\"178\" font-size=\"10\">%d</text>",
              20 + 20 * b, b / 2);
  }
  double bx = 20 + 40 * (d->budget_db - d->margin_db);
  fprintf(f, "<line x1=\"%.1f\" y1=\"5\" x2=\"%.1f\" y2=\"162\" "
             "stroke=\"#c53030\" stroke-width=\"2\"/><text x=\"%.1f\" "
             "y=\"14\" font-size=\"11\" fill=\"#c53030\">%.1f dB</text>"
             "</svg>\n", bx, bx, bx + 4, d->budget_db - d->margin_db);
  fprintf(f, "<p>%s: %zu &middot; %s: %zu &middot; max %.1f km, %.2f dB "
             "&middot; splices (median) %g</p>\n",
          gn__tr(L, GN__S_HUB), x->hubs, gn__tr(L, GN__S_OVER_BUDGET),
          x->circuits_over_budget, x->working_km_max, x->working_loss_db_max,
          x->working_splices_median);
}

static void html_body(FILE *f, const rdata *d, const membuf *png) {
  int L = d->lang;
  fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8"
             "\">\n<title>", L ? "en" : "fr");
  gn__html_text(f, gn__tr(L, GN__S_TITLE));
  fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>", css);
  gn__html_text(f, gn__tr(L, GN__S_TITLE));
  fputs("</h1>\n", f);
  html_kpis(f, d);
  fprintf(f, "<h2>%s</h2>\n<img alt=\"map\" src=\"data:image/png;base64,",
          gn__tr(L, GN__S_MAP));
  base64(f, png->b, png->n);
  fprintf(f, "\">\n<h2>%s</h2>\n", gn__tr(L, GN__S_SUMMARY));
  html_table(f, &d->summary, 0);
  fprintf(f, "<h2>%s</h2>\n", gn__tr(L, GN__S_REFERENCE));
  html_table(f, &d->reference, 1);
  fprintf(f, "<p class=\"note\">%s</p>\n<h2>%s</h2>\n",
          gn__tr(L, GN__S_REF_NOTE), gn__tr(L, GN__S_PHASES));
  html_table(f, &d->phases, 1);
  fprintf(f, "<h2>%s</h2>\n", gn__tr(L, GN__S_BOM));
  html_table(f, &d->bom_t, 1);
  if (d->layout) html_optics(f, d);
  fprintf(f, "<h2>%s</h2>\n<p class=\"note\">%s</p>\n", gn__tr(L, GN__S_CUTS),
          gn__tr(L, GN__S_CUT_NOTE));
  if (d->cuts_total == 0) fprintf(f, "<p>%s</p>\n", gn__tr(L, GN__S_NO_CUT));
  else html_table(f, &d->cuts, 1);
  fprintf(f, "<footer>%s %s &middot; ", gn__tr(L, GN__S_GENERATED),
          "0.1.0");
  gn__html_text(f, GN_OSM_ATTRIBUTION);
  fputs("</footer>\n</body></html>\n", f);
}

static gn_status write_html(const rdata *d, const char *path, int w, int h) {
  membuf png = {d->ctx, NULL, 0, 0};
  cairo_surface_t *sf = render_map(d->p, d->lang, w, h);
  cairo_status_t cs = cairo_surface_write_to_png_stream(sf, mem_write, &png);
  cairo_surface_destroy(sf);
  if (cs != CAIRO_STATUS_SUCCESS) {
    gn_free(d->ctx, png.b);
    return gn__fail(d->ctx, GN_ENOMEM, "cannot encode the map image");
  }
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (!f) {
    gn_free(d->ctx, png.b);
    return gn__fail(d->ctx, GN_EIO, "%s: %s", path, strerror(errno));
  }
  html_body(f, d, &png);
  gn_free(d->ctx, png.b);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
    remove(tmp);
    return gn__fail(d->ctx, GN_EIO, "%s: write error", path);
  }
  return GN_OK;
}

/* ---- PDF -------------------------------------------------------------- */

#define PAGE_W 595.0
#define PAGE_H 842.0
#define MARGIN 40.0
#define ROW_H 14.0

typedef struct pdf {
  cairo_t *cr;
  double y;
  const rdata *d;
} pdf;

static void font(cairo_t *cr, double size, int bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

static void new_page(pdf *p) {
  cairo_show_page(p->cr);
  p->y = MARGIN;
}

static void pdf_heading(pdf *p, const char *text) {
  if (p->y > PAGE_H - MARGIN - 80) new_page(p);
  font(p->cr, 13, 1);
  cairo_set_source_rgb(p->cr, 0.03, 0.32, 0.61);
  cairo_move_to(p->cr, MARGIN, p->y + 14);
  cairo_show_text(p->cr, text);
  p->y += 24;
}

/* Wrap text to the page width; returns the height used. */
static void pdf_para(pdf *p, const char *text, double size) {
  font(p->cr, size, 0);
  cairo_set_source_rgb(p->cr, 0.33, 0.33, 0.33);
  char line[512] = "";
  const char *w = text;
  while (*w) {
    const char *e = strchr(w, ' ');
    size_t n = e ? (size_t)(e - w) : strlen(w);
    char trial[512];
    int k = snprintf(trial, sizeof trial, "%s%s%.*s", line, line[0] ? " " : "",
                     (int)n, w);
    (void)k; /* a word that does not fit is cut: fine for a paragraph */
    cairo_text_extents_t te;
    cairo_text_extents(p->cr, trial, &te);
    if (te.x_advance > PAGE_W - 2 * MARGIN && line[0]) {
      cairo_move_to(p->cr, MARGIN, p->y + size);
      cairo_show_text(p->cr, line);
      p->y += size * 1.4;
      snprintf(line, sizeof line, "%.*s", (int)n, w);
    } else {
      snprintf(line, sizeof line, "%s", trial);
    }
    w += n;
    while (*w == ' ') w++;
  }
  cairo_move_to(p->cr, MARGIN, p->y + size);
  cairo_show_text(p->cr, line);
  p->y += size * 1.4 + 6;
}

static void pdf_cell(cairo_t *cr, const char *s, double x, double y, double w,
                     int right) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, s, &te);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, ROW_H);
  cairo_clip(cr);
  double tx = right ? x + w - 4 - te.x_advance : x + 4;
  cairo_move_to(cr, tx, y + ROW_H - 4);
  cairo_show_text(cr, s);
  cairo_restore(cr);
}

static void pdf_row(pdf *p, const table *t, size_t r, int head) {
  cairo_t *cr = p->cr;
  double x = MARGIN, tw = 0;
  for (int c = 0; c < t->ncols; c++) tw += t->w[c];
  if (head) cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  else if (r % 2) cairo_set_source_rgb(cr, 0.97, 0.976, 0.988);
  else cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, p->y, tw, ROW_H);
  cairo_fill(cr);
  font(cr, head ? 7.5 : 8, head);
  for (int c = 0; c < t->ncols; c++) {
    if (head) cairo_set_source_rgb(cr, 1, 1, 1);
    else cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    pdf_cell(cr, head ? t->head[c] : cell(t, r, c), x, p->y, t->w[c],
             t->right[c]);
    x += t->w[c];
  }
  p->y += ROW_H;
}

static void pdf_table(pdf *p, const table *t, int with_head) {
  if (with_head) pdf_row(p, t, 0, 1);
  for (size_t r = 0; r < t->nrows; r++) {
    if (p->y + ROW_H > PAGE_H - MARGIN) {
      new_page(p);
      if (with_head) pdf_row(p, t, 0, 1);
    }
    pdf_row(p, t, r, 0);
  }
  p->y += 10;
}

static void pdf_first_page(pdf *p) {
  const rdata *d = p->d;
  cairo_t *cr = p->cr;
  font(cr, 14, 1);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_move_to(cr, MARGIN, MARGIN + 18);
  cairo_show_text(cr, gn__tr(d->lang, GN__S_TITLE));
  cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  cairo_rectangle(cr, MARGIN, MARGIN + 27, PAGE_W - 2 * MARGIN, 2.5);
  cairo_fill(cr);
  p->y = MARGIN + 40;
  pdf_heading(p, gn__tr(d->lang, GN__S_MAP));
  double mw = PAGE_W - 2 * MARGIN;
  double mh = fmin(PAGE_H - MARGIN - p->y - 10,
                   mw * gn__map_aspect(d->p) * 1.12 + 60);
  gn__map_draw(cr, d->p, d->lang, MARGIN, p->y, mw, mh);
  p->y += mh + 14;
  if (p->y > PAGE_H - MARGIN - 160) new_page(p);
  pdf_heading(p, gn__tr(d->lang, GN__S_SUMMARY));
}

static gn_status write_pdf(const rdata *d, const char *path) {
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  cairo_surface_t *sf = cairo_pdf_surface_create(tmp, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create(sf);
  pdf p = {cr, MARGIN, d};
  int L = d->lang;
  pdf_first_page(&p);
  pdf_table(&p, &d->summary, 0);
  pdf_heading(&p, gn__tr(L, GN__S_REFERENCE));
  pdf_table(&p, &d->reference, 1);
  pdf_para(&p, gn__tr(L, GN__S_REF_NOTE), 8);
  pdf_heading(&p, gn__tr(L, GN__S_PHASES));
  pdf_table(&p, &d->phases, 1);
  pdf_heading(&p, gn__tr(L, GN__S_BOM));
  pdf_table(&p, &d->bom_t, 1);
  pdf_heading(&p, gn__tr(L, GN__S_CUTS));
  pdf_para(&p, gn__tr(L, GN__S_CUT_NOTE), 8);
  if (d->cuts_total == 0) pdf_para(&p, gn__tr(L, GN__S_NO_CUT), 9);
  else pdf_table(&p, &d->cuts, 1);
  cairo_status_t cs = gn__pdf_close(cr, sf);
  if (cs != CAIRO_STATUS_SUCCESS || rename(tmp, path) != 0) {
    remove(tmp);
    return gn__fail(d->ctx, GN_EIO, "%s: cannot write the PDF (%s)", path,
                    cairo_status_to_string(cs));
  }
  return GN_OK;
}

cairo_status_t gn__pdf_close(cairo_t *cr, cairo_surface_t *sf) {
  cairo_show_page(cr);
  cairo_status_t cs = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(sf);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(sf);
  cairo_surface_destroy(sf);
  return cs;
}

gn_status gn_report_write(gn_plan *p, const gn_report_opts *o,
                          const char *html_path, const char *pdf_path) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  rdata d;
  int w, h;
  map_size(o, &w, &h);
  gn_status s = gather(p, o, &d);
  if (s == GN_OK && html_path) s = write_html(&d, html_path, w, h);
  if (s == GN_OK && pdf_path) {
    s = write_pdf(&d, pdf_path);
    if (s != GN_OK && html_path) remove(html_path);
  }
  rdata_free(&d);
  return s;
}
