/*
 * steiner_dual.h - Dual ascent lower bound and reduced-cost reductions
 * (steiner_dual.c; not API).
 *
 * The Steiner tree problem on g is solved as a Steiner arborescence on
 * the bidirected graph rooted at a terminal. Arc k is CSR slot k of g
 * read backwards: it enters the node that owns slot k from adj_v[k]
 * (so a node's slots are its incoming arcs). rc[k] is that arc's reduced
 * cost after dual ascent (Wong 1984): every arborescence A costs at least
 * lb + the sum of rc over A, which gives the bound and the tests.
 */
#ifndef GOVNET_CORE_STEINER_DUAL_H
#define GOVNET_CORE_STEINER_DUAL_H

#include "steiner/steiner_int.h"

typedef struct gn__dual {
  gn_ctx *ctx;
  uint32_t root;
  double lb;        /* sum of the duals, with a float safety margin */
  double *rc;       /* 2m, by slot */
  uint32_t *rev;    /* 2m: slot of the same edge at the other end */
  double *dr;       /* n: reduced-cost distance from the root */
  double *dt;       /* n: reduced-cost distance to the nearest other
                     * terminal */
  uint64_t work;    /* heap operations and scanned arcs */
} gn__dual;

/* Dual ascent from root (a terminal of g) until every terminal reaches
 * the root over arcs of zero reduced cost, or work_limit units are
 * spent (the bound is valid either way). Deterministic. */
gn_status gn__dual_ascent(const gn__sg *g, uint32_t root, uint64_t work_limit,
                          gn__dual *d);
/* The same with the session rule given: a terminal's session goes on
 * until its cut is larger than grow x the next terminal's key + add
 * (gn__dual_ascent: 1.5 and 8). Smaller values raise the smallest cut
 * more strictly: a higher bound for more work. */
gn_status gn__dual_ascent_ex(const gn__sg *g, uint32_t root,
                             uint64_t work_limit, double grow, double add,
                             gn__dual *d);
void gn__dual_cleanup(gn__dual *d);

/* Reduced-cost test against an upper bound ub (the cost of a tree of g):
 * clears edge_ok[e] for every edge both of whose arcs lie only in
 * arborescences costing more than ub, and every edge of a non-terminal
 * node that lies only in such arborescences. Such edges are in no
 * optimal tree. Fills d->dr and d->dt. Returns the number of edges
 * cleared (edge_ok entries that were set). */
gn_status gn__dual_reduce(const gn__sg *g, gn__dual *d, double ub,
                          uint8_t *edge_ok, uint32_t *ndel);

#endif
