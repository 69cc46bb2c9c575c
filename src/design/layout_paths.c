/*
 * layout_paths.c - Each building's working path and trench-disjoint
 * protect path (the first step of gn_layout_build; see layout.h).
 *
 * Working paths: one multi-source Dijkstra from the POP nodes (hubs are
 * POPs) over the trench graph, ring trenches penalised by
 * GN__RING_PENALTY, gives the shortest-path forest T; a building's
 * working path P(t) is its tree path.
 *
 * Protect paths, all buildings from that one forest. The protect path
 * of t is the cheapest path from any POP to t that shares no trench with
 * P(t) (same weights). Call the subtree below a POP's child a *branch*
 * B; every node outside t's branch is reached by its own tree path,
 * which shares no trench with P(t) (it leaves the POP by another trench
 * or from another POP), at its exact distance d(u). So the cheapest
 * disjoint path is: a tree path to some u outside B, one trench (u,x)
 * into B (not P(t)'s first trench), then a path inside B avoiding P(t).
 * The search for t is therefore a Dijkstra restricted to t's branch,
 * seeded with d(u) + w(u,x) for the trenches entering it (sorted once
 * per branch and fed lazily), stopping when t is settled. This is exact
 * (the same cost as a Dijkstra over the whole graph with P(t) blocked,
 * which tests/unit/test_layout_paths.c keeps as its oracle) and costs
 * O(s log n) for the s nodes of the branch nearer than t's protect
 * cost: linear overall while branches stay bounded (POPs and hubs
 * every few km), at worst sum over branches of |B|^2 log n.
 *
 * When no disjoint path exists although the rings allow a disjoint
 * pair (the shortest working path "traps" the second one), Suurballe's
 * augmentation finds the cheapest trench-disjoint pair: the shortest
 * path in the residual graph (P(t)'s trenches reversed), on reduced
 * costs w + d(u) - d(v) >= 0 so Dijkstra applies, restricted to the
 * branch by the same argument. The shorter of the two works unless it
 * would leave the access optics' reach while the tree path does not.
 * Paths are memoised by node (buildings sharing a node share paths).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"
#include "design/layout.h"
#include "util/internal.h"

typedef gn_layout lay;

/* A trench entering a branch from outside: reach node x by edge e. */
typedef struct seed {
  double key; /* d(u) + w(e) */
  gn_id node, edge;
} seed;

/* The state shared by all per-building searches (allocated once). */
typedef struct search {
  const gn_id *pred;  /* tree edge to the parent, GN_NONE at roots */
  const double *d;    /* tree distances */
  gn_id *br;          /* node -> branch head, GN_NONE outside branches */
  size_t *soff;       /* branch head -> seeds[soff[h] .. soff[h + 1]) */
  seed *seeds;        /* keyed d(u) + w, cheapest first per branch */
  seed *rseeds;       /* the same keyed by reduced cost d(u) + w - d(x) */
  gn__heap h;
  uint32_t *done;     /* node settled in search number `stamp` */
  uint32_t *onp;      /* edge on the current P(t) */
  gn_id *pe;          /* edge that reached the node in this search */
  int8_t *flow;       /* per edge, +1 u->v, -1 v->u (the pair's flow) */
  gn_id *stack;       /* branches(): the walk up; pairs: touched trenches */
  uint32_t stamp;     /* number of the current branch search */
  uint32_t pstamp;    /* number of the current P(t) */
} search;

/* Helpers layout.c shares (layout.h). */
void *gn__layout_zalloc(gn_layout *m, size_t n, size_t es, const char *what,
                        gn_status *rs) {
  void *p = gn_malloc(m->ctx, n * es + 1);
  if (!p) {
    *rs = gn__fail(m->ctx, GN_ENOMEM, "out of memory laying out %s", what);
    return NULL;
  }
  memset(p, 0, n * es + 1);
  return p;
}

gn_id gn__layout_far_end(const gn_layout *m, gn_id e, gn_id from) {
  const gn_edge *ed = gn_graph_edge(m->g, e);
  return ed->u == from ? ed->v : ed->u;
}

static void *zalloc(lay *m, size_t n, size_t es, gn_status *rs) {
  return gn__layout_zalloc(m, n, es, "paths", rs);
}

#define other_end gn__layout_far_end

static double trench_weight(const gn_plan_trench *t) {
  return (t->length_m > 0 ? t->length_m : 0) +
         (t->redundant ? GN__RING_PENALTY : 0);
}

static gn_status build_graph(lay *m) {
  gn_status rs = gn_graph_create(m->ctx, m->nn, m->nt, &m->g);
  if (rs == GN_OK) rs = gn_graph_add_nodes(m->g, m->nn);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    double len = t->length_m > 0 ? t->length_m : 0;
    gn_edge e = {t->a, t->b, trench_weight(t), len, t->id, t->road_class};
    rs = gn_graph_add_edge(m->g, &e, NULL);
  }
  if (rs == GN_OK) rs = gn_graph_finalize(m->g);
  return rs;
}

/* ---- path records -------------------------------------------------- */

static gn_status finish_path(lay *m, size_t site, int protect, size_t start,
                             gn_id pop_node) {
  if (GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  gn__lpath *pa = &m->paths[m->npaths++];
  memset(pa, 0, sizeof *pa);
  pa->site = site;
  pa->protect = protect;
  pa->pop = (size_t)(m->pop_at[pop_node] - 1);
  pa->off = start;
  pa->n = m->nptr - start;
  return GN_OK;
}

static void reverse_tail(lay *m, size_t start) {
  for (size_t i = start, j = m->nptr; i + 1 < j; i++, j--) {
    size_t tmp = m->ptr[i];
    m->ptr[i] = m->ptr[j - 1];
    m->ptr[j - 1] = tmp;
  }
}

static gn_status push_trench(lay *m, size_t e) {
  if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  m->ptr[m->nptr++] = e;
  return GN_OK;
}

/* Append the tree path from node v back to its root along pred. */
static gn_status push_tree_path(lay *m, gn_id v, const gn_id *pred,
                                gn_id *root) {
  while (pred[v] != GN_NONE) {
    if (push_trench(m, pred[v]) != GN_OK) return GN_ENOMEM;
    v = other_end(m, pred[v], v);
  }
  *root = v;
  return GN_OK;
}

static gn_status add_path(lay *m, size_t site, gn_id v, const gn_id *pred) {
  size_t start = m->nptr;
  gn_id root;
  if (push_tree_path(m, v, pred, &root) != GN_OK) return GN_ENOMEM;
  reverse_tail(m, start);
  return finish_path(m, site, 0, start, root);
}

/* A copy of path src for another site (same node). */
static gn_status copy_path(lay *m, size_t site, size_t src) {
  gn__lpath pa = m->paths[src];
  if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + pa.n) != GN_OK ||
      GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  memcpy(m->ptr + m->nptr, m->ptr + pa.off, pa.n * sizeof(size_t));
  pa.site = site;
  pa.off = m->nptr;
  m->nptr += pa.n;
  m->paths[m->npaths++] = pa;
  return GN_OK;
}

static double path_m(const lay *m, const gn__lpath *pa) {
  double len = 0;
  for (size_t i = 0; i < pa->n; i++)
    len += gn_graph_edge(m->g, (gn_id)m->ptr[pa->off + i])->length_m;
  return len;
}

/* ---- branches and seeds -------------------------------------------- */

/* br[v] = the child of a root whose subtree holds v (GN_NONE for roots
 * and unreached nodes); an iterative walk up with the path recorded. */
static void branches(lay *m, search *s) {
  const gn_id unset = GN_NONE - 1;
  for (size_t v = 0; v < m->nn; v++) s->br[v] = unset;
  for (size_t v0 = 0; v0 < m->nn; v0++) {
    size_t n = 0;
    gn_id v = (gn_id)v0, head = GN_NONE;
    while (s->br[v] == unset) {
      if (s->pred[v] == GN_NONE) { /* a root, or unreached */
        s->br[v] = GN_NONE;
        break;
      }
      s->stack[n++] = v;
      gn_id up = other_end(m, s->pred[v], v);
      if (s->pred[up] == GN_NONE && isfinite(s->d[up])) { /* v: a head */
        head = v;
        break;
      }
      v = up;
    }
    if (n > 0 && head == GN_NONE) head = s->br[v];
    while (n > 0) s->br[s->stack[--n]] = head;
  }
}

static int cmp_seed(const void *a, const void *b) {
  const seed *x = a, *y = b;
  if (x->key != y->key) return x->key < y->key ? -1 : 1;
  if (x->node != y->node) return x->node < y->node ? -1 : 1;
  return (x->edge > y->edge) - (x->edge < y->edge);
}

/* Seeds of every branch, grouped by head, cheapest first. */
static gn_status make_seeds(lay *m, search *s) {
  gn_status rs = GN_OK;
  size_t ns = 0;
  for (int pass = 0; pass < 2; pass++) {
    for (size_t x = 0; x < m->nn; x++) {
      gn_id b = s->br[x];
      if (b == GN_NONE) continue;
      const gn_id *nbr, *eid;
      size_t n;
      gn_graph_adj(m->g, (gn_id)x, &nbr, &eid, &n);
      for (size_t k = 0; k < n; k++) {
        if (eid[k] == s->pred[x] || s->br[nbr[k]] == b ||
            !isfinite(s->d[nbr[k]]))
          continue;
        if (pass == 0) {
          s->soff[b + 1]++;
          continue;
        }
        seed *sd = &s->seeds[ns++];
        sd->key = s->d[nbr[k]] + gn_graph_edge(m->g, eid[k])->weight;
        sd->node = (gn_id)x;
        sd->edge = eid[k];
      }
    }
    if (pass == 1) break;
    for (size_t v = 0; v < m->nn; v++) s->soff[v + 1] += s->soff[v];
    s->seeds = zalloc(m, s->soff[m->nn], sizeof(seed), &rs);
    if (rs != GN_OK) return rs;
  }
  /* pass 1 wrote the seeds in node order; group them by branch */
  seed *by = zalloc(m, ns, sizeof(seed), &rs);
  size_t *fill = zalloc(m, m->nn + 1, sizeof(size_t), &rs);
  if (rs == GN_OK) {
    memcpy(fill, s->soff, (m->nn + 1) * sizeof(size_t));
    for (size_t i = 0; i < ns; i++) by[fill[s->br[s->seeds[i].node]]++] =
        s->seeds[i];
    for (size_t h = 0; h < m->nn; h++)
      if (s->soff[h + 1] > s->soff[h])
        qsort(by + s->soff[h], s->soff[h + 1] - s->soff[h], sizeof(seed),
              cmp_seed);
    gn_free(m->ctx, s->seeds);
    s->seeds = by;
    by = NULL;
  }
  gn_free(m->ctx, by);
  gn_free(m->ctx, fill);
  if (rs == GN_OK) s->rseeds = zalloc(m, ns, sizeof(seed), &rs);
  for (size_t i = 0; rs == GN_OK && i < ns; i++) {
    s->rseeds[i] = s->seeds[i];
    s->rseeds[i].key = fmax(0, s->seeds[i].key - s->d[s->seeds[i].node]);
  }
  for (size_t h = 0; rs == GN_OK && h < m->nn; h++)
    if (s->soff[h + 1] > s->soff[h])
      qsort(s->rseeds + s->soff[h], s->soff[h + 1] - s->soff[h], sizeof(seed),
            cmp_seed);
  return rs;
}

static gn_status search_init(lay *m, search *s, const gn_id *pred,
                             const double *d) {
  gn_status rs = GN_OK;
  memset(s, 0, sizeof *s);
  s->pred = pred;
  s->d = d;
  s->br = zalloc(m, m->nn, sizeof(gn_id), &rs);
  s->soff = zalloc(m, m->nn + 1, sizeof(size_t), &rs);
  s->done = zalloc(m, m->nn, sizeof(uint32_t), &rs);
  s->pe = zalloc(m, m->nn, sizeof(gn_id), &rs);
  s->stack = zalloc(m, 2 * m->nn + 2, sizeof(gn_id), &rs);
  s->onp = zalloc(m, m->nt, sizeof(uint32_t), &rs);
  s->flow = zalloc(m, m->nt, sizeof(int8_t), &rs);
  if (rs == GN_OK) rs = gn__heap_init(m->ctx, &s->h, m->nn);
  else s->h.ctx = m->ctx;
  if (rs != GN_OK) return rs;
  branches(m, s);
  return make_seeds(m, s);
}

static void search_cleanup(lay *m, search *s) {
  void *arrs[] = {s->br, s->soff, s->seeds, s->rseeds, s->done, s->pe,
                  s->stack, s->onp, s->flow};
  for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++)
    gn_free(m->ctx, arrs[i]);
  if (s->h.ctx) gn__heap_cleanup(&s->h);
}

/* ---- one building's search ------------------------------------------ */

/* Lower v's key to key, reached by edge e (settled nodes stay). */
static void offer(search *s, gn_id v, double key, gn_id e) {
  if (s->done[v] == s->stamp) return;
  if (s->h.pos[v] != GN__HEAP_ABSENT && !(key < gn__heap_key(&s->h, v))) return;
  gn__heap_update(&s->h, v, key);
  s->pe[v] = e;
}

/* Dijkstra inside t's branch from its seeds, P(t) marked in onp.
 * residual = 0: P(t)'s trenches are closed, keys are path costs.
 * residual = 1: they may be walked backwards (towards the root) at
 * reduced cost 0; keys are reduced costs (cost - d). Returns t's key,
 * INFINITY when unreachable; pe[] then leads back to a seed. */
static double branch_search(lay *m, search *s, gn_id t, int residual) {
  gn_id b = s->br[t];
  size_t i = s->soff[b], end = s->soff[b + 1];
  const seed *sds = residual ? s->rseeds : s->seeds;
  double found = INFINITY;
  s->stamp++;
  gn__heap_clear(&s->h);
  for (;;) {
    while (i < end) { /* the seeds up to the heap's top */
      const seed *sd = &sds[i];
      if (!gn__heap_empty(&s->h) && sd->key > gn__heap_top_key(&s->h)) break;
      i++;
      offer(s, sd->node, sd->key, sd->edge);
    }
    if (gn__heap_empty(&s->h)) break;
    double kv = gn__heap_top_key(&s->h);
    gn_id v = gn__heap_pop(&s->h);
    s->done[v] = s->stamp;
    if (v == t) {
      found = kv;
      break;
    }
    const gn_id *nbr, *eid;
    size_t n;
    gn_graph_adj(m->g, v, &nbr, &eid, &n);
    for (size_t k = 0; k < n; k++) {
      gn_id x = nbr[k];
      if (s->br[x] != b) continue;
      double w = gn_graph_edge(m->g, eid[k])->weight;
      if (s->onp[eid[k]] == s->pstamp) {
        if (residual && eid[k] == s->pred[v]) offer(s, x, kv, eid[k]);
        continue;
      }
      offer(s, x, residual ? kv + fmax(0, w + s->d[v] - s->d[x]) : kv + w,
            eid[k]);
    }
  }
  gn__heap_clear(&s->h);
  return found;
}

/* Mark P(t) (the tree path of t) for the next search. */
static void mark_tree_path(lay *m, search *s, gn_id t) {
  s->pstamp++;
  for (gn_id v = t; s->pred[v] != GN_NONE; v = other_end(m, s->pred[v], v))
    s->onp[s->pred[v]] = s->pstamp;
}

/* The path found by branch_search (t back to its seed, then the seed's
 * tree path), recorded POP -> t. */
static gn_status add_found_path(lay *m, search *s, size_t site, gn_id t) {
  size_t start = m->nptr;
  gn_id v = t, b = s->br[t];
  while (s->br[v] == b) {
    if (push_trench(m, s->pe[v]) != GN_OK) return GN_ENOMEM;
    v = other_end(m, s->pe[v], v);
  }
  gn_id root;
  if (push_tree_path(m, v, s->pred, &root) != GN_OK) return GN_ENOMEM;
  reverse_tail(m, start);
  return finish_path(m, site, 1, start, root);
}

/* ---- the trap: a disjoint pair by one augmentation ------------------ */

static void set_flow(lay *m, search *s, gn_id e, gn_id from) {
  s->flow[e] = gn_graph_edge(m->g, e)->u == from ? 1 : -1;
}

/* Walk back from t to a POP against the flow, consuming it. */
static gn_status walk_flow(lay *m, search *s, size_t site, int protect,
                           gn_id t) {
  size_t start = m->nptr;
  gn_id v = t;
  size_t guard = 0;
  while ((v == t || !m->pop_at[v]) && guard++ <= m->nt) {
    const gn_id *nbr, *eid;
    size_t n, k;
    gn_graph_adj(m->g, v, &nbr, &eid, &n);
    for (k = 0; k < n; k++) {
      const gn_edge *ed = gn_graph_edge(m->g, eid[k]);
      int8_t f = s->flow[eid[k]];
      if ((f == 1 && ed->v == v) || (f == -1 && ed->u == v)) break;
    }
    if (k == n) break;
    s->flow[eid[k]] = 0;
    if (push_trench(m, eid[k]) != GN_OK) return GN_ENOMEM;
    v = nbr[k];
  }
  if (!m->pop_at[v])
    return gn__fail(m->ctx, GN_EINTERNAL, "disjoint paths of site %s do "
                    "not end at a POP", gn_plan_site_get(m->p, site)->id);
  reverse_tail(m, start);
  return finish_path(m, site, protect, start, v);
}

/* The pair just walked (the last two paths) replaces the working path
 * `old` (third from last): the shorter of the two works, the other
 * protects. If even the shorter is beyond the access reach, the pair is
 * dropped and the tree path stays working, unprotected. */
static gn_status keep_pair(lay *m, const gn__lpath *old, size_t mark,
                           gn_id t) {
  gn__lpath *a = &m->paths[m->npaths - 2], *b = &m->paths[m->npaths - 1];
  if (path_m(m, b) < path_m(m, a)) {
    gn__lpath tmp = *a;
    *a = *b;
    *b = tmp;
  }
  a->protect = 0;
  b->protect = 1;
  double reach = m->o.optics[m->o.access].reach_km * 1000;
  if (path_m(m, a) > reach && path_m(m, old) <= reach) {
    m->npaths -= 2; /* keep the tree path */
    m->nptr = mark;
    return GN_OK;
  }
  /* move the pair over the old working path's slot */
  gn__lpath pa = *a, pb = *b;
  m->npaths -= 3;
  m->paths[m->npaths++] = pa;
  m->paths[m->npaths++] = pb;
  m->working_of[t] = (long)m->npaths - 1;
  return GN_OK;
}

/* Flow = P(t) (root -> t) plus the residual path found (a trench of
 * P(t) walked backwards cancels); the touched trenches are listed so
 * they can be cleared after the walk. */
static size_t pair_flow(lay *m, search *s, gn_id t, gn_id *touched) {
  size_t n = 0;
  for (gn_id v = t; s->pred[v] != GN_NONE; v = other_end(m, s->pred[v], v)) {
    set_flow(m, s, s->pred[v], other_end(m, s->pred[v], v));
    touched[n++] = s->pred[v];
  }
  gn_id v = t, b = s->br[t];
  while (s->br[v] == b) { /* the residual path, t back to its seed */
    gn_id e = s->pe[v], from = other_end(m, e, v);
    if (s->onp[e] == s->pstamp) s->flow[e] = 0;
    else set_flow(m, s, e, from);
    touched[n++] = e;
    v = from;
  }
  for (; s->pred[v] != GN_NONE; v = other_end(m, s->pred[v], v)) {
    set_flow(m, s, s->pred[v], other_end(m, s->pred[v], v));
    touched[n++] = s->pred[v];
  }
  return n;
}

static gn_status disjoint_pair(lay *m, search *s, size_t site, gn_id t) {
  if (!isfinite(branch_search(m, s, t, 1))) return GN_OK;
  size_t nt = pair_flow(m, s, t, s->stack);
  gn__lpath old = m->paths[m->npaths - 1];
  size_t mark = m->nptr;
  gn_status rs = walk_flow(m, s, site, 0, t);
  if (rs == GN_OK) rs = walk_flow(m, s, site, 1, t);
  if (rs == GN_OK) rs = keep_pair(m, &old, mark, t);
  for (size_t i = 0; i < nt; i++) s->flow[s->stack[i]] = 0;
  return rs;
}

/* ---- all buildings --------------------------------------------------- */

static gn_status protect(lay *m, search *s, size_t site, gn_id t) {
  if (s->br[t] == GN_NONE) return GN_OK;
  mark_tree_path(m, s, t);
  if (isfinite(branch_search(m, s, t, 0))) return add_found_path(m, s, site, t);
  return disjoint_pair(m, s, site, t);
}

static gn_status site_paths(lay *m, search *s, size_t i) {
  const gn_plan_site *st = gn_plan_site_get(m->p, i);
  long wm = m->working_of[st->node];
  gn_status rs = wm > 0 ? copy_path(m, i, (size_t)wm - 1)
                        : add_path(m, i, st->node, s->pred);
  if (rs != GN_OK || !s->br || m->paths[m->npaths - 1].n == 0) return rs;
  long *memo = &m->protect_of[st->node]; /* 0 unknown, -1 none, k+1 */
  if (*memo > 0) return copy_path(m, i, (size_t)*memo - 1);
  if (*memo < 0) return GN_OK;
  size_t before = m->npaths;
  rs = protect(m, s, i, st->node);
  *memo = m->npaths > before ? (long)m->npaths : -1;
  return rs;
}

static int has_ring(const gn_plan *p) {
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->redundant) return 1;
  return 0;
}

static gn_status sources(lay *m, gn_id *src, size_t *nsrc) {
  *nsrc = 0;
  for (size_t i = 0; i < m->np; i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(m->p, i);
    if (pp->node == GN_NONE || m->pop_at[pp->node]) continue;
    m->pop_at[pp->node] = (long)i + 1;
    src[(*nsrc)++] = pp->node;
  }
  if (*nsrc == 0)
    return gn__fail(m->ctx, GN_EINVAL, "plan has no POP on the network");
  return GN_OK;
}

gn_status gn__layout_paths(gn_layout *m, gn_id *pred) {
  gn_status rs = GN_OK;
  search s;
  memset(&s, 0, sizeof s);
  double *dist = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *src = zalloc(m, m->np, sizeof(gn_id), &rs);
  size_t nsrc = 0;
  if (rs == GN_OK) rs = sources(m, src, &nsrc);
  if (rs == GN_OK) rs = build_graph(m);
  if (rs == GN_OK) rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  if (rs == GN_OK && has_ring(m->p)) rs = search_init(m, &s, pred, dist);
  s.pred = pred;
  for (size_t i = 0; rs == GN_OK && i < m->ns; i++) {
    const gn_plan_site *st = gn_plan_site_get(m->p, i);
    if (st->node == GN_NONE || st->status != GN_SITE_CONNECTED ||
        !isfinite(dist[st->node]))
      continue;
    rs = site_paths(m, &s, i);
  }
  search_cleanup(m, &s);
  gn_free(m->ctx, dist);
  gn_free(m->ctx, src);
  return rs;
}
