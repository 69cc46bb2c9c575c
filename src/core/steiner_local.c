/*
 * steiner_local.c - Local search for Steiner trees, after Uchoa & Werneck,
 * "Fast local search for Steiner trees in graphs" (ALENEX 2010), with
 * simpler data structures.
 *
 * Moves, tried for every node in turn until a whole round finds nothing:
 *  - key-path exchange: drop the path between two key vertices (terminals
 *    or branch nodes) and reconnect the two halves by a shortest path;
 *  - key-vertex elimination: drop a Steiner branch node with all its key
 *    paths and reconnect the pieces by a Voronoi/Kruskal spanning tree;
 *  - Steiner-vertex insertion: join a non-tree node to its tree
 *    neighbours, each new edge replacing the costliest key-path segment
 *    of the cycle it closes.
 * Reconnection is one bounded multi-source Dijkstra: sources are the tree
 * nodes of the detached pieces (contiguous ranges of the DFS preorder),
 * the search never goes beyond the cost of what was removed, and the rest
 * of the tree acts as a sink. Its cost is proportional to the pieces and
 * the explored ball, which on street graphs is small.
 * Invariant: an accepted move strictly lowers the cost (relative epsilon)
 * and leaves a tree; the rooted view is rebuilt after each one.
 * Threads: reentrant.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/steiner_int.h"
#include "util/internal.h"

#define NIL UINT32_MAX
#define MAX_PIECES 64
#define MAX_INSERT 8

struct gn__cand {
  double cost;
  uint32_t a, b; /* component labels; b == 0 is the rest of the tree */
  uint32_t x, y; /* chain starts (y NIL for a rest hit) */
  uint32_t e;    /* boundary edge or NIL */
};


static double eps_of(double c) { return 1e-10 * (c > 1 ? c : 1); }

static uint32_t other_end(const gn__sg *sg, uint32_t e, uint32_t x) {
  return sg->eu[e] == x ? sg->ev[e] : sg->eu[e];
}

gn_status gn__ls_init(gn__ls *ls, const gn__sg *sg, gn__sw *w,
                      gn__st_tree *t, uint8_t *in_node, uint8_t *in_edge) {
  gn_ctx *ctx = sg->ctx;
  size_t n = (size_t)sg->n + 1;
  memset(ls, 0, sizeof(*ls));
  ls->sg = sg;
  ls->w = w;
  ls->t = t;
  ls->in_node = in_node;
  ls->in_edge = in_edge;
  ls->mark = gn_malloc(ctx, n);
  ls->rem_v = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->rem_e = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->path = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->tdist = gn_malloc(ctx, n * sizeof(double));
  ls->dirty = gn_malloc(ctx, n);
  ls->cap_log = 4 * (uint32_t)n;
  ls->log = gn_malloc(ctx, (size_t)ls->cap_log * sizeof(uint32_t));
  ls->ubuf = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->ustack = gn_malloc(ctx, n * sizeof(uint32_t));
  if (!ls->log || !ls->ubuf || !ls->ustack || !ls->dirty || !ls->mark || !ls->rem_v || !ls->rem_e || !ls->path || !ls->tdist) {
    gn__ls_cleanup(ls);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for local search");
  }
  memset(ls->mark, 0, n);
  ls->work_limit = UINT64_MAX;
  ls->deadline = INFINITY;
  ls->radius = 0.5;
  ls->popf = 0.5;
  return GN_OK;
}

void gn__ls_cleanup(gn__ls *ls) {
  if (!ls->sg) return;
  gn_ctx *ctx = ls->sg->ctx;
  gn_free(ctx, ls->mark);
  gn_free(ctx, ls->log);
  gn_free(ctx, ls->ubuf);
  gn_free(ctx, ls->ustack);
  gn_free(ctx, ls->rem_v);
  gn_free(ctx, ls->rem_e);
  gn_free(ctx, ls->path);
  gn_free(ctx, ls->tdist);
  gn_free(ctx, ls->dirty);
  gn_free(ctx, ls->cands);
  gn_free(ctx, ls->uf);
  memset(ls, 0, sizeof(*ls));
}

/* Every write of an edge flag goes through here, so the rooted view can
 * be updated from the list of changed edges (steiner_update.c). */
static void set_edge(gn__ls *ls, uint32_t e, uint8_t on) {
  ls->in_edge[e] = on;
  if (ls->nlog < ls->cap_log) ls->log[ls->nlog] = e;
  if (ls->nlog <= ls->cap_log) ls->nlog++; /* cap_log + 1: overflowed */
}

static void mark_node(gn__ls *ls, uint32_t x) {
  ls->mark[x] = 1;
  ls->rem_v[ls->nrem_v++] = x;
}

static void unmark_all(gn__ls *ls) {
  for (uint32_t i = 0; i < ls->nrem_v; i++) ls->mark[ls->rem_v[i]] = 0;
  ls->nrem_v = 0;
  ls->nrem_e = 0;
}

static int is_key(const gn__ls *ls, uint32_t x) {
  return ls->sg->is_term[x] || ls->t->deg[x] >= 3 || x == ls->t->root;
}

/* Unmarked tree node (not removed by the move under test). */
static int tree_free(const gn__ls *ls, uint32_t x) {
  return ls->t->tin[x] != NIL && !ls->mark[x];
}

/* Remove the key path from key vertex v up to its key ancestor *top. */
static double take_path_up(gn__ls *ls, uint32_t v, uint32_t *top) {
  const gn__st_tree *t = ls->t;
  double c = 0;
  uint32_t x = v;
  for (;;) {
    uint32_t e = t->pedge[x];
    c += ls->sg->w[e];
    ls->rem_e[ls->nrem_e++] = e;
    x = t->par[x];
    if (is_key(ls, x)) break;
    mark_node(ls, x);
  }
  *top = x;
  return c;
}

/* Remove the key path from child ch of a removed node down to the next
 * key vertex *bottom. */
static double take_path_down(gn__ls *ls, uint32_t ch, uint32_t *bottom) {
  const gn__sg *sg = ls->sg;
  const gn__st_tree *t = ls->t;
  double c = sg->w[t->pedge[ch]];
  ls->rem_e[ls->nrem_e++] = t->pedge[ch];
  uint32_t x = ch;
  while (!is_key(ls, x)) {
    mark_node(ls, x);
    uint32_t next = NIL;
    for (uint32_t k = sg->off[x]; k < sg->off[x + 1]; k++) {
      uint32_t e = sg->adj_e[k];
      if (ls->in_edge[e] && e != t->pedge[x]) {
        next = sg->adj_v[k];
        c += sg->w[e];
        ls->rem_e[ls->nrem_e++] = e;
        break;
      }
    }
    x = next;
  }
  *bottom = x;
  return c;
}

/* The move under test: the tree minus the removed nodes falls into np
 * pieces; piece i >= 1 is the subtree of ends[i], piece 0 the rest, which
 * holds ends[0]. */
typedef struct move {
  uint32_t ends[MAX_PIECES + 1];
  uint32_t np;
  double bound;  /* cost removed: a reconnection must cost less */
  double limit;  /* search radius, tightened when np == 2 */
} move;

static uint32_t piece_of(const gn__ls *ls, const move *mv, uint32_t y) {
  for (uint32_t i = 1; i < mv->np; i++)
    if (gn__st_in_sub(ls->t, mv->ends[i], y)) return i;
  return 0;
}

/* Relax the edges of x. A tree node of another piece ends the path (it
 * is recorded, never queued); with two pieces it also tightens the
 * search radius, since nothing longer can win. */
static void expand(gn__ls *ls, move *mv, uint32_t x) {
  const gn__sg *sg = ls->sg;
  gn__sw *w = ls->w;
  double dx = w->dist[x];
  uint32_t lx = w->label[x];
  w->work += 1 + sg->off[x + 1] - sg->off[x];
  for (uint32_t j = sg->off[x]; j < sg->off[x + 1]; j++) {
    uint32_t y = sg->adj_v[j];
    double nd = dx + sg->adj_w[j];
    if (nd >= mv->limit || nd >= w->dist[y]) continue;
    int in_tree = tree_free(ls, y);
    if (in_tree && piece_of(ls, mv, y) == lx) continue;
    gn__sw_touch(w, y);
    w->dist[y] = nd;
    w->pred[y] = sg->adj_e[j];
    w->label[y] = lx;
    if (!in_tree)
      gn__heap_update(&w->heap, y, nd);
    else if (mv->np == 2)
      mv->limit = nd;
  }
}

/* Sources of piece i: its tree nodes within tree distance `radius` of
 * ends[i], found by a walk that does not cross removed nodes. They get
 * distance 0 before any is expanded. Returns the count (in ls->path). */
static uint32_t collect_ball(gn__ls *ls, const move *mv, uint32_t i,
                             double radius, uint32_t n0) {
  const gn__sg *sg = ls->sg;
  gn__sw *w = ls->w;
  uint32_t n = n0;
  uint32_t a = mv->ends[i];
  gn__sw_touch(w, a);
  w->dist[a] = 0;
  w->label[a] = i;
  ls->path[n] = a;
  ls->tdist[n++] = 0;
  for (uint32_t h = n0; h < n; h++) {
    uint32_t x = ls->path[h];
    for (uint32_t k = sg->off[x]; k < sg->off[x + 1]; k++) {
      uint32_t y = sg->adj_v[k];
      double d = ls->tdist[h] + sg->adj_w[k];
      if (!ls->in_edge[sg->adj_e[k]] || ls->mark[y] || d > radius ||
          w->dist[y] == 0)
        continue;
      gn__sw_touch(w, y);
      w->dist[y] = 0;
      w->label[y] = i;
      ls->path[n] = y;
      ls->tdist[n++] = d;
    }
  }
  w->work += n - n0;
  return n;
}

static void search(gn__ls *ls, move *mv, double radius) {
  gn__sw *w = ls->w;
  uint32_t n = 0;
  for (uint32_t i = 0; i < mv->np; i++) n = collect_ball(ls, mv, i, radius, n);
  for (uint32_t h = 0; h < n; h++) expand(ls, mv, ls->path[h]);
  while (!gn__heap_empty(&w->heap) &&
         gn__heap_top_key(&w->heap) < ls->popf * mv->limit) {
    uint32_t x = gn__heap_pop(&w->heap);
    expand(ls, mv, x);
  }
}

static gn_status add_cand(gn__ls *ls, const gn__cand *c) {
  if (GN__GROW(ls->sg->ctx, ls->cands, ls->cap_cands, ls->ncands + 1) != GN_OK)
    return GN_ENOMEM;
  ls->cands[ls->ncands++] = *c;
  return GN_OK;
}

static gn_status collect_cands(gn__ls *ls, const move *mv) {
  const gn__sg *sg = ls->sg;
  gn__sw *w = ls->w;
  ls->ncands = 0;
  for (uint32_t i = 0; i < w->ntouched; i++) {
    uint32_t x = w->touched[i];
    if (tree_free(ls, x) && w->pred[x] != NIL) { /* hit another piece */
      gn__cand c = {w->dist[x], w->label[x], piece_of(ls, mv, x), x, NIL, NIL};
      if (c.cost < mv->bound && add_cand(ls, &c) != GN_OK) return GN_ENOMEM;
      continue;
    }
    for (uint32_t k = sg->off[x]; k < sg->off[x + 1]; k++) {
      uint32_t y = sg->adj_v[k], e = sg->adj_e[k];
      if (y <= x || w->dist[y] == INFINITY || w->label[y] == w->label[x])
        continue;
      if (tree_free(ls, y) && (w->dist[y] > 0 || w->pred[y] != NIL)) continue;
      double c = w->dist[x] + sg->adj_w[k] + w->dist[y];
      if (c >= mv->bound) continue;
      gn__cand cd = {c, w->label[x], w->label[y], x, y, e};
      if (add_cand(ls, &cd) != GN_OK) return GN_ENOMEM;
    }
  }
  return GN_OK;
}

static int cmp_cand(const void *pa, const void *pb) {
  const gn__cand *a = pa, *b = pb;
  if (a->cost != b->cost) return a->cost < b->cost ? -1 : 1;
  if (a->x != b->x) return a->x < b->x ? -1 : 1;
  if (a->y != b->y) return a->y < b->y ? -1 : 1;
  return (a->e > b->e) - (a->e < b->e);
}

static uint32_t uf_find(uint32_t *p, uint32_t x) {
  while (p[x] != x) x = p[x] = p[p[x]];
  return x;
}

/* Kruskal over the k + 1 components; moves the chosen candidates to the
 * front and returns their count, or 0 if they cannot beat `bound`. */
static size_t kruskal(gn__ls *ls, uint32_t k, double bound) {
  if (ls->ncands < k) return 0;
  qsort(ls->cands, ls->ncands, sizeof(gn__cand), cmp_cand);
  for (uint32_t i = 0; i <= k; i++) ls->uf[i] = i;
  size_t nch = 0;
  double sum = 0;
  for (size_t i = 0; i < ls->ncands && nch < k; i++) {
    gn__cand c = ls->cands[i];
    uint32_t a = uf_find(ls->uf, c.a), b = uf_find(ls->uf, c.b);
    if (a == b) continue;
    ls->uf[a] = b;
    sum += c.cost;
    if (sum >= bound - eps_of(bound)) return 0;
    ls->cands[nch++] = c;
  }
  return nch == k ? nch : 0;
}

static void add_chain(gn__ls *ls, uint32_t x) {
  const gn__sw *w = ls->w;
  while (w->pred[x] != NIL) {
    uint32_t e = w->pred[x];
    ls->in_node[x] = 1;
    set_edge(ls, e, 1);
    x = other_end(ls->sg, e, x);
  }
}

/* Drop a non-terminal node that has become a leaf, and its chain. */
static void prune_from(gn__ls *ls, uint32_t x) {
  const gn__sg *sg = ls->sg;
  while (x != NIL && ls->in_node[x] && !sg->is_term[x]) {
    uint32_t deg = 0, last = NIL, next = NIL;
    for (uint32_t k = sg->off[x]; k < sg->off[x + 1]; k++) {
      if (!ls->in_edge[sg->adj_e[k]]) continue;
      deg++;
      last = sg->adj_e[k];
      next = sg->adj_v[k];
    }
    if (deg > 1) return;
    ls->in_node[x] = 0;
    if (last != NIL) set_edge(ls, last, 0);
    x = next;
  }
}

static void apply_removal(gn__ls *ls) {
  for (uint32_t i = 0; i < ls->nrem_e; i++) set_edge(ls, ls->rem_e[i], 0);
  for (uint32_t i = 0; i < ls->nrem_v; i++) ls->in_node[ls->rem_v[i]] = 0;
}

/* Reconnect the pieces of mv if that costs less than what was removed.
 * Returns 1 if the move was applied. */
static int reconnect(gn__ls *ls, move *mv) {
  int done = 0;
  if (GN__GROW(ls->sg->ctx, ls->uf, ls->cap_uf, (size_t)mv->np) != GN_OK)
    return 0;
  mv->limit = mv->bound;
  for (uint32_t i = 0; i < ls->nrem_e; i++) set_edge(ls, ls->rem_e[i], 0);
  search(ls, mv, mv->bound * ls->radius);
  if (collect_cands(ls, mv) == GN_OK) {
    size_t nch = kruskal(ls, mv->np - 1, mv->bound);
    if (nch > 0) {
      apply_removal(ls);
      for (size_t i = 0; i < nch; i++) {
        const gn__cand *c = &ls->cands[i];
        add_chain(ls, c->x);
        if (c->e != NIL) {
          set_edge(ls, c->e, 1);
          add_chain(ls, c->y);
        }
      }
      for (uint32_t i = 0; i < mv->np; i++) prune_from(ls, mv->ends[i]);
      for (uint32_t i = 0; i < ls->w->ntouched; i++)
        ls->dirty[ls->w->touched[i]] = 1;
      done = 1;
    }
  }
  if (!done)
    for (uint32_t i = 0; i < ls->nrem_e; i++) set_edge(ls, ls->rem_e[i], 1);
  gn__sw_reset(ls->w);
  return done;
}

static int try_key_path(gn__ls *ls, uint32_t v) {
  move mv;
  mv.np = 2;
  mv.ends[1] = v;
  mv.bound = take_path_up(ls, v, &mv.ends[0]);
  int ok = mv.bound > eps_of(mv.bound) && reconnect(ls, &mv);
  unmark_all(ls);
  return ok;
}

static int try_key_vertex(gn__ls *ls, uint32_t v) {
  const gn__sg *sg = ls->sg;
  const gn__st_tree *t = ls->t;
  move mv;
  if (t->deg[v] > MAX_PIECES) return 0;
  mv.bound = take_path_up(ls, v, &mv.ends[0]);
  mark_node(ls, v);
  mv.np = 1;
  for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
    uint32_t e = sg->adj_e[k], ch = sg->adj_v[k];
    if (!ls->in_edge[e] || e == t->pedge[v]) continue;
    mv.bound += take_path_down(ls, ch, &mv.ends[mv.np++]);
  }
  int ok = reconnect(ls, &mv);
  unmark_all(ls);
  return ok;
}

/* Tree path from x to a as a node list in ls->path (x first); returns its
 * length in nodes, or 0 if it uses an edge removed by this move. */
static uint32_t tree_path(gn__ls *ls, uint32_t x, uint32_t a) {
  const gn__st_tree *t = ls->t;
  uint32_t n = 0, back = ls->sg->n, u = x;
  while (!gn__st_in_sub(t, u, a)) {
    if (!ls->in_edge[t->pedge[u]]) return 0;
    ls->path[n++] = u;
    u = t->par[u];
  }
  ls->path[n++] = u;
  for (uint32_t y = a; y != u; y = t->par[y]) {
    if (!ls->in_edge[t->pedge[y]]) return 0;
    ls->path[--back] = y;
  }
  memmove(ls->path + n, ls->path + back, (ls->sg->n - back) * sizeof(uint32_t));
  ls->w->work += n + ls->sg->n - back;
  return n + ls->sg->n - back;
}

static uint32_t path_edge(const gn__st_tree *t, uint32_t p, uint32_t q) {
  return t->par[p] == q ? t->pedge[p] : t->pedge[q];
}

typedef struct insertion {
  uint32_t att[MAX_INSERT], att_e[MAX_INSERT];
  uint32_t natt;
  double delta;
} insertion;

static int is_split(const gn__ls *ls, const insertion *in, uint32_t x) {
  if (is_key(ls, x)) return 1;
  for (uint32_t i = 0; i < in->natt; i++)
    if (in->att[i] == x) return 1;
  return 0;
}

/* Costliest segment between split nodes on ls->path[0..len). */
static double best_segment(gn__ls *ls, const insertion *in, uint32_t len,
                           uint32_t *s0, uint32_t *s1) {
  double best = 0, cur = 0;
  uint32_t start = 0;
  for (uint32_t i = 0; i + 1 < len; i++) {
    cur += ls->sg->w[path_edge(ls->t, ls->path[i], ls->path[i + 1])];
    if (i + 2 < len && !is_split(ls, in, ls->path[i + 1])) continue;
    if (cur > best) {
      best = cur;
      *s0 = start;
      *s1 = i + 1;
    }
    cur = 0;
    start = i + 1;
  }
  return best;
}

/* Attach tj (new edge ej of weight wj) if it replaces a costlier segment
 * of the cycle it closes. */
static void insert_edge(gn__ls *ls, insertion *in, uint32_t tj, uint32_t ej) {
  uint32_t len = 0;
  for (uint32_t i = 0; i < in->natt && len == 0; i++) {
    if (in->att[i] == tj) return;
    len = tree_path(ls, tj, in->att[i]);
  }
  if (len < 2) return;
  uint32_t s0 = 0, s1 = 0;
  in->att[in->natt] = tj; /* tj splits segments too */
  in->natt++;
  double seg = best_segment(ls, in, len, &s0, &s1);
  in->natt--;
  double wj = ls->sg->w[ej];
  if (seg <= wj + eps_of(seg)) return;
  for (uint32_t i = s0; i < s1; i++) {
    uint32_t e = path_edge(ls->t, ls->path[i], ls->path[i + 1]);
    set_edge(ls, e, 0);
    ls->rem_e[ls->nrem_e++] = e;
    if (i > s0) mark_node(ls, ls->path[i]);
  }
  in->att[in->natt] = tj;
  in->att_e[in->natt++] = ej;
  in->delta += wj - seg;
}

static int try_insert(gn__ls *ls, uint32_t v) {
  const gn__sg *sg = ls->sg;
  insertion in;
  uint32_t nb[MAX_INSERT], ne[MAX_INSERT], cnt = 0;
  for (uint32_t k = sg->off[v]; k < sg->off[v + 1] && cnt < MAX_INSERT; k++) {
    uint32_t y = sg->adj_v[k], e = sg->adj_e[k], j = cnt++;
    if (ls->t->tin[y] == NIL) {
      cnt--;
      continue;
    }
    for (; j > 0 && sg->w[ne[j - 1]] > sg->w[e]; j--) {
      nb[j] = nb[j - 1];
      ne[j] = ne[j - 1];
    }
    nb[j] = y;
    ne[j] = e;
  }
  if (cnt < 2) return 0;
  in.att[0] = nb[0];
  in.att_e[0] = ne[0];
  in.natt = 1;
  in.delta = sg->w[ne[0]];
  for (uint32_t j = 1; j < cnt; j++) insert_edge(ls, &in, nb[j], ne[j]);
  int ok = in.natt >= 2 && in.delta < -eps_of(-in.delta);
  if (ok) {
    for (uint32_t i = 0; i < in.natt; i++) ls->dirty[in.att[i]] = 1;
    for (uint32_t i = 0; i < ls->nrem_e; i++) {
      ls->dirty[sg->eu[ls->rem_e[i]]] = 1;
      ls->dirty[sg->ev[ls->rem_e[i]]] = 1;
    }
    ls->in_node[v] = 1;
    for (uint32_t i = 0; i < in.natt; i++) set_edge(ls, in.att_e[i], 1);
    for (uint32_t i = 0; i < ls->nrem_v; i++) ls->in_node[ls->rem_v[i]] = 0;
    for (uint32_t i = 0; i < ls->nrem_e; i++) {
      prune_from(ls, sg->eu[ls->rem_e[i]]);
      prune_from(ls, sg->ev[ls->rem_e[i]]);
    }
  } else {
    for (uint32_t i = 0; i < ls->nrem_e; i++) set_edge(ls, ls->rem_e[i], 1);
  }
  unmark_all(ls);
  return ok;
}

static int try_node(gn__ls *ls, uint32_t v) {
  const gn__st_tree *t = ls->t;
  if (t->tin[v] == NIL) return try_insert(ls, v);
  if (v != t->root && is_key(ls, v) && try_key_path(ls, v)) {
    ls->moves[0]++;
    return 1;
  }
  if (!ls->sg->is_term[v] && t->deg[v] >= 3 && try_key_vertex(ls, v)) {
    ls->moves[1]++;
    return 1;
  }
  return 0;
}

/* After a move, update the view from the logged edges; from scratch at
 * the start, after a log overflow, or when the update gives up. */
static gn_status rebuild(gn__ls *ls, int incremental) {
  if (incremental && ls->nlog <= ls->cap_log &&
      gn__st_tree_update(ls->sg, ls->in_edge, ls->t, ls->log, ls->nlog,
                         ls->ubuf, ls->ustack, &ls->w->work) == 0)
    return GN_OK;
  ls->w->work += ls->t->size;
  if (gn__st_tree_build(ls->sg, ls->in_edge, ls->t) == 0) return GN_OK;
  gn_status s = gn__sg_mst_prune(ls->sg, ls->w, ls->in_node, ls->in_edge);
  if (s != GN_OK) return s;
  if (gn__st_tree_build(ls->sg, ls->in_edge, ls->t) == 0) return GN_OK;
  return gn__fail(ls->sg->ctx, GN_EINTERNAL, "local search broke the tree");
}

/* The clock is read every ~100k work units (a few ms), so the deadline
 * is kept closely without a system call per move. */
static int out_of_budget(gn__ls *ls, uint64_t *next_check) {
  if (ls->w->work > ls->work_limit) return 1;
  if (ls->w->work < *next_check) return 0;
  *next_check = ls->w->work + 100000;
  return gn__now() > ls->deadline;
}

/* Don't-look bits: a node is tried again only when a later move touched
 * it (its search region, ends or new paths); a sweep stops after a full
 * cycle finds no dirty node. */
static gn_status sweep(gn__ls *ls) {
  gn_status s = GN_OK;
  uint32_t n = ls->sg->n, v = 0, idle = 0;
  uint64_t next_check = 0;
  memset(ls->dirty, 1, n);
  while (s == GN_OK && idle < n && !out_of_budget(ls, &next_check)) {
    int was_out = ls->t->tin[v] == NIL;
    if (!ls->dirty[v]) {
      idle++;
      v = v + 1 == n ? 0 : v + 1;
      continue;
    }
    ls->dirty[v] = 0;
    ls->nlog = 0;
    if (try_node(ls, v)) {
      ls->dirty[v] = 1;
      if (was_out) ls->moves[2]++;
      s = rebuild(ls, 1);
      idle = 0;
    } else {
      idle++;
    }
    v = v + 1 == n ? 0 : v + 1;
  }
  return s;
}

/* Two phases: a narrow neighbourhood first (sources within 0.1 x the
 * removed cost, searches to 0.25 x) that is cheap and spreads the early
 * gains over the whole tree even when the budget runs out, then the full
 * one (0.5 x, 0.5 x, which finds every reconnection shorter than the
 * removed cost whose ends lie in the balls). */
gn_status gn__local_search(gn__ls *ls) {
  static const double radius[2] = {0.1, 0.5}, reach[2] = {0.25, 0.5};
  gn_status s = rebuild(ls, 0);
  for (int ph = 0; ph < 2 && s == GN_OK; ph++) {
    ls->radius = radius[ph];
    ls->popf = reach[ph];
    s = sweep(ls);
  }
  return s;
}
