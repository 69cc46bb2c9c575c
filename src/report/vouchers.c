/*
 * vouchers.c - A printable A4 sheet of WiFi voucher cards (PDF, French).
 *
 * Design: 10 cards per A4 page (2 x 5, 297.6 x 168.4 pt each) with dashed
 * cutting lines; each card shows the network name, the code in groups of
 * four (govnet accepts codes typed with spaces or dashes, any case), its
 * duration, uses, expiry date and how to log in. Vector text (DejaVu Sans
 * / DejaVu Sans Mono through cairo's toy font API), so codes stay sharp at
 * any printer resolution. Written to a temporary name and renamed.
 */
#include <cairo-pdf.h>
#include <cairo.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "govnet/report.h"
#include "io/atomic_file.h"
#include "report/report_internal.h"
#include "util/internal.h"

#define PAGE_W 595.28
#define PAGE_H 841.89
#define COLS 2
#define ROWS 5
#define MARGIN 18.0

static void text(cairo_t *cr, const char *face, double size, int bold,
                 double x, double y, const char *s) {
  cairo_select_font_face(cr, face, CAIRO_FONT_SLANT_NORMAL,
                         bold ? CAIRO_FONT_WEIGHT_BOLD
                              : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr, size);
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s);
}

static void cut_lines(cairo_t *cr) {
  const double dash[] = {4.0, 3.0};
  double cw = (PAGE_W - 2 * MARGIN) / COLS, ch = (PAGE_H - 2 * MARGIN) / ROWS;
  cairo_save(cr);
  cairo_set_dash(cr, dash, 2, 0);
  cairo_set_line_width(cr, 0.5);
  cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
  for (int c = 0; c <= COLS; c++) {
    cairo_move_to(cr, MARGIN + c * cw, MARGIN);
    cairo_line_to(cr, MARGIN + c * cw, PAGE_H - MARGIN);
  }
  for (int r = 0; r <= ROWS; r++) {
    cairo_move_to(cr, MARGIN, MARGIN + r * ch);
    cairo_line_to(cr, PAGE_W - MARGIN, MARGIN + r * ch);
  }
  cairo_stroke(cr);
  cairo_restore(cr);
}

/* "ABCD EFGH JKMN" from a 12-symbol code (other lengths: as is). */
static void grouped(const char *code, char *out, size_t n) {
  if (strlen(code) != 12) {
    snprintf(out, n, "%s", code);
    return;
  }
  snprintf(out, n, "%.4s %.4s %.4s", code, code + 4, code + 8);
}

static void card(cairo_t *cr, const gn_report_voucher_sheet *s,
                 const char *code, double x, double y) {
  char line[160], g[32], day[32];
  time_t t = (time_t)s->expires;
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(day, sizeof(day), "%d/%m/%Y %H:%M UTC", &tm);
  cairo_set_source_rgb(cr, 0.03, 0.32, 0.61);
  text(cr, "DejaVu Sans", 13, 1, x, y + 22, "Accès WiFi – Wi-Fi access");
  cairo_set_source_rgb(cr, 0.13, 0.13, 0.13);
  snprintf(line, sizeof(line), "Réseau : %s", s->network ? s->network : "");
  text(cr, "DejaVu Sans", 9.5, 0, x, y + 40, line);
  grouped(code, g, sizeof(g));
  text(cr, "DejaVu Sans Mono", 22, 1, x, y + 74, g);
  if (s->minutes % 60 == 0)
    snprintf(line, sizeof(line), "Durée : %lld h dès la première connexion",
             (long long)(s->minutes / 60));
  else
    snprintf(line, sizeof(line), "Durée : %lld min dès la première connexion",
             (long long)s->minutes);
  text(cr, "DejaVu Sans", 9, 0, x, y + 94, line);
  if (s->uses > 0)
    snprintf(line, sizeof(line), "Connexions : %lld", (long long)s->uses);
  else
    snprintf(line, sizeof(line), "Connexions : illimitées");
  text(cr, "DejaVu Sans", 9, 0, x, y + 107, line);
  snprintf(line, sizeof(line), "Valable jusqu'au %s", day);
  text(cr, "DejaVu Sans", 9, 0, x, y + 120, line);
  text(cr, "DejaVu Sans", 7.5, 0, x, y + 134,
       "Connectez-vous au réseau puis ouvrez le navigateur.");
  text(cr, "DejaVu Sans", 7.5, 0, x, y + 144,
       "Saisissez le code comme identifiant et mot de passe.");
  text(cr, "DejaVu Sans", 7.5, 0, x, y + 154,
       "Code personnel : ne le partagez pas.");
}

static gn_status draw(gn_ctx *ctx, const gn_report_voucher_sheet *s,
                      const char *path) {
  cairo_surface_t *sf = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
  cairo_t *cr = cairo_create(sf);
  double cw = (PAGE_W - 2 * MARGIN) / COLS, ch = (PAGE_H - 2 * MARGIN) / ROWS;
  for (size_t i = 0; i < s->count; i++) {
    size_t k = i % (COLS * ROWS);
    if (k == 0 && i > 0) cairo_show_page(cr);
    if (k == 0) cut_lines(cr);
    double x = MARGIN + (double)(k % COLS) * cw + 16;
    double y = MARGIN + (double)(k / COLS) * ch + 4;
    card(cr, s, s->codes[i], x, y);
  }
  cairo_status_t cs = gn__pdf_close(cr, sf);
  if (cs != CAIRO_STATUS_SUCCESS)
    return gn__fail(ctx, cs == CAIRO_STATUS_NO_MEMORY ? GN_ENOMEM : GN_EIO,
                    "%s: %s", path, cairo_status_to_string(cs));
  return GN_OK;
}

gn_status gn_report_vouchers_pdf(gn_ctx *ctx, const gn_report_voucher_sheet *s,
                                 const char *path) {
  gn_ctx_clear(ctx);
  if (s->count == 0 || s->count > 10000 || !s->codes)
    return gn__fail(ctx, GN_EINVAL, "voucher sheet: 1..10000 codes");
  for (size_t i = 0; i < s->count; i++)
    if (!s->codes[i] || strlen(s->codes[i]) > 32)
      return gn__fail(ctx, GN_EINVAL, "voucher sheet: code %zu is empty or "
                      "too long", i + 1);
  if (s->network && strlen(s->network) > 64)
    return gn__fail(ctx, GN_EINVAL, "voucher sheet: network name over 64 "
                    "bytes");
  char *tmp = NULL;
  gn_status rs = gn__tmp_path(ctx, path, &tmp);
  if (rs != GN_OK) return rs;
  rs = draw(ctx, s, tmp);
  gn_status rc = gn__tmp_commit(ctx, tmp, path, rs == GN_OK);
  return rs != GN_OK ? rs : rc;
}
