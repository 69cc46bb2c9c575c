/*
 * steiner_vpass.c - One evaluation pass of key-path exchange and
 * key-vertex elimination over the whole tree, after Uchoa & Werneck,
 * "Fast local search for Steiner trees in graphs" (ALENEX 2010).
 *
 * Design: a Voronoi diagram whose bases are all tree nodes gives, for
 * every removal, the cheapest reconnection (Mehlhorn: the boundary edges
 * of a Voronoi diagram hold the MST of the distance network). The tree
 * is walked bottom-up; each node owns a pairing heap of the boundary arcs
 * leaving its subtree's regions (key d(u) + w + d(v)), melded upwards. An
 * arc whose far base lies inside the subtree is stale for every ancestor
 * too, so it is dropped when it reaches the top. Removing a key path or
 * a Steiner key vertex only moves the nodes of the removed nodes' own
 * regions; a Dijkstra restricted to those regions reassigns them (each
 * region is repaired at most three times per pass). So one pass costs
 * O(m log n) and tells, for every key path and key vertex, the gain of its
 * best move on the current tree.
 * The pass only evaluates; the caller applies the moves it found (best
 * first) with the bounded searches of steiner_local.c, which check them
 * against the tree as it is by then.
 * Ownership: scratch lives in gn__vp, allocated on first use and freed
 * with gn__ls_cleanup. Threads: reentrant.
 */
#include <math.h>
#include <string.h>

#include "steiner/steiner_int.h"
#include "util/internal.h"

#define NIL UINT32_MAX

struct gn__vp {
  uint32_t n, narc;
  double *vdist;      /* n: distance to the Voronoi base */
  uint32_t *vbase;    /* n: nearest tree node */
  uint32_t *vpred;    /* n: edge towards the base (NIL at a base) */
  uint32_t *npred;    /* n: same for a repaired node */
  uint32_t *remE;     /* n: edges removed by the move under evaluation */
  uint32_t *rstart;   /* n + 1: region of base b = rmem[rstart[b]..) */
  uint32_t *rmem;     /* n */
  uint32_t *hroot;    /* n: heap of key vertex x (its subtree) */
  uint32_t *hchain;   /* n: heap of a chain node and the chain below it */
  uint32_t *kbelow;   /* n: key vertex at the bottom of a node's chain */
  uint32_t *rmark;    /* n: stamp of removed bases */
  uint32_t *inrep;    /* n: stamp of nodes being repaired */
  double *ndist;      /* n: repaired distance */
  uint32_t *nlab;     /* n: piece of the repaired base */
  uint32_t *rlist;    /* n: nodes being repaired */
  uint32_t *rem;      /* n: removed bases */
  double *hkey;       /* 2m: arc heap keys */
  uint32_t *hchild, *hsib, *asrc, *stk; /* 2m */
  uint32_t stamp;
};

static void vp_free(gn_ctx *ctx, gn__vp *p) {
  if (!p) return;
  void *arr[] = {p->vdist, p->vbase, p->vpred, p->npred, p->remE, p->rstart, p->rmem, p->hroot,
                 p->hchain, p->kbelow, p->rmark, p->inrep, p->ndist,
                 p->nlab, p->rlist, p->rem, p->hkey, p->hchild, p->hsib,
                 p->asrc, p->stk};
  for (size_t i = 0; i < sizeof(arr) / sizeof(arr[0]); i++)
    gn_free(ctx, arr[i]);
  gn_free(ctx, p);
}

void gn__vp_free(gn_ctx *ctx, gn__vp *p) { vp_free(ctx, p); }

static gn__vp *vp_new(const gn__sg *sg) {
  gn_ctx *ctx = sg->ctx;
  gn__vp *p = gn_malloc(ctx, sizeof(*p));
  if (!p) return NULL;
  memset(p, 0, sizeof(*p));
  size_t n = (size_t)sg->n + 1, a = 2 * (size_t)sg->m + 1;
  p->n = sg->n;
  p->narc = 2 * sg->m;
  p->vdist = gn_malloc(ctx, n * sizeof(double));
  p->ndist = gn_malloc(ctx, n * sizeof(double));
  p->hkey = gn_malloc(ctx, a * sizeof(double));
  uint32_t **u32[] = {&p->vbase, &p->vpred, &p->npred, &p->remE, &p->rstart, &p->rmem, &p->hroot,
                      &p->hchain, &p->kbelow, &p->rmark, &p->inrep,
                      &p->nlab, &p->rlist, &p->rem};
  int ok = p->vdist && p->ndist && p->hkey;
  for (size_t i = 0; i < sizeof(u32) / sizeof(u32[0]); i++)
    ok &= (*u32[i] = gn_malloc(ctx, (n + 1) * sizeof(uint32_t))) != NULL;
  uint32_t **arcs[] = {&p->hchild, &p->hsib, &p->asrc, &p->stk};
  for (size_t i = 0; i < sizeof(arcs) / sizeof(arcs[0]); i++)
    ok &= (*arcs[i] = gn_malloc(ctx, a * sizeof(uint32_t))) != NULL;
  if (!ok) {
    vp_free(ctx, p);
    return NULL;
  }
  for (uint32_t v = 0; v < sg->n; v++)
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) p->asrc[k] = v;
  return p;
}

/* Pairing heap over arcs (CSR slots). */
static uint32_t meld(gn__vp *p, uint32_t a, uint32_t b) {
  if (a == NIL) return b;
  if (b == NIL) return a;
  if (p->hkey[b] < p->hkey[a]) {
    uint32_t t = a;
    a = b;
    b = t;
  }
  p->hsib[b] = p->hchild[a];
  p->hchild[a] = b;
  return a;
}

static uint32_t pop(gn__vp *p, uint32_t a, uint64_t *work) {
  uint32_t c = p->hchild[a], n = 0;
  while (c != NIL) {
    uint32_t c2 = p->hsib[c], next = c2 == NIL ? NIL : p->hsib[c2];
    p->hsib[c] = NIL;
    if (c2 != NIL) p->hsib[c2] = NIL;
    p->stk[n++] = meld(p, c, c2);
    c = next;
  }
  *work += 1 + n;
  uint32_t r = NIL;
  while (n) r = meld(p, p->stk[--n], r);
  return r;
}

/* Multi-source Dijkstra from every tree node; regions bucketed by base. */
static void voronoi(gn__ls *ls, gn__vp *p) {
  const gn__sg *sg = ls->sg;
  gn__heap *h = &ls->w->heap;
  for (uint32_t v = 0; v < sg->n; v++) p->vdist[v] = INFINITY;
  for (uint32_t i = 0; i < ls->t->size; i++) {
    uint32_t b = ls->t->order[i];
    p->vdist[b] = 0;
    p->vbase[b] = b;
    p->vpred[b] = NIL;
    gn__heap_update(h, b, 0);
  }
  while (!gn__heap_empty(h)) {
    uint32_t v = gn__heap_pop(h);
    double dv = p->vdist[v];
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t y = sg->adj_v[k];
      double nd = dv + sg->adj_w[k];
      if (nd >= p->vdist[y]) continue;
      p->vdist[y] = nd;
      p->vbase[y] = p->vbase[v];
      p->vpred[y] = sg->adj_e[k];
      gn__heap_update(h, y, nd);
    }
    ls->w->work += 1 + sg->off[v + 1] - sg->off[v];
  }
  memset(p->rstart, 0, ((size_t)sg->n + 1) * sizeof(uint32_t));
  for (uint32_t v = 0; v < sg->n; v++)
    if (p->vdist[v] < INFINITY) p->rstart[p->vbase[v] + 1]++;
  for (uint32_t v = 0; v < sg->n; v++) p->rstart[v + 1] += p->rstart[v];
  for (uint32_t v = 0; v < sg->n; v++) p->rlist[v] = p->rstart[v];
  for (uint32_t v = 0; v < sg->n; v++)
    if (p->vdist[v] < INFINITY) p->rmem[p->rlist[p->vbase[v]]++] = v;
  ls->w->work += sg->n;
}

/* Heap of the boundary arcs leaving region(b). */
static uint32_t own_heap(gn__ls *ls, gn__vp *p, uint32_t b) {
  const gn__sg *sg = ls->sg;
  uint32_t r = NIL;
  for (uint32_t i = p->rstart[b]; i < p->rstart[b + 1]; i++) {
    uint32_t u = p->rmem[i];
    for (uint32_t k = sg->off[u]; k < sg->off[u + 1]; k++) {
      uint32_t v = sg->adj_v[k];
      if (p->vbase[v] == b || p->vdist[v] == INFINITY) continue;
      p->hkey[k] = p->vdist[u] + sg->adj_w[k] + p->vdist[v];
      p->hchild[k] = p->hsib[k] = NIL;
      r = meld(p, r, k);
    }
    ls->w->work += 1 + sg->off[u + 1] - sg->off[u];
  }
  return r;
}

/* The pieces of one move: piece i >= 1 is the subtree of top[i], piece 0
 * the rest of the tree minus the removed bases. */
typedef struct pieces {
  uint32_t top[GN__VP_MAX_PIECES + 1];
  uint32_t np;
} pieces;

static uint32_t piece_of(const gn__st_tree *t, const pieces *pc, uint32_t b) {
  for (uint32_t i = 1; i < pc->np; i++)
    if (gn__st_in_sub(t, pc->top[i], b)) return i;
  return 0;
}

static void remove_base(gn__vp *p, uint32_t b, uint32_t *nrem) {
  p->rmark[b] = p->stamp;
  p->rem[(*nrem)++] = b;
}

/* Repair, step 1: the nodes of the removed bases' regions, each seeded
 * from its cheapest outside neighbour (the piece of that one's base).
 * Returns their count (in p->rlist). */
static uint32_t repair_seed(gn__ls *ls, gn__vp *p, const pieces *pc,
                            uint32_t nrem) {
  const gn__sg *sg = ls->sg;
  uint32_t nr = 0;
  for (uint32_t i = 0; i < nrem; i++) {
    uint32_t b = p->rem[i];
    for (uint32_t j = p->rstart[b]; j < p->rstart[b + 1]; j++) {
      uint32_t v = p->rmem[j];
      p->inrep[v] = p->stamp;
      p->rlist[nr++] = v;
    }
  }
  for (uint32_t i = 0; i < nr; i++) {
    uint32_t v = p->rlist[i];
    p->ndist[v] = INFINITY;
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t u = sg->adj_v[k];
      double d = p->vdist[u] + sg->adj_w[k];
      if (p->inrep[u] == p->stamp || d >= p->ndist[v]) continue;
      p->ndist[v] = d;
      p->npred[v] = sg->adj_e[k];
      p->nlab[v] = piece_of(ls->t, pc, p->vbase[u]);
    }
    if (p->ndist[v] < INFINITY) gn__heap_update(&ls->w->heap, v, p->ndist[v]);
    ls->w->work += 1 + sg->off[v + 1] - sg->off[v];
  }
  return nr;
}

/* Step 2: Dijkstra restricted to those nodes; labels follow the paths. */
static void repair_grow(gn__ls *ls, gn__vp *p) {
  const gn__sg *sg = ls->sg;
  gn__heap *h = &ls->w->heap;
  while (!gn__heap_empty(h)) {
    uint32_t v = gn__heap_pop(h);
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t u = sg->adj_v[k];
      double d = p->ndist[v] + sg->adj_w[k];
      if (p->inrep[u] != p->stamp || d >= p->ndist[u]) continue;
      p->ndist[u] = d;
      p->npred[u] = sg->adj_e[k];
      p->nlab[u] = p->nlab[v];
      gn__heap_update(h, u, d);
    }
    ls->w->work += 1 + sg->off[v + 1] - sg->off[v];
  }
}

/* Reassign the regions of the removed bases, then offer every arc
 * between different pieces that touches them: to ls->cands when
 * collect, else only the cheapest (*best, *best_arc). */
static gn_status repair(gn__ls *ls, gn__vp *p, const pieces *pc,
                        uint32_t nrem, int collect, double *best,
                        uint32_t *best_arc) {
  const gn__sg *sg = ls->sg;
  uint32_t nr = repair_seed(ls, p, pc, nrem);
  repair_grow(ls, p);
  for (uint32_t i = 0; i < nr; i++) {
    uint32_t v = p->rlist[i];
    if (p->ndist[v] == INFINITY) continue;
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t u = sg->adj_v[k], lu;
      double du;
      if (p->inrep[u] == p->stamp) {
        if (u < v) continue; /* the pair is seen from both ends */
        lu = p->nlab[u];
        du = p->ndist[u];
      } else {
        lu = piece_of(ls->t, pc, p->vbase[u]);
        du = p->vdist[u];
      }
      if (lu == p->nlab[v] || du == INFINITY) continue;
      double c = p->ndist[v] + sg->adj_w[k] + du;
      if (collect) {
        gn__cand cd = {c, p->nlab[v], lu, k};
        if (gn__ls_add_cand(ls, &cd) != GN_OK)
          return gn__fail(sg->ctx, GN_ENOMEM, "out of memory for local search");
      } else if (c < *best) {
        *best = c;
        *best_arc = k;
      }
    }
    ls->w->work += sg->off[v + 1] - sg->off[v];
  }
  return GN_OK;
}

/* Far base of the top arc of heap r, dropping arcs that are stale for
 * this move (far base inside `below` or removed) and so for every
 * ancestor too. Returns the new root. */
static uint32_t clean_top(gn__ls *ls, gn__vp *p, uint32_t r, uint32_t below) {
  while (r != NIL) {
    uint32_t b = p->vbase[ls->sg->adj_v[r]];
    if (!gn__st_in_sub(ls->t, below, b) && p->rmark[b] != p->stamp) break;
    r = pop(p, r, &ls->w->work);
  }
  return r;
}

/* Chain from child c of z down to its key vertex: interior nodes are
 * removed; returns the chain's cost (edges from the key vertex to z). */
static double take_chain(gn__ls *ls, gn__vp *p, uint32_t c, uint32_t *key,
                         uint32_t *nrem, uint32_t *nremE) {
  const gn__st_tree *t = ls->t;
  uint32_t x = p->kbelow[c];
  double cost = 0;
  *key = x;
  for (;;) {
    cost += ls->sg->w[t->pedge[x]];
    p->remE[(*nremE)++] = t->pedge[x];
    if (x == c) break;
    x = t->par[x];
    remove_base(p, x, nrem);
  }
  return cost;
}

/* As in steiner_local.c; a Steiner leaf (never left by the pruning)
 * would end a chain too. */
static int is_key(const gn__ls *ls, uint32_t x) {
  return ls->sg->is_term[x] || ls->t->deg[x] >= 3 || x == ls->t->root ||
         ls->t->sub[x] == 1;
}

static gn_status put(gn__ls *ls, uint32_t x) {
  if (GN__GROW(ls->sg->ctx, ls->vbuf, ls->cap_vbuf, ls->nvbuf + 1) != GN_OK)
    return GN_ENOMEM;
  ls->vbuf[ls->nvbuf++] = x;
  return GN_OK;
}

/* Edges from x to its base (repaired or not). */
static gn_status put_chain(gn__ls *ls, gn__vp *p, uint32_t x, uint32_t *base) {
  const gn__sg *sg = ls->sg;
  for (;;) {
    uint32_t e = p->inrep[x] == p->stamp ? p->npred[x] : p->vpred[x];
    if (e == NIL) break;
    if (put(ls, e) != GN_OK) return GN_ENOMEM;
    x = gn__sg_other(sg, e, x);
  }
  *base = x;
  return GN_OK;
}

/* Store an improving move for gn__ls's apply step (layout in
 * steiner_int.h); its connections are ls->cands[0..ncon). */
static gn_status record(gn__ls *ls, gn__vp *p, uint32_t kind, uint32_t node,
                        double gain, const pieces *pc, uint32_t nrem,
                        uint32_t nremE, size_t ncon) {
  const gn__sg *sg = ls->sg;
  if (GN__GROW(sg->ctx, ls->vmoves, ls->cap_vmoves, ls->nvmoves + 1) != GN_OK)
    return GN_ENOMEM;
  gn__vmove *mv = &ls->vmoves[ls->nvmoves++];
  mv->gain = gain;
  mv->kind = kind;
  mv->node = node;
  mv->off = ls->nvbuf;
  int bad = put(ls, nremE);
  for (uint32_t i = 0; i < nremE; i++) bad |= put(ls, p->remE[i]);
  bad |= put(ls, nrem);
  for (uint32_t i = 0; i < nrem; i++) bad |= put(ls, p->rem[i]);
  bad |= put(ls, pc->np);
  for (uint32_t i = 0; i < pc->np; i++) bad |= put(ls, pc->top[i]);
  bad |= put(ls, (uint32_t)ncon);
  for (size_t i = 0; i < ncon && !bad; i++) {
    uint32_t k = ls->cands[i].arc, at = ls->nvbuf, a = NIL, b = NIL;
    bad |= put(ls, NIL) | put(ls, NIL) | put(ls, 0);
    bad |= put_chain(ls, p, p->asrc[k], &a);
    bad |= put(ls, sg->adj_e[k]);
    bad |= put_chain(ls, p, sg->adj_v[k], &b);
    if (bad) break;
    ls->vbuf[at] = a;
    ls->vbuf[at + 1] = b;
    ls->vbuf[at + 2] = ls->nvbuf - at - 3;
  }
  return bad ? gn__fail(sg->ctx, GN_ENOMEM, "out of memory for local search")
             : GN_OK;
}

/* Key-path exchange for the path from child c of key vertex z. */
static gn_status eval_path(gn__ls *ls, gn__vp *p, uint32_t z, uint32_t c) {
  uint32_t nrem = 0, nremE = 0, x, arc = NIL;
  p->stamp++;
  double bound = take_chain(ls, p, c, &x, &nrem, &nremE);
  pieces pc = {{z, x}, 2};
  p->hroot[x] = clean_top(ls, p, p->hroot[x], x);
  double best = INFINITY;
  if (p->hroot[x] != NIL) {
    best = p->hkey[p->hroot[x]];
    arc = p->hroot[x];
  }
  if (nrem > 0) {
    gn_status st = repair(ls, p, &pc, nrem, 0, &best, &arc);
    if (st != GN_OK) return st;
  }
  double gain = bound - best;
  if (!(gain > 1e-10 * (bound > 1 ? bound : 1))) return GN_OK;
  ls->ncands = 0;
  gn__cand cd = {best, 0, 1, arc};
  if (gn__ls_add_cand(ls, &cd) != GN_OK) return GN_ENOMEM;
  return record(ls, p, 0, x, gain, &pc, nrem, nremE, 1);
}

/* Key-vertex elimination of the Steiner node z (degree >= 3). */
static gn_status eval_vertex(gn__ls *ls, gn__vp *p, uint32_t z) {
  const gn__sg *sg = ls->sg;
  const gn__st_tree *t = ls->t;
  uint32_t nrem = 0;
  pieces pc;
  pc.np = 1;
  p->stamp++;
  remove_base(p, z, &nrem);
  double bound = 0;
  uint32_t nremE = 0;
  for (uint32_t x = z;; x = t->par[x]) { /* the key path above z */
    bound += sg->w[t->pedge[x]];
    p->remE[nremE++] = t->pedge[x];
    if (is_key(ls, t->par[x])) {
      pc.top[0] = t->par[x];
      break;
    }
    remove_base(p, t->par[x], &nrem);
  }
  for (uint32_t k = sg->off[z]; k < sg->off[z + 1]; k++) {
    uint32_t c = sg->adj_v[k];
    if (!ls->in_edge[sg->adj_e[k]] || t->par[c] != z) continue;
    if (pc.np > GN__VP_MAX_PIECES) return GN_OK;
    bound += take_chain(ls, p, c, &pc.top[pc.np], &nrem, &nremE);
    pc.np++;
  }
  ls->ncands = 0;
  for (uint32_t i = 1; i < pc.np; i++) {
    uint32_t x = pc.top[i], r = p->hroot[x];
    while ((r = clean_top(ls, p, r, x)) != NIL) {
      uint32_t j = piece_of(t, &pc, p->vbase[sg->adj_v[r]]);
      gn__cand cd = {p->hkey[r], i, j, r};
      if (gn__ls_add_cand(ls, &cd) != GN_OK) return GN_ENOMEM;
      if (j == 0) break; /* the rest: the cheapest arc is enough */
      r = pop(p, r, &ls->w->work); /* inside z's subtree from now on */
    }
    p->hroot[x] = r;
  }
  gn_status st = repair(ls, p, &pc, nrem, 1, NULL, NULL);
  if (st != GN_OK) return st;
  size_t nch;
  double cost = gn__ls_kruskal(ls, pc.np - 1, bound, &nch);
  if (cost == INFINITY) return GN_OK;
  return record(ls, p, 1, z, bound - cost, &pc, nrem, nremE, nch);
}

/* Bottom-up walk: heaps of chain nodes and key vertices, evaluations at
 * each key vertex (its child paths, then itself). */
static gn_status walk(gn__ls *ls, gn__vp *p) {
  const gn__sg *sg = ls->sg;
  const gn__st_tree *t = ls->t;
  for (uint32_t i = t->size; i-- > 0;) {
    uint32_t z = t->order[i], h = own_heap(ls, p, z);
    if (!is_key(ls, z)) { /* one child */
      uint32_t c = t->order[i + 1];
      p->kbelow[z] = is_key(ls, c) ? c : p->kbelow[c];
      p->hchain[z] = meld(p, h, is_key(ls, c) ? NIL : p->hchain[c]);
      continue;
    }
    p->kbelow[z] = z;
    for (uint32_t k = sg->off[z]; k < sg->off[z + 1]; k++) {
      uint32_t c = sg->adj_v[k];
      if (!ls->in_edge[sg->adj_e[k]] || t->par[c] != z) continue;
      gn_status s = eval_path(ls, p, z, c);
      if (s != GN_OK) return s;
    }
    if (!sg->is_term[z] && z != t->root && t->deg[z] >= 3) {
      gn_status s = eval_vertex(ls, p, z);
      if (s != GN_OK) return s;
    }
    for (uint32_t k = sg->off[z]; k < sg->off[z + 1]; k++) {
      uint32_t c = sg->adj_v[k];
      if (!ls->in_edge[sg->adj_e[k]] || t->par[c] != z) continue;
      h = meld(p, h, p->hroot[p->kbelow[c]]);
      if (!is_key(ls, c)) h = meld(p, h, p->hchain[c]);
    }
    p->hroot[z] = h;
  }
  return GN_OK;
}

gn_status gn__vpass(gn__ls *ls) {
  const gn__sg *sg = ls->sg;
  if (!ls->vp && !(ls->vp = vp_new(sg)))
    return gn__fail(sg->ctx, GN_ENOMEM, "out of memory for local search");
  gn__vp *p = ls->vp;
  memset(p->rmark, 0, (size_t)sg->n * sizeof(uint32_t));
  memset(p->inrep, 0, (size_t)sg->n * sizeof(uint32_t));
  p->stamp = 0;
  ls->nvmoves = 0;
  ls->nvbuf = 0;
  voronoi(ls, p);
  return walk(ls, p);
}
