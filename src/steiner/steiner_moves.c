/*
 * steiner_moves.c - The candidate list shared by the local search
 * (steiner_local.c) and its evaluation pass (steiner_vpass.c): candidate
 * connections are collected, then Kruskal over them picks the cheapest
 * set that reconnects k + 1 pieces, stopping as soon as it cannot beat
 * the bound. Kept apart so the two passes depend on it, not on each other.
 */
#include <math.h>
#include <stdlib.h>

#include "util/internal.h"
#include "steiner/steiner_int.h"

static double eps_of(double c) { return 1e-10 * (c > 1 ? c : 1); }

gn_status gn__ls_add_cand(gn__ls *ls, const gn__cand *c) {
  if (GN__GROW(ls->sg->ctx, ls->cands, ls->cap_cands, ls->ncands + 1) != GN_OK)
    return GN_ENOMEM;
  ls->cands[ls->ncands++] = *c;
  return GN_OK;
}

static int cmp_cand(const void *pa, const void *pb) {
  const gn__cand *a = pa, *b = pb;
  if (a->cost != b->cost) return a->cost < b->cost ? -1 : 1;
  return (a->arc > b->arc) - (a->arc < b->arc);
}

double gn__ls_kruskal(gn__ls *ls, uint32_t k, double bound, size_t *nch) {
  *nch = 0;
  if (ls->ncands < k ||
      GN__GROW(ls->sg->ctx, ls->uf, ls->cap_uf, (size_t)k + 1) != GN_OK)
    return INFINITY;
  qsort(ls->cands, ls->ncands, sizeof(gn__cand), cmp_cand);
  for (uint32_t i = 0; i <= k; i++) ls->uf[i] = i;
  double sum = 0;
  for (size_t i = 0; i < ls->ncands && *nch < k; i++) {
    gn__cand c = ls->cands[i];
    uint32_t a = gn__uf_find(ls->uf, c.a), b = gn__uf_find(ls->uf, c.b);
    if (a == b) continue;
    ls->uf[a] = b;
    sum += c.cost;
    if (sum >= bound - eps_of(bound)) return INFINITY;
    ls->cands[(*nch)++] = c;
  }
  return *nch == k ? sum : INFINITY;
}
