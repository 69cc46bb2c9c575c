/*
 * steiner_construct.c - Constructive heuristic: the shortest-path
 * heuristic (Takahashi & Matsuyama 1980) grown from one root.
 *
 * Design: a single Dijkstra whose sources are the current tree nodes.
 * When it settles a terminal not yet in the tree, the path to it joins the
 * tree and its nodes re-enter the heap with distance 0, so the search
 * continues from the grown tree without restarting; nodes whose distance
 * shrinks are simply relaxed again. Weights come from an array so the
 * driver can pass randomly perturbed copies for diversified restarts.
 * The caller turns the marked node set into a tree with MST + pruning.
 * Threads: reentrant.
 */
#include <math.h>

#include "steiner/steiner_int.h"

#define NIL UINT32_MAX

/* Join the path ending at t to the tree: its nodes get distance 0. */
static void join_path(gn__sw *w, const gn__sg *sg, uint32_t t,
                      uint8_t *in_node, uint8_t *in_edge) {
  uint32_t x = t;
  while (!in_node[x]) {
    in_node[x] = 1;
    w->dist[x] = 0;
    gn__heap_update(&w->heap, x, 0);
    uint32_t e = w->pred[x];
    if (in_edge) in_edge[e] = 1;
    w->pred[x] = NIL;
    x = gn__sg_other(sg, e, x);
  }
}

void gn__sph(const gn__sg *sg, gn__sw *w, const double *wt, uint32_t root,
             uint8_t *in_node, uint8_t *in_edge) {
  uint32_t left = sg->nterm;
  gn__sw_touch(w, root);
  w->dist[root] = 0;
  in_node[root] = 1;
  if (sg->is_term[root]) left--;
  gn__heap_update(&w->heap, root, 0);
  while (left > 0 && !gn__heap_empty(&w->heap)) {
    uint32_t v = gn__heap_pop(&w->heap);
    w->work++;
    if (sg->is_term[v] && !in_node[v]) {
      join_path(w, sg, v, in_node, in_edge);
      left--;
      continue; /* v is back in the heap with key 0 */
    }
    double dv = w->dist[v];
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t x = sg->adj_v[k], e = sg->adj_e[k];
      double nd = dv + wt[e];
      if (nd >= w->dist[x]) continue;
      gn__sw_touch(w, x);
      w->dist[x] = nd;
      w->pred[x] = e;
      gn__heap_update(&w->heap, x, nd);
    }
    w->work += sg->off[v + 1] - sg->off[v];
  }
  gn__sw_reset(w);
}
