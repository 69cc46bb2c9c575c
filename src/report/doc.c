/*
 * doc.c - The building blocks every report of src/report shares: tables
 * of preformatted cells written as HTML and drawn on A4 PDF pages, the
 * stylesheet, base64 for embedded images, and the PDF page flow (fonts,
 * headings, wrapped paragraphs, page breaks), and the charts drawn once
 * with cairo for both outputs (horizontal bars, the SVG image, the PDF
 * placement). The plan, stability and hotspot reports use them, so their
 * outputs look alike.
 * Ownership: a table owns its cells (freed by gn__table_free). Threads:
 * reentrant.
 */
#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "io/atomic_file.h"
#include "report/report_internal.h"
#include "util/internal.h"

const char gn__report_css[] =
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
    "footer{margin-top:3em;color:#777;font-size:.8em}"
    ".wide{overflow-x:auto}img.chart{max-width:760px;display:block}"
    "@media (max-width:600px){body{margin:.5em auto;padding:0 .6em}"
    "h1{font-size:1.25em}table{font-size:.8em}th,td{padding:.25em .35em}"
    ".kpi div{min-width:40%}}";

/* ---- tables ----------------------------------------------------------- */

void gn__table_init(gn__table *t, gn_ctx *ctx, int ncols) {
  memset(t, 0, sizeof(*t));
  t->ctx = ctx;
  t->ncols = ncols;
}

void gn__table_init_pairs(gn__table *t, gn_ctx *ctx) {
  static const char *const head[] = {"", ""};
  static const int right[] = {0, 1};
  static const double w[] = {330, 185};
  gn__table_init(t, ctx, 2);
  gn__table_head(t, head, right, w);
}

gn_status gn__table_row(gn__table *t, ...) {
  if (GN__GROW(t->ctx, t->cells, t->cap,
               (t->nrows + 1) * (size_t)t->ncols * GN__CELL) != GN_OK)
    return gn__fail(t->ctx, GN_ENOMEM, "out of memory (report)");
  va_list ap;
  va_start(ap, t);
  for (int c = 0; c < t->ncols; c++) {
    const char *s = va_arg(ap, const char *);
    snprintf(t->cells + (t->nrows * (size_t)t->ncols + (size_t)c) * GN__CELL,
             GN__CELL, "%s", s ? s : "");
  }
  va_end(ap);
  t->nrows++;
  return GN_OK;
}

const char *gn__table_cell(const gn__table *t, size_t r, int c) {
  return t->cells + (r * (size_t)t->ncols + (size_t)c) * GN__CELL;
}

void gn__table_free(gn__table *t) {
  gn_free(t->ctx, t->cells);
  t->cells = NULL;
}

void gn__table_head(gn__table *t, const char *const *head, const int *right,
                    const double *w) {
  for (int c = 0; c < t->ncols; c++) {
    t->head[c] = head[c];
    t->right[c] = right[c];
    t->w[c] = w[c];
  }
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

void gn__html_table(FILE *f, const gn__table *t, int with_head) {
  fputs("<div class=\"wide\"><table>\n", f);
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
      gn__html_text(f, gn__table_cell(t, r, c));
      fputs("</td>", f);
    }
    fputs("</tr>\n", f);
  }
  fputs("</tbody></table></div>\n", f);
}

void gn__html_base64(FILE *f, const unsigned char *b, size_t n) {
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

void gn__html_head(FILE *f, int lang, const char *title) {
  fprintf(f, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width,"
             "initial-scale=1\">\n<title>", lang ? "en" : "fr");
  gn__html_text(f, title);
  fprintf(f, "</title>\n<style>%s</style></head><body>\n<h1>", gn__report_css);
  gn__html_text(f, title);
  fputs("</h1>\n", f);
}

void gn__html_h2(FILE *f, const char *text) {
  fputs("<h2>", f);
  gn__html_text(f, text);
  fputs("</h2>\n", f);
}

void gn__html_kpis(FILE *f, const gn__table *t, const char *const *labels,
                   size_t n) {
  fputs("<div class=\"kpi\">", f);
  for (size_t k = 0; k < n; k++)
    for (size_t r = 0; r < t->nrows; r++) {
      if (strcmp(gn__table_cell(t, r, 0), labels[k]) != 0) continue;
      fputs("<div><b>", f);
      gn__html_text(f, gn__table_cell(t, r, 1));
      fputs("</b>", f);
      gn__html_text(f, labels[k]);
      fputs("</div>", f);
    }
  fputs("</div>\n", f);
}

cairo_status_t gn__membuf_write(void *closure, const unsigned char *data,
                                unsigned int len) {
  gn__membuf *m = closure;
  if (GN__GROW(m->ctx, m->b, m->cap, m->n + len) != GN_OK)
    return CAIRO_STATUS_NO_MEMORY;
  memcpy(m->b + m->n, data, len);
  m->n += len;
  return CAIRO_STATUS_SUCCESS;
}

gn_status gn__html_file(gn_ctx *ctx, const char *path, gn__html_body_fn body,
                        const void *arg) {
  char *tmp = NULL;
  gn_status s = gn__tmp_path(ctx, path, &tmp);
  if (s != GN_OK) return s;
  FILE *f = fopen(tmp, "w");
  if (f) {
    s = body(f, arg);
    if (ferror(f) && s == GN_OK) s = gn__fail(ctx, GN_EIO, "%s: write error", path);
    if (fclose(f) != 0 && s == GN_OK) s = gn__fail(ctx, GN_EIO, "%s: write error", path);
  } else {
    s = gn__fail(ctx, GN_EIO, "%s: cannot write", path);
  }
  gn_status c = gn__tmp_commit(ctx, tmp, path, s == GN_OK);
  return s != GN_OK ? s : c;
}

/* ---- PDF -------------------------------------------------------------- */

void gn__pdf_font(cairo_t *cr, double size, int bold) {
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
}

void gn__pdf_new_page(gn__pdf *p) {
  cairo_show_page(p->cr);
  p->y = GN__MARGIN;
}

void gn__pdf_room(gn__pdf *p, double h) {
  if (p->y + h > GN__PAGE_H - GN__MARGIN) gn__pdf_new_page(p);
}

void gn__pdf_heading(gn__pdf *p, const char *text) {
  if (p->y > GN__PAGE_H - GN__MARGIN - 80) gn__pdf_new_page(p);
  gn__pdf_font(p->cr, 13, 1);
  cairo_set_source_rgb(p->cr, 0.03, 0.32, 0.61);
  cairo_move_to(p->cr, GN__MARGIN, p->y + 14);
  cairo_show_text(p->cr, text);
  p->y += 24;
}

void gn__pdf_title(gn__pdf *p, const char *text) {
  cairo_t *cr = p->cr;
  gn__pdf_font(cr, 14, 1);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_move_to(cr, GN__MARGIN, GN__MARGIN + 18);
  cairo_show_text(cr, text);
  cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  cairo_rectangle(cr, GN__MARGIN, GN__MARGIN + 27, GN__PAGE_W - 2 * GN__MARGIN,
                  2.5);
  cairo_fill(cr);
  p->y = GN__MARGIN + 40;
}

void gn__pdf_para(gn__pdf *p, const char *text, double size) {
  gn__pdf_font(p->cr, size, 0);
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
    if (te.x_advance > GN__PAGE_W - 2 * GN__MARGIN && line[0]) {
      gn__pdf_room(p, size * 1.4);
      cairo_move_to(p->cr, GN__MARGIN, p->y + size);
      cairo_show_text(p->cr, line);
      p->y += size * 1.4;
      snprintf(line, sizeof line, "%.*s", (int)n, w);
    } else {
      snprintf(line, sizeof line, "%s", trial);
    }
    w += n;
    while (*w == ' ') w++;
  }
  gn__pdf_room(p, size * 1.4);
  cairo_move_to(p->cr, GN__MARGIN, p->y + size);
  cairo_show_text(p->cr, line);
  p->y += size * 1.4 + 6;
}

static void pdf_cell(cairo_t *cr, const char *s, double x, double y, double w,
                     int right) {
  cairo_text_extents_t te;
  cairo_text_extents(cr, s, &te);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, GN__ROW_H);
  cairo_clip(cr);
  double tx = right ? x + w - 4 - te.x_advance : x + 4;
  cairo_move_to(cr, tx, y + GN__ROW_H - 4);
  cairo_show_text(cr, s);
  cairo_restore(cr);
}

static void pdf_row(gn__pdf *p, const gn__table *t, size_t r, int head) {
  cairo_t *cr = p->cr;
  double x = GN__MARGIN, tw = 0;
  for (int c = 0; c < t->ncols; c++) tw += t->w[c];
  if (head) cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  else if (r % 2) cairo_set_source_rgb(cr, 0.97, 0.976, 0.988);
  else cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_rectangle(cr, x, p->y, tw, GN__ROW_H);
  cairo_fill(cr);
  gn__pdf_font(cr, head ? 7.5 : 8, head);
  for (int c = 0; c < t->ncols; c++) {
    if (head) cairo_set_source_rgb(cr, 1, 1, 1);
    else cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    pdf_cell(cr, head ? t->head[c] : gn__table_cell(t, r, c), x, p->y,
             t->w[c], t->right[c]);
    x += t->w[c];
  }
  p->y += GN__ROW_H;
}

void gn__pdf_table(gn__pdf *p, const gn__table *t, int with_head) {
  if (with_head) {
    gn__pdf_room(p, 2 * GN__ROW_H);
    pdf_row(p, t, 0, 1);
  }
  for (size_t r = 0; r < t->nrows; r++) {
    if (p->y + GN__ROW_H > GN__PAGE_H - GN__MARGIN) {
      gn__pdf_new_page(p);
      if (with_head) pdf_row(p, t, 0, 1);
    }
    pdf_row(p, t, r, 0);
  }
  p->y += 10;
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

gn_status gn__pdf_file(gn_ctx *ctx, const char *path, const char *title,
                       gn__pdf_body_fn body, const void *arg) {
  char *tmp = NULL;
  gn_status s = gn__tmp_path(ctx, path, &tmp);
  if (s != GN_OK) return s;
  cairo_surface_t *sf = cairo_pdf_surface_create(tmp, GN__PAGE_W, GN__PAGE_H);
  cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata(sf, CAIRO_PDF_METADATA_CREATOR, "govnet");
  gn__pdf p = {cairo_create(sf), GN__MARGIN};
  body(&p, arg);
  cairo_status_t cs = gn__pdf_close(p.cr, sf);
  if (cs != CAIRO_STATUS_SUCCESS)
    s = gn__fail(ctx, cs == CAIRO_STATUS_NO_MEMORY ? GN_ENOMEM : GN_EIO,
                 "%s: %s", path, cairo_status_to_string(cs));
  gn_status c = gn__tmp_commit(ctx, tmp, path, s == GN_OK);
  return s != GN_OK ? s : c;
}

/* ---- charts ----------------------------------------------------------- */

const char *gn__utf8_cut(const char *s, char *b, size_t n) {
  size_t k = strlen(s);
  if (k >= n) {
    k = n - 1;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
  }
  memcpy(b, s, k);
  b[k] = '\0';
  return b;
}

void gn__chart_label(cairo_t *cr, double x, double y, const char *s,
                     double size, int right) {
  cairo_text_extents_t te;
  gn__pdf_font(cr, size, 0);
  cairo_text_extents(cr, s, &te);
  cairo_move_to(cr, right ? x - te.x_advance : x, y);
  cairo_show_text(cr, s);
}

void gn__chart_bars(cairo_t *cr, const void *bars, double w, double h) {
  const gn__bars *b = bars;
  double top = 0, lw = w * 0.36, bw = w - lw - 70;
  (void)h;
  for (size_t i = 0; i < b->n; i++) top = b->v[i] > top ? b->v[i] : top;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  for (size_t i = 0; i < b->n; i++) {
    double y = 6 + 18.0 * (double)i, len = top > 0 ? bw * b->v[i] / top : 0;
    cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
    cairo_save(cr);
    cairo_rectangle(cr, 0, y, lw - 6, 18);
    cairo_clip(cr);
    gn__chart_label(cr, 0, y + 12, b->label[i], 8, 0);
    cairo_restore(cr);
    cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
    cairo_rectangle(cr, lw, y + 3, len > 0.5 ? len : 0.5, 12);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
    gn__chart_label(cr, lw + len + 4, y + 12, b->text[i], 8, 0);
  }
}

double gn__bars_height(const gn__bars *b) { return 12 + 18.0 * (double)b->n; }

gn_status gn__html_chart(FILE *f, gn_ctx *ctx, gn__chart_fn fn,
                         const void *arg, double h, const char *alt) {
  gn__membuf m = {ctx, NULL, 0, 0};
  cairo_surface_t *sf = cairo_svg_surface_create_for_stream(
      gn__membuf_write, &m, GN__HTML_CHART_W, h);
  cairo_t *cr = cairo_create(sf);
  fn(cr, arg, GN__HTML_CHART_W, h);
  cairo_status_t cs = cairo_status(cr);
  cairo_destroy(cr);
  cairo_surface_finish(sf);
  if (cs == CAIRO_STATUS_SUCCESS) cs = cairo_surface_status(sf);
  cairo_surface_destroy(sf);
  if (cs == CAIRO_STATUS_SUCCESS) {
    fputs("<img class=\"chart\" alt=\"", f);
    gn__html_text(f, alt);
    fputs("\" src=\"data:image/svg+xml;base64,", f);
    gn__html_base64(f, m.b, m.n);
    fputs("\">\n", f);
  }
  gn_free(ctx, m.b);
  return cs == CAIRO_STATUS_SUCCESS
             ? GN_OK
             : gn__fail(ctx, GN_ENOMEM, "chart: %s", cairo_status_to_string(cs));
}

void gn__pdf_chart(gn__pdf *p, gn__chart_fn fn, const void *arg, double h) {
  gn__pdf_room(p, h + 8);
  cairo_save(p->cr);
  cairo_translate(p->cr, GN__MARGIN, p->y);
  cairo_rectangle(p->cr, 0, 0, GN__CHART_W, h);
  cairo_clip(p->cr);
  fn(p->cr, arg, GN__CHART_W, h);
  cairo_restore(p->cr);
  p->y += h + 10;
}
