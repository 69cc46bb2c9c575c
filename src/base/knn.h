/*
 * knn.h - k nearest neighbours of planar points on a uniform grid
 * (internal; used by the points planner and resilience candidates).
 */
#ifndef GOVNET_CORE_KNN_H
#define GOVNET_CORE_KNN_H

#include <stddef.h>

#include "govnet/ctx.h"

typedef struct gn__pair {
  double len; /* planar distance */
  size_t u, v;
} gn__pair;

/* For each of the n points (xy interleaved, metres), its k nearest other
 * points: up to n*k pairs (u = the point, v = a neighbour; a pair may
 * appear twice, once from each end), sorted by increasing len. Caller
 * frees *out with gn_free(). GN_ENOMEM. */
gn_status gn__knn_pairs(gn_ctx *ctx, const double *xy, size_t n, size_t k,
                        gn__pair **out, size_t *nout);

/* Euclidean minimum spanning tree completion: the points with fixed[i]
 * = 1 are already connected (the existing network; fixed may be NULL);
 * *out receives the edges (u, v, len) of a minimum spanning tree
 * joining every point to them.
 * Exact (Boruvka rounds; nearest foreign point by grid ring search,
 * bounded by the best kNN candidate), near linear on spread points.
 * Caller frees *out with gn_free(). GN_ENOMEM. */
gn_status gn__emst(gn_ctx *ctx, const double *xy, size_t n,
                   const unsigned char *fixed, gn__pair **out, size_t *nout);

/* Project n lon/lat pairs to a local plane in metres (sinusoidal around
 * their mean position; < 0.5 % scale error across a country the size of
 * Togo). xy has 2n entries, caller-allocated. */
void gn__project_local(const double *lonlat, size_t n, double *xy);

#endif
