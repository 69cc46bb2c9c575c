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

#include "monitor/monitor_int.h"
#include "store/store_int.h"

#define MAX_NODES 2000000
#define MAX_SOLUTIONS 256
#define MAX_MEMBERS 8 /* members of a class expanded into candidates */
#define MAX_GREEDY 16 /* fiber elements in a greedy explanation */
#define MAX_SET 16    /* fiber elements in any candidate */

enum { UP = 0, DOWN = 1 };

typedef struct cls {
  uint32_t *members; /* elements, heaviest first */
  uint32_t nmembers;
  uint32_t *circs; /* live circuits hit */
  uint32_t ncircs;
} cls;

typedef struct solver {
  gn_ctx *ctx;
  const gn_monitor_net *net;
  uint8_t *state;     /* [nsites] UP/DOWN */
  uint32_t *nlive;    /* [nsites] live circuits */
  uint32_t *nhit;     /* [nsites] live circuits hit */
  uint8_t *dev;       /* [nsites] device fault chosen */
  uint32_t *hit;      /* [ncirc] classes hitting the circuit */
  uint32_t *dcirc;    /* down live circuits */
  size_t ndcirc;
  uint32_t *dc_opt_off, *dc_opt; /* down circuit -> classes (CSR) */
  cls *cls;
  size_t ncls;
  size_t down_left;   /* down sites not yet explained */
  size_t unhit;       /* down circuits neither hit nor at a device */
  uint32_t *cls_ndown; /* [ncls] down circuits of each class */
  uint32_t maxcov;    /* most down circuits one option can explain */
  uint32_t *path;     /* chosen options: class i, or ncls + site */
  size_t npath;
  uint32_t *sols;     /* MAX_SOLUTIONS x budget option ids */
  size_t nsols;
  size_t budget, nodes;
  uint64_t *conflict; /* ncls x ncls bits: the pair kills an up site */
  int multi;          /* an up site at risk has 3+ live circuits */
  uint32_t *forced;   /* down sites without circuits: always devices */
  size_t nforced;
  size_t already;     /* down sites explained by recorded breaks */
  size_t ndown;       /* distinct down sites */
} solver;

static gn_status oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory diagnosing");
}

static void *alloc0(gn_ctx *ctx, size_t n, size_t es) {
  void *p = gn_malloc(ctx, n ? n * es : 1);
  if (p) memset(p, 0, n ? n * es : 1);
  return p;
}

static int site_covered(const solver *S, uint32_t s) {
  return S->dev[s] || S->nhit[s] == S->nlive[s];
}

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
  sig *tmp = alloc0(S->ctx, nv, sizeof(sig));
  if (!tmp) return oom(S->ctx);
  sort_sigs(v, tmp, nv, buf);
  gn_free(S->ctx, tmp);
  size_t n = 0;
  for (size_t i = 0; i < nv; i++) n += !i || cmp_sig(&v[i - 1], &v[i], buf);
  S->cls = alloc0(S->ctx, n, sizeof(cls));
  if (!S->cls) return oom(S->ctx);
  for (size_t i = 0, j; i < nv; i = j) {
    for (j = i + 1; j < nv && cmp_sig(&v[i], &v[j], buf) == 0; j++) {
    }
    cls *k = &S->cls[S->ncls++];
    k->members = gn_malloc(S->ctx, (j - i) * sizeof(uint32_t));
    k->circs = gn_malloc(S->ctx, (v[i].n ? v[i].n : 1) * sizeof(uint32_t));
    if (!k->members || !k->circs) return oom(S->ctx);
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
  uint8_t *seen = alloc0(S->ctx, net->nel, 1);
  uint32_t *cnt = alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  uint32_t *touched = alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  sig *v = NULL;
  uint32_t *buf = NULL;
  size_t nv = 0, cap_v = 0, nbuf = 0, cap_buf = 0;
  gn_status rs = seen && cnt && touched ? GN_OK : oom(S->ctx);
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
        rs = oom(S->ctx);
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
  uint8_t *touched = alloc0(S->ctx, net->ncirc, 1);
  uint8_t *risk = alloc0(S->ctx, net->nsites, 1); /* 0 ?, 1 at risk, 2 safe */
  if (!touched || !risk) {
    gn_free(S->ctx, touched);
    gn_free(S->ctx, risk);
    return oom(S->ctx);
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
  S->dc_opt_off = alloc0(S->ctx, S->ndcirc + 1, sizeof(uint32_t));
  if (!pos || !S->dc_opt_off) {
    gn_free(S->ctx, pos);
    return oom(S->ctx);
  }
  for (size_t c = 0; c < net->ncirc; c++) pos[c] = -1;
  for (size_t i = 0; i < S->ndcirc; i++) pos[S->dcirc[i]] = (long)i;
  size_t total = 0;
  S->cls_ndown = alloc0(S->ctx, S->ncls, sizeof(uint32_t));
  if (!S->cls_ndown) {
    gn_free(S->ctx, pos);
    return oom(S->ctx);
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
  S->dc_opt = alloc0(S->ctx, total, sizeof(uint32_t));
  uint32_t *fill = alloc0(S->ctx, S->ndcirc + 1, sizeof(uint32_t));
  if (!S->dc_opt || !fill) {
    gn_free(S->ctx, pos);
    gn_free(S->ctx, fill);
    return oom(S->ctx);
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
  uint32_t *off = alloc0(S->ctx, net->ncirc + 1, sizeof(uint32_t));
  S->conflict = alloc0(S->ctx, words, sizeof(uint64_t));
  if (!off || !S->conflict) {
    gn_free(S->ctx, off);
    return oom(S->ctx);
  }
  size_t total = 0; /* up circuit -> classes (CSR) */
  for (size_t k = 0; k < S->ncls; k++)
    for (uint32_t i = S->cls_ndown[k]; i < S->cls[k].ncircs; i++, total++)
      off[S->cls[k].circs[i] + 1]++;
  for (size_t c = 0; c < net->ncirc; c++) off[c + 1] += off[c];
  uint32_t *by = alloc0(S->ctx, total, sizeof(uint32_t));
  uint32_t *fill = alloc0(S->ctx, net->ncirc + 1, sizeof(uint32_t));
  if (!by || !fill) {
    gn_free(S->ctx, off);
    gn_free(S->ctx, by);
    gn_free(S->ctx, fill);
    return oom(S->ctx);
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
    int before = site_covered(S, s);
    S->nhit[s] = sign > 0 ? S->nhit[s] + 1 : S->nhit[s] - 1;
    if (S->state[s] == DOWN) {
      S->down_left += before - site_covered(S, s);
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
    int before = site_covered(S, s);
    uint32_t k = site_unhit(S, s);
    S->unhit = sign > 0 ? S->unhit - k : S->unhit + k;
    S->dev[s] = sign > 0;
    S->down_left += before - site_covered(S, s);
    return 1;
  }
  const cls *k = &S->cls[o];
  return apply_range(S, k, 0, down_only ? S->cls_ndown[o] : k->ncircs, sign);
}

static int apply(solver *S, uint32_t o, int sign) {
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

static void record(solver *S) {
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
    if (!S->conflict || !S->multi || up_ok(S)) record(S);
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
      int ok = apply(S, (uint32_t)k, +1);
      size_t gain = before - S->down_left;
      apply(S, (uint32_t)k, -1);
      if (ok && gain > best_gain) {
        best_gain = gain;
        best = k;
      }
    }
    if (best == SIZE_MAX) break;
    apply(S, (uint32_t)best, +1);
    S->path[S->npath++] = (uint32_t)best;
  }
  for (size_t i = 0; i < S->ndcirc; i++) {
    uint32_t s = net->circ_site[S->dcirc[i]];
    if (!site_covered(S, s)) {
      apply(S, (uint32_t)S->ncls + s, +1);
      S->path[S->npath++] = (uint32_t)S->ncls + s;
    }
  }
  S->nsols = 0;
  record(S);
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
  S->state = alloc0(S->ctx, net->nsites, 1);
  S->nlive = alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  S->nhit = alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  S->dev = alloc0(S->ctx, net->nsites, 1);
  S->hit = alloc0(S->ctx, net->ncirc, sizeof(uint32_t));
  S->dcirc = alloc0(S->ctx, net->ncirc, sizeof(uint32_t));
  S->forced = alloc0(S->ctx, net->nsites, sizeof(uint32_t));
  uint8_t *named = alloc0(S->ctx, net->nsites, 1);
  gn_status rs = S->state && S->nlive && S->nhit && S->dev && S->hit &&
                         S->dcirc && S->forced && named
                     ? GN_OK
                     : oom(S->ctx);
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
        return oom(S->ctx);
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
    return oom(S->ctx);
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
  if (!p) return oom(ctx);
  p[(*n)++] = id;
  *arr = p;
  return GN_OK;
}

static gn_status add_str(gn_ctx *ctx, char ***arr, size_t *n, const char *s) {
  char **p = gn_realloc(ctx, *arr, (*n + 1) * sizeof(char *));
  if (!p) return oom(ctx);
  *arr = p;
  p[*n] = gn__strdup(ctx, s);
  if (!p[*n]) return oom(ctx);
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

static gn_status expand(solver *S, gn_diagnosis *d, int max_out) {
  raw *v = NULL;
  size_t n = 0;
  gn_status rs = enumerate(S, max_out, &v, &n);
  if (rs == GN_OK && n) {
    d->candidates = alloc0(S->ctx, n, sizeof(gn_diag_candidate));
    if (!d->candidates) rs = oom(S->ctx);
  }
  for (size_t i = 0; rs == GN_OK && i < n; i++) {
    d->ncandidates++;
    rs = materialize(S, &v[i], &d->candidates[i]);
  }
  gn_free(S->ctx, v);
  return rs;
}

static gn_status solve(solver *S, const gn_diag_options *opt,
                       gn_diagnosis *d) {
  int max_el = opt && opt->max_elements > 0 ? opt->max_elements : 3;
  if (max_el > MAX_SET) max_el = MAX_SET;
  int max_out = opt && opt->max_candidates > 0 ? opt->max_candidates : 10;
  size_t cap = (size_t)max_el + MAX_GREEDY + S->ndcirc;
  S->path = gn_malloc(S->ctx, cap * sizeof(uint32_t));
  S->sols = gn_malloc(S->ctx, MAX_SOLUTIONS * cap * sizeof(uint32_t));
  if (!S->path || !S->sols) return oom(S->ctx);
  d->minimal = 1;
  if (S->down_left == 0) {
    S->budget = 0;
    if (S->nforced || S->already) record(S);
    return expand(S, d, max_out);
  }
  for (S->budget = 1; S->budget <= (size_t)max_el && !S->nsols; S->budget++)
    dfs(S);
  if (S->nsols)
    S->budget--;
  else {
    d->minimal = 0;
    greedy(S);
  }
  return expand(S, d, max_out);
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
  gn_diagnosis *d = alloc0(ctx, 1, sizeof(*d));
  gn_status rs = d ? setup(&S, down, ndown, up, nup) : oom(ctx);
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
