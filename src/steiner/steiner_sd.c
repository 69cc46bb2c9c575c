/*
 * steiner_sd.c - Edge-deletion tests: duplicate parallel edges, and the
 * special-distance (bottleneck Steiner distance) test of Duin & Volgenant
 * (1989), bounded as in Polzin & Daneshmand's and Rehfeldt & Koch's
 * reduction packages.
 *
 * The rule. A walk P from u to v is cut by the terminals on it into
 * segments; its bottleneck Steiner length b(P) is the longest segment
 * (the whole length if P holds no terminal inside). If some walk P that
 * avoids edge e = (u, v) has b(P) < w(e), no optimal tree holds e: in a
 * tree T holding e, removing e leaves two parts, u in one and v in the
 * other; walking along P through u, its terminals, v, two consecutive of
 * them lie in different parts, and adding their segment (< w(e)) instead
 * of e reconnects T at a strictly lower cost. Because the inequality is
 * strict, every edge so deleted is in no optimal tree of the graph, so
 * any set of them can go at once and two deletions never justify each
 * other (with <=, two equal edges could). With b(P) = length(P) this is
 * the long-edge test (w(e) > d(u, v)); a walk through terminals can be
 * much better (w(e) greater than the largest step between terminals).
 * A walk with b(P) < w(e) cannot use e itself (its segment would be at
 * least w(e)), so the search need not exclude e. To keep float sums from
 * deleting a tie, the test is b(P) < w(e) (1 - 1e-12).
 *
 * The search. One bounded label-setting search per node u tests all of
 * u's edges at once. A label is (key, seg): key = max(finished segments,
 * seg) is the bottleneck so far, seg the length of the open segment.
 * Stepping along an edge of weight c gives (max(key, seg + c), seg + c);
 * reaching a terminal closes the segment (seg = 0, key unchanged). Keys
 * never decrease along a walk, so nodes are settled in key order with
 * one label each (the lower key, then the shorter open segment). One
 * label per node makes the result an upper bound on the true bottleneck
 * distance, not always equal to it; every label is a real walk, so a
 * deletion is always exact. The search stops at the largest edge weight
 * still to test, or after max_settle nodes or max_arcs arcs: the cost is
 * O(max_arcs log) per node, linear in the graph.
 * Two-step pass: on dense graphs (mean degree >= 8) the arc limit stops
 * the search after a handful of nodes, so every walk u-x-v (x of degree
 * <= max_deg2) is tried first: O(m max_deg2) per round.
 * Duplicates: of parallel edges of equal weight the lowest id is kept
 * (they are interchangeable; the strict test cannot break that tie).
 * Threads: reentrant.
 */
#include <math.h>
#include <string.h>

#include "steiner/steiner_sd.h"
#include "util/internal.h"

#define NIL UINT32_MAX
#define SETTLED 1u
#define SD_EPS 1e-12

gn_status gn__sd_ws_init(gn_ctx *ctx, gn__sd_ws *ws, uint32_t n) {
  memset(ws, 0, sizeof(*ws));
  gn_status st = gn__sw_init(ctx, &ws->w, n);
  if (st != GN_OK) return st;
  ws->seg = gn_malloc(ctx, ((size_t)n + 1) * sizeof(double));
  ws->best = gn_malloc(ctx, ((size_t)n + 1) * sizeof(uint32_t));
  ws->dirty = gn_malloc(ctx, (size_t)n + 1);
  ws->nbw = gn_malloc(ctx, ((size_t)n + 1) * sizeof(double));
  if (!ws->seg || !ws->best || !ws->dirty || !ws->nbw) {
    gn__sd_ws_cleanup(ctx, ws);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for the reduction tests");
  }
  for (uint32_t v = 0; v < n; v++) {
    ws->best[v] = NIL;
    ws->nbw[v] = NAN;
  }
  ws->n = n;
  ws->all_dirty = 1;
  return GN_OK;
}

void gn__sd_ws_cleanup(gn_ctx *ctx, gn__sd_ws *ws) {
  gn__sw_cleanup(ctx, &ws->w);
  gn_free(ctx, ws->seg);
  gn_free(ctx, ws->best);
  gn_free(ctx, ws->dirty);
  gn_free(ctx, ws->nbw);
  memset(ws, 0, sizeof(*ws));
}

/* Keep the lightest (then lowest id) of u's parallel edges to each
 * neighbour; only equal weights matter here, the search deletes the
 * strictly heavier ones too. */
static uint32_t delete_parallel(const gn__sg *g, uint8_t *edge_ok,
                                uint32_t *best, uint32_t u) {
  uint32_t del = 0;
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    uint32_t e = g->adj_e[k], x = g->adj_v[k];
    if (!edge_ok[e]) continue;
    uint32_t b = best[x];
    if (b == NIL) {
      best[x] = e;
      continue;
    }
    int keep_new = g->w[e] < g->w[b] || (g->w[e] == g->w[b] && e < b);
    edge_ok[keep_new ? b : e] = 0;
    if (keep_new) best[x] = e;
    del++;
  }
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) best[g->adj_v[k]] = NIL;
  return del;
}

/* Two-step test at u (after the parallel pass: one alive edge per
 * neighbour): delete (u, v) when some u-x-v is strictly better, its
 * length, or the larger step if x is a terminal. Only middle nodes of
 * degree <= max_deg2 are scanned, so the pass costs O(m max_deg2). */
static uint32_t two_step(const gn__sg *g, uint8_t *edge_ok, gn__sd_ws *ws,
                         uint32_t u, uint32_t max_deg2) {
  uint32_t del = 0;
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    if (!edge_ok[g->adj_e[k]]) continue;
    ws->nbw[g->adj_v[k]] = g->adj_w[k];
    ws->best[g->adj_v[k]] = g->adj_e[k];
  }
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    uint32_t x = g->adj_v[k];
    double w1 = g->adj_w[k];
    if (!edge_ok[g->adj_e[k]] || g->off[x + 1] - g->off[x] > max_deg2)
      continue;
    for (uint32_t q = g->off[x]; q < g->off[x + 1]; q++) {
      uint32_t v = g->adj_v[q];
      double w2 = g->adj_w[q], b = w1 + w2;
      if (v == u || !edge_ok[g->adj_e[q]] || !(ws->nbw[v] > 0)) continue;
      if (g->is_term[x]) b = w1 > w2 ? w1 : w2;
      if (b < ws->nbw[v] * (1 - SD_EPS)) {
        edge_ok[ws->best[v]] = 0;
        ws->nbw[v] = NAN;
        del++;
      }
    }
  }
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    ws->nbw[g->adj_v[k]] = NAN;
    ws->best[g->adj_v[k]] = NIL;
  }
  return del;
}

/* Mark u's neighbours: best[x] = weight rank not needed, only "is a
 * neighbour with an undecided edge". Returns the largest weight of u's
 * alive edges (-1: none). */
static double mark_neighbours(const gn__sg *g, const uint8_t *edge_ok,
                              uint32_t *mark, uint32_t u) {
  double wmax = -1;
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    if (!edge_ok[g->adj_e[k]]) continue;
    mark[g->adj_v[k]] = u;
    if (g->adj_w[k] > wmax) wmax = g->adj_w[k];
  }
  return wmax;
}

/* v (a neighbour of u) is settled with its final label: delete u's edges
 * to v that it beats; the new bound is the largest weight of u's edges
 * to unsettled neighbours. */
static double settle_neighbour(const gn__sg *g, uint8_t *edge_ok,
                               gn__sd_ws *ws, uint32_t u, uint32_t v,
                               uint32_t *del) {
  double bound = -1, kv = ws->w.dist[v];
  ws->best[v] = NIL;
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    uint32_t e = g->adj_e[k], x = g->adj_v[k];
    if (!edge_ok[e]) continue;
    if (x == v && kv < g->adj_w[k] * (1 - SD_EPS)) {
      edge_ok[e] = 0;
      (*del)++;
    } else if (ws->best[x] == u && g->adj_w[k] > bound) {
      bound = g->adj_w[k];
    }
  }
  return bound * (1 - SD_EPS);
}

/* Bounded bottleneck search from u, testing u's edges as their far ends
 * settle; labels stay in ws->w.dist (key) and ws->seg. */
static uint32_t search(const gn__sg *g, uint8_t *edge_ok, gn__sd_ws *ws,
                       uint32_t u, double bound, const gn__sd_opts *o) {
  gn__sw *w = &ws->w;
  uint32_t settled = 0, arcs = 0, del = 0;
  gn__sw_touch(w, u);
  w->dist[u] = 0;
  ws->seg[u] = 0;
  gn__heap_update(&w->heap, u, 0);
  while (!gn__heap_empty(&w->heap)) {
    uint32_t x = gn__heap_pop(&w->heap);
    double kx = w->dist[x], sx = ws->seg[x];
    w->label[x] = SETTLED;
    if (ws->best[x] == u) bound = settle_neighbour(g, edge_ok, ws, u, x, &del);
    if (kx >= bound || ++settled > o->max_settle || arcs > o->max_arcs) break;
    for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++) {
      uint32_t y = g->adj_v[k];
      if (!edge_ok[g->adj_e[k]] || w->label[y] == SETTLED) continue;
      double ns = sx + g->adj_w[k], nk = ns > kx ? ns : kx;
      if (nk >= bound) continue; /* cannot delete anything */
      if (g->is_term[y]) ns = 0;
      if (nk > w->dist[y] || (nk == w->dist[y] && ns >= ws->seg[y])) continue;
      gn__sw_touch(w, y);
      w->dist[y] = nk;
      ws->seg[y] = ns;
      gn__heap_update(&w->heap, y, nk);
    }
    arcs += g->off[x + 1] - g->off[x];
  }
  return del;
}

/* Test u's edges: delete each whose far end got a label strictly below
 * its weight (settled ones during the search, the others after). */
static uint32_t test_node(const gn__sg *g, uint8_t *edge_ok, gn__sd_ws *ws,
                          uint32_t u, const gn__sd_opts *o) {
  double wmax = mark_neighbours(g, edge_ok, ws->best, u);
  uint32_t del = 0;
  if (wmax > 0) del = search(g, edge_ok, ws, u, wmax * (1 - SD_EPS), o);
  for (uint32_t k = g->off[u]; k < g->off[u + 1]; k++) {
    uint32_t e = g->adj_e[k], v = g->adj_v[k];
    ws->best[v] = NIL;
    if (edge_ok[e] && ws->w.dist[v] < g->adj_w[k] * (1 - SD_EPS)) {
      edge_ok[e] = 0;
      del++;
    }
  }
  gn__sw_reset(&ws->w);
  return del;
}

uint32_t gn__sd_delete(const gn__sg *g, uint8_t *edge_ok, gn__sd_ws *ws,
                       const gn__sd_opts *o) {
  uint32_t del = 0;
  for (uint32_t u = 0; u < g->n; u++)
    del += delete_parallel(g, edge_ok, ws->best, u);
  /* dense graphs only (mean degree >= 8): on sparse ones the search
   * already covers the two-step walks */
  int dense = (uint64_t)g->m >= 4 * (uint64_t)g->n;
  for (uint32_t u = 0; u < g->n; u++) {
    if (!ws->all_dirty && !ws->dirty[u]) continue;
    if (dense && o->max_deg2) del += two_step(g, edge_ok, ws, u, o->max_deg2);
    del += test_node(g, edge_ok, ws, u, o);
  }
  return del;
}
