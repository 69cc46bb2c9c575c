/*
 * monitor_search.c - The diagnosis search: iterative deepening over the
 * number of failures with class-pair conflicts and counting bounds, and
 * the greedy fallback (see monitor_diag.c for the whole design).
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_diag.h"

/* ---- search ------------------------------------------------------------ */

/* Live circuits of site s not hit by a chosen class. */
static uint32_t site_unhit(const solver *S, uint32_t s) {
  const gn_monitor_net *net = S->net;
  uint32_t k = 0;
  for (uint32_t i = net->site_circ_off[s]; i < net->site_circ_off[s + 1]; i++) {
    uint32_t c = net->site_circ[i];
    k += !net->circ_dead[c] && !S->hit[c];
  }
  return k;
}

/* Apply class k's circuits [from, to) (sign +1) or undo them (-1);
 * returns 0 when an up site lost its last live circuit. */
static int apply_range(solver *S, const cls *k, uint32_t from, uint32_t to,
                       int sign) {
  const gn_monitor_net *net = S->net;
  int ok = 1;
  for (uint32_t i = from; i < to; i++) {
    uint32_t c = k->circs[i], s = net->circ_site[c];
    int first = sign > 0 ? S->hit[c]++ == 0 : --S->hit[c] == 0;
    if (!first) continue;
    int before = gn__diag_covered(S, s);
    S->nhit[s] = sign > 0 ? S->nhit[s] + 1 : S->nhit[s] - 1;
    if (S->state[s] == DOWN) {
      S->down_left += before - gn__diag_covered(S, s);
      if (!S->dev[s]) S->unhit = sign > 0 ? S->unhit - 1 : S->unhit + 1;
    } else if (S->nhit[s] == S->nlive[s]) {
      ok = 0;
    }
  }
  return ok;
}

/* Apply option o (a class or ncls + site for a device) or undo it. With
 * down_only, only the class's down circuits (listed first): the search
 * checks the up sites once per solution (up_ok), not at every node. */
static int apply_opt(solver *S, uint32_t o, int sign, int down_only) {
  if (o >= S->ncls) {
    uint32_t s = o - (uint32_t)S->ncls;
    int before = gn__diag_covered(S, s);
    uint32_t k = site_unhit(S, s);
    S->unhit = sign > 0 ? S->unhit - k : S->unhit + k;
    S->dev[s] = sign > 0;
    S->down_left += before - gn__diag_covered(S, s);
    return 1;
  }
  const cls *k = &S->cls[o];
  return apply_range(S, k, 0, down_only ? S->cls_ndown[o] : k->ncircs, sign);
}

int gn__diag_apply(solver *S, uint32_t o, int sign) {
  return apply_opt(S, o, sign, 0);
}

/* With the path applied down-only: do all up sites keep a circuit? */
static int up_ok(solver *S) {
  int ok = 1;
  size_t i = 0;
  for (; i < S->npath; i++) {
    uint32_t o = S->path[i];
    if (o < S->ncls &&
        !apply_range(S, &S->cls[o], S->cls_ndown[o], S->cls[o].ncircs, +1)) {
      ok = 0;
      i++;
      break;
    }
  }
  while (i-- > 0) {
    uint32_t o = S->path[i];
    if (o < S->ncls)
      apply_range(S, &S->cls[o], S->cls_ndown[o], S->cls[o].ncircs, -1);
  }
  return ok;
}

static int cmp_u32(const void *a, const void *b) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  return x < y ? -1 : x > y;
}

void gn__diag_record(solver *S) {
  if (S->nsols >= MAX_SOLUTIONS) return;
  uint32_t *sol = S->sols + S->nsols * S->budget;
  memcpy(sol, S->path, S->npath * sizeof(uint32_t));
  for (size_t i = S->npath; i < S->budget; i++) sol[i] = UINT32_MAX;
  qsort(sol, S->npath, sizeof(uint32_t), cmp_u32);
  for (size_t i = 0; i + 1 < S->npath; i++)
    if (sol[i] == sol[i + 1]) return;
  for (size_t i = 0; i < S->nsols; i++)
    if (memcmp(S->sols + i * S->budget, sol,
               S->budget * sizeof(uint32_t)) == 0)
      return;
  S->nsols++;
}

/* The unhit down circuit with the fewest options (-1: all explained). */
static long pick(const solver *S) {
  long best = -1;
  uint32_t best_n = UINT32_MAX;
  for (size_t i = 0; i < S->ndcirc; i++) {
    uint32_t c = S->dcirc[i];
    if (S->hit[c] || S->dev[S->net->circ_site[c]]) continue;
    uint32_t n = S->dc_opt_off[i + 1] - S->dc_opt_off[i];
    if (n < best_n) {
      best_n = n;
      best = (long)i;
    }
  }
  return best;
}

/* Does option o (a class, or a device at site) hit every down circuit
 * still unhit? Counts over the class's down circuits only (listed first),
 * much cheaper than apply. */
static int explains_rest(const solver *S, uint32_t o, uint32_t site) {
  if (o >= S->ncls) return site_unhit(S, site) == S->unhit;
  if (S->cls_ndown[o] < S->unhit) return 0;
  const cls *x = &S->cls[o];
  size_t n = 0;
  for (uint32_t i = 0; i < S->cls_ndown[o]; i++) {
    uint32_t c = x->circs[i];
    n += !S->hit[c] && !S->dev[S->net->circ_site[c]];
  }
  return n == S->unhit;
}

/* Would class o with a class already on the path kill an up site? */
static int conflicts(const solver *S, uint32_t o) {
  if (!S->conflict) return 0;
  for (size_t i = 0; i < S->npath; i++) {
    uint32_t p = S->path[i];
    if (p < S->ncls) {
      size_t bit = (size_t)o * S->ncls + p;
      if (S->conflict[bit / 64] >> (bit % 64) & 1) return 1;
    }
  }
  return 0;
}

static void dfs(solver *S) {
  if (S->down_left == 0) {
    if (!S->conflict || !S->multi || up_ok(S)) gn__diag_record(S);
    return;
  }
  size_t left = S->budget - S->npath;
  /* bound: each option explains at most maxcov down circuits */
  if (left == 0 || left * S->maxcov < S->unhit || ++S->nodes > MAX_NODES)
    return;
  long i = pick(S);
  if (i < 0) return;
  uint32_t site = S->net->circ_site[S->dcirc[i]];
  uint32_t a = S->dc_opt_off[i], b = S->dc_opt_off[i + 1];
  for (uint32_t k = a; k <= b; k++) {
    uint32_t o = k < b ? S->dc_opt[k] : (uint32_t)S->ncls + site;
    if (left == 1 && !explains_rest(S, o, site))
      continue; /* the last option must explain every unhit circuit */
    if (o < S->ncls && conflicts(S, o)) continue;
    S->path[S->npath++] = o;
    if (apply_opt(S, o, +1, S->conflict != NULL)) dfs(S);
    apply_opt(S, o, -1, S->conflict != NULL);
    S->npath--;
  }
}

/* No small explanation: take the class explaining most new down sites
 * while one does; the rest are device faults. */
static void greedy(solver *S) {
  const gn_monitor_net *net = S->net;
  S->budget = MAX_GREEDY + S->ndcirc;
  S->npath = 0;
  while (S->down_left && S->npath < MAX_GREEDY) {
    size_t best = SIZE_MAX, best_gain = 0;
    for (size_t k = 0; k < S->ncls; k++) {
      size_t before = S->down_left;
      int ok = gn__diag_apply(S, (uint32_t)k, +1);
      size_t gain = before - S->down_left;
      gn__diag_apply(S, (uint32_t)k, -1);
      if (ok && gain > best_gain) {
        best_gain = gain;
        best = k;
      }
    }
    if (best == SIZE_MAX) break;
    gn__diag_apply(S, (uint32_t)best, +1);
    S->path[S->npath++] = (uint32_t)best;
  }
  for (size_t i = 0; i < S->ndcirc; i++) {
    uint32_t s = net->circ_site[S->dcirc[i]];
    if (!gn__diag_covered(S, s)) {
      gn__diag_apply(S, (uint32_t)S->ncls + s, +1);
      S->path[S->npath++] = (uint32_t)S->ncls + s;
    }
  }
  S->nsols = 0;
  gn__diag_record(S);
}

void gn__diag_search(solver *S, int max_el, int *minimal) {
  *minimal = 1;
  for (S->budget = 1; S->budget <= (size_t)max_el && !S->nsols; S->budget++)
    dfs(S);
  if (S->nsols) {
    S->budget--;
  } else {
    *minimal = 0;
    greedy(S);
  }
}
