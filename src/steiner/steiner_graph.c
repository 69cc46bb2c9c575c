/*
 * steiner_graph.c - The solver's compact graph, its search workspace, MST
 * with leaf pruning, and the rooted view of a tree solution.
 *
 * Design: gn__sg is a private CSR copy of the caller's gn_graph (uint32
 * ids, weights in one array) with the terminal set de-duplicated. The
 * rooted view (gn__st_tree) stores a DFS preorder and subtree sizes so
 * "is x below y" is one subtraction; the local search relies on that.
 * Ownership: every array is allocated on the ctx and freed by the
 * matching _cleanup. Threads: reentrant.
 */
#include <math.h>
#include <string.h>
#include <time.h>

#include "steiner/steiner_int.h"
#include "util/internal.h"

#define NIL UINT32_MAX

double gn__now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void *alloc_n(gn_ctx *ctx, size_t n, size_t es) {
  return gn_malloc(ctx, (n ? n : 1) * es);
}

void gn__sg_cleanup(gn__sg *sg) {
  gn_ctx *ctx = sg->ctx;
  if (!ctx) return;
  gn_free(ctx, sg->off);
  gn_free(ctx, sg->adj_v);
  gn_free(ctx, sg->adj_e);
  gn_free(ctx, sg->adj_w);
  gn_free(ctx, sg->eu);
  gn_free(ctx, sg->ev);
  gn_free(ctx, sg->w);
  gn_free(ctx, sg->is_term);
  gn_free(ctx, sg->terms);
  gn_free(ctx, sg->orig_node);
  gn_free(ctx, sg->orig_edge);
  memset(sg, 0, sizeof(*sg));
}

/* Breadth-first numbering, one component after the other: neighbours in
 * the graph get nearby ids, so searches touch nearby memory. Fills
 * orig_node (new -> old) and nid (old -> new). */
static void bfs_order(const gn_graph *g, uint32_t n, uint32_t *orig_node,
                      uint32_t *nid) {
  uint32_t head = 0, cnt = 0;
  for (uint32_t v = 0; v < n; v++) nid[v] = NIL;
  for (uint32_t s = 0; s < n; s++) {
    if (nid[s] != NIL) continue;
    nid[s] = cnt;
    orig_node[cnt++] = s;
    while (head < cnt) {
      const gn_id *nbr, *eid;
      size_t k;
      gn_graph_adj(g, orig_node[head++], &nbr, &eid, &k);
      for (size_t i = 0; i < k; i++) {
        if (nid[nbr[i]] != NIL) continue;
        nid[nbr[i]] = cnt;
        orig_node[cnt++] = nbr[i];
      }
    }
  }
}

/* Copy the adjacency in the new numbering; edges are renumbered in order
 * of first appearance (enew: old -> new, orig_edge: new -> old). */
static void copy_adjacency(const gn_graph *g, gn__sg *sg, const uint32_t *nid,
                           uint32_t *enew) {
  uint32_t ecnt = 0;
  for (uint32_t e = 0; e < sg->m; e++) enew[e] = NIL;
  sg->off[0] = 0;
  for (uint32_t v = 0; v < sg->n; v++) {
    const gn_id *nbr, *eid;
    size_t k;
    gn_graph_adj(g, sg->orig_node[v], &nbr, &eid, &k);
    uint32_t o = sg->off[v];
    for (size_t i = 0; i < k; i++) {
      if (enew[eid[i]] == NIL) {
        const gn_edge *ed = gn_graph_edge(g, eid[i]);
        enew[eid[i]] = ecnt;
        sg->orig_edge[ecnt] = eid[i];
        sg->eu[ecnt] = nid[ed->u];
        sg->ev[ecnt] = nid[ed->v];
        sg->w[ecnt++] = ed->weight;
      }
      sg->adj_v[o + i] = nid[nbr[i]];
      sg->adj_e[o + i] = enew[eid[i]];
      sg->adj_w[o + i] = sg->w[enew[eid[i]]];
    }
    sg->off[v + 1] = o + (uint32_t)k;
  }
}

static int sg_alloc(gn_ctx *ctx, gn__sg *sg, size_t nterm) {
  size_t n = sg->n, m = sg->m;
  sg->off = alloc_n(ctx, n + 1, sizeof(uint32_t));
  sg->adj_v = alloc_n(ctx, 2 * m, sizeof(uint32_t));
  sg->adj_e = alloc_n(ctx, 2 * m, sizeof(uint32_t));
  sg->adj_w = alloc_n(ctx, 2 * m, sizeof(double));
  sg->eu = alloc_n(ctx, m, sizeof(uint32_t));
  sg->ev = alloc_n(ctx, m, sizeof(uint32_t));
  sg->w = alloc_n(ctx, m, sizeof(double));
  sg->is_term = alloc_n(ctx, n, 1);
  sg->terms = alloc_n(ctx, nterm, sizeof(uint32_t));
  sg->orig_node = alloc_n(ctx, n, sizeof(uint32_t));
  sg->orig_edge = alloc_n(ctx, m, sizeof(uint32_t));
  return sg->off && sg->adj_v && sg->adj_e && sg->adj_w && sg->eu && sg->ev &&
         sg->w && sg->is_term && sg->terms && sg->orig_node && sg->orig_edge;
}

gn_status gn__sg_from_graph(gn_ctx *ctx, const gn_graph *g,
                            const gn_id *terms, size_t nterm, gn__sg *sg) {
  memset(sg, 0, sizeof(*sg));
  sg->ctx = ctx;
  sg->n = (uint32_t)gn_graph_node_count(g);
  sg->m = (uint32_t)gn_graph_edge_count(g);
  uint32_t *nid = alloc_n(ctx, sg->n, sizeof(uint32_t));
  uint32_t *enew = alloc_n(ctx, sg->m, sizeof(uint32_t));
  if (!nid || !enew || !sg_alloc(ctx, sg, nterm)) {
    gn_free(ctx, nid);
    gn_free(ctx, enew);
    gn__sg_cleanup(sg);
    return gn__fail(ctx, GN_ENOMEM, "out of memory copying the graph");
  }
  bfs_order(g, sg->n, sg->orig_node, nid);
  copy_adjacency(g, sg, nid, enew);
  memset(sg->is_term, 0, sg->n);
  for (size_t i = 0; i < nterm; i++) {
    uint32_t t = nid[terms[i]];
    if (sg->is_term[t]) continue;
    sg->is_term[t] = 1;
    sg->terms[sg->nterm++] = t;
  }
  gn_free(ctx, nid);
  gn_free(ctx, enew);
  return GN_OK;
}

gn_status gn__sw_init(gn_ctx *ctx, gn__sw *w, uint32_t n) {
  memset(w, 0, sizeof(*w));
  w->dist = alloc_n(ctx, n, sizeof(double));
  w->pred = alloc_n(ctx, n, sizeof(uint32_t));
  w->label = alloc_n(ctx, n, sizeof(uint32_t));
  w->touched = alloc_n(ctx, n, sizeof(uint32_t));
  if (!w->dist || !w->pred || !w->label || !w->touched ||
      gn__heap_init(ctx, &w->heap, n) != GN_OK) {
    gn__sw_cleanup(ctx, w);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for search workspace");
  }
  for (uint32_t v = 0; v < n; v++) {
    w->dist[v] = INFINITY;
    w->pred[v] = NIL;
    w->label[v] = NIL;
  }
  return GN_OK;
}

void gn__sw_cleanup(gn_ctx *ctx, gn__sw *w) {
  if (w->heap.ent) gn__heap_cleanup(&w->heap);
  gn_free(ctx, w->dist);
  gn_free(ctx, w->pred);
  gn_free(ctx, w->label);
  gn_free(ctx, w->touched);
  memset(w, 0, sizeof(*w));
}

void gn__sw_touch(gn__sw *w, uint32_t v) {
  if (w->dist[v] == INFINITY) w->touched[w->ntouched++] = v;
}

void gn__sw_reset(gn__sw *w) {
  for (uint32_t i = 0; i < w->ntouched; i++) {
    uint32_t v = w->touched[i];
    w->dist[v] = INFINITY;
    w->pred[v] = NIL;
    w->label[v] = NIL;
  }
  w->ntouched = 0;
  gn__heap_clear(&w->heap);
}

void gn__sg_prune(const gn__sg *sg, uint8_t *in_node, uint8_t *in_edge,
                  uint32_t *deg, uint32_t *stack) {
  uint32_t top = 0;
  for (uint32_t v = 0; v < sg->n; v++) {
    if (!in_node[v]) continue;
    deg[v] = 0;
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++)
      deg[v] += in_edge[sg->adj_e[k]];
    if (deg[v] <= 1 && !sg->is_term[v]) stack[top++] = v;
  }
  while (top) {
    uint32_t v = stack[--top];
    in_node[v] = 0;
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t e = sg->adj_e[k], x = sg->adj_v[k];
      if (!in_edge[e]) continue;
      in_edge[e] = 0;
      if (--deg[x] == 1 && !sg->is_term[x]) stack[top++] = x;
    }
  }
}

gn_status gn__sg_mst_prune(const gn__sg *sg, gn__sw *w, uint8_t *in_node,
                           uint8_t *in_edge) {
  uint32_t root = sg->terms[0];
  memset(in_edge, 0, sg->m);
  gn__sw_touch(w, root);
  w->dist[root] = 0;
  gn__heap_update(&w->heap, root, 0);
  while (!gn__heap_empty(&w->heap)) {
    uint32_t v = gn__heap_pop(&w->heap);
    w->dist[v] = -1; /* settled */
    if (w->pred[v] != NIL) in_edge[w->pred[v]] = 1;
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t x = sg->adj_v[k], e = sg->adj_e[k];
      if (!in_node[x] || w->dist[x] < 0 || sg->w[e] >= w->dist[x]) continue;
      gn__sw_touch(w, x);
      w->dist[x] = sg->w[e];
      w->pred[x] = e;
      gn__heap_update(&w->heap, x, sg->w[e]);
    }
  }
  for (uint32_t v = 0; v < sg->n; v++)
    if (in_node[v] && w->dist[v] != -1) in_node[v] = 0;
  uint32_t nt = w->ntouched;
  gn__sw_reset(w);
  for (uint32_t i = 0; i < sg->nterm; i++)
    if (!in_node[sg->terms[i]])
      return gn__fail(sg->ctx, GN_EINTERNAL, "MST lost terminal %u (%u nodes)",
                      sg->terms[i] + 1, nt);
  gn__sg_prune(sg, in_node, in_edge, w->label, w->touched);
  for (uint32_t v = 0; v < sg->n; v++) w->label[v] = NIL;
  return GN_OK;
}

gn_status gn__st_tree_init(gn_ctx *ctx, gn__st_tree *t, uint32_t n) {
  memset(t, 0, sizeof(*t));
  t->order = alloc_n(ctx, n, sizeof(uint32_t));
  t->tin = alloc_n(ctx, n, sizeof(uint32_t));
  t->sub = alloc_n(ctx, n, sizeof(uint32_t));
  t->par = alloc_n(ctx, n, sizeof(uint32_t));
  t->pedge = alloc_n(ctx, n, sizeof(uint32_t));
  t->deg = alloc_n(ctx, n, sizeof(uint32_t));
  if (!t->order || !t->tin || !t->sub || !t->par || !t->pedge || !t->deg) {
    gn__st_tree_cleanup(ctx, t);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for a tree");
  }
  for (uint32_t v = 0; v < n; v++) t->tin[v] = NIL;
  return GN_OK;
}

void gn__st_tree_cleanup(gn_ctx *ctx, gn__st_tree *t) {
  gn_free(ctx, t->order);
  gn_free(ctx, t->tin);
  gn_free(ctx, t->sub);
  gn_free(ctx, t->par);
  gn_free(ctx, t->pedge);
  gn_free(ctx, t->deg);
  memset(t, 0, sizeof(*t));
}

/* Iterative DFS; `order` doubles as the stack (preorder is final when a
 * node is popped, so we push children after assigning tin). */
static int dfs(const gn__sg *sg, const uint8_t *in_edge, gn__st_tree *t) {
  /* Locals instead of t-> fields: the stores to the arrays could alias
   * them, which kept the cost sum in memory (a loop-carried dependency
   * through a store); the edge weight is read from adj_w, next to the
   * adjacency, not from the randomly accessed w[]. */
  uint32_t *restrict stack = t->sub; /* reused before sizes are known */
  uint32_t *restrict tin = t->tin, *restrict order = t->order;
  uint32_t *restrict par = t->par, *restrict pedge = t->pedge;
  uint32_t *restrict deg = t->deg;
  const uint32_t *off = sg->off, *adj_e = sg->adj_e, *adj_v = sg->adj_v;
  const double *adj_w = sg->adj_w;
  uint32_t top = 0, cnt = 0;
  double cost = 0;
  stack[top++] = t->root;
  par[t->root] = NIL;
  pedge[t->root] = NIL;
  while (top) {
    uint32_t v = stack[--top];
    if (tin[v] != NIL) return -1; /* reached twice: cycle */
    tin[v] = cnt;
    order[cnt++] = v;
    uint32_t d = 0, pe = pedge[v];
    for (uint32_t k = off[v]; k < off[v + 1]; k++) {
      uint32_t e = adj_e[k];
      if (!in_edge[e]) continue;
      d++;
      if (e == pe) continue;
      uint32_t x = adj_v[k];
      if (tin[x] != NIL) return -1;
      par[x] = v;
      pedge[x] = e;
      cost += adj_w[k];
      stack[top++] = x;
    }
    deg[v] = d;
  }
  t->size = cnt;
  t->cost = cost;
  return 0;
}

int gn__st_tree_build(const gn__sg *sg, const uint8_t *in_edge,
                      gn__st_tree *t) {
  for (uint32_t i = 0; i < t->size; i++) t->tin[t->order[i]] = NIL;
  t->size = 0;
  t->root = sg->terms[0];
  if (dfs(sg, in_edge, t) != 0) {
    for (uint32_t v = 0; v < sg->n; v++) t->tin[v] = NIL;
    t->size = 0;
    return -1;
  }
  for (uint32_t i = t->size; i-- > 0;) {
    uint32_t v = t->order[i];
    t->sub[v] = 1;
  }
  for (uint32_t i = t->size; i-- > 1;) {
    uint32_t v = t->order[i];
    t->sub[t->par[v]] += t->sub[v];
  }
  for (uint32_t i = 0; i < sg->nterm; i++)
    if (t->tin[sg->terms[i]] == NIL) return -1;
  return 0;
}
