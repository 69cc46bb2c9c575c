/*
 * steiner_dual.c - Dual ascent (Wong 1984) on the bidirected graph: a
 * certified lower bound for the Steiner tree, and the reduced-cost test
 * that deletes edges no optimal tree can use.
 *
 * Design: the directed cut formulation rooted at a terminal r has one
 * dual y_W per node set W holding a terminal but not r. Dual ascent
 * raises y_W of a terminal t's component W (every node that reaches t
 * over arcs of zero reduced cost) until an arc entering W is saturated,
 * which grows W; t is done when W reaches r. Every arborescence crosses
 * every such cut, so it costs >= sum y_W + its reduced costs >= sum y_W.
 * Terminals wait in a heap keyed by the number of arcs entering their
 * component when last seen: the smallest cut is raised first (a raise
 * costs reduced cost on every arc of the cut, so a small cut buys the
 * bound cheapest; keying by node count instead left the bound 0.07 %
 * lower on ten Vienna instances and 0.7 % on a raw Porto graph). One processing
 * session builds W from scratch, then raises incrementally: the arcs
 * entering W sit in a heap keyed by reduced cost + the raise at the time
 * their head joined (J), so a raise is a pop, and a node that joins
 * brings its closure and its own entering arcs. The reduced costs are
 * written back once, at the end of the session: arc x->v lost
 * J(x) - J(v) (J of a node outside W is the final raise). A session
 * ends when W reaches r or a terminal already joined to r, or its cut
 * grows beyond the next key (cut sizes are kept as nodes join). When W
 * takes in another active terminal t', t' reaches t, so t is done as
 * soon as t' is: t is merged (Wong's rule: raise the smaller cut of t',
 * W(t') being inside W(t)).
 * Float safety: reduced costs are clamped at 0 (a value that a rounding
 * left slightly negative) and the bound is lowered by 1e-9 relative.
 * Cost: each session is linear in the arcs of its W (plus heap
 * operations); the total is bounded by a work limit counted in scanned
 * arcs and heap operations, so the result is deterministic.
 * Ownership: gn__dual's arrays are on the ctx, freed by
 * gn__dual_cleanup. Threads: reentrant.
 */
#include <math.h>
#include <string.h>

#include "steiner/steiner_dual.h"
#include "util/internal.h"

#define NIL UINT32_MAX

/* A session goes on until its key is larger than GROW x the next
 * terminal's key + ADD: 1 / 0 (strictly smallest first) spent 5-8 s on
 * Vienna instances of 6k-60k nodes; with a 15 M work cap, 1.5 / 8 gave a
 * mean gap of 0.37 % on ten of them, 2 / 32 0.41 %, 3 / 32 0.40 %
 * (measured with node-count keys). */
#ifndef GN__DA_GROW
#define GN__DA_GROW 1.5
#endif
#ifndef GN__DA_ADD
#define GN__DA_ADD 8
#endif

enum { T_NONE = 0, T_ACTIVE, T_MERGED, T_CONNECTED };

typedef struct da {
  const gn__sg *g;
  gn__dual *d;
  uint8_t *st;       /* n: T_* per node (non-terminals T_NONE) */
  uint32_t *stamp;   /* n: session that put the node in W */
  uint32_t cur;
  double *J;         /* n: raise of the session when the node joined W */
  uint32_t *W;       /* n: W in join order; also the scan queue */
  uint32_t nW, scan;
  int64_t ncut;      /* arcs entering W: the size a session is keyed by */
  gn__heap arcs;     /* slots entering W, key rc + J(head) */
  gn__heap terms;    /* active terminals, key component size */
  double eps;        /* reduced costs below this are 0 */
  double lb;
  uint64_t work, limit;
  double grow, add;  /* session limit: grow x the next key + add */
  uint8_t fate;      /* of the session's terminal: T_ACTIVE while open */
} da;

static void add_node(da *a, uint32_t x, double off) {
  const gn__sg *g = a->g;
  a->stamp[x] = a->cur;
  a->J[x] = off;
  a->W[a->nW++] = x;
  for (uint32_t k = g->off[x]; k < g->off[x + 1]; k++) {
    if (a->stamp[g->adj_v[k]] == a->cur) a->ncut--; /* x -> W now inside */
    else a->ncut++;                                 /* new arc into W */
  }
}

/* What a node joining t's component means for t: 1 if t is done (the
 * node is joined to the root, or is another active terminal, which
 * reaches t and whose own, smaller component is raised instead: t is
 * joined to the root when it is). */
static int joins(da *a, uint32_t t, uint32_t x) {
  if (a->st[x] == T_CONNECTED) a->fate = T_CONNECTED;
  else if (a->st[x] == T_ACTIVE && x != t && a->fate != T_CONNECTED)
    a->fate = T_MERGED;
  return a->fate != T_ACTIVE;
}

/* Scan the unscanned part of W: saturated entering arcs pull their tail
 * in, the others go to the arc heap. Returns 1 when t is done. */
static int closure(da *a, uint32_t t, double off) {
  const gn__sg *g = a->g;
  while (a->scan < a->nW) {
    uint32_t v = a->W[a->scan++];
    int done = 0;
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t x = g->adj_v[k];
      a->work++;
      if (a->stamp[x] == a->cur) continue;
      if (a->d->rc[k] > 0) {
        gn__heap_update(&a->arcs, k, a->d->rc[k] + a->J[v]);
        continue;
      }
      add_node(a, x, off);
      done |= joins(a, t, x);
    }
    if (done) return 1;
  }
  return 0;
}

/* Write the session's raises into the reduced costs. */
static void finalize(da *a, double off) {
  const gn__sg *g = a->g;
  double *rc = a->d->rc;
  for (uint32_t i = 0; i < a->nW; i++) {
    uint32_t v = a->W[i];
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t x = g->adj_v[k];
      double jx = a->stamp[x] == a->cur ? a->J[x] : off;
      double dd = jx - a->J[v];
      if (dd <= 0) continue;
      double r = rc[k] - dd;
      rc[k] = r < a->eps ? 0 : r;
    }
    a->work += g->off[v + 1] - g->off[v];
  }
  gn__heap_clear(&a->arcs);
}

/* One session for terminal t; limit: stop once W is larger. Returns 1 if
 * t is done (a->fate says how). */
static int session(da *a, uint32_t t, uint32_t limit) {
  const gn__sg *g = a->g;
  double off = 0;
  a->cur++;
  a->nW = a->scan = 0;
  a->ncut = 0;
  a->fate = T_ACTIVE;
  add_node(a, t, 0);
  int conn = closure(a, t, 0);
  if (!conn && a->ncut <= (int64_t)limit) {
    while (!gn__heap_empty(&a->arcs) && a->work <= a->limit) {
      double key = gn__heap_top_key(&a->arcs);
      uint32_t k = gn__heap_pop(&a->arcs);
      uint32_t x = g->adj_v[k];
      a->work++;
      if (a->stamp[x] == a->cur) continue;
      if (key > off) {
        a->lb += key - off;
        off = key;
      }
      add_node(a, x, off);
      if (joins(a, t, x) || closure(a, t, off)) {
        conn = 1;
        break;
      }
      if (a->ncut > (int64_t)limit) break;
    }
  }
  finalize(a, off);
  return conn;
}

static gn_status da_init(da *a, const gn__sg *g, gn__dual *d) {
  gn_ctx *ctx = g->ctx;
  size_t n = (size_t)g->n + 1, m2 = 2 * (size_t)g->m + 1;
  memset(a, 0, sizeof(*a));
  a->g = g;
  a->d = d;
  a->st = gn_malloc(ctx, n);
  a->stamp = gn_malloc(ctx, n * sizeof(uint32_t));
  a->J = gn_malloc(ctx, n * sizeof(double));
  a->W = gn_malloc(ctx, n * sizeof(uint32_t));
  d->rc = gn_malloc(ctx, m2 * sizeof(double));
  d->rev = gn_malloc(ctx, m2 * sizeof(uint32_t));
  d->dr = gn_malloc(ctx, n * sizeof(double));
  d->dt = gn_malloc(ctx, n * sizeof(double));
  if (!a->st || !a->stamp || !a->J || !a->W || !d->rc || !d->rev || !d->dr ||
      !d->dt || gn__heap_init(ctx, &a->arcs, m2) != GN_OK ||
      gn__heap_init(ctx, &a->terms, n) != GN_OK)
    return gn__fail(ctx, GN_ENOMEM, "out of memory for the dual ascent");
  return GN_OK;
}

static void da_cleanup(da *a) {
  gn_ctx *ctx = a->g->ctx;
  gn_free(ctx, a->st);
  gn_free(ctx, a->stamp);
  gn_free(ctx, a->J);
  gn_free(ctx, a->W);
  gn__heap_cleanup(&a->arcs);
  gn__heap_cleanup(&a->terms);
}

/* rc = weights, rev = the other slot of each edge. */
static void init_arcs(const gn__sg *g, gn__dual *d, uint32_t *first) {
  for (uint32_t e = 0; e < g->m; e++) first[e] = NIL;
  for (uint32_t v = 0; v < g->n; v++)
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t e = g->adj_e[k];
      d->rc[k] = g->adj_w[k];
      d->rev[k] = k; /* a self-loop may have one slot only */
      if (first[e] == NIL) {
        first[e] = k;
      } else {
        d->rev[k] = first[e];
        d->rev[first[e]] = k;
      }
    }
}

gn_status gn__dual_ascent(const gn__sg *g, uint32_t root, uint64_t work_limit,
                          gn__dual *d) {
  return gn__dual_ascent_ex(g, root, work_limit, GN__DA_GROW, GN__DA_ADD, d);
}

gn_status gn__dual_ascent_ex(const gn__sg *g, uint32_t root,
                             uint64_t work_limit, double grow, double add,
                             gn__dual *d) {
  da a;
  memset(d, 0, sizeof(*d));
  d->ctx = g->ctx;
  d->root = root;
  gn_status st = da_init(&a, g, d);
  uint32_t *first = gn_malloc(g->ctx, ((size_t)g->m + 1) * sizeof(uint32_t));
  if (st == GN_OK && !first)
    st = gn__fail(g->ctx, GN_ENOMEM, "out of memory for the dual ascent");
  if (st != GN_OK) {
    gn_free(g->ctx, first);
    da_cleanup(&a);
    gn__dual_cleanup(d);
    return st;
  }
  double maxw = 0;
  for (uint32_t e = 0; e < g->m; e++)
    if (g->w[e] > maxw) maxw = g->w[e];
  a.eps = 1e-12 * (1 + maxw);
  a.limit = work_limit;
  a.grow = grow;
  a.add = add;
  init_arcs(g, d, first);
  gn_free(g->ctx, first);
  memset(a.st, T_NONE, g->n);
  memset(a.stamp, 0, g->n * sizeof(uint32_t));
  for (uint32_t i = 0; i < g->nterm; i++) {
    uint32_t t = g->terms[i];
    a.st[t] = t == root ? T_CONNECTED : T_ACTIVE;
    if (t != root) gn__heap_update(&a.terms, t, 1);
  }
  while (!gn__heap_empty(&a.terms) && a.work <= a.limit) {
    uint32_t t = gn__heap_pop(&a.terms);
    if (a.st[t] != T_ACTIVE) continue;
    double next = gn__heap_empty(&a.terms) ? INFINITY
                                           : gn__heap_top_key(&a.terms);
    next = next * a.grow + a.add;
    uint32_t limit = next >= 4e9 ? UINT32_MAX : (uint32_t)next;
    if (session(&a, t, limit))
      a.st[t] = a.fate;
    else
      gn__heap_update(&a.terms, t, (double)a.ncut);
  }
  d->lb = a.lb * (1 - 1e-9);
  d->work = a.work;
  da_cleanup(&a);
  return GN_OK;
}

void gn__dual_cleanup(gn__dual *d) {
  if (!d->ctx) return;
  gn_free(d->ctx, d->rc);
  gn_free(d->ctx, d->rev);
  gn_free(d->ctx, d->dr);
  gn_free(d->ctx, d->dt);
  d->rc = d->dr = d->dt = NULL;
  d->rev = NULL;
}

/* Dijkstra over reduced costs: forward from the root into d->dr, or
 * backwards from every other terminal into d->dt. */
static void rc_dist(const gn__sg *g, gn__dual *d, gn__heap *h, int forward) {
  double *dist = forward ? d->dr : d->dt;
  for (uint32_t v = 0; v < g->n; v++) dist[v] = INFINITY;
  if (forward) {
    dist[d->root] = 0;
    gn__heap_update(h, d->root, 0);
  } else {
    for (uint32_t i = 0; i < g->nterm; i++) {
      uint32_t t = g->terms[i];
      if (t == d->root) continue;
      dist[t] = 0;
      gn__heap_update(h, t, 0);
    }
  }
  while (!gn__heap_empty(h)) {
    uint32_t v = gn__heap_pop(h);
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t x = g->adj_v[k];
      /* forward: arc v -> x is x's slot of the edge; backward: x -> v */
      double nd = dist[v] + (forward ? d->rc[d->rev[k]] : d->rc[k]);
      if (nd < dist[x]) {
        dist[x] = nd;
        gn__heap_update(h, x, nd);
      }
    }
  }
}

gn_status gn__dual_reduce(const gn__sg *g, gn__dual *d, double ub,
                          uint8_t *edge_ok, uint32_t *ndel) {
  gn__heap h;
  *ndel = 0;
  if (gn__heap_init(g->ctx, &h, (size_t)g->n + 1) != GN_OK)
    return gn__fail(g->ctx, GN_ENOMEM, "out of memory for the reduced-cost "
                    "test");
  rc_dist(g, d, &h, 1);
  gn__heap_clear(&h);
  rc_dist(g, d, &h, 0);
  gn__heap_cleanup(&h);
  double cut = ub + 1e-9 * fabs(ub) - d->lb;
  for (uint32_t v = 0; v < g->n; v++) {
    int node_out = !g->is_term[v] && d->dr[v] + d->dt[v] > cut;
    for (uint32_t k = g->off[v]; k < g->off[v + 1]; k++) {
      uint32_t e = g->adj_e[k], x = g->adj_v[k];
      if (!edge_ok[e]) continue;
      /* slot k is the arc x -> v, rev[k] the arc v -> x */
      int out = node_out ||
                (d->dr[x] + d->rc[k] + d->dt[v] > cut &&
                 d->dr[v] + d->rc[d->rev[k]] + d->dt[x] > cut);
      if (out) {
        edge_ok[e] = 0;
        (*ndel)++;
      }
    }
  }
  return GN_OK;
}
