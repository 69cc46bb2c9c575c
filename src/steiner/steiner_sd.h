/*
 * steiner_sd.h - Edge-deletion tests of the Steiner reductions (not API):
 * duplicate parallel edges and the bounded special-distance test
 * (steiner_sd.c), and the reduction driver's options and counters
 * (steiner_reduce.c).
 */
#ifndef GOVNET_CORE_STEINER_SD_H
#define GOVNET_CORE_STEINER_SD_H

#include "steiner/steiner_int.h"

/* Limits of one bounded search of the special-distance test. */
typedef struct gn__sd_opts {
  uint32_t max_settle; /* nodes settled per search */
  uint32_t max_arcs;   /* arcs scanned per search */
  uint32_t max_deg2;   /* two-step test: middle nodes of degree <= this */
} gn__sd_opts;

/* Search workspace of the test, for graphs of up to n nodes. */
typedef struct gn__sd_ws {
  gn__sw w;
  double *seg;     /* n: length of the label's open segment */
  uint32_t *best;  /* n: per-node scratch of both tests (kept edge to a
                    * neighbour; u at u's undecided neighbours), NIL
                    * between nodes */
  double *nbw;     /* n: two-step test, weight of the edge from u, NAN
                    * between nodes */
  uint8_t *dirty;  /* n: nodes to test; all when all_dirty */
  int all_dirty;
  uint32_t n;
} gn__sd_ws;

gn_status gn__sd_ws_init(gn_ctx *ctx, gn__sd_ws *ws, uint32_t n);
void gn__sd_ws_cleanup(gn_ctx *ctx, gn__sd_ws *ws);

/* Clear edge_ok[e] for every alive edge of g (edge_ok[e] != 0) that no
 * optimal Steiner tree of the alive graph needs: of parallel edges of
 * equal weight all but the lowest id, and every edge (u, v) for which a
 * u-v walk avoiding it has a bottleneck Steiner length strictly below
 * w(u, v), among the two-edge walks u-x-v (x of degree <= max_deg2;
 * graphs of mean degree >= 8 only) and the walks a bounded search from u
 * finds. Searches start only at the
 * nodes marked in ws->dirty unless ws->all_dirty. Returns the number of
 * edges deleted. Deterministic. */
uint32_t gn__sd_delete(const gn__sg *g, uint8_t *edge_ok, gn__sd_ws *ws,
                       const gn__sd_opts *o);

/* Options and counters of the whole reduction (gn__sg_reduce uses the
 * defaults of gn__reduce_opts_init). */
typedef struct gn__reduce_opts {
  int sd_rounds;       /* 0: degree tests only */
  gn__sd_opts sd;
} gn__reduce_opts;

typedef struct gn__reduce_stats {
  int rounds;          /* edge-deletion rounds run */
  uint32_t sd_deleted; /* edges deleted by the tests, over all rounds */
} gn__reduce_stats;

void gn__reduce_opts_init(gn__reduce_opts *o);
gn_status gn__sg_reduce_ex(const gn__sg *base, gn__sg *red,
                           uint32_t **anc_off, uint32_t **anc_e,
                           const gn__reduce_opts *o, gn__reduce_stats *st);

#endif
