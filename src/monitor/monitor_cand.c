/*
 * monitor_cand.c - From the search's solutions (sets of classes and
 * device sites) to ranked candidates: each class expands into its
 * likeliest members; ranking as documented in monitor.h.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_diag.h"

/* ---- candidates ----------------------------------------------------- */

/* One expansion of a solution: the member chosen in each of its classes. */
typedef struct raw {
  uint32_t sol;
  uint8_t pick[MAX_SET]; /* member index per class of the solution */
  uint32_t size, ndev, nother; /* nother: cable and closure elements */
  double weight;
} raw;

static int cmp_raw(const raw *x, const raw *y) {
  if (x->size != y->size) return x->size < y->size ? -1 : 1;
  if (x->ndev != y->ndev) return x->ndev < y->ndev ? -1 : 1;
  if (x->nother != y->nother) return x->nother < y->nother ? -1 : 1;
  if (x->weight != y->weight) return x->weight > y->weight ? -1 : 1;
  if (x->sol != y->sol) return x->sol < y->sol ? -1 : 1;
  return memcmp(x->pick, y->pick, sizeof(x->pick));
}

static void sort_raw(raw *v, raw *tmp, size_t n) {
  if (n < 2) return;
  size_t h = n / 2;
  sort_raw(v, tmp, h);
  sort_raw(v + h, tmp, n - h);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n) tmp[k++] = cmp_raw(&v[j], &v[i]) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof(raw));
}

/* Split a solution into its classes and device sites. */
static size_t sol_parts(const solver *S, const uint32_t *sol, uint32_t *cl,
                        size_t *ndev) {
  size_t nc = 0;
  *ndev = S->nforced;
  for (size_t i = 0; i < S->budget && sol[i] != UINT32_MAX; i++) {
    if (sol[i] < S->ncls && nc < MAX_SET)
      cl[nc++] = sol[i];
    else if (sol[i] >= S->ncls)
      (*ndev)++;
  }
  return nc;
}

static gn_status enumerate(const solver *S, int max_out, raw **out,
                           size_t *nout) {
  raw *v = NULL;
  size_t n = 0, cap = 0;
  for (size_t si = 0; si < S->nsols; si++) {
    const uint32_t *sol = S->sols + si * S->budget;
    uint32_t cl[MAX_SET];
    size_t ndev, nc = sol_parts(S, sol, cl, &ndev);
    uint32_t lim[MAX_SET];
    for (size_t i = 0; i < nc; i++) {
      uint32_t m = nc == 1 ? (uint32_t)max_out : nc == 2 ? 4 : 2;
      if (m > MAX_MEMBERS) m = MAX_MEMBERS;
      lim[i] = S->cls[cl[i]].nmembers < m ? S->cls[cl[i]].nmembers : m;
    }
    raw r;
    memset(&r, 0, sizeof(r));
    r.sol = (uint32_t)si;
    r.size = (uint32_t)(nc + ndev);
    r.ndev = (uint32_t)ndev;
    for (;;) { /* odometer over the members of each class */
      r.weight = 1.0;
      r.nother = 0;
      for (size_t i = 0; i < nc; i++) {
        uint32_t e = S->cls[cl[i]].members[r.pick[i]];
        r.weight *= S->net->el_weight[e];
        r.nother += S->net->el_kind[e] != GN__EL_TRENCH;
      }
      if (GN__GROW(S->ctx, v, cap, n + 1) != GN_OK) {
        gn_free(S->ctx, v);
        return gn__diag_oom(S->ctx);
      }
      v[n++] = r;
      size_t i = 0;
      while (i < nc && ++r.pick[i] == lim[i]) r.pick[i++] = 0;
      if (i == nc) break;
    }
  }
  raw *tmp = gn_malloc(S->ctx, (n ? n : 1) * sizeof(raw));
  if (!tmp) {
    gn_free(S->ctx, v);
    return gn__diag_oom(S->ctx);
  }
  sort_raw(v, tmp, n);
  gn_free(S->ctx, tmp);
  *out = v;
  *nout = n < (size_t)max_out ? n : (size_t)max_out;
  return GN_OK;
}

static int cmp_i64(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return x < y ? -1 : x > y;
}

static gn_status add_id(gn_ctx *ctx, int64_t **arr, size_t *n, int64_t id) {
  int64_t *p = gn_realloc(ctx, *arr, (*n + 1) * sizeof(int64_t));
  if (!p) return gn__diag_oom(ctx);
  p[(*n)++] = id;
  *arr = p;
  return GN_OK;
}

static gn_status add_str(gn_ctx *ctx, char ***arr, size_t *n, const char *s) {
  char **p = gn_realloc(ctx, *arr, (*n + 1) * sizeof(char *));
  if (!p) return gn__diag_oom(ctx);
  *arr = p;
  p[*n] = gn__strdup(ctx, s);
  if (!p[*n]) return gn__diag_oom(ctx);
  (*n)++;
  return GN_OK;
}

/* Up sites that lose a live circuit to the failed elements but stay up
 * (from the elements' own circuit lists: the classes dropped the circuits
 * of up sites that can never go down). */
static gn_status add_protected(solver *S, const uint32_t *els, size_t n,
                               gn_diag_candidate *c) {
  const gn_monitor_net *net = S->net;
  gn_status rs = GN_OK;
  for (size_t i = 0; rs == GN_OK && i < n; i++)
    for (uint32_t j = net->el_circ_off[els[i]];
         rs == GN_OK && j < net->el_circ_off[els[i] + 1]; j++) {
      uint32_t cc = net->el_circ[j], s = net->circ_site[cc];
      if (S->state[s] != UP || S->dev[s] || net->circ_dead[cc]) continue;
      S->dev[s] = 1; /* visited mark; the site is up so it is unused */
      rs = add_str(S->ctx, &c->protected_sites, &c->nprotected,
                   net->site_id[s]);
    }
  for (size_t i = 0; i < n; i++)
    for (uint32_t j = net->el_circ_off[els[i]]; j < net->el_circ_off[els[i] + 1]; j++) {
      uint32_t s = net->circ_site[net->el_circ[j]];
      if (S->state[s] == UP) S->dev[s] = 0;
    }
  return rs;
}

static gn_status materialize(solver *S, const raw *r, gn_diag_candidate *c) {
  const gn_monitor_net *net = S->net;
  const uint32_t *sol = S->sols + r->sol * S->budget;
  uint32_t cl[MAX_SET];
  size_t ndev, nc = sol_parts(S, sol, cl, &ndev);
  gn_status rs = GN_OK;
  c->kind = nc ? GN_DIAG_CUT : GN_DIAG_DEVICE;
  c->weight = r->weight;
  c->explains = S->ndown;
  uint32_t els[MAX_SET];
  for (size_t i = 0; rs == GN_OK && i < nc; i++) {
    uint32_t e = els[i] = S->cls[cl[i]].members[r->pick[i]];
    int64_t id = net->el_id[e];
    if (net->el_kind[e] == GN__EL_TRENCH)
      rs = add_id(S->ctx, &c->trenches, &c->ntrenches, id);
    else if (net->el_kind[e] == GN__EL_CABLE)
      rs = add_id(S->ctx, &c->cables, &c->ncables, id);
    else
      rs = add_id(S->ctx, &c->closures, &c->nclosures, id);
  }
  for (size_t i = 0; rs == GN_OK && i < S->nforced; i++)
    rs = add_str(S->ctx, &c->devices, &c->ndevices, net->site_id[S->forced[i]]);
  for (size_t i = 0; rs == GN_OK && i < S->budget && sol[i] != UINT32_MAX; i++)
    if (sol[i] >= S->ncls)
      rs = add_str(S->ctx, &c->devices, &c->ndevices,
                   net->site_id[sol[i] - S->ncls]);
  if (rs == GN_OK) rs = add_protected(S, els, nc, c);
  if (c->ntrenches > 1) qsort(c->trenches, c->ntrenches, 8, cmp_i64);
  if (c->ncables > 1) qsort(c->cables, c->ncables, 8, cmp_i64);
  if (c->nclosures > 1) qsort(c->closures, c->nclosures, 8, cmp_i64);
  return rs;
}

gn_status gn__diag_expand(solver *S, gn_diagnosis *d, int max_out) {
  raw *v = NULL;
  size_t n = 0;
  gn_status rs = enumerate(S, max_out, &v, &n);
  if (rs == GN_OK && n) {
    d->candidates = gn__diag_alloc0(S->ctx, n, sizeof(gn_diag_candidate));
    if (!d->candidates) rs = gn__diag_oom(S->ctx);
  }
  for (size_t i = 0; rs == GN_OK && i < n; i++) {
    d->ncandidates++;
    rs = materialize(S, &v[i], &d->candidates[i]);
  }
  gn_free(S->ctx, v);
  return rs;
}
