/*
 * steiner_int.h - Internals of the Steiner tree solver (not API).
 *
 * The solver copies the instance into a compact CSR graph (gn__sg) so the
 * hot loops read plain arrays; nodes are renumbered breadth-first and
 * edges by first appearance, for memory locality (orig_node/orig_edge
 * map back). A solution is a set of edges of that graph
 * (flag per edge) that forms a tree spanning all terminals; gn__st_tree
 * adds a rooted view of it (parent, DFS order, subtree ranges) which the
 * local search rebuilds after every accepted move.
 * Workspace (gn__sw) holds the per-node scratch arrays of the bounded
 * Dijkstra searches; `touched` lists the nodes to reset so a search costs
 * time proportional to what it explored, not to the graph.
 * Files: steiner_graph.c (sg, MST+prune, rooting), steiner_construct.c
 * (shortest-path heuristic), steiner_local.c (local search),
 * steiner_reduce.c (reductions), steiner.c (driver, public API).
 */
#ifndef GOVNET_CORE_STEINER_INT_H
#define GOVNET_CORE_STEINER_INT_H

#include <stdint.h>

#include "base/heap.h"
#include "govnet/steiner.h"

typedef struct gn__sg {
  gn_ctx *ctx;
  uint32_t n, m;
  uint32_t *off;        /* n + 1 */
  uint32_t *adj_v;      /* 2m: neighbour */
  uint32_t *adj_e;      /* 2m: edge id */
  double *adj_w;        /* 2m: weight of adj_e (contiguous reads) */
  uint32_t *eu, *ev;    /* m: ends */
  double *w;            /* m: weight */
  uint8_t *is_term;     /* n */
  uint32_t *orig_node;  /* n: caller's node id of each node */
  uint32_t *orig_edge;  /* m: caller's edge id of each edge */
  uint32_t *terms;      /* distinct terminals */
  uint32_t nterm;
} gn__sg;

/* Rooted view of a tree solution. */
typedef struct gn__st_tree {
  uint32_t root;
  uint32_t size;       /* nodes in the tree */
  uint32_t *order;     /* DFS preorder, size entries */
  uint32_t *tin;       /* by node: preorder index, or UINT32_MAX */
  uint32_t *sub;       /* by node: subtree size */
  uint32_t *par;       /* by node: parent node (root: UINT32_MAX) */
  uint32_t *pedge;     /* by node: edge to parent */
  uint32_t *deg;       /* by node: tree degree */
  double cost;
} gn__st_tree;

/* Scratch for bounded searches. */
/* The end of edge e that is not x. */
static inline uint32_t gn__sg_other(const gn__sg *sg, uint32_t e, uint32_t x) {
  return sg->eu[e] == x ? sg->ev[e] : sg->eu[e];
}

typedef struct gn__sw {
  gn__heap heap;
  double *dist;        /* INFINITY when untouched */
  uint32_t *pred;      /* edge to predecessor, UINT32_MAX at sources */
  uint32_t *label;     /* search-specific */
  uint32_t *touched;
  uint32_t ntouched;
  uint64_t work;       /* deterministic work counter */
} gn__sw;

typedef struct gn__rng {
  uint64_t s;
} gn__rng;

static inline uint64_t gn__rng_next(gn__rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}
static inline double gn__rng_unit(gn__rng *r) {
  return (double)(gn__rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline int gn__st_in_sub(const gn__st_tree *t, uint32_t top,
                                uint32_t x) {
  return t->tin[x] - t->tin[top] < t->sub[top];
}

/* steiner_graph.c */
gn_status gn__sg_from_graph(gn_ctx *ctx, const gn_graph *g,
                            const gn_id *terms, size_t nterm, gn__sg *sg);
void gn__sg_cleanup(gn__sg *sg);
gn_status gn__sw_init(gn_ctx *ctx, gn__sw *w, uint32_t n);
void gn__sw_cleanup(gn_ctx *ctx, gn__sw *w);
void gn__sw_reset(gn__sw *w);
void gn__sw_touch(gn__sw *w, uint32_t v);
/* MST over the subgraph induced by nodes with in_node[v] (must contain
 * all terminals, connected), then prune non-terminal leaves. Writes the
 * edge flags in_edge (m) and updates in_node to the final tree. */
gn_status gn__sg_mst_prune(const gn__sg *sg, gn__sw *w, uint8_t *in_node,
                           uint8_t *in_edge);
/* Remove non-terminal leaves repeatedly from an edge set. */
void gn__sg_prune(const gn__sg *sg, uint8_t *in_node, uint8_t *in_edge,
                  uint32_t *deg, uint32_t *stack);
gn_status gn__st_tree_init(gn_ctx *ctx, gn__st_tree *t, uint32_t n);
void gn__st_tree_cleanup(gn_ctx *ctx, gn__st_tree *t);
/* Root the tree given by in_edge at a terminal. Returns 0 if in_edge is a
 * tree spanning all terminals, -1 otherwise. */
int gn__st_tree_build(const gn__sg *sg, const uint8_t *in_edge,
                      gn__st_tree *t);

/* steiner_update.c: update the rooted view t after the edges chg[]
 * (flags in in_edge) changed; walks only the subtree that holds them.
 * buf and stack: n entries. Returns -1 (view reset) when it cannot, and
 * the caller must rebuild with gn__st_tree_build. */
int gn__st_tree_update(const gn__sg *sg, const uint8_t *in_edge,
                       gn__st_tree *t, const uint32_t *chg, uint32_t nchg,
                       uint32_t *buf, uint32_t *stack, uint64_t *work);

/* steiner_reduce.c: delete non-terminals of degree <= 1, contract
 * degree-2 chains. red is a new graph (free with gn__sg_cleanup); edge e
 * of red stands for base edges anc_e[anc_off[e] .. anc_off[e + 1]). */
gn_status gn__sg_reduce(const gn__sg *base, gn__sg *red, uint32_t **anc_off,
                        uint32_t **anc_e);

/* Delete the edges with ok[e] == 0 (ok is overwritten), run the degree
 * tests again and replace red and its ancestry by the result. */
gn_status gn__sg_reduce_mask(gn__sg *red, uint32_t **anc_off,
                             uint32_t **anc_e, uint8_t *ok);

/* steiner_construct.c: shortest-path heuristic from root over weights
 * wt (perturbed copy or sg->w); marks in_node, and the edges of the
 * paths it joins in in_edge unless that is NULL. */
void gn__sph(const gn__sg *sg, gn__sw *w, const double *wt, uint32_t root,
             uint8_t *in_node, uint8_t *in_edge);

/* steiner_local.c: local search over a tree solution (key-path
 * exchange, key-vertex elimination, Steiner-vertex insertion). */
typedef struct gn__cand {
  double cost;
  uint32_t a, b; /* piece labels; 0 is the rest of the tree */
  uint32_t arc;  /* CSR slot of the boundary arc the connection crosses */
} gn__cand;
typedef struct gn__vp gn__vp; /* scratch of steiner_vpass.c */
/* A move found by a pass. vbuf[off..] holds: nE, removed edges; nV,
 * removed nodes; np, piece ends (end 0: the key vertex on the rest's
 * side, 1..: the lower key vertices); ncon, then per connection: its
 * tree ends a, b, nE, its edges. */
typedef struct gn__vmove {
  double gain;
  uint32_t kind; /* 0 key-path exchange, 1 key-vertex elimination */
  uint32_t node; /* key vertex below the path, or the eliminated one */
  uint32_t done; /* applied by the last batch */
  size_t off;
} gn__vmove;
#define GN__VP_MAX_PIECES 64
typedef struct gn__ls {
  const gn__sg *sg;
  gn__sw *w;
  gn__st_tree *t;
  uint8_t *in_node, *in_edge; /* the solution, owned by the caller */
  uint32_t *elock;     /* n: batch move holding tree edge (x, par x) */
  uint32_t *nlock;     /* n: batch move holding non-tree node x */
  uint32_t *rem_v;     /* n: nodes an insertion removes */
  uint32_t *rem_e;     /* n: edges removed by the move under test */
  uint32_t *path;      /* n: scratch path / source list */
  uint32_t nrem_v, nrem_e;
  gn__cand *cands;
  size_t ncands, cap_cands;
  uint32_t *uf;        /* union-find over component labels */
  size_t cap_uf;
  uint64_t work_limit;
  double deadline;     /* gn__now() value */
  uint32_t max_passes; /* 0: until no move helps */
  int converged;       /* out: the last pass found no move */
  uint32_t *log;       /* edges whose flag the current try wrote */
  uint32_t nlog, cap_log;
  uint32_t *ubuf, *ustack; /* n: scratch of gn__st_tree_update */
  gn__vp *vp;
  gn__vmove *vmoves;   /* moves found by the last pass */
  size_t nvmoves, cap_vmoves;
  uint32_t *vbuf;
  size_t nvbuf, cap_vbuf;
} gn__ls;
gn_status gn__ls_init(gn__ls *ls, const gn__sg *sg, gn__sw *w,
                      gn__st_tree *t, uint8_t *in_node, uint8_t *in_edge);
void gn__ls_cleanup(gn__ls *ls);
/* Improve the tree in place until no move helps (ls->converged), the
 * work budget is spent, the deadline passes or ls->max_passes passes
 * ran; ls->t holds the rooted result. */
gn_status gn__local_search(gn__ls *ls);

/* Shared by the local search and its evaluation pass. */
/* Union-find root with path halving (p[x] == x at a root). */
static inline uint32_t gn__uf_find(uint32_t *p, uint32_t x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

gn_status gn__ls_add_cand(gn__ls *ls, const gn__cand *c);
/* Cost of the cheapest way to join pieces 0..k with ls->cands (Kruskal;
 * the chosen candidates move to the front), or INFINITY if it cannot
 * beat bound. */
double gn__ls_kruskal(gn__ls *ls, uint32_t k, double bound, size_t *nch);

/* steiner_vpass.c: evaluate every key-path exchange and key-vertex
 * elimination of the current tree (ls->t current) in O(m log n); the
 * improving ones go to ls->vmoves / ls->vbuf. */
gn_status gn__vpass(gn__ls *ls);
void gn__vp_free(gn_ctx *ctx, gn__vp *p);

/* Monotonic clock in seconds. */
double gn__now(void);

#endif
