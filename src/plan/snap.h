/*
 * snap.h - Nearest street segment to a point: a uniform grid over the
 * segments of a street graph's edge shapes (internal to src/core).
 */
#ifndef GOVNET_CORE_SNAP_H
#define GOVNET_CORE_SNAP_H

#include <stdint.h>

#include "govnet/graph.h"

typedef struct gn__snap_hit {
  gn_id edge;       /* GN_NONE: nothing found */
  uint32_t seg;     /* segment index within the edge's polyline */
  double t;         /* position on the segment, 0..1 */
  double lon, lat;  /* projection point (exactly a vertex if t is 0 or 1) */
  double dist_m;    /* geodesic distance to the query point */
} gn__snap_hit;

typedef struct gn__seg_grid {
  gn_ctx *ctx;
  const gn_graph *g;
  double minx, miny, cell; /* degrees */
  size_t nx, ny;
  size_t *off;      /* nx*ny + 1 */
  uint32_t *item_e; /* edge of each item */
  uint32_t *item_k; /* segment index of each item */
} gn__seg_grid;

/* Polyline of edge e: the shape, or the two end positions in buf. */
const double *gn__edge_line(const gn_graph *g, gn_id e, double buf[4],
                            size_t *n);

gn_status gn__seg_grid_build(gn_ctx *ctx, const gn_graph *g,
                             gn__seg_grid *grid);
void gn__seg_grid_cleanup(gn__seg_grid *grid);

/* Nearest segment within max_m whose edge passes edge_ok (NULL: all).
 * hit->edge = GN_NONE if none. */
void gn__seg_grid_nearest(const gn__seg_grid *grid, double lon, double lat,
                          double max_m, const uint8_t *edge_ok,
                          gn__snap_hit *hit);

/* Nearest segment anywhere (linear scan), same filter. */
void gn__snap_brute(const gn_graph *g, double lon, double lat,
                    const uint8_t *edge_ok, gn__snap_hit *hit);

#endif
