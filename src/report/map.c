/*
 * map.c - The plan map drawn with cairo: trenches by cable size (colour
 * and width), resilience rings highlighted, sites by category (critical
 * sites outlined), POPs, a legend, a scale bar and the attribution.
 * Design: an equirectangular frame (x scaled by cos of the mean
 * latitude) fitted into the target rectangle; the same code draws the
 * PNG for the HTML and the map page of the PDF.
 */
#include <math.h>
#include <stdio.h>

#include "govnet/design.h"
#include "report/report_internal.h"

#define GN__TWO_PI 6.283185307179586

typedef struct frame {
  double minx, miny, maxx, maxy, k, s, ox, oy, px, py, pw, ph;
} frame;

static const double size_rgb[GN_CABLE_SIZE_COUNT][3] = {
    {0.62, 0.79, 0.88}, {0.42, 0.68, 0.84}, {0.26, 0.57, 0.78},
    {0.13, 0.44, 0.71}, {0.03, 0.32, 0.61}, {0.03, 0.19, 0.42},
    {0.02, 0.09, 0.21}};
static const double size_w[GN_CABLE_SIZE_COUNT] = {1.0, 1.4, 1.8, 2.3,
                                                   2.8, 3.4, 4.2};
/* The web map's scheme (web/app.js CAT_COLORS, style.css): admin #2563eb,
 * health #dc2626, education #d97706, other #6b7280; rings violet #7c3aed. */
static const double cat_rgb[GN_CAT_COUNT][3] = {
    {0.145, 0.388, 0.922}, {0.863, 0.149, 0.149}, {0.851, 0.467, 0.024},
    {0.420, 0.447, 0.502}};
static const double ring_rgb[3] = {0.486, 0.227, 0.929};

static void extend(frame *f, double lon, double lat) {
  if (!isfinite(lon) || !isfinite(lat)) return;
  f->minx = fmin(f->minx, lon);
  f->maxx = fmax(f->maxx, lon);
  f->miny = fmin(f->miny, lat);
  f->maxy = fmax(f->maxy, lat);
}

static void fit(frame *f, const gn_plan *p, double x, double y, double w,
                double h) {
  f->minx = f->miny = INFINITY;
  f->maxx = f->maxy = -INFINITY;
  for (size_t i = 0; i < gn_plan_node_count(p); i++)
    extend(f, gn_plan_node_get(p, (gn_id)i)->lon, gn_plan_node_get(p, (gn_id)i)->lat);
  for (size_t i = 0; i < gn_plan_site_count(p); i++)
    extend(f, gn_plan_site_get(p, i)->lon, gn_plan_site_get(p, i)->lat);
  if (!isfinite(f->minx)) f->minx = f->maxx = f->miny = f->maxy = 0;
  f->k = cos((f->miny + f->maxy) / 2 * 3.14159265358979 / 180);
  double dx = fmax((f->maxx - f->minx) * f->k, 1e-4);
  double dy = fmax(f->maxy - f->miny, 1e-4);
  double m = 0.06 * fmin(w, h);
  f->s = fmin((w - 2 * m) / dx, (h - 2 * m) / dy);
  f->ox = x + (w - dx * f->s) / 2;
  f->oy = y + (h - dy * f->s) / 2;
  f->px = x;
  f->py = y;
  f->pw = w;
  f->ph = h;
}

static void to_px(const frame *f, double lon, double lat, double *u,
                  double *v) {
  *u = f->ox + (lon - f->minx) * f->k * f->s;
  *v = f->oy + (f->maxy - lat) * f->s;
}

static int size_slot(int size) {
  for (int i = 0; i < GN_CABLE_SIZE_COUNT; i++)
    if (gn_cable_size_at(i) >= size) return i;
  return GN_CABLE_SIZE_COUNT - 1;
}

static void stroke_trench(cairo_t *cr, const frame *f, const gn_plan_trench *t) {
  for (size_t i = 0; i < t->ncoords; i++) {
    double u, v;
    to_px(f, t->coords[2 * i], t->coords[2 * i + 1], &u, &v);
    if (i == 0) cairo_move_to(cr, u, v);
    else cairo_line_to(cr, u, v);
  }
  cairo_stroke(cr);
}

static void draw_trenches(cairo_t *cr, const frame *f, const gn_plan *p,
                          double sc) {
  cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) { /* ring halo */
    const gn_plan_trench *t = gn_plan_trench_get(p, i);
    if (!t->redundant) continue;
    cairo_set_source_rgba(cr, ring_rgb[0], ring_rgb[1], ring_rgb[2], 0.30);
    cairo_set_line_width(cr, 6.0 * sc);
    stroke_trench(cr, f, t);
  }
  for (int k = 0; k < GN_CABLE_SIZE_COUNT; k++) { /* thin under thick */
    for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
      const gn_plan_trench *t = gn_plan_trench_get(p, i);
      if (size_slot(t->cable_size) != k) continue;
      const double *c = t->redundant ? ring_rgb : size_rgb[k];
      cairo_set_source_rgb(cr, c[0], c[1], c[2]);
      cairo_set_line_width(cr, size_w[k] * sc);
      stroke_trench(cr, f, t);
    }
  }
}

static void draw_sites(cairo_t *cr, const frame *f, const gn_plan *p,
                       double sc) {
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    double u, v;
    to_px(f, s->lon, s->lat, &u, &v);
    const double *c = cat_rgb[s->category < GN_CAT_COUNT ? s->category : 3];
    cairo_new_sub_path(cr);
    cairo_arc(cr, u, v, (s->critical ? 3.6 : 2.8) * sc, 0, GN__TWO_PI);
    cairo_set_source_rgb(cr, c[0], c[1], c[2]);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, s->critical ? 0.05 : 1, s->critical ? 0.05 : 1,
                         s->critical ? 0.05 : 1);
    cairo_set_line_width(cr, (s->critical ? 1.1 : 0.6) * sc);
    cairo_stroke(cr);
  }
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    const gn_plan_pop *pop = gn_plan_pop_get(p, i);
    double u, v, r = 6 * sc;
    to_px(f, pop->lon, pop->lat, &u, &v);
    if (gn_pop_is_hub(pop)) { /* aggregation hub: a diamond */
      cairo_move_to(cr, u, v - r);
      cairo_line_to(cr, u + r, v);
      cairo_line_to(cr, u, v + r);
      cairo_line_to(cr, u - r, v);
      cairo_close_path(cr);
    } else {
      cairo_rectangle(cr, u - r, v - r, 2 * r, 2 * r);
    }
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 1, 0.85, 0.1);
    cairo_set_line_width(cr, 1.8 * sc);
    cairo_stroke(cr);
  }
}

static void text_at(cairo_t *cr, double x, double y, const char *s) {
  cairo_move_to(cr, x, y);
  cairo_show_text(cr, s);
}

/* Legend: categories, POP, ring, the cable sizes present. */
static void draw_legend(cairo_t *cr, const frame *f, const gn_plan *p,
                        int lang, double sc) {
  int present[GN_CABLE_SIZE_COUNT] = {0}, n = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    present[size_slot(gn_plan_trench_get(p, i)->cable_size)] = 1;
  for (int k = 0; k < GN_CABLE_SIZE_COUNT; k++) n += present[k];
  double lh = 17 * sc, x = f->px + 12 * sc, y = f->py + 12 * sc;
  int hubs = 0;
  for (size_t i = 0; i < gn_plan_pop_count(p); i++)
    hubs |= gn_pop_is_hub(gn_plan_pop_get(p, i));
  double bw = 215 * sc, bh = (GN_CAT_COUNT + 3 + hubs + n) * lh + 14 * sc;
  cairo_rectangle(cr, x, y, bw, bh);
  cairo_set_source_rgba(cr, 1, 1, 1, 0.9);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
  cairo_set_line_width(cr, 0.8 * sc);
  cairo_stroke(cr);
  cairo_set_font_size(cr, 11 * sc);
  double cy = y + 16 * sc, tx = x + 34 * sc;
  static const gn__str cats[GN_CAT_COUNT] = {GN__S_ADMIN, GN__S_HEALTH,
                                             GN__S_EDUCATION, GN__S_OTHER};
  for (int c = 0; c < GN_CAT_COUNT; c++, cy += lh) {
    cairo_new_sub_path(cr);
    cairo_arc(cr, x + 17 * sc, cy - 4 * sc, 3.6 * sc, 0, GN__TWO_PI);
    cairo_set_source_rgb(cr, cat_rgb[c][0], cat_rgb[c][1], cat_rgb[c][2]);
    cairo_fill(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    text_at(cr, tx, cy, gn__tr(lang, cats[c]));
  }
  cairo_new_sub_path(cr);
  cairo_arc(cr, x + 17 * sc, cy - 4 * sc, 3.6 * sc, 0, GN__TWO_PI);
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_fill_preserve(cr);
  cairo_set_source_rgb(cr, 0.05, 0.05, 0.05);
  cairo_set_line_width(cr, 1.1 * sc);
  cairo_stroke(cr);
  text_at(cr, tx, cy, gn__tr(lang, GN__S_CRIT_MARK));
  cy += lh;
  cairo_rectangle(cr, x + 12 * sc, cy - 9 * sc, 10 * sc, 10 * sc);
  cairo_fill(cr);
  text_at(cr, tx, cy, gn__tr(lang, GN__S_POP));
  cy += lh;
  if (hubs) {
    double u = x + 17 * sc, v = cy - 4 * sc, r = 5 * sc;
    cairo_move_to(cr, u, v - r);
    cairo_line_to(cr, u + r, v);
    cairo_line_to(cr, u, v + r);
    cairo_line_to(cr, u - r, v);
    cairo_close_path(cr);
    cairo_fill(cr);
    text_at(cr, tx, cy, gn__tr(lang, GN__S_HUB));
    cy += lh;
  }
  cairo_set_line_width(cr, 3 * sc);
  cairo_set_source_rgb(cr, ring_rgb[0], ring_rgb[1], ring_rgb[2]);
  cairo_move_to(cr, x + 8 * sc, cy - 4 * sc);
  cairo_line_to(cr, x + 27 * sc, cy - 4 * sc);
  cairo_stroke(cr);
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  text_at(cr, tx, cy, gn__tr(lang, GN__S_RING));
  for (int k = 0; k < GN_CABLE_SIZE_COUNT; k++) {
    if (!present[k]) continue;
    cy += lh;
    char buf[48];
    cairo_set_line_width(cr, size_w[k] * sc);
    cairo_set_source_rgb(cr, size_rgb[k][0], size_rgb[k][1], size_rgb[k][2]);
    cairo_move_to(cr, x + 8 * sc, cy - 4 * sc);
    cairo_line_to(cr, x + 27 * sc, cy - 4 * sc);
    cairo_stroke(cr);
    cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
    snprintf(buf, sizeof buf, "%d %s", gn_cable_size_at(k),
             gn__tr(lang, GN__S_FIBERS));
    text_at(cr, tx, cy, buf);
  }
}

static void draw_scale(cairo_t *cr, const frame *f, double sc) {
  static const double nice[] = {0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500};
  double px_per_km = f->s / 111.32; /* degrees of latitude per km */
  double km = nice[0];
  for (size_t i = 0; i < sizeof nice / sizeof nice[0]; i++)
    if (nice[i] * px_per_km <= f->pw * 0.22) km = nice[i];
  double len = km * px_per_km, x = f->px + 16 * sc, y = f->py + f->ph - 18 * sc;
  cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
  cairo_set_line_width(cr, 2 * sc);
  cairo_move_to(cr, x, y - 5 * sc);
  cairo_line_to(cr, x, y);
  cairo_line_to(cr, x + len, y);
  cairo_line_to(cr, x + len, y - 5 * sc);
  cairo_stroke(cr);
  char buf[32];
  snprintf(buf, sizeof buf, "%g km", km);
  cairo_set_font_size(cr, 11 * sc);
  text_at(cr, x + len + 6 * sc, y, buf);
  cairo_set_font_size(cr, 9 * sc);
  cairo_text_extents_t te;
  cairo_text_extents(cr, GN_OSM_ATTRIBUTION, &te);
  text_at(cr, f->px + f->pw - te.x_advance - 10 * sc, f->py + f->ph - 8 * sc,
          GN_OSM_ATTRIBUTION);
  cairo_set_font_size(cr, 14 * sc);
  text_at(cr, f->px + f->pw - 24 * sc, f->py + 26 * sc, "N");
  cairo_move_to(cr, f->px + f->pw - 19 * sc, f->py + 30 * sc);
  cairo_line_to(cr, f->px + f->pw - 19 * sc, f->py + 52 * sc);
  cairo_stroke(cr);
}

double gn__map_aspect(const gn_plan *p) {
  frame f;
  fit(&f, p, 0, 0, 1000, 1000);
  double dx = fmax((f.maxx - f.minx) * f.k, 1e-4), dy = fmax(f.maxy - f.miny, 1e-4);
  return fmin(2.0, fmax(0.4, dy / dx));
}

void gn__map_draw(cairo_t *cr, const gn_plan *p, int lang, double x, double y,
                  double w, double h) {
  frame f;
  double sc = fmax(0.6, fmin(w, h) / 1000.0);
  fit(&f, p, x, y, w, h);
  cairo_save(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_clip(cr);
  cairo_set_source_rgb(cr, 0.965, 0.957, 0.937);
  cairo_paint(cr);
  cairo_select_font_face(cr, "DejaVu Sans", CAIRO_FONT_SLANT_NORMAL,
                         CAIRO_FONT_WEIGHT_NORMAL);
  draw_trenches(cr, &f, p, sc);
  draw_sites(cr, &f, p, sc);
  draw_legend(cr, &f, p, lang, sc);
  draw_scale(cr, &f, sc);
  cairo_restore(cr);
  cairo_rectangle(cr, x, y, w, h);
  cairo_set_source_rgb(cr, 0.55, 0.55, 0.55);
  cairo_set_line_width(cr, 1);
  cairo_stroke(cr);
}
