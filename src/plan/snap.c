/*
 * snap.c - Nearest street segment to a point.
 *
 * Design: a uniform lon/lat grid (about two segments per cell, CSR
 * layout: one offset array, two item arrays) holds every segment of
 * every edge polyline in each cell its bounding box touches. A query
 * scans the cells within max_m, ranks candidates by a local
 * equirectangular distance and reports the geodesic distance of the
 * winner. Ties go to the lower edge id, so results are deterministic.
 * Invariant: when t is 0 or 1 the hit point is bit-identical to the
 * segment's vertex, so splitting there reuses the vertex.
 * Ownership: the grid borrows the graph, which must outlive it.
 */
#include <math.h>
#include <string.h>

#include "plan/snap.h"
#include "govnet/geo.h"
#include "govnet/planner.h"
#include "util/internal.h"

#define M_PER_DEG 111320.0
#define MAX_CELLS ((size_t)1 << 22)

const double *gn__edge_line(const gn_graph *g, gn_id e, double buf[4],
                            size_t *n) {
  const double *s = gn_graph_shape(g, e, n);
  if (s) return s;
  const gn_edge *ed = gn_graph_edge(g, e);
  gn_graph_node_pos(g, ed->u, &buf[0], &buf[1]);
  gn_graph_node_pos(g, ed->v, &buf[2], &buf[3]);
  *n = 2;
  return buf;
}

static void grid_bbox(gn__seg_grid *gr, size_t *nseg) {
  const gn_graph *g = gr->g;
  double minx = INFINITY, miny = INFINITY, maxx = -INFINITY, maxy = -INFINITY;
  double buf[4];
  *nseg = 0;
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++) {
    size_t n;
    const double *p = gn__edge_line(g, e, buf, &n);
    for (size_t i = 0; i < n; i++) {
      minx = fmin(minx, p[2 * i]);
      maxx = fmax(maxx, p[2 * i]);
      miny = fmin(miny, p[2 * i + 1]);
      maxy = fmax(maxy, p[2 * i + 1]);
    }
    *nseg += n - 1;
  }
  if (*nseg == 0) minx = miny = maxx = maxy = 0;
  double w = maxx - minx + 1e-9, h = maxy - miny + 1e-9;
  double cell = sqrt(w * h / ((double)*nseg / 2.0 + 1.0));
  cell = fmax(cell, 0.0002);
  while ((size_t)(w / cell + 1) * (size_t)(h / cell + 1) > MAX_CELLS)
    cell *= 1.5;
  gr->minx = minx;
  gr->miny = miny;
  gr->cell = cell;
  gr->nx = (size_t)(w / cell) + 1;
  gr->ny = (size_t)(h / cell) + 1;
}

static size_t cell_x(const gn__seg_grid *gr, double x) {
  double c = floor((x - gr->minx) / gr->cell);
  if (c < 0) return 0;
  if (c >= (double)gr->nx) return gr->nx - 1;
  return (size_t)c;
}

static size_t cell_y(const gn__seg_grid *gr, double y) {
  double c = floor((y - gr->miny) / gr->cell);
  if (c < 0) return 0;
  if (c >= (double)gr->ny) return gr->ny - 1;
  return (size_t)c;
}

/* pass 0 counts items per cell, pass 1 fills them. */
static void grid_pass(gn__seg_grid *gr, size_t *fill, int pass) {
  double buf[4];
  for (gn_id e = 0; e < gn_graph_edge_count(gr->g); e++) {
    size_t n;
    const double *p = gn__edge_line(gr->g, e, buf, &n);
    for (size_t k = 0; k + 1 < n; k++) {
      const double *a = p + 2 * k, *b = a + 2;
      size_t x0 = cell_x(gr, fmin(a[0], b[0])), x1 = cell_x(gr, fmax(a[0], b[0]));
      size_t y0 = cell_y(gr, fmin(a[1], b[1])), y1 = cell_y(gr, fmax(a[1], b[1]));
      for (size_t y = y0; y <= y1; y++)
        for (size_t x = x0; x <= x1; x++) {
          size_t c = y * gr->nx + x;
          if (pass == 0) {
            gr->off[c + 1]++;
          } else {
            gr->item_e[fill[c]] = e;
            gr->item_k[fill[c]++] = (uint32_t)k;
          }
        }
    }
  }
}

gn_status gn__seg_grid_build(gn_ctx *ctx, const gn_graph *g,
                             gn__seg_grid *gr) {
  size_t nseg;
  memset(gr, 0, sizeof(*gr));
  gr->ctx = ctx;
  gr->g = g;
  grid_bbox(gr, &nseg);
  size_t ncell = gr->nx * gr->ny;
  gr->off = gn_malloc(ctx, (ncell + 1) * sizeof(size_t));
  size_t *fill = gn_malloc(ctx, (ncell + 1) * sizeof(size_t));
  if (!gr->off || !fill) goto oom;
  memset(gr->off, 0, (ncell + 1) * sizeof(size_t));
  grid_pass(gr, NULL, 0);
  for (size_t c = 0; c < ncell; c++) gr->off[c + 1] += gr->off[c];
  gr->item_e = gn_malloc(ctx, (gr->off[ncell] + 1) * sizeof(uint32_t));
  gr->item_k = gn_malloc(ctx, (gr->off[ncell] + 1) * sizeof(uint32_t));
  if (!gr->item_e || !gr->item_k) goto oom;
  memcpy(fill, gr->off, ncell * sizeof(size_t));
  grid_pass(gr, fill, 1);
  gn_free(ctx, fill);
  return GN_OK;
oom:
  gn_free(ctx, fill);
  gn__seg_grid_cleanup(gr);
  return gn__fail(ctx, GN_ENOMEM, "out of memory indexing streets");
}

void gn__seg_grid_cleanup(gn__seg_grid *gr) {
  gn_free(gr->ctx, gr->off);
  gn_free(gr->ctx, gr->item_e);
  gn_free(gr->ctx, gr->item_k);
  gr->off = NULL;
  gr->item_e = gr->item_k = NULL;
}

/* Squared local-metric distance from (lon,lat) to segment k of edge e;
 * fills the candidate's t and point. */
static double seg_d2(const gn_graph *g, gn_id e, uint32_t k, double lon,
                     double lat, gn__snap_hit *c) {
  double buf[4];
  size_t n;
  const double *a = gn__edge_line(g, e, buf, &n) + 2 * k, *b = a + 2;
  c->t = gn_geo_project_segment(lon, lat, a[0], a[1], b[0], b[1], &c->lon,
                                &c->lat);
  if (c->t <= 0) {
    c->t = 0;
    c->lon = a[0];
    c->lat = a[1];
  } else if (c->t >= 1) {
    c->t = 1;
    c->lon = b[0];
    c->lat = b[1];
  }
  c->edge = e;
  c->seg = k;
  double kx = cos(lat * 3.14159265358979323846 / 180.0);
  double dx = (c->lon - lon) * kx, dy = c->lat - lat;
  return dx * dx + dy * dy;
}

static void consider(const gn_graph *g, gn_id e, uint32_t k, double lon,
                     double lat, gn__snap_hit *best, double *best_d2) {
  gn__snap_hit c;
  double d2 = seg_d2(g, e, k, lon, lat, &c);
  if (d2 < *best_d2 || (d2 == *best_d2 && best->edge != GN_NONE &&
                        (e < best->edge || (e == best->edge && k < best->seg)))) {
    *best = c;
    *best_d2 = d2;
  }
}

static void finish_hit(double lon, double lat, double max_m,
                       gn__snap_hit *hit) {
  if (hit->edge == GN_NONE) return;
  hit->dist_m = gn_geo_distance_m(lon, lat, hit->lon, hit->lat);
  if (max_m > 0 && hit->dist_m > max_m) hit->edge = GN_NONE;
}

void gn__seg_grid_nearest(const gn__seg_grid *gr, double lon, double lat,
                          double max_m, const uint8_t *edge_ok,
                          gn__snap_hit *hit) {
  double best_d2 = INFINITY;
  memset(hit, 0, sizeof(*hit));
  hit->edge = GN_NONE;
  double dy = max_m / M_PER_DEG * 1.01 + 1e-9;
  double dx = dy / fmax(cos(lat * 3.14159265358979323846 / 180.0), 0.01);
  size_t x0 = cell_x(gr, lon - dx), x1 = cell_x(gr, lon + dx);
  size_t y0 = cell_y(gr, lat - dy), y1 = cell_y(gr, lat + dy);
  for (size_t y = y0; y <= y1; y++)
    for (size_t x = x0; x <= x1; x++) {
      size_t c = y * gr->nx + x;
      for (size_t i = gr->off[c]; i < gr->off[c + 1]; i++) {
        if (edge_ok && !edge_ok[gr->item_e[i]]) continue;
        consider(gr->g, gr->item_e[i], gr->item_k[i], lon, lat, hit, &best_d2);
      }
    }
  finish_hit(lon, lat, max_m, hit);
}

void gn__snap_brute(const gn_graph *g, double lon, double lat,
                    const uint8_t *edge_ok, gn__snap_hit *hit) {
  double best_d2 = INFINITY, buf[4];
  memset(hit, 0, sizeof(*hit));
  hit->edge = GN_NONE;
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++) {
    if (edge_ok && !edge_ok[e]) continue;
    size_t n;
    gn__edge_line(g, e, buf, &n);
    for (uint32_t k = 0; k + 1 < n; k++)
      consider(g, e, k, lon, lat, hit, &best_d2);
  }
  finish_hit(lon, lat, 0, hit);
}

gn_status gn_graph_snap(const gn_graph *g, double lon, double lat,
                        double max_m, gn_snap *snap) {
  gn__snap_hit h;
  gn__snap_brute(g, lon, lat, NULL, &h);
  snap->edge = h.edge;
  snap->lon = h.lon;
  snap->lat = h.lat;
  snap->dist_m = h.dist_m;
  if (h.edge != GN_NONE && max_m > 0 && h.dist_m > max_m)
    snap->edge = GN_NONE;
  return GN_OK;
}
