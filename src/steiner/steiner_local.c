/*
 * steiner_local.c - Local search for Steiner trees, after Uchoa & Werneck,
 * "Fast local search for Steiner trees in graphs" (ALENEX 2010).
 *
 * Moves:
 *  - key-path exchange: drop the path between two key vertices (terminals
 *    or branch nodes) and reconnect the two halves by a shortest path;
 *  - key-vertex elimination: drop a Steiner branch node with all its key
 *    paths and reconnect the pieces by a minimum spanning tree of
 *    shortest paths;
 *  - Steiner-vertex insertion: join a non-tree node to its tree
 *    neighbours, each new edge replacing the costliest key-path segment
 *    of the cycle it closes.
 * The first two are found by steiner_vpass.c, which evaluates all of them
 * on the current tree in one O(m log n) pass and stores each improving
 * move with its paths. They are applied here in batches, best first: a
 * move is taken only if the tree paths between the ends of its new
 * connections (which hold its removed edges) share no edge, and its new
 * paths no node, with a move already taken. Each move's validity depends
 * only on those tree paths, so every move of a batch stays valid and the
 * result is a tree; the others are found again by the next pass.
 * Insertion runs between passes, one node at a time on the current view.
 * Invariant: every applied move strictly lowers the cost (relative
 * epsilon) and leaves a tree. Threads: reentrant.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "steiner/steiner_int.h"
#include "util/internal.h"

#define NIL UINT32_MAX
#define MAX_INSERT 8

static double eps_of(double c) { return 1e-10 * (c > 1 ? c : 1); }

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
  ls->rem_v = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->rem_e = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->path = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->elock = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->nlock = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->cap_log = 4 * (uint32_t)n;
  ls->log = gn_malloc(ctx, (size_t)ls->cap_log * sizeof(uint32_t));
  ls->ubuf = gn_malloc(ctx, n * sizeof(uint32_t));
  ls->ustack = gn_malloc(ctx, n * sizeof(uint32_t));
  if (!ls->log || !ls->ubuf || !ls->ustack || !ls->elock || !ls->nlock ||
      !ls->rem_v || !ls->rem_e || !ls->path) {
    gn__ls_cleanup(ls);
    return gn__fail(ctx, GN_ENOMEM, "out of memory for local search");
  }
  ls->work_limit = UINT64_MAX;
  ls->deadline = INFINITY;
  return GN_OK;
}

void gn__ls_cleanup(gn__ls *ls) {
  if (!ls->sg) return;
  gn_ctx *ctx = ls->sg->ctx;
  gn_free(ctx, ls->log);
  gn_free(ctx, ls->ubuf);
  gn_free(ctx, ls->ustack);
  gn_free(ctx, ls->rem_v);
  gn_free(ctx, ls->rem_e);
  gn_free(ctx, ls->path);
  gn_free(ctx, ls->elock);
  gn_free(ctx, ls->nlock);
  gn_free(ctx, ls->cands);
  gn_free(ctx, ls->uf);
  gn__vp_free(ctx, ls->vp);
  gn_free(ctx, ls->vmoves);
  gn_free(ctx, ls->vbuf);
  memset(ls, 0, sizeof(*ls));
}

/* Every write of an edge flag goes through here, so the rooted view can
 * be updated from the list of changed edges (steiner_update.c). */
static void set_edge(gn__ls *ls, uint32_t e, uint8_t on) {
  ls->in_edge[e] = on;
  if (ls->nlog < ls->cap_log) ls->log[ls->nlog] = e;
  if (ls->nlog <= ls->cap_log) ls->nlog++; /* cap_log + 1: overflowed */
}

static void note_removed(gn__ls *ls, uint32_t x) {
  ls->rem_v[ls->nrem_v++] = x;
}

static void clear_removed(gn__ls *ls) {
  ls->nrem_v = 0;
  ls->nrem_e = 0;
}

static int is_key(const gn__ls *ls, uint32_t x) {
  return ls->sg->is_term[x] || ls->t->deg[x] >= 3 || x == ls->t->root;
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
    if (i > s0) note_removed(ls, ls->path[i]);
  }
  in->att[in->natt] = tj;
  in->att_e[in->natt++] = ej;
  in->delta += wj - seg;
}

static int try_insert(gn__ls *ls, uint32_t v) {
  const gn__sg *sg = ls->sg;
  insertion in;
  uint32_t nb[MAX_INSERT], ne[MAX_INSERT], cnt = 0;
  /* the MAX_INSERT cheapest edges to the tree, in increasing weight */
  for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
    uint32_t y = sg->adj_v[k], e = sg->adj_e[k];
    if (ls->t->tin[y] == NIL) continue;
    if (cnt == MAX_INSERT && sg->w[ne[cnt - 1]] <= sg->w[e]) continue;
    uint32_t j = cnt < MAX_INSERT ? cnt++ : cnt - 1;
    for (; j > 0 && sg->w[ne[j - 1]] > sg->w[e]; j--) {
      nb[j] = nb[j - 1];
      ne[j] = ne[j - 1];
    }
    nb[j] = y;
    ne[j] = e;
  }
  ls->w->work += sg->off[v + 1] - sg->off[v];
  if (cnt < 2) return 0;
  in.att[0] = nb[0];
  in.att_e[0] = ne[0];
  in.natt = 1;
  in.delta = sg->w[ne[0]];
  for (uint32_t j = 1; j < cnt; j++) insert_edge(ls, &in, nb[j], ne[j]);
  int ok = in.natt >= 2 && in.delta < -eps_of(-in.delta);
  if (ok) {
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
  clear_removed(ls);
  return ok;
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

/* A stored move, decoded (layout in steiner_int.h). */
typedef struct smove {
  const uint32_t *rE, *rV, *ends, *con;
  uint32_t nE, nV, np, ncon;
} smove;

static void decode(const gn__ls *ls, const gn__vmove *vm, smove *m) {
  const uint32_t *b = ls->vbuf + vm->off;
  m->nE = *b++;
  m->rE = b;
  b += m->nE;
  m->nV = *b++;
  m->rV = b;
  b += m->nV;
  m->np = *b++;
  m->ends = b;
  b += m->np;
  m->ncon = *b++;
  m->con = b;
}

/* Tree path a..b (old view) free of other moves' edges? With set, lock
 * it for move id. Edge (x, par x) is locked through x. */
static int lock_tree_path(gn__ls *ls, uint32_t a, uint32_t b, uint32_t id,
                          int set) {
  const gn__st_tree *t = ls->t;
  uint32_t u = a, steps = 0;
  for (; !gn__st_in_sub(t, u, b); u = t->par[u], steps++) {
    if (ls->elock[u] != 0 && ls->elock[u] != id) return 0;
    if (set) ls->elock[u] = id;
  }
  for (uint32_t v = b; v != u; v = t->par[v], steps++) {
    if (ls->elock[v] != 0 && ls->elock[v] != id) return 0;
    if (set) ls->elock[v] = id;
  }
  ls->w->work += steps;
  return 1;
}

/* Lock everything move m depends on, or nothing if another move of the
 * batch holds part of it. */
static int lock_move(gn__ls *ls, const smove *m, uint32_t id) {
  const gn__sg *sg = ls->sg;
  for (int set = 0; set < 2; set++) {
    const uint32_t *c = m->con;
    for (uint32_t j = 0; j < m->ncon; j++, c += 3 + c[2]) {
      if (!lock_tree_path(ls, c[0], c[1], id, set)) return 0;
      for (uint32_t k = 0; k < c[2]; k++) {
        uint32_t e = c[3 + k], ends[2] = {sg->eu[e], sg->ev[e]};
        for (int i = 0; i < 2; i++) {
          uint32_t x = ends[i];
          if (x == c[0] || x == c[1]) continue;
          if (ls->nlock[x] != 0 && ls->nlock[x] != id) return 0;
          if (set) ls->nlock[x] = id;
        }
      }
      ls->w->work += c[2];
    }
  }
  return 1;
}

static void apply_move(gn__ls *ls, const smove *m) {
  const gn__sg *sg = ls->sg;
  for (uint32_t i = 0; i < m->nE; i++) set_edge(ls, m->rE[i], 0);
  for (uint32_t i = 0; i < m->nV; i++) ls->in_node[m->rV[i]] = 0;
  const uint32_t *c = m->con;
  for (uint32_t j = 0; j < m->ncon; j++, c += 3 + c[2]) {
    for (uint32_t k = 0; k < c[2]; k++) {
      uint32_t e = c[3 + k];
      set_edge(ls, e, 1);
      ls->in_node[sg->eu[e]] = ls->in_node[sg->ev[e]] = 1;
    }
  }
}

static int cmp_vmove(const void *pa, const void *pb) {
  const gn__vmove *a = pa, *b = pb;
  if (a->gain != b->gain) return a->gain > b->gain ? -1 : 1;
  return (a->off > b->off) - (a->off < b->off);
}

static int in_list(const uint32_t *a, uint32_t n, uint32_t x) {
  for (uint32_t i = 0; i < n; i++)
    if (a[i] == x) return 1;
  return 0;
}

/* Piece of tree node q once m's edges are gone: the subtree of a lower
 * end (one whose parent edge m removes), else the upper end's; NIL for a
 * node m removes. */
static uint32_t piece_now(const gn__ls *ls, const smove *m, uint32_t q) {
  const gn__st_tree *t = ls->t;
  uint32_t upper = NIL;
  if (t->tin[q] == NIL || in_list(m->rV, m->nV, q)) return NIL;
  for (uint32_t i = 0; i < m->np; i++) {
    uint32_t x = m->ends[i];
    if (t->par[x] == NIL || !in_list(m->rE, m->nE, t->pedge[x]))
      upper = i;
    else if (gn__st_in_sub(t, x, q))
      return i;
  }
  return upper;
}

/* Does move m, found on an earlier tree, still hold on the current one?
 * Its removed part must be intact and its connections, over non-tree
 * nodes, must join its pieces into one tree. Then its gain is unchanged. */
static int still_valid(gn__ls *ls, const gn__vmove *vm, const smove *m) {
  const gn__sg *sg = ls->sg;
  const gn__st_tree *t = ls->t;
  if (m->np > GN__VP_MAX_PIECES + 1 || m->ncon + 1 != m->np) return 0;
  for (uint32_t i = 0; i < m->nE; i++)
    if (!ls->in_edge[m->rE[i]]) return 0;
  for (uint32_t i = 0; i < m->nV; i++) {
    uint32_t v = m->rV[i], want = vm->kind == 1 && v == vm->node ? m->np : 2;
    if (t->tin[v] == NIL || sg->is_term[v] || t->deg[v] != want) return 0;
  }
  for (uint32_t i = 0; i < m->np; i++) ls->uf[i] = i;
  const uint32_t *c = m->con;
  ls->w->work += m->nE + m->nV;
  for (uint32_t j = 0; j < m->ncon; j++, c += 3 + c[2]) {
    uint32_t pa = piece_now(ls, m, c[0]), pb = piece_now(ls, m, c[1]);
    if (pa == NIL || pb == NIL) return 0;
    uint32_t ra = gn__uf_find(ls->uf, pa), rb = gn__uf_find(ls->uf, pb);
    if (ra == rb) return 0;
    ls->uf[ra] = rb;
    for (uint32_t k = 0; k < c[2]; k++) {
      uint32_t e = c[3 + k], ends[2] = {sg->eu[e], sg->ev[e]};
      if (ls->in_edge[e] && !in_list(m->rE, m->nE, e)) return 0;
      for (int i = 0; i < 2; i++)
        if (ends[i] != c[0] && ends[i] != c[1] && t->tin[ends[i]] != NIL &&
            !in_list(m->rV, m->nV, ends[i]))
          return 0;
    }
    ls->w->work += c[2] * (m->nE + m->nV);
  }
  return 1;
}

/* One round: take the moves not yet applied, best first, that hold on
 * the current tree (round 0: all do, they were found on it) and share
 * nothing with a move taken before them in this round; then prune the
 * Steiner leaves they left and root the new tree. */
static uint32_t batch_round(gn__ls *ls, int round, gn_status *st) {
  uint32_t n = ls->sg->n, applied = 0;
  memset(ls->elock, 0, n * sizeof(uint32_t));
  memset(ls->nlock, 0, n * sizeof(uint32_t));
  ls->w->work += n / 8;
  ls->nlog = 0;
  for (size_t i = 0; i < ls->nvmoves; i++) {
    gn__vmove *vm = &ls->vmoves[i];
    smove m;
    if (vm->done) continue;
    decode(ls, vm, &m);
    if (round > 0 && !still_valid(ls, vm, &m)) continue;
    if (!lock_move(ls, &m, (uint32_t)i + 1)) continue;
    apply_move(ls, &m);
    vm->done = (uint32_t)round + 1;
    applied++;
  }
  for (size_t i = 0; i < ls->nvmoves; i++) {
    smove m;
    if (ls->vmoves[i].done != (uint32_t)round + 1) continue;
    decode(ls, &ls->vmoves[i], &m);
    for (uint32_t j = 0; j < m.np; j++) prune_from(ls, m.ends[j]);
  }
  *st = applied ? rebuild(ls, 0) : GN_OK;
  return applied;
}

/* Apply the moves of the last pass in rounds until one takes nothing:
 * a pass costs O(m log n), a round O(n), and most moves a round leaves
 * (overlaps) still hold after it. Returns the number applied. */
static uint32_t apply_batch(gn__ls *ls, gn_status *st) {
  uint32_t total = 0, got = 1;
  *st = GN_OK;
  if (ls->nvmoves == 0) return 0;
  if (GN__GROW(ls->sg->ctx, ls->uf, ls->cap_uf, GN__VP_MAX_PIECES + 2) !=
      GN_OK) {
    *st = GN_ENOMEM;
    return 0;
  }
  qsort(ls->vmoves, ls->nvmoves, sizeof(gn__vmove), cmp_vmove);
  for (size_t i = 0; i < ls->nvmoves; i++) ls->vmoves[i].done = 0;
  /* rounds shrink fast (Vienna 191: 391, 157, 89, 26, 10, 6, 2, 1, 0);
   * the cap bounds a pathological tail at a few passes' worth of work */
  for (int round = 0; got > 0 && *st == GN_OK && round < 32; round++) {
    got = batch_round(ls, round, st);
    total += got;
  }
  return total;
}

static uint32_t insert_round(gn__ls *ls, gn_status *st) {
  uint32_t applied = 0;
  uint64_t next_check = 0;
  for (uint32_t v = 0; v < ls->sg->n && !out_of_budget(ls, &next_check); v++) {
    if (ls->t->tin[v] != NIL) continue;
    ls->nlog = 0;
    ls->w->work++;
    if (!try_insert(ls, v)) continue;
    applied++;
    if ((*st = rebuild(ls, 1)) != GN_OK) return applied;
  }
  return applied;
}

/* Passes until neither a pass nor insertion finds anything (converged),
 * the budget runs out or max_passes passes ran. */
gn_status gn__local_search(gn__ls *ls) {
  gn_status s = rebuild(ls, 0);
  uint64_t next_check = 0;
  ls->converged = 0;
  for (uint32_t pass = 0; s == GN_OK && !out_of_budget(ls, &next_check) &&
                          (ls->max_passes == 0 || pass < ls->max_passes);
       pass++) {
    if ((s = gn__vpass(ls)) != GN_OK) break;
    uint32_t a = apply_batch(ls, &s);
    uint32_t b = s == GN_OK ? insert_round(ls, &s) : 0;
    if (a == 0 && b == 0) {
      ls->converged = 1;
      break;
    }
  }
  return s;
}
