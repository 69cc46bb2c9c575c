/*
 * steiner_update.c - Incremental update of the rooted tree view after a
 * local-search move.
 *
 * Design: a move changes a few edges (the local search logs every edge
 * flag it writes). All changed edges lie in the subtree of z, the lowest
 * common ancestor (old view) of their ends that were in the tree, and
 * z's parent edge is unchanged; so only z's subtree is walked again. Its
 * new preorder replaces the old range [tin z, tin z + sub z) of `order`;
 * when its size changes, the tail of `order` moves (one memmove, then
 * independent tin writes) and the ancestors of z change their subtree
 * sizes. The full rebuild walked the whole tree, a chain of dependent
 * cache misses per node, which cost ~70 % of the solver's time on the
 * large Vienna instances.
 * Anything unexpected (cycle, escape from the subtree, lost terminal, z
 * at the root) returns -1 with the view reset, and the caller rebuilds
 * from scratch. Threads: reentrant.
 */
#include <string.h>

#include "steiner/steiner_int.h"

#define NIL UINT32_MAX

/* LCA (old view) of the old tree ends of the changed edges, or NIL. */
static uint32_t changed_root(const gn__sg *sg, const gn__st_tree *t,
                             const uint32_t *chg, uint32_t nchg,
                             uint64_t *work) {
  uint32_t lo = NIL, hi = 0, first = NIL;
  for (uint32_t i = 0; i < nchg; i++) {
    uint32_t ends[2] = {sg->eu[chg[i]], sg->ev[chg[i]]};
    for (int j = 0; j < 2; j++) {
      uint32_t k = t->tin[ends[j]];
      if (k == NIL) continue;
      if (k < lo) {
        lo = k;
        first = ends[j];
      }
      if (k > hi) hi = k;
    }
  }
  if (first == NIL) return NIL;
  uint32_t z = first;
  while (z != NIL && !(t->tin[z] <= lo && hi - t->tin[z] < t->sub[z])) {
    z = t->par[z];
    (*work)++;
  }
  return z;
}

/* Preorder of z's new subtree into buf (z first); sets tin (relative to
 * base), par, pedge, deg. Nodes of the old range must have tin NIL.
 * Returns the size, or 0 on a cycle or an escape. */
static uint32_t walk(const gn__sg *sg, const uint8_t *in_edge, gn__st_tree *t,
                     uint32_t z, uint32_t base, uint32_t *buf, uint32_t *stack,
                     double *cost) {
  uint32_t top = 0, cnt = 0;
  double c = 0;
  stack[top++] = z;
  while (top) {
    uint32_t v = stack[--top];
    if (t->tin[v] != NIL) return 0;
    t->tin[v] = base + cnt;
    buf[cnt++] = v;
    uint32_t d = 0, pe = t->pedge[v];
    for (uint32_t k = sg->off[v]; k < sg->off[v + 1]; k++) {
      uint32_t e = sg->adj_e[k];
      if (!in_edge[e]) continue;
      d++;
      if (e == pe) continue;
      uint32_t x = sg->adj_v[k];
      if (t->tin[x] != NIL || top >= sg->n) return 0;
      t->par[x] = v;
      t->pedge[x] = e;
      c += sg->adj_w[k];
      stack[top++] = x;
    }
    t->deg[v] = d;
  }
  *cost = c;
  return cnt;
}

static int fail(const gn__sg *sg, gn__st_tree *t) {
  for (uint32_t v = 0; v < sg->n; v++) t->tin[v] = NIL;
  t->size = 0;
  return -1;
}

/* Splice the new range buf[0..s1) in place of the old one of size s0. */
static void splice(gn__st_tree *t, uint32_t z, uint32_t tz, uint32_t s0,
                   const uint32_t *buf, uint32_t s1, uint64_t *work) {
  uint32_t tail = t->size - (tz + s0);
  if (s1 != s0) {
    memmove(t->order + tz + s1, t->order + tz + s0, tail * sizeof(uint32_t));
    for (uint32_t i = tz + s1; i < tz + s1 + tail; i++) t->tin[t->order[i]] = i;
    for (uint32_t a = t->par[z]; a != NIL; a = t->par[a]) {
      t->sub[a] = t->sub[a] + s1 - s0;
      (*work)++;
    }
    t->size = t->size + s1 - s0;
    *work += tail / 16;
  }
  memcpy(t->order + tz, buf, s1 * sizeof(uint32_t));
  for (uint32_t i = s1; i-- > 0;) {
    uint32_t v = buf[i];
    t->sub[v] = 1;
  }
  for (uint32_t i = s1; i-- > 1;) t->sub[t->par[buf[i]]] += t->sub[buf[i]];
}

int gn__st_tree_update(const gn__sg *sg, const uint8_t *in_edge,
                       gn__st_tree *t, const uint32_t *chg, uint32_t nchg,
                       uint32_t *buf, uint32_t *stack, uint64_t *work) {
  uint32_t z = changed_root(sg, t, chg, nchg, work);
  if (z == NIL || z == t->root || !in_edge[t->pedge[z]]) return fail(sg, t);
  uint32_t tz = t->tin[z], s0 = t->sub[z];
  double old = 0, now = 0;
  for (uint32_t i = tz; i < tz + s0; i++) {
    uint32_t v = t->order[i];
    if (v != z) old += sg->w[t->pedge[v]];
    t->tin[v] = NIL;
  }
  uint32_t s1 = walk(sg, in_edge, t, z, tz, buf, stack, &now);
  *work += s0 + s1;
  if (s1 == 0) return fail(sg, t);
  for (uint32_t i = tz; i < tz + s0; i++) { /* dropped nodes */
    uint32_t v = t->order[i];
    if (t->tin[v] == NIL && sg->is_term[v]) return fail(sg, t);
  }
  splice(t, z, tz, s0, buf, s1, work);
  t->cost += now - old;
  return 0;
}
