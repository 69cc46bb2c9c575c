/*
 * monitor_diag.c - Root cause of an outage: the smallest sets of failed
 * trenches, cables, closures (and devices) that explain the down sites.
 *
 * Design: a minimum hitting set with side constraints. Every live circuit
 * of a down site must run over a failed element ("hit"); every up site
 * must keep one live circuit unhit. Elements that hit the same live
 * circuits are interchangeable for the alarms, so they are grouped into
 * classes first (a run of trenches between branch points and the cable in
 * it form one class); an element that alone kills every circuit of an up
 * site can never fail and is dropped. Then an iterative-deepening search
 * over budgets 1..max_elements: pick the unhit down circuit with the
 * fewest classes on it and branch on each of them, or on a device fault at
 * its site (which explains that site alone); an up site losing its last
 * circuit prunes the branch. All solutions of the smallest budget are
 * kept, expanded from classes to their members and ranked (see
 * monitor.h). When no budget up to max_elements explains the alarms
 * (many unrelated faults), a greedy pass takes the class explaining most
 * new down sites while any does, and calls the rest device faults.
 * Cost: classes are built in time linear in the incidences of the
 * elements on down circuits; the search visits at most (options)^budget
 * nodes, bounded by MAX_NODES.
 */
#include <stdlib.h>
#include <string.h>

#include "monitor/monitor_diag.h"

/* ---- classes --------------------------------------------------------- */

typedef struct sig {
  uint32_t el;
  uint32_t off, n; /* live circuits in the scratch buffer */
  uint64_t hash;
} sig;

static int cmp_sig(const sig *x, const sig *y, const uint32_t *buf) {
  if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
  if (x->n != y->n) return x->n < y->n ? -1 : 1;
  return memcmp(buf + x->off, buf + y->off, x->n * sizeof(uint32_t));
}

/* Insertion into runs would be quadratic; sort by an index permutation
 * with a merge sort that carries the buffer (qsort has no context). */
static void sort_sigs(sig *v, sig *tmp, size_t n, const uint32_t *buf) {
  if (n < 2) return;
  size_t h = n / 2;
  sort_sigs(v, tmp, h, buf);
  sort_sigs(v + h, tmp, n - h, buf);
  size_t i = 0, j = h, k = 0;
  while (i < h && j < n)
    tmp[k++] = cmp_sig(&v[j], &v[i], buf) < 0 ? v[j++] : v[i++];
  while (i < h) tmp[k++] = v[i++];
  while (j < n) tmp[k++] = v[j++];
  memcpy(v, tmp, n * sizeof(sig));
}

/* An element alone kills every live circuit of some up site. */
static int forbidden(solver *S, const uint32_t *c, size_t n, uint32_t *cnt,
                     uint32_t *touched) {
  const gn_monitor_net *net = S->net;
  size_t nt = 0;
  int bad = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t s = net->circ_site[c[i]];
    if (S->state[s] != UP) continue;
    if (cnt[s]++ == 0) touched[nt++] = s;
    if (cnt[s] == S->nlive[s]) bad = 1;
  }
  for (size_t i = 0; i < nt; i++) cnt[touched[i]] = 0;
  return bad;
}

static int cmp_member(const void *a, const void *b, const double *w) {
  uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
  if (w[x] != w[y]) return w[x] > w[y] ? -1 : 1;
  return x < y ? -1 : x > y;
}

static void sort_members(uint32_t *m, size_t n, const double *w) {
  for (size_t i = 1; i < n; i++) /* classes are small */
    for (size_t j = i; j > 0 && cmp_member(&m[j], &m[j - 1], w) < 0; j--) {
      uint32_t t = m[j];
      m[j] = m[j - 1];
      m[j - 1] = t;
    }
}

static gn_status make_classes(solver *S, sig *v, size_t nv, uint32_t *buf) {
  const gn_monitor_net *net = S->net;
  sig *tmp = gn__diag_alloc0(S->ctx, nv, sizeof(sig));
  if (!tmp) return gn__diag_oom(S->ctx);
  sort_sigs(v, tmp, nv, buf);
  gn_free(S->ctx, tmp);
  size_t n = 0;
  for (size_t i = 0; i < nv; i++) n += !i || cmp_sig(&v[i - 1], &v[i], buf);
  S->cls = gn__diag_alloc0(S->ctx, n, sizeof(cls));
  if (!S->cls) return gn__diag_oom(S->ctx);
  for (size_t i = 0, j; i < nv; i = j) {
    for (j = i + 1; j < nv && cmp_sig(&v[i], &v[j], buf) == 0; j++) {
    }
    cls *k = &S->cls[S->ncls++];
    k->members = gn_malloc(S->ctx, (j - i) * sizeof(uint32_t));
    k->circs = gn_malloc(S->ctx, (v[i].n ? v[i].n : 1) * sizeof(uint32_t));
    if (!k->members || !k->circs) return gn__diag_oom(S->ctx);
    for (size_t m = i; m < j; m++) k->members[k->nmembers++] = v[m].el;
    sort_members(k->members, k->nmembers, net->el_weight);
    memcpy(k->circs, buf + v[i].off, v[i].n * sizeof(uint32_t));
    k->ncircs = v[i].n;
  }
  return GN_OK;
}

/* Elements on live down circuits, minus the forbidden ones, grouped. */
static gn_status build_classes(solver *S) {
  const gn_monitor_net *net = S->net;
  uint8_t *seen = gn__diag_alloc0(S->ctx, net->nel, 1);
  uint32_t *cnt = gn__diag_alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  uint32_t *touched = gn__diag_alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  sig *v = NULL;
  uint32_t *buf = NULL;
  size_t nv = 0, cap_v = 0, nbuf = 0, cap_buf = 0;
  gn_status rs = seen && cnt && touched ? GN_OK : gn__diag_oom(S->ctx);
  for (size_t i = 0; rs == GN_OK && i < S->ndcirc; i++) {
    uint32_t c = S->dcirc[i];
    for (uint32_t k = net->circ_el_off[c]; rs == GN_OK &&
                                           k < net->circ_el_off[c + 1]; k++) {
      uint32_t e = net->circ_el[k];
      if (seen[e]) continue;
      seen[e] = 1;
      uint32_t a = net->el_circ_off[e], b = net->el_circ_off[e + 1];
      if (GN__GROW(S->ctx, buf, cap_buf, nbuf + (b - a)) != GN_OK ||
          GN__GROW(S->ctx, v, cap_v, nv + 1) != GN_OK) {
        rs = gn__diag_oom(S->ctx);
        break;
      }
      sig g = {e, (uint32_t)nbuf, 0, 1469598103934665603ull};
      for (uint32_t x = a; x < b; x++) {
        uint32_t cc = net->el_circ[x];
        if (net->circ_dead[cc]) continue;
        buf[nbuf + g.n++] = cc;
        g.hash = (g.hash ^ cc) * 1099511628211ull;
      }
      if (forbidden(S, buf + nbuf, g.n, cnt, touched)) continue;
      nbuf += g.n;
      v[nv++] = g;
    }
  }
  if (rs == GN_OK) rs = make_classes(S, v, nv, buf);
  gn_free(S->ctx, seen);
  gn_free(S->ctx, cnt);
  gn_free(S->ctx, touched);
  gn_free(S->ctx, v);
  gn_free(S->ctx, buf);
  return rs;
}

/* An up site some of whose live circuits no class touches can never go
 * down: drop its circuits from the classes (apply is the hot loop). */
static gn_status drop_safe_up(solver *S) {
  const gn_monitor_net *net = S->net;
  uint8_t *touched = gn__diag_alloc0(S->ctx, net->ncirc, 1);
  uint8_t *risk = gn__diag_alloc0(S->ctx, net->nsites, 1); /* 0 ?, 1 at risk, 2 safe */
  if (!touched || !risk) {
    gn_free(S->ctx, touched);
    gn_free(S->ctx, risk);
    return gn__diag_oom(S->ctx);
  }
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = 0; i < S->cls[k].ncircs; i++) touched[S->cls[k].circs[i]] = 1;
  for (size_t k = 0; k < S->ncls; k++) {
    cls *x = &S->cls[k];
    uint32_t u = 0;
    for (uint32_t i = 0; i < x->ncircs; i++) {
      uint32_t c = x->circs[i], s = net->circ_site[c];
      if (S->state[s] == UP && !risk[s]) {
        risk[s] = 1;
        for (uint32_t j = net->site_circ_off[s]; j < net->site_circ_off[s + 1]; j++)
          if (!net->circ_dead[net->site_circ[j]] && !touched[net->site_circ[j]])
            risk[s] = 2;
      }
      if (S->state[s] == DOWN || risk[s] == 1) x->circs[u++] = c;
    }
    x->ncircs = u;
  }
  gn_free(S->ctx, touched);
  gn_free(S->ctx, risk);
  return GN_OK;
}

/* Down circuit -> the classes that hit it (CSR over dcirc order), the
 * down circuits of each class and the most one option explains. */
static gn_status build_options(solver *S) {
  const gn_monitor_net *net = S->net;
  long *pos = gn_malloc(S->ctx, (net->ncirc ? net->ncirc : 1) * sizeof(long));
  S->dc_opt_off = gn__diag_alloc0(S->ctx, S->ndcirc + 1, sizeof(uint32_t));
  if (!pos || !S->dc_opt_off) {
    gn_free(S->ctx, pos);
    return gn__diag_oom(S->ctx);
  }
  for (size_t c = 0; c < net->ncirc; c++) pos[c] = -1;
  for (size_t i = 0; i < S->ndcirc; i++) pos[S->dcirc[i]] = (long)i;
  size_t total = 0;
  S->cls_ndown = gn__diag_alloc0(S->ctx, S->ncls, sizeof(uint32_t));
  if (!S->cls_ndown) {
    gn_free(S->ctx, pos);
    return gn__diag_oom(S->ctx);
  }
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = 0; i < S->cls[k].ncircs; i++)
      if (pos[S->cls[k].circs[i]] >= 0) {
        S->dc_opt_off[pos[S->cls[k].circs[i]] + 1]++;
        S->cls_ndown[k]++;
        total++;
      }
  for (size_t k = 0; k < S->ncls; k++) { /* down circuits first */
    cls *x = &S->cls[k];
    for (uint32_t i = 0, j = 0; i < x->ncircs; i++)
      if (pos[x->circs[i]] >= 0) {
        uint32_t t = x->circs[j];
        x->circs[j++] = x->circs[i];
        x->circs[i] = t;
      }
    if (S->cls_ndown[k] > S->maxcov) S->maxcov = S->cls_ndown[k];
  }
  for (size_t s = 0; s < net->nsites; s++)
    if (S->state[s] == DOWN && S->nlive[s] > S->maxcov) S->maxcov = S->nlive[s];
  S->unhit = S->ndcirc;
  for (size_t i = 0; i < S->ndcirc; i++)
    S->dc_opt_off[i + 1] += S->dc_opt_off[i];
  S->dc_opt = gn__diag_alloc0(S->ctx, total, sizeof(uint32_t));
  uint32_t *fill = gn__diag_alloc0(S->ctx, S->ndcirc + 1, sizeof(uint32_t));
  if (!S->dc_opt || !fill) {
    gn_free(S->ctx, pos);
    gn_free(S->ctx, fill);
    return gn__diag_oom(S->ctx);
  }
  memcpy(fill, S->dc_opt_off, (S->ndcirc + 1) * sizeof(uint32_t));
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = 0; i < S->cls[k].ncircs; i++) {
      long p = pos[S->cls[k].circs[i]];
      if (p >= 0) S->dc_opt[fill[p]++] = (uint32_t)k;
    }
  gn_free(S->ctx, pos);
  gn_free(S->ctx, fill);
  return GN_OK;
}

/* Pairs of classes that together kill an up site with two live circuits
 * (one class alone kills none: those were dropped). The search then
 * checks a new class against the path in O(depth) and applies only its
 * down circuits; up sites with 3+ circuits are checked per solution.
 * Skipped (full checks at every node instead) above MAX_CONFLICT_CLS. */
#define MAX_CONFLICT_CLS 16384
static gn_status build_conflicts(solver *S) {
  const gn_monitor_net *net = S->net;
  if (S->ncls == 0 || S->ncls > MAX_CONFLICT_CLS) return GN_OK;
  size_t words = (S->ncls * S->ncls + 63) / 64;
  uint32_t *off = gn__diag_alloc0(S->ctx, net->ncirc + 1, sizeof(uint32_t));
  S->conflict = gn__diag_alloc0(S->ctx, words, sizeof(uint64_t));
  if (!off || !S->conflict) {
    gn_free(S->ctx, off);
    return gn__diag_oom(S->ctx);
  }
  size_t total = 0; /* up circuit -> classes (CSR) */
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = S->cls_ndown[k]; i < S->cls[k].ncircs; i++, total++)
      off[S->cls[k].circs[i] + 1]++;
  for (size_t c = 0; c < net->ncirc; c++) off[c + 1] += off[c];
  uint32_t *by = gn__diag_alloc0(S->ctx, total, sizeof(uint32_t));
  uint32_t *fill = gn__diag_alloc0(S->ctx, net->ncirc + 1, sizeof(uint32_t));
  if (!by || !fill) {
    gn_free(S->ctx, off);
    gn_free(S->ctx, by);
    gn_free(S->ctx, fill);
    return gn__diag_oom(S->ctx);
  }
  memcpy(fill, off, (net->ncirc + 1) * sizeof(uint32_t));
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = S->cls_ndown[k]; i < S->cls[k].ncircs; i++)
      by[fill[S->cls[k].circs[i]]++] = (uint32_t)k;
  for (size_t s = 0; s < net->nsites; s++) {
    if (S->state[s] != UP) continue;
    uint32_t live[3], n = 0;
    for (uint32_t j = net->site_circ_off[s]; j < net->site_circ_off[s + 1]; j++)
      if (!net->circ_dead[net->site_circ[j]] && n < 3)
        live[n++] = net->site_circ[j];
    if (n != 2 || off[live[0]] == off[live[0] + 1] ||
        off[live[1]] == off[live[1] + 1]) {
      if (n == 3) S->multi = 1; /* conservative: checked per solution */
      continue;
    }
    for (uint32_t a = off[live[0]]; a < off[live[0] + 1]; a++)
      for (uint32_t b = off[live[1]]; b < off[live[1] + 1]; b++) {
        size_t x = by[a], y = by[b], b1 = x * S->ncls + y, b2 = y * S->ncls + x;
        S->conflict[b1 / 64] |= (uint64_t)1 << (b1 % 64);
        S->conflict[b2 / 64] |= (uint64_t)1 << (b2 % 64);
      }
  }
  gn_free(S->ctx, off);
  gn_free(S->ctx, by);
  gn_free(S->ctx, fill);
  return GN_OK;
}

/* ---- set-up ------------------------------------------------------------ */

static gn_status mark(solver *S, const char *const *ids, size_t n, int st,
                      uint8_t *named) {
  for (size_t i = 0; i < n; i++) {
    long s = gn__mon_site_find(S->net, ids[i]);
    if (s < 0)
      return gn__fail(S->ctx, GN_ENOTFOUND, "diagnose: site '%s' not found",
                      ids[i]);
    if (named[s] && S->state[s] != st)
      return gn__fail(S->ctx, GN_EINVAL,
                      "diagnose: site '%s' is named both down and up", ids[i]);
    named[s] = 1;
    S->state[s] = (uint8_t)st;
  }
  return GN_OK;
}

static gn_status setup(solver *S, const char *const *down, size_t ndown,
                       const char *const *up, size_t nup) {
  const gn_monitor_net *net = S->net;
  S->state = gn__diag_alloc0(S->ctx, net->nsites, 1);
  S->nlive = gn__diag_alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  S->nhit = gn__diag_alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  S->dev = gn__diag_alloc0(S->ctx, net->nsites, 1);
  S->hit = gn__diag_alloc0(S->ctx, net->ncirc, sizeof(uint32_t));
  S->dcirc = gn__diag_alloc0(S->ctx, net->ncirc, sizeof(uint32_t));
  S->forced = gn__diag_alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  uint8_t *named = gn__diag_alloc0(S->ctx, net->nsites, 1);
  gn_status rs = S->state && S->nlive && S->nhit && S->dev && S->hit &&
                         S->dcirc && S->forced && named
                     ? GN_OK
                     : gn__diag_oom(S->ctx);
  if (rs == GN_OK) rs = mark(S, down, ndown, DOWN, named);
  if (rs == GN_OK) rs = mark(S, up, nup, UP, named);
  gn_free(S->ctx, named);
  if (rs != GN_OK) return rs;
  for (size_t s = 0; s < net->nsites; s++) {
    uint32_t a = net->site_circ_off[s], b = net->site_circ_off[s + 1];
    for (uint32_t k = a; k < b; k++)
      if (!net->circ_dead[net->site_circ[k]]) {
        S->nlive[s]++;
        if (S->state[s] == DOWN) S->dcirc[S->ndcirc++] = net->site_circ[k];
      }
    if (S->state[s] != DOWN) continue;
    S->ndown++;
    if (a == b)
      S->forced[S->nforced++] = (uint32_t)s; /* no circuit: a device */
    else if (S->nlive[s] == 0)
      S->already++; /* every circuit over a fiber recorded broken */
    else
      S->down_left++;
  }
  rs = build_classes(S);
  if (rs == GN_OK) rs = drop_safe_up(S);
  if (rs == GN_OK) rs = build_options(S);
  if (rs == GN_OK) rs = build_conflicts(S);
  return rs;
}

static void solver_cleanup(solver *S) {
  for (size_t k = 0; k < S->ncls; k++) {
    gn_free(S->ctx, S->cls[k].members);
    gn_free(S->ctx, S->cls[k].circs);
  }
  gn_free(S->ctx, S->cls);
  gn_free(S->ctx, S->state);
  gn_free(S->ctx, S->nlive);
  gn_free(S->ctx, S->nhit);
  gn_free(S->ctx, S->dev);
  gn_free(S->ctx, S->hit);
  gn_free(S->ctx, S->dcirc);
  gn_free(S->ctx, S->dc_opt_off);
  gn_free(S->ctx, S->dc_opt);
  gn_free(S->ctx, S->cls_ndown);
  gn_free(S->ctx, S->conflict);
  gn_free(S->ctx, S->path);
  gn_free(S->ctx, S->sols);
  gn_free(S->ctx, S->forced);
}

static gn_status solve(solver *S, const gn_diag_options *opt,
                       gn_diagnosis *d) {
  int max_el = opt && opt->max_elements > 0 ? opt->max_elements : 3;
  if (max_el > MAX_SET) max_el = MAX_SET;
  int max_out = opt && opt->max_candidates > 0 ? opt->max_candidates : 10;
  size_t cap = (size_t)max_el + MAX_GREEDY + S->ndcirc; /* longest path */
  size_t nsol = (size_t)max_el * MAX_SOLUTIONS; /* greedy keeps one */
  S->path = gn_malloc(S->ctx, cap * sizeof(uint32_t));
  S->sols = gn_malloc(S->ctx, (nsol > cap ? nsol : cap) * sizeof(uint32_t));
  if (!S->path || !S->sols) return gn__diag_oom(S->ctx);
  d->minimal = 1;
  if (S->down_left == 0) {
    S->budget = 0;
    if (S->nforced || S->already) gn__diag_record(S);
  } else {
    gn__diag_search(S, max_el, &d->minimal);
  }
  return gn__diag_expand(S, d, max_out);
}

gn_status gn_monitor_diagnose(gn_ctx *ctx, const gn_monitor_net *net,
                              const char *const *down, size_t ndown,
                              const char *const *up, size_t nup,
                              const gn_diag_options *opt, gn_diagnosis **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  solver S;
  memset(&S, 0, sizeof(S));
  S.ctx = ctx;
  S.net = net;
  gn_diagnosis *d = gn__diag_alloc0(ctx, 1, sizeof(*d));
  gn_status rs = d ? setup(&S, down, ndown, up, nup) : gn__diag_oom(ctx);
  if (rs == GN_OK) {
    d->ndown = S.ndown;
    rs = solve(&S, opt, d);
  }
  solver_cleanup(&S);
  if (rs != GN_OK) {
    gn_diagnosis_free(ctx, d);
    return rs;
  }
  *out = d;
  return GN_OK;
}

