/*
 * knn.c - k nearest neighbours on a uniform grid.
 *
 * Design: points are bucketed (counting sort) into square cells sized
 * for ~2 points each; a query scans rings of cells around its own until
 * it holds k candidates no farther than the ring's inner radius. Near
 * linear for the evenly spread points of a city; clustered inputs (towns
 * across a country) cost more rings but stay far below O(n^2).
 * Ownership: grid memory is freed before return.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/knn.h"
#include "util/internal.h"

typedef struct grid {
  const double *xy;
  double minx, miny, cell;
  long gx, gy;
  size_t *start, *items;
} grid;

static long cell_of(const grid *g, double v, double min, long n) {
  long c = (long)((v - min) / g->cell);
  return c < 0 ? 0 : (c >= n ? n - 1 : c);
}

static long cell_index(const grid *g, size_t i) {
  return cell_of(g, g->xy[2 * i + 1], g->miny, g->gy) * g->gx +
         cell_of(g, g->xy[2 * i], g->minx, g->gx);
}

static void grid_dims(grid *g, size_t n) {
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
  for (size_t i = 0; i < n; i++) {
    minx = fmin(minx, g->xy[2 * i]);
    maxx = fmax(maxx, g->xy[2 * i]);
    miny = fmin(miny, g->xy[2 * i + 1]);
    maxy = fmax(maxy, g->xy[2 * i + 1]);
  }
  double area = fmax((maxx - minx) * (maxy - miny), 1.0);
  g->cell = fmax(sqrt(area / (double)n) * 1.5, 1.0);
  g->minx = minx;
  g->miny = miny;
  g->gx = (long)fmin((maxx - minx) / g->cell + 1, 4096);
  g->gy = (long)fmin((maxy - miny) / g->cell + 1, 4096);
  g->cell = fmax(g->cell, fmax((maxx - minx) / (double)g->gx,
                               (maxy - miny) / (double)g->gy) * 1.0000001);
}

static gn_status grid_build(gn_ctx *ctx, grid *g, size_t n) {
  grid_dims(g, n);
  size_t nc = (size_t)(g->gx * g->gy);
  g->start = gn_malloc(ctx, (nc + 1) * sizeof(size_t));
  g->items = gn_malloc(ctx, n * sizeof(size_t));
  if (!g->start || !g->items)
    return gn__fail(ctx, GN_ENOMEM, "out of memory (grid)");
  memset(g->start, 0, (nc + 1) * sizeof(size_t));
  for (size_t i = 0; i < n; i++) g->start[cell_index(g, i) + 1]++;
  for (size_t c = 0; c < nc; c++) g->start[c + 1] += g->start[c];
  for (size_t i = 0; i < n; i++) g->items[g->start[cell_index(g, i)]++] = i;
  for (size_t c = nc; c > 0; c--) g->start[c] = g->start[c - 1];
  g->start[0] = 0;
  return GN_OK;
}

static void offer(gn__pair *best, size_t *nb, size_t k, double d, size_t u,
                  size_t v) {
  if (*nb == k && d >= best[k - 1].len) return;
  size_t i = *nb < k ? (*nb)++ : k - 1;
  while (i > 0 && best[i - 1].len > d) {
    best[i] = best[i - 1];
    i--;
  }
  best[i].len = d;
  best[i].u = u;
  best[i].v = v;
}

static void scan_cell(const grid *g, long cx, long cy, size_t i, size_t k,
                      gn__pair *best, size_t *nb) {
  if (cx < 0 || cy < 0 || cx >= g->gx || cy >= g->gy) return;
  size_t c = (size_t)(cy * g->gx + cx);
  const double *p = g->xy + 2 * i;
  for (size_t m = g->start[c]; m < g->start[c + 1]; m++) {
    size_t j = g->items[m];
    if (j == i) continue;
    const double *q = g->xy + 2 * j;
    offer(best, nb, k, hypot(p[0] - q[0], p[1] - q[1]), i, j);
  }
}

/* The k nearest points of point i, by expanding rings of cells. */
static size_t query(const grid *g, size_t i, size_t k, gn__pair *best) {
  size_t nb = 0;
  long cx = cell_of(g, g->xy[2 * i], g->minx, g->gx);
  long cy = cell_of(g, g->xy[2 * i + 1], g->miny, g->gy);
  long rmax = g->gx > g->gy ? g->gx : g->gy;
  for (long r = 0; r <= rmax; r++) {
    if (nb == k && best[k - 1].len <= (double)r * g->cell) break;
    for (long dx = -r; dx <= r; dx++) {
      scan_cell(g, cx + dx, cy - r, i, k, best, &nb);
      if (r > 0) scan_cell(g, cx + dx, cy + r, i, k, best, &nb);
    }
    for (long dy = -r + 1; dy <= r - 1; dy++) {
      scan_cell(g, cx - r, cy + dy, i, k, best, &nb);
      scan_cell(g, cx + r, cy + dy, i, k, best, &nb);
    }
  }
  return nb;
}

static int pair_cmp(const void *a, const void *b) {
  const gn__pair *x = a, *y = b;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  if (x->u != y->u) return x->u < y->u ? -1 : 1;
  return (x->v > y->v) - (x->v < y->v);
}

gn_status gn__knn_pairs(gn_ctx *ctx, const double *xy, size_t n, size_t k,
                        gn__pair **out, size_t *nout) {
  *out = NULL;
  *nout = 0;
  if (n < 2 || k == 0) return GN_OK;
  grid g = {0};
  g.xy = xy;
  gn_status s = grid_build(ctx, &g, n);
  gn__pair *c = s == GN_OK ? gn_malloc(ctx, n * k * sizeof(gn__pair)) : NULL;
  if (s == GN_OK && !c) s = gn__fail(ctx, GN_ENOMEM, "out of memory (kNN)");
  size_t m = 0;
  for (size_t i = 0; s == GN_OK && i < n; i++) m += query(&g, i, k, c + m);
  gn_free(ctx, g.start);
  gn_free(ctx, g.items);
  if (s != GN_OK) {
    gn_free(ctx, c);
    return s;
  }
  qsort(c, m, sizeof(gn__pair), pair_cmp);
  *out = c;
  *nout = m;
  return GN_OK;
}

void gn__project_local(const double *lonlat, size_t n, double *xy) {
  const double r = 6371008.8 * 3.14159265358979323846 / 180.0;
  double lon0 = 0, lat0 = 0;
  for (size_t i = 0; i < n; i++) {
    lon0 += lonlat[2 * i] / (double)n;
    lat0 += lonlat[2 * i + 1] / (double)n;
  }
  for (size_t i = 0; i < n; i++) {
    double lat = lonlat[2 * i + 1];
    xy[2 * i] = r * (lonlat[2 * i] - lon0) * cos(lat * r / 6371008.8);
    xy[2 * i + 1] = r * (lat - lat0);
  }
}

/* ---- Euclidean MST (Boruvka) --------------------------------------- */

typedef struct emst {
  gn_ctx *ctx;
  grid g;
  size_t n, *uf;
  double *best;       /* per component root */
  size_t *bu, *bv;
} emst;

static size_t find(size_t *uf, size_t a) {
  while (uf[a] != a) {
    uf[a] = uf[uf[a]];
    a = uf[a];
  }
  return a;
}

static void foreign_cell(emst *m, long cx, long cy, size_t i, size_t ri,
                         double *bd, size_t *bj) {
  const grid *g = &m->g;
  if (cx < 0 || cy < 0 || cx >= g->gx || cy >= g->gy) return;
  size_t c = (size_t)(cy * g->gx + cx);
  const double *p = g->xy + 2 * i;
  for (size_t k = g->start[c]; k < g->start[c + 1]; k++) {
    size_t j = g->items[k];
    const double *q = g->xy + 2 * j;
    double d = hypot(p[0] - q[0], p[1] - q[1]);
    if (d < *bd && find(m->uf, j) != ri) {
      *bd = d;
      *bj = j;
    }
  }
}

/* Nearest point of another component than i's, if closer than the
 * component's best so far; updates the component's best. */
static void nearest_foreign(emst *m, size_t i) {
  const grid *g = &m->g;
  size_t ri = find(m->uf, i), bj = (size_t)-1;
  double bd = m->best[ri];
  long cx = cell_of(g, g->xy[2 * i], g->minx, g->gx);
  long cy = cell_of(g, g->xy[2 * i + 1], g->miny, g->gy);
  long rmax = g->gx > g->gy ? g->gx : g->gy;
  for (long r = 0; r <= rmax && (double)(r - 1) * g->cell < bd; r++) {
    for (long dx = -r; dx <= r; dx++) {
      foreign_cell(m, cx + dx, cy - r, i, ri, &bd, &bj);
      if (r > 0) foreign_cell(m, cx + dx, cy + r, i, ri, &bd, &bj);
    }
    for (long dy = -r + 1; dy <= r - 1; dy++) {
      foreign_cell(m, cx - r, cy + dy, i, ri, &bd, &bj);
      foreign_cell(m, cx + r, cy + dy, i, ri, &bd, &bj);
    }
  }
  if (bj == (size_t)-1) return;
  m->best[ri] = bd;
  m->bu[ri] = i;
  m->bv[ri] = bj;
}

/* One round: every component joins its nearest other component. */
static gn_status boruvka_round(emst *m, const gn__pair *knn, size_t nknn,
                               gn__pair **out, size_t *nout, size_t *cap,
                               size_t *ncomp) {
  for (size_t i = 0; i < m->n; i++) m->best[i] = INFINITY;
  for (size_t k = 0; k < nknn; k++) { /* cheap bounds first */
    size_t ru = find(m->uf, knn[k].u);
    if (ru != find(m->uf, knn[k].v) && knn[k].len < m->best[ru]) {
      m->best[ru] = knn[k].len;
      m->bu[ru] = knn[k].u;
      m->bv[ru] = knn[k].v;
    }
  }
  for (size_t i = 0; i < m->n; i++) nearest_foreign(m, i);
  for (size_t i = 0; i < m->n; i++) {
    if (find(m->uf, i) != i || !isfinite(m->best[i])) continue;
    size_t a = find(m->uf, m->bu[i]), b = find(m->uf, m->bv[i]);
    if (a == b) continue;
    m->uf[b] = a;
    if (GN__GROW(m->ctx, *out, *cap, *nout + 1) != GN_OK)
      return gn__fail(m->ctx, GN_ENOMEM, "out of memory (EMST)");
    (*out)[(*nout)++] = (gn__pair){m->best[i], m->bu[i], m->bv[i]};
    (*ncomp)--;
  }
  return GN_OK;
}

static gn_status emst_init(emst *m, gn_ctx *ctx, const double *xy, size_t n,
                           const unsigned char *fixed, size_t *ncomp) {
  memset(m, 0, sizeof(*m));
  m->ctx = ctx;
  m->n = n;
  m->g.xy = xy;
  m->uf = gn_malloc(ctx, n * sizeof(size_t));
  m->best = gn_malloc(ctx, n * sizeof(double));
  m->bu = gn_malloc(ctx, 2 * n * sizeof(size_t));
  if (!m->uf || !m->best || !m->bu)
    return gn__fail(ctx, GN_ENOMEM, "out of memory (EMST)");
  m->bv = m->bu + n;
  *ncomp = n;
  size_t first = (size_t)-1;
  for (size_t i = 0; i < n; i++) {
    m->uf[i] = i;
    if (!fixed || !fixed[i]) continue;
    if (first == (size_t)-1) {
      first = i;
      continue;
    }
    m->uf[i] = first; /* every fixed point hangs off the first one */
    (*ncomp)--;
  }
  return grid_build(ctx, &m->g, n);
}

gn_status gn__emst(gn_ctx *ctx, const double *xy, size_t n,
                   const unsigned char *fixed, gn__pair **out, size_t *nout) {
  *out = NULL;
  *nout = 0;
  if (n < 2) return GN_OK;
  emst m;
  size_t ncomp = 0, cap = 0, nknn = 0;
  gn__pair *knn = NULL;
  gn_status s = emst_init(&m, ctx, xy, n, fixed, &ncomp);
  if (s == GN_OK) s = gn__knn_pairs(ctx, xy, n, 4, &knn, &nknn);
  while (s == GN_OK && ncomp > 1) {
    size_t before = ncomp;
    s = boruvka_round(&m, knn, nknn, out, nout, &cap, &ncomp);
    if (s == GN_OK && ncomp == before) break; /* cannot happen; be safe */
  }
  gn_free(ctx, knn);
  gn_free(ctx, m.g.start);
  gn_free(ctx, m.g.items);
  gn_free(ctx, m.uf);
  gn_free(ctx, m.best);
  gn_free(ctx, m.bu);
  if (s != GN_OK) {
    gn_free(ctx, *out);
    *out = NULL;
    *nout = 0;
  }
  return s;
}
