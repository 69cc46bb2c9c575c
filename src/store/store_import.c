/*
 * store_import.c - A plan becomes as-designed records, in one transaction.
 *
 * Design: paths first, rows second. A multi-source Dijkstra from the POP
 * nodes over the trench graph (redundant ring trenches heavily penalised)
 * gives each building its working path along the plan's tree; when the
 * plan has redundant trenches, a second Dijkstra with the working path's
 * trenches blocked gives a trench-disjoint protect path. The fiber demand
 * per cable (2 strands per circuit) then fixes each cable's size (the
 * plan's, or computed, grown to the demand). A cable runs through nodes
 * where exactly two trenches meet and no building or POP sits (a
 * "chain"), so closures and splices are only where cables branch, end
 * or serve a building. Rows are then written with
 * prepared statements: nodes, sites, POPs, trenches, cables, fibers, ODF
 * panels at the POPs, an OLT per POP, circuits with their fibers, splices
 * in closures created where consecutive fibers meet, CPE ports, and the
 * derived circuit -> trench index. Everything happens inside one
 * BEGIN IMMEDIATE ... COMMIT: a crash or kill leaves the file unchanged.
 * Fiber ids of one cable are consecutive (AUTOINCREMENT inside one
 * transaction), so fiber k of cable c is fiber0[c] + k - 1.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/text.h"
#include "store/store_int.h"

#define BLOCKED 1e15
#define RING_PENALTY 1e9
/* Improvement threshold of the residual search: costs reach 1e9 (ring
 * penalty) where doubles resolve ~1e-7, so a millimetre keeps rounding
 * from creating phantom negative cycles. */
#define EPS_M 1e-3

typedef struct path {
  size_t site, pop;
  int protect;
  size_t off, n; /* trenches in imp.ptr[off..off+n), POP -> site order */
} path;

/* A cable run: trenches joined through nodes where exactly two trenches
 * meet and no building or POP sits (no closure is needed there). */
typedef struct chain {
  size_t off, n; /* trenches in imp.ctr[off..off+n), from end a to b */
  gn_id a, b;
} chain;

typedef struct imp {
  gn_store *st;
  gn_ctx *ctx;
  const gn_plan *p;
  size_t nn, nt, ns, np;
  gn_graph *g;
  path *paths;
  size_t npaths, cap_paths;
  size_t *ptr; /* trench indices of all paths */
  size_t nptr, cap_ptr;
  size_t *chain_of; /* trench -> cable (chain) index */
  struct chain *chains;
  size_t nchains;
  size_t *ctr;      /* trenches of all chains, in order from end a */
  size_t nctr;
  int *demand, *size, *used; /* by chain */
  int64_t *fiber0, *odf0[2], *closure, *site_fid, *pop_fid, *olt, *cpe;
  int *cpe_ports, *olt_ports;
  long *pop_at; /* node -> pop index + 1 (0 none) */
  long *protect_of; /* node -> protect path index + 1, -1 none, 0 unknown */
  long *working_of; /* node -> replaced working path index + 1, 0 none */
  sqlite3_stmt *s_fiber, *s_splice, *s_port, *s_cf, *s_ct, *s_closure;
  gn_store_import_stats stats;
} imp;

static gn_status step(imp *m, sqlite3_stmt *s, const char *what) {
  int rc = sqlite3_step(s);
  sqlite3_reset(s);
  sqlite3_clear_bindings(s);
  if (rc == SQLITE_DONE || rc == SQLITE_ROW) return GN_OK;
  return gn__st_err(m->st, rc, what);
}

static void *zalloc(imp *m, size_t n, size_t es, gn_status *rs) {
  void *p = gn_malloc(m->ctx, n * es + 1);
  if (!p) {
    *rs = gn__fail(m->ctx, GN_ENOMEM, "out of memory importing a plan");
    return NULL;
  }
  memset(p, 0, n * es + 1);
  return p;
}

static gn_status alloc_all(imp *m) {
  gn_status rs = GN_OK;
  m->demand = zalloc(m, m->nt, sizeof(int), &rs);
  m->size = zalloc(m, m->nt, sizeof(int), &rs);
  m->used = zalloc(m, m->nt, sizeof(int), &rs);
  m->fiber0 = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->odf0[0] = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->odf0[1] = zalloc(m, m->nt, sizeof(int64_t), &rs);
  m->closure = zalloc(m, m->nn, sizeof(int64_t), &rs);
  m->site_fid = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe = zalloc(m, m->ns, sizeof(int64_t), &rs);
  m->cpe_ports = zalloc(m, m->ns, sizeof(int), &rs);
  m->pop_fid = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt = zalloc(m, m->np, sizeof(int64_t), &rs);
  m->olt_ports = zalloc(m, m->np, sizeof(int), &rs);
  m->pop_at = zalloc(m, m->nn, sizeof(long), &rs);
  m->protect_of = zalloc(m, m->nn, sizeof(long), &rs);
  m->working_of = zalloc(m, m->nn, sizeof(long), &rs);
  m->chain_of = zalloc(m, m->nt, sizeof(size_t), &rs);
  m->chains = zalloc(m, m->nt, sizeof(chain), &rs);
  m->ctr = zalloc(m, m->nt, sizeof(size_t), &rs);
  return rs;
}

static void free_all(imp *m) {
  void *arrs[] = {m->demand, m->size,     m->used,   m->fiber0,   m->odf0[0],
                  m->odf0[1], m->closure, m->site_fid, m->cpe,    m->cpe_ports,
                  m->pop_fid, m->olt,     m->olt_ports, m->pop_at, m->paths,
                  m->ptr,     m->protect_of, m->chain_of, m->chains, m->ctr,
                  m->working_of};
  for (size_t i = 0; i < sizeof(arrs) / sizeof(arrs[0]); i++)
    gn_free(m->ctx, arrs[i]);
  sqlite3_stmt *ss[] = {m->s_fiber, m->s_splice, m->s_port,
                        m->s_cf,    m->s_ct,     m->s_closure};
  for (size_t i = 0; i < sizeof(ss) / sizeof(ss[0]); i++) sqlite3_finalize(ss[i]);
  gn_graph_free(m->g);
}

/* ---- paths --------------------------------------------------------- */

static gn_status build_graph(imp *m) {
  gn_status rs = gn_graph_create(m->ctx, m->nn, m->nt, &m->g);
  if (rs == GN_OK) rs = gn_graph_add_nodes(m->g, m->nn);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, i);
    double len = t->length_m > 0 ? t->length_m : 0;
    gn_edge e = {t->a, t->b, len + (t->redundant ? RING_PENALTY : 0), len,
                 t->id, t->road_class};
    rs = gn_graph_add_edge(m->g, &e, NULL);
  }
  if (rs == GN_OK) rs = gn_graph_finalize(m->g);
  return rs;
}

/* 2 strands per circuit in each cable (chain) the path runs through;
 * sign -1 takes a dropped path's strands back. */
static void count_demand(imp *m, const path *pa, int sign) {
  for (size_t i = 0; i < pa->n; i++) {
    size_t c = m->chain_of[m->ptr[pa->off + i]];
    if (i == 0 || c != m->chain_of[m->ptr[pa->off + i - 1]])
      m->demand[c] += 2 * sign;
  }
}

/* Node at which a chain continues: a node with exactly two trenches and
 * no building or POP. */
static int is_through(const imp *m, const uint8_t *has_site, gn_id v) {
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(m->g, v, &nbr, &eid, &n);
  return n == 2 && !has_site[v] && !m->pop_at[v];
}

static size_t other_edge(const imp *m, gn_id v, size_t e) {
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(m->g, v, &nbr, &eid, &n);
  return eid[0] == e ? eid[1] : eid[0];
}

static gn_id far_end(const imp *m, size_t e, gn_id from) {
  const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
  return ed->u == from ? ed->v : ed->u;
}

/* Build the chain containing trench t: back up to its start, then walk
 * forward recording trenches. */
static void one_chain(imp *m, const uint8_t *has_site, size_t t) {
  const gn_edge *ed = gn_graph_edge(m->g, (gn_id)t);
  size_t e = t, guard = 0;
  gn_id v = ed->u;
  while (is_through(m, has_site, v) && guard++ < m->nt) {
    size_t o = other_edge(m, v, e);
    if (o == t) break; /* a loop of through nodes */
    e = o;
    v = far_end(m, e, v);
  }
  chain *c = &m->chains[m->nchains];
  c->off = m->nctr;
  c->a = v;
  for (guard = 0; guard < m->nt; guard++) {
    m->ctr[m->nctr++] = e;
    m->chain_of[e] = m->nchains;
    v = far_end(m, e, v);
    if (!is_through(m, has_site, v)) break;
    e = other_edge(m, v, e);
    if (m->chain_of[e] != (size_t)-1) break;
  }
  c->b = v;
  c->n = m->nctr - c->off;
  m->nchains++;
}

static gn_status build_chains(imp *m) {
  gn_status rs = GN_OK;
  uint8_t *has_site = zalloc(m, m->nn, 1, &rs);
  if (rs != GN_OK) return rs;
  for (size_t i = 0; i < m->ns; i++) {
    gn_id v = gn_plan_site_get(m->p, i)->node;
    if (v != GN_NONE) has_site[v] = 1;
  }
  for (size_t t = 0; t < m->nt; t++) m->chain_of[t] = (size_t)-1;
  for (size_t t = 0; t < m->nt; t++)
    if (m->chain_of[t] == (size_t)-1) one_chain(m, has_site, t);
  gn_free(m->ctx, has_site);
  return GN_OK;
}

/* Record the path whose trenches were just appended at ptr[start..]
 * (POP -> site order), starting at POP node `pop_node`. */
static gn_status finish_path(imp *m, size_t site, int protect, size_t start,
                             gn_id pop_node) {
  if (GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  path *pa = &m->paths[m->npaths++];
  pa->site = site;
  pa->protect = protect;
  pa->pop = (size_t)(m->pop_at[pop_node] - 1);
  pa->off = start;
  pa->n = m->nptr - start;
  count_demand(m, pa, 1);
  return GN_OK;
}

static void reverse_tail(imp *m, size_t start) {
  for (size_t i = start, j = m->nptr; i + 1 < j; i++, j--) {
    size_t tmp = m->ptr[i];
    m->ptr[i] = m->ptr[j - 1];
    m->ptr[j - 1] = tmp;
  }
}

/* Append the path from node v back to a source along pred (node -> POP
 * order reversed into POP -> site order). */
static gn_status add_path(imp *m, size_t site, int protect, gn_id v,
                          const gn_id *pred) {
  size_t start = m->nptr;
  while (pred[v] != GN_NONE) {
    gn_id e = pred[v];
    if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + 1) != GN_OK)
      return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
    m->ptr[m->nptr++] = e;
    const gn_edge *ed = gn_graph_edge(m->g, e);
    v = ed->u == v ? ed->v : ed->u;
  }
  reverse_tail(m, start);
  return finish_path(m, site, protect, start, v);
}

/* A copy of path src for another site (same node, same protect path). */
static gn_status copy_path(imp *m, size_t site, size_t src) {
  path pa = m->paths[src];
  if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + pa.n) != GN_OK ||
      GN__GROW(m->ctx, m->paths, m->cap_paths, m->npaths + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  memcpy(m->ptr + m->nptr, m->ptr + pa.off, pa.n * sizeof(size_t));
  pa.site = site;
  pa.off = m->nptr;
  count_demand(m, &pa, 1);
  m->nptr += pa.n;
  m->paths[m->npaths++] = pa;
  return GN_OK;
}

static gn_status protect_path(imp *m, size_t site, const path *w, double *dist,
                              gn_id *pred, const gn_id *src, size_t nsrc) {
  const gn_plan_site *s = gn_plan_site_get(m->p, site);
  for (size_t i = 0; i < w->n; i++)
    gn_graph_set_weight(m->g, (gn_id)m->ptr[w->off + i], BLOCKED);
  gn_status rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  for (size_t i = 0; i < w->n; i++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, m->ptr[w->off + i]);
    gn_graph_set_weight(m->g, (gn_id)m->ptr[w->off + i],
                        t->length_m + (t->redundant ? RING_PENALTY : 0));
  }
  if (rs != GN_OK || dist[s->node] >= BLOCKED / 2) return rs;
  return add_path(m, site, 1, s->node, pred);
}

static int has_ring(const gn_plan *p) {
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->redundant) return 1;
  return 0;
}

/* Undo the demand of the last path and drop it. */
static void drop_last_path(imp *m) {
  path *pa = &m->paths[m->npaths - 1];
  count_demand(m, pa, -1);
  m->nptr = pa->off;
  m->npaths--;
}

/* One Bellman-Ford relaxation of arc from->to; 1 if it improved. */
static int relax(double *dist, long *parc, gn_id from, gn_id to, double c,
                 long code) {
  if (!(dist[from] + c < dist[to] - EPS_M)) return 0;
  dist[to] = dist[from] + c;
  parc[to] = code;
  return 1;
}

/* Second path by Bellman-Ford in the residual graph of the working path
 * w (the working path's arcs reversed at negative cost; POPs are free
 * sources). dir[e]: +1 if w runs u->v, -1 if v->u, 0 not on w. On return
 * parc[v] = edge id * 2 + 1 if v was entered from the edge's u end,
 * edge id * 2 if from its v end, or -1. Returns 1 if t was reached. */
static int residual_path(imp *m, const int8_t *dir, double *dist, long *parc,
                         gn_id t) {
  size_t nn = m->nn, nt = m->nt;
  for (size_t v = 0; v < nn; v++) {
    dist[v] = m->pop_at[v] ? 0 : INFINITY;
    parc[v] = -1;
  }
  for (size_t it = 0; it < nn; it++) {
    int changed = 0;
    for (size_t e = 0; e < nt; e++) {
      const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
      /* the arc w runs along is gone; the one that cancels it costs -w */
      double c = dir[e] ? -ed->weight : ed->weight;
      if (dir[e] != 1)
        changed |= relax(dist, parc, ed->u, ed->v, c, (long)(2 * e + 1));
      if (dir[e] != -1)
        changed |= relax(dist, parc, ed->v, ed->u, c, (long)(2 * e));
    }
    if (!changed) break;
  }
  return isfinite(dist[t]);
}

/* Walk back from t to a POP against the flow (flow[e] = +1 runs u->v,
 * -1 runs v->u), consuming it; the trenches go in POP -> site order.
 * Following directions matters where both paths share a node: an
 * undirected walk could turn into the other path and loop back to t. */
static gn_status walk_flow(imp *m, size_t site, int protect, int8_t *flow,
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
      int8_t f = flow[eid[k]];
      if ((f == 1 && ed->v == v) || (f == -1 && ed->u == v)) break;
    }
    if (k == n) break;
    flow[eid[k]] = 0;
    if (GN__GROW(m->ctx, m->ptr, m->cap_ptr, m->nptr + 1) != GN_OK)
      return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
    m->ptr[m->nptr++] = eid[k];
    v = nbr[k];
  }
  if (!m->pop_at[v])
    return gn__fail(m->ctx, GN_EINTERNAL, "disjoint paths of site %s do "
                    "not end at a POP", gn_plan_site_get(m->p, site)->id);
  reverse_tail(m, start);
  return finish_path(m, site, protect, start, v);
}

/* When the shortest working path leaves no disjoint protect path (a
 * "trap"), find the cheapest pair of trench-disjoint paths instead
 * (Suurballe's idea: one augmentation in the residual graph), replacing
 * the working path. Returns GN_OK with no new path if none exists. */
static gn_status disjoint_pair(imp *m, size_t site) {
  gn_status rs = GN_OK;
  gn_id t = gn_plan_site_get(m->p, site)->node;
  int8_t *dir = zalloc(m, m->nt, 1, &rs);
  int8_t *flow = zalloc(m, m->nt, 1, &rs);
  double *dist = zalloc(m, m->nn, sizeof(double), &rs);
  long *parc = zalloc(m, m->nn, sizeof(long), &rs);
  if (rs == GN_OK) {
    path *w = &m->paths[m->npaths - 1];
    gn_id v = t; /* walk w backwards from the site to learn directions */
    for (size_t i = w->n; i-- > 0;) {
      size_t e = m->ptr[w->off + i];
      const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
      dir[e] = ed->v == v ? 1 : -1; /* w enters v from the other end */
      flow[e] = dir[e];
      v = ed->v == v ? ed->u : ed->v;
    }
  }
  if (rs == GN_OK && residual_path(m, dir, dist, parc, t)) {
    gn_id v = t;
    size_t guard = 0;
    while (parc[v] >= 0 && guard++ <= m->nt) {
      size_t e = (size_t)parc[v] / 2;
      const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
      int fwd = (int)(parc[v] & 1); /* entered v from the edge's u end */
      flow[e] = dir[e] ? 0 : (int8_t)(fwd ? 1 : -1); /* cancel, or new */
      v = fwd ? ed->u : ed->v;
      if (m->pop_at[v] && dist[v] == 0) break;
    }
    if (!m->pop_at[v]) goto done; /* no clean augmenting path: unprotected */
    drop_last_path(m);
    rs = walk_flow(m, site, 0, flow, t);
    if (rs == GN_OK) rs = walk_flow(m, site, 1, flow, t);
    if (rs == GN_OK) m->working_of[t] = (long)m->npaths - 1;
  }
done:
  gn_free(m->ctx, dir);
  gn_free(m->ctx, flow);
  gn_free(m->ctx, dist);
  gn_free(m->ctx, parc);
  return rs;
}

static gn_status compute_paths(imp *m) {
  gn_status rs = GN_OK;
  double *dist = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *pred = zalloc(m, m->nn, sizeof(gn_id), &rs);
  double *d2 = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *p2 = zalloc(m, m->nn, sizeof(gn_id), &rs);
  gn_id *src = zalloc(m, m->np, sizeof(gn_id), &rs);
  size_t nsrc = 0;
  for (size_t i = 0; rs == GN_OK && i < m->np; i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(m->p, i);
    if (pp->node == GN_NONE) continue;
    m->pop_at[pp->node] = (long)i + 1;
    src[nsrc++] = pp->node;
  }
  if (rs == GN_OK) rs = build_graph(m);
  if (rs == GN_OK) rs = build_chains(m);
  if (rs == GN_OK) rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  int ring = has_ring(m->p);
  for (size_t i = 0; rs == GN_OK && i < m->ns; i++) {
    const gn_plan_site *s = gn_plan_site_get(m->p, i);
    if (s->node == GN_NONE || s->status != GN_SITE_CONNECTED ||
        !isfinite(dist[s->node]))
      continue;
    long wm = m->working_of[s->node];
    rs = wm > 0 ? copy_path(m, i, (size_t)wm - 1)
                : add_path(m, i, 0, s->node, pred);
    if (rs != GN_OK || !ring || m->paths[m->npaths - 1].n == 0) continue;
    path w = m->paths[m->npaths - 1];
    long *memo = &m->protect_of[s->node]; /* 0 unknown, -1 none, k+1 */
    if (*memo > 0) {
      rs = copy_path(m, i, (size_t)*memo - 1);
      continue;
    }
    if (*memo < 0) continue;
    size_t before = m->npaths;
    rs = protect_path(m, i, &w, d2, p2, src, nsrc);
    if (rs == GN_OK && m->npaths == before) rs = disjoint_pair(m, i);
    *memo = m->npaths > before ? (long)m->npaths : -1;
  }
  gn_free(m->ctx, dist);
  gn_free(m->ctx, pred);
  gn_free(m->ctx, d2);
  gn_free(m->ctx, p2);
  gn_free(m->ctx, src);
  return rs;
}

/* ---- sizing -------------------------------------------------------- */

static int round_size(int need) {
  static const int sizes[] = {12, 24, 48, 72, 96, 144, 288};
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    if (need <= sizes[i]) return sizes[i];
  return (need + 143) / 144 * 144;
}

static void size_cables(imp *m) {
  for (size_t c = 0; c < m->nchains; c++) {
    int sz = 0;
    for (size_t k = 0; k < m->chains[c].n; k++) {
      const gn_plan_trench *t =
          gn_plan_trench_get(m->p, m->ctr[m->chains[c].off + k]);
      int st = t->cable_size;
      if (st <= 0) st = round_size((t->sites_downstream * 2 * 3 + 1) / 2);
      if (st > sz) sz = st;
    }
    if (sz < m->demand[c]) sz = round_size(m->demand[c]);
    m->size[c] = sz;
  }
}

/* ---- rows ---------------------------------------------------------- */

static gn_status put_nodes(imp *m) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(m->st, "INSERT INTO nodes VALUES(?,?,?)", &s);
  for (size_t i = 0; rs == GN_OK && i < m->nn; i++) {
    const gn_plan_node *nd = gn_plan_node_get(m->p, (gn_id)i);
    sqlite3_bind_int64(s, 1, (int64_t)i);
    sqlite3_bind_double(s, 2, nd->lon);
    sqlite3_bind_double(s, 3, nd->lat);
    rs = step(m, s, "insert node");
  }
  sqlite3_finalize(s);
  return rs;
}

static void bind_point(sqlite3_stmt *s, int col, gn_ctx *ctx, double lon,
                       double lat) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__gpkg_point(&b, lon, lat);
  if (!b.oom) sqlite3_bind_blob(s, col, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
}

static gn_status put_sites(imp *m) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO sites(geom,site_id,name,category,priority,critical,phase,"
      "node,drop_m,lon,lat) VALUES(?,?,?,?,?,?,?,?,?,?,?)",
      &s);
  for (size_t i = 0; rs == GN_OK && i < m->ns; i++) {
    const gn_plan_site *x = gn_plan_site_get(m->p, i);
    rs = gn__st_site_text(m->ctx, x->id, x->name, x->phase);
    if (rs != GN_OK) break; /* nothing invalid is ever stored */
    bind_point(s, 1, m->ctx, x->lon, x->lat);
    sqlite3_bind_text(s, 2, x->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, x->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 4, gn_category_name(x->category), -1, SQLITE_STATIC);
    sqlite3_bind_int(s, 5, x->priority);
    sqlite3_bind_int(s, 6, x->critical);
    sqlite3_bind_text(s, 7, x->phase, -1, SQLITE_STATIC);
    if (x->node != GN_NONE) sqlite3_bind_int64(s, 8, x->node);
    sqlite3_bind_double(s, 9, isfinite(x->drop_m) ? x->drop_m : 0);
    sqlite3_bind_double(s, 10, x->lon);
    sqlite3_bind_double(s, 11, x->lat);
    rs = step(m, s, "insert site");
    if (rs != GN_OK)
      gn__fail(m->ctx, rs, "site %s: cannot store", x->id);
    m->site_fid[i] = sqlite3_last_insert_rowid(m->st->db);
  }
  sqlite3_finalize(s);
  m->stats.sites = m->ns;
  return rs;
}

static gn_status put_pops(imp *m) {
  sqlite3_stmt *s = NULL, *e = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT INTO pops(geom,pop_id,name,node) VALUES(?,?,?,?)", &s);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO equipment(kind,name,pop) VALUES('olt',?,?)",
                     &e);
  for (size_t i = 0; rs == GN_OK && i < m->np; i++) {
    const gn_plan_pop *x = gn_plan_pop_get(m->p, i);
    bind_point(s, 1, m->ctx, x->lon, x->lat);
    sqlite3_bind_text(s, 2, x->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 3, x->name, -1, SQLITE_STATIC);
    if (x->node != GN_NONE) sqlite3_bind_int64(s, 4, x->node);
    rs = step(m, s, "insert pop");
    m->pop_fid[i] = sqlite3_last_insert_rowid(m->st->db);
    char name[160];
    snprintf(name, sizeof(name), "OLT %s", x->id);
    sqlite3_bind_text(e, 1, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(e, 2, m->pop_fid[i]);
    if (rs == GN_OK) rs = step(m, e, "insert olt");
    m->olt[i] = sqlite3_last_insert_rowid(m->st->db);
  }
  sqlite3_finalize(s);
  sqlite3_finalize(e);
  m->stats.pops = m->np;
  return rs;
}

static gn_status bind_line(sqlite3_stmt *s, int col, gn_ctx *ctx,
                           const gn_plan_trench *t) {
  gn__sb b;
  gn__sb_init(&b, ctx);
  gn__gpkg_line(&b, t->coords, t->ncoords);
  if (b.oom) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  sqlite3_bind_blob(s, col, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
  return GN_OK;
}

static gn_status put_trench(imp *m, sqlite3_stmt *s, const gn_plan_trench *t) {
  double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
  for (size_t k = 0; k < t->ncoords; k++) {
    x0 = fmin(x0, t->coords[2 * k]);
    x1 = fmax(x1, t->coords[2 * k]);
    y0 = fmin(y0, t->coords[2 * k + 1]);
    y1 = fmax(y1, t->coords[2 * k + 1]);
  }
  sqlite3_bind_int64(s, 1, t->id);
  gn_status rs = bind_line(s, 2, m->ctx, t);
  sqlite3_bind_int64(s, 3, t->a);
  sqlite3_bind_int64(s, 4, t->b);
  sqlite3_bind_double(s, 5, t->length_m);
  sqlite3_bind_int(s, 6, t->redundant);
  sqlite3_bind_text(s, 7, gn_road_class_name(t->road_class), -1,
                    SQLITE_STATIC);
  sqlite3_bind_int(s, 8, t->sites_downstream);
  sqlite3_bind_text(s, 9, t->phase, -1, SQLITE_STATIC);
  sqlite3_bind_double(s, 10, x0);
  sqlite3_bind_double(s, 11, y0);
  sqlite3_bind_double(s, 12, x1);
  sqlite3_bind_double(s, 13, y1);
  if (rs == GN_OK) rs = step(m, s, "insert trench");
  if (rs != GN_OK)
    return gn__fail(m->ctx, rs, "trench %lld: cannot store (duplicate id?)",
                    (long long)t->id);
  return GN_OK;
}

static gn_status put_fibers(imp *m, size_t t, int64_t cable) {
  for (int k = 1; k <= m->size[t]; k++) {
    int tube = (k - 1) / 12 + 1;
    sqlite3_bind_int64(m->s_fiber, 1, cable);
    sqlite3_bind_int(m->s_fiber, 2, k);
    sqlite3_bind_int(m->s_fiber, 3, tube);
    sqlite3_bind_text(m->s_fiber, 4, gn__tia598(tube), -1, SQLITE_STATIC);
    sqlite3_bind_text(m->s_fiber, 5, gn__tia598((k - 1) % 12 + 1), -1,
                      SQLITE_STATIC);
    gn_status rs = step(m, m->s_fiber, "insert fiber");
    if (rs != GN_OK) return rs;
    int64_t id = sqlite3_last_insert_rowid(m->st->db);
    if (k == 1) m->fiber0[t] = id;
    if (id != m->fiber0[t] + k - 1)
      return gn__fail(m->ctx, GN_EINTERNAL, "fiber ids not consecutive");
  }
  m->stats.fibers += (size_t)m->size[t];
  return GN_OK;
}

/* The chain's line from end a to end b (shared points once). */
static gn_status chain_line(imp *m, const chain *c, gn__sb *b, double *len) {
  double *ll = NULL;
  size_t n = 0, cap = 0;
  gn_id v = c->a;
  *len = 0;
  for (size_t k = 0; k < c->n; k++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, m->ctr[c->off + k]);
    int rev = t->a != v;
    *len += t->length_m;
    for (size_t j = k ? 1 : 0; j < t->ncoords; j++) {
      size_t q = rev ? t->ncoords - 1 - j : j;
      if (GN__GROW(m->ctx, ll, cap, 2 * (n + 1)) != GN_OK) {
        gn_free(m->ctx, ll);
        return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
      }
      ll[2 * n] = t->coords[2 * q];
      ll[2 * n + 1] = t->coords[2 * q + 1];
      n++;
    }
    v = rev ? t->a : t->b;
  }
  gn__gpkg_line(b, ll, n);
  gn_free(m->ctx, ll);
  return b->oom ? gn__fail(m->ctx, GN_ENOMEM, "out of memory") : GN_OK;
}

static gn_status put_cable(imp *m, sqlite3_stmt *c, sqlite3_stmt *ct,
                           size_t ci) {
  const chain *ch = &m->chains[ci];
  int64_t first = gn_plan_trench_get(m->p, m->ctr[ch->off])->id;
  char name[64];
  snprintf(name, sizeof(name), "C%lld-%d", (long long)first, m->size[ci]);
  gn__sb b;
  gn__sb_init(&b, m->ctx);
  double len = 0;
  gn_status rs = chain_line(m, ch, &b, &len);
  if (rs == GN_OK) sqlite3_bind_blob(c, 1, b.p, (int)b.n, SQLITE_TRANSIENT);
  gn__sb_cleanup(&b);
  sqlite3_bind_text(c, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(c, 3, first);
  sqlite3_bind_int(c, 4, m->size[ci]);
  sqlite3_bind_int(c, 5, (m->size[ci] + 11) / 12);
  sqlite3_bind_double(c, 6, len);
  sqlite3_bind_int64(c, 7, ch->a);
  sqlite3_bind_int64(c, 8, ch->b);
  if (rs == GN_OK) rs = step(m, c, "insert cable");
  int64_t cable = sqlite3_last_insert_rowid(m->st->db);
  for (size_t k = 0; rs == GN_OK && k < ch->n; k++) {
    sqlite3_bind_int64(ct, 1, cable);
    sqlite3_bind_int64(ct, 2, (int64_t)k);
    sqlite3_bind_int64(ct, 3, gn_plan_trench_get(m->p, m->ctr[ch->off + k])->id);
    rs = step(m, ct, "insert cable trench");
  }
  if (rs == GN_OK) rs = put_fibers(m, ci, cable);
  return rs;
}

static gn_status put_cables(imp *m) {
  sqlite3_stmt *s = NULL, *c = NULL, *ct = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO trenches(fid,geom,a_node,b_node,length_m,redundant,"
      "road_class,sites_downstream,phase,min_x,min_y,max_x,max_y)"
      " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", &s);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO cables(geom,name,trench,fiber_count,tubes,"
                     "length_m,a_node,b_node) VALUES(?,?,?,?,?,?,?,?)", &c);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO cable_trenches VALUES(?,?,?)", &ct);
  for (size_t i = 0; rs == GN_OK && i < m->nt; i++)
    rs = put_trench(m, s, gn_plan_trench_get(m->p, i));
  for (size_t i = 0; rs == GN_OK && i < m->nchains; i++)
    rs = put_cable(m, c, ct, i);
  sqlite3_finalize(s);
  sqlite3_finalize(c);
  sqlite3_finalize(ct);
  m->stats.trenches = m->nt;
  m->stats.cables = m->nchains;
  return rs;
}

/* An ODF panel at each POP end of each cable; port k holds fiber k. */
static gn_status put_odfs(imp *m) {
  sqlite3_stmt *e = NULL;
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO equipment(kind,name,pop,cable) SELECT 'odf',?,?,fid FROM"
      " cables WHERE trench=?", &e);
  for (size_t i = 0; rs == GN_OK && i < m->nchains; i++) {
    gn_id ends[2] = {m->chains[i].a, m->chains[i].b};
    int64_t first = gn_plan_trench_get(m->p, m->ctr[m->chains[i].off])->id;
    for (int end = 0; rs == GN_OK && end < 2; end++) {
      long pi = m->pop_at[ends[end]];
      if (!pi) continue;
      char name[160];
      snprintf(name, sizeof(name), "ODF %s/C%lld",
               gn_plan_pop_get(m->p, (size_t)pi - 1)->id, (long long)first);
      sqlite3_bind_text(e, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(e, 2, m->pop_fid[pi - 1]);
      sqlite3_bind_int64(e, 3, first);
      rs = step(m, e, "insert odf");
      int64_t eq = sqlite3_last_insert_rowid(m->st->db);
      for (int k = 1; rs == GN_OK && k <= m->size[i]; k++) {
        sqlite3_bind_int64(m->s_port, 1, eq);
        sqlite3_bind_int(m->s_port, 2, k);
        sqlite3_bind_int64(m->s_port, 3, m->fiber0[i] + k - 1);
        sqlite3_bind_text(m->s_port, 4, end ? "b" : "a", -1, SQLITE_STATIC);
        rs = step(m, m->s_port, "insert odf port");
        if (k == 1) m->odf0[end][i] = sqlite3_last_insert_rowid(m->st->db);
        m->stats.ports++;
      }
    }
  }
  sqlite3_finalize(e);
  return rs;
}

static gn_status closure_at(imp *m, gn_id node, int64_t *out) {
  if (!m->closure[node]) {
    const gn_plan_node *nd = gn_plan_node_get(m->p, node);
    char name[32];
    snprintf(name, sizeof(name), "SC-%u", node);
    bind_point(m->s_closure, 1, m->ctx, nd->lon, nd->lat);
    sqlite3_bind_text(m->s_closure, 2, name, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int64(m->s_closure, 3, node);
    gn_status rs = step(m, m->s_closure, "insert closure");
    if (rs != GN_OK) return rs;
    m->closure[node] = sqlite3_last_insert_rowid(m->st->db);
    m->stats.closures++;
  }
  *out = m->closure[node];
  return GN_OK;
}

static gn_status put_port(imp *m, int64_t eq, int num, int64_t fiber,
                          char end, int64_t peer, int64_t *out) {
  sqlite3_bind_int64(m->s_port, 1, eq);
  sqlite3_bind_int(m->s_port, 2, num);
  if (fiber) sqlite3_bind_int64(m->s_port, 3, fiber);
  if (fiber) sqlite3_bind_text(m->s_port, 4, end == 'a' ? "a" : "b", -1,
                               SQLITE_STATIC);
  if (peer) sqlite3_bind_int64(m->s_port, 5, peer);
  gn_status rs = step(m, m->s_port, "insert port");
  *out = sqlite3_last_insert_rowid(m->st->db);
  m->stats.ports++;
  return rs;
}

static gn_status splice(imp *m, gn_id node, int64_t fa, char ea, int64_t fb,
                        char eb) {
  int64_t cl = 0;
  gn_status rs = closure_at(m, node, &cl);
  if (rs != GN_OK) return rs;
  char sa[2] = {ea, 0}, sb[2] = {eb, 0};
  sqlite3_bind_int64(m->s_splice, 1, cl);
  sqlite3_bind_int64(m->s_splice, 2, fa);
  sqlite3_bind_text(m->s_splice, 3, sa, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(m->s_splice, 4, fb);
  sqlite3_bind_text(m->s_splice, 5, sb, -1, SQLITE_TRANSIENT);
  m->stats.splices++;
  return step(m, m->s_splice, "insert splice");
}

/* One strand of a circuit: fibers POP -> site, splices between them.
 * *odf gets the ODF port at the POP, *last and *last_end the fiber end at the
 * site. */
static gn_status put_strand(imp *m, int64_t cid, int strand, const path *pa,
                            int64_t *odf, int64_t *last, char *last_end) {
  gn_id cur = gn_plan_pop_get(m->p, pa->pop)->node;
  int64_t prev = 0;
  char prev_end = 'a';
  gn_status rs = GN_OK;
  int seq = 0;
  for (size_t i = 0; rs == GN_OK && i < pa->n; i++) {
    size_t c = m->chain_of[m->ptr[pa->off + i]];
    if (i > 0 && c == m->chain_of[m->ptr[pa->off + i - 1]]) continue;
    const chain *ch = &m->chains[c];
    int64_t f = m->fiber0[c] + m->used[c]++;
    char near = ch->a == cur ? 'a' : 'b';
    if (seq == 0)
      *odf = m->odf0[near == 'a' ? 0 : 1][c] + (f - m->fiber0[c]);
    else
      rs = splice(m, cur, prev, prev_end, f, near);
    sqlite3_bind_int64(m->s_cf, 1, cid);
    sqlite3_bind_int(m->s_cf, 2, strand);
    sqlite3_bind_int(m->s_cf, 3, seq++);
    sqlite3_bind_int64(m->s_cf, 4, f);
    if (rs == GN_OK) rs = step(m, m->s_cf, "insert circuit fiber");
    prev = f;
    prev_end = near == 'a' ? 'b' : 'a';
    cur = near == 'a' ? ch->b : ch->a;
  }
  *last = prev;
  *last_end = prev_end;
  return rs;
}

static gn_status cpe_of(imp *m, size_t site, int64_t *out) {
  if (!m->cpe[site]) {
    sqlite3_stmt *s = NULL;
    gn_status rs = gn__st_prep(
        m->st, "INSERT INTO equipment(kind,name,site) VALUES('cpe',?,?)", &s);
    char name[160];
    snprintf(name, sizeof(name), "CPE %s", gn_plan_site_get(m->p, site)->id);
    if (rs == GN_OK) {
      sqlite3_bind_text(s, 1, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64(s, 2, m->site_fid[site]);
      rs = step(m, s, "insert cpe");
    }
    sqlite3_finalize(s);
    if (rs != GN_OK) return rs;
    m->cpe[site] = sqlite3_last_insert_rowid(m->st->db);
  }
  *out = m->cpe[site];
  return GN_OK;
}

static gn_status put_circuit(imp *m, sqlite3_stmt *sc, sqlite3_stmt *ss,
                             const path *pa) {
  const gn_plan_site *site = gn_plan_site_get(m->p, pa->site);
  char name[200];
  snprintf(name, sizeof(name), "%s/%s", site->id,
           pa->protect ? "protect" : "working");
  sqlite3_bind_text(sc, 1, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(sc, 2, m->site_fid[pa->site]);
  sqlite3_bind_text(sc, 3, pa->protect ? "protect" : "working", -1,
                    SQLITE_STATIC);
  sqlite3_bind_int64(sc, 4, m->pop_fid[pa->pop]);
  gn_status rs = step(m, sc, "insert circuit");
  int64_t cid = sqlite3_last_insert_rowid(m->st->db), cpe = 0;
  if (rs == GN_OK) rs = cpe_of(m, pa->site, &cpe);
  for (int strand = 0; rs == GN_OK && strand < 2; strand++) {
    int64_t odf = 0, last = 0, olt_port = 0, cpe_port = 0;
    char last_end = 'a';
    rs = put_strand(m, cid, strand, pa, &odf, &last, &last_end);
    if (rs == GN_OK)
      rs = put_port(m, m->olt[pa->pop], ++m->olt_ports[pa->pop], 0, 0, odf,
                    &olt_port);
    if (rs == GN_OK)
      rs = put_port(m, cpe, ++m->cpe_ports[pa->site], last, last_end, 0,
                    &cpe_port);
    sqlite3_bind_int64(ss, 1, cid);
    sqlite3_bind_int(ss, 2, strand);
    sqlite3_bind_int64(ss, 3, odf);
    sqlite3_bind_int64(ss, 4, cpe_port);
    if (rs == GN_OK) rs = step(m, ss, "insert circuit strand");
  }
  for (size_t i = 0; rs == GN_OK && i < pa->n; i++) {
    sqlite3_bind_int64(m->s_ct, 1,
                       gn_plan_trench_get(m->p, m->ptr[pa->off + i])->id);
    sqlite3_bind_int64(m->s_ct, 2, cid);
    rs = step(m, m->s_ct, "insert circuit trench");
  }
  m->stats.circuits++;
  return rs;
}

static gn_status put_circuits(imp *m) {
  sqlite3_stmt *sc = NULL, *ss = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT INTO circuits(name,site,role,pop) VALUES(?,?,?,?)", &sc);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO circuit_strands VALUES(?,?,?,?)",
                     &ss);
  for (size_t i = 0; rs == GN_OK && i < m->npaths; i++) {
    if (m->paths[i].n == 0) continue; /* building at the POP itself */
    rs = put_circuit(m, sc, ss, &m->paths[i]);
    if (m->paths[i].protect) m->stats.protected_sites++;
  }
  sqlite3_finalize(sc);
  sqlite3_finalize(ss);
  return rs;
}

static gn_status prepare(imp *m) {
  gn_status rs = gn__st_prep(
      m->st,
      "INSERT INTO fibers(cable,number,tube,tube_colour,fiber_colour)"
      " VALUES(?,?,?,?,?)", &m->s_fiber);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO splices(closure,fiber_a,end_a,fiber_b,end_b)"
                     " VALUES(?,?,?,?,?)", &m->s_splice);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO ports(equipment,number,fiber,fiber_end,peer)"
                     " VALUES(?,?,?,?,?)", &m->s_port);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st, "INSERT INTO circuit_fibers VALUES(?,?,?,?)",
                     &m->s_cf);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT OR IGNORE INTO circuit_trenches VALUES(?,?)",
                     &m->s_ct);
  if (rs == GN_OK)
    rs = gn__st_prep(m->st,
                     "INSERT INTO closures(geom,name,node) VALUES(?,?,?)",
                     &m->s_closure);
  return rs;
}

/* The plan's cost: its metadata "cost_fcfa" when the planner wrote one,
 * else the sum of its trenches' cost_fcfa; *source NULL = never priced. */
static double plan_cost(const gn_plan *p, const char **source) {
  const char *v = gn_plan_get_meta(p, "cost_fcfa");
  double c = 0;
  *source = "plan";
  if (v && gn__parse_decimal(v, &c) == 0 && c >= 0) return c;
  c = 0;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++) {
    double t = gn_plan_trench_get(p, i)->cost_fcfa;
    if (isfinite(t) && t > 0) c += t;
  }
  *source = c > 0 ? "trenches" : NULL;
  return c;
}

static gn_status put_cost(imp *m) {
  const char *source = NULL;
  double cost = plan_cost(m->p, &source);
  if (!source) return GN_OK;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(m->st,
                             "INSERT OR REPLACE INTO gn_meta VALUES"
                             "('import.cost_fcfa',?),('import.cost_source',?)",
                             &s);
  if (rs != GN_OK) return rs;
  char buf[64];
  snprintf(buf, sizeof buf, "%.2f", cost);
  sqlite3_bind_text(s, 1, buf, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text(s, 2, source, -1, SQLITE_STATIC);
  rs = step(m, s, "insert cost");
  sqlite3_finalize(s);
  return rs;
}

static gn_status put_meta(imp *m, const char *user) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      m->st, "INSERT OR REPLACE INTO gn_meta VALUES('plan.' || ?, ?)", &s);
  for (size_t i = 0; rs == GN_OK && i < gn_plan_meta_count(m->p); i++) {
    const char *k, *v;
    gn_plan_meta_at(m->p, i, &k, &v);
    sqlite3_bind_text(s, 1, k, -1, SQLITE_STATIC);
    sqlite3_bind_text(s, 2, v, -1, SQLITE_STATIC);
    rs = step(m, s, "insert meta");
  }
  sqlite3_finalize(s);
  const gn_store_import_stats *x = &m->stats;
  gn__sb b;
  gn__sb_init(&b, m->ctx);
  gn__sb_printf(&b,
                "{\"sites\":%zu,\"pops\":%zu,\"trenches\":%zu,\"cables\":%zu,"
                "\"fibers\":%zu,\"closures\":%zu,\"splices\":%zu,\"ports\":%zu,",
                x->sites, x->pops, x->trenches, x->cables, x->fibers,
                x->closures, x->splices, x->ports);
  gn__sb_printf(&b, "\"circuits\":%zu,\"protected_sites\":%zu}", x->circuits,
                x->protected_sites);
  char *json = NULL;
  if (rs == GN_OK) rs = gn__sb_finish(&b, &json);
  gn__sb_cleanup(&b);
  if (rs == GN_OK)
    rs = gn__st_audit(m->st, user, "import-plan", "plan", NULL, json);
  if (rs == GN_OK && gn__st_prep(m->st,
                                 "INSERT OR REPLACE INTO gn_meta VALUES"
                                 "('import.stats',?),('import.at',"
                                 "strftime('%Y-%m-%dT%H:%M:%SZ','now'))",
                                 &s) == GN_OK) {
    sqlite3_bind_text(s, 1, json, -1, SQLITE_STATIC);
    rs = step(m, s, "insert meta");
    sqlite3_finalize(s);
  }
  gn_free(m->ctx, json);
  return rs;
}

static gn_status check_plan(imp *m) {
  const char *v = gn_plan_get_meta(m->p, "plan_version");
  if (v && strcmp(v, GN_PLAN_FORMAT_VERSION) != 0)
    return gn__fail(m->ctx, GN_EFORMAT,
                    "plan format version %s is not supported (expected %s)", v,
                    GN_PLAN_FORMAT_VERSION);
  if (m->np == 0) return gn__fail(m->ctx, GN_EINVAL, "plan has no POP");
  int64_t n = 0;
  int found;
  gn_status rs = gn__st_int(m->st, "SELECT count(*) FROM trenches", 0, &n,
                            &found);
  if (rs == GN_OK && n > 0)
    return gn__fail(m->ctx, GN_ECONFLICT,
                    "store already holds a network (%lld trenches)",
                    (long long)n);
  return rs;
}

static gn_status import_rows(imp *m, const char *user) {
  gn_status rs = prepare(m);
  if (rs == GN_OK) rs = put_nodes(m);
  if (rs == GN_OK) rs = put_sites(m);
  if (rs == GN_OK) rs = put_pops(m);
  if (rs == GN_OK) rs = put_cables(m);
  if (rs == GN_OK) rs = put_odfs(m);
  if (rs == GN_OK) rs = put_circuits(m);
  if (rs == GN_OK) rs = put_meta(m, user);
  if (rs == GN_OK) rs = put_cost(m);
  return rs;
}

gn_status gn_store_import_plan(gn_store *st, const gn_plan *plan,
                               const char *user,
                               gn_store_import_stats *stats) {
  gn_ctx_clear(st->ctx);
  imp m;
  memset(&m, 0, sizeof(m));
  m.st = st;
  m.ctx = st->ctx;
  m.p = plan;
  m.nn = gn_plan_node_count(plan);
  m.nt = gn_plan_trench_count(plan);
  m.ns = gn_plan_site_count(plan);
  m.np = gn_plan_pop_count(plan);
  gn_status rs = alloc_all(&m);
  if (rs == GN_OK) rs = gn__st_begin(st);
  if (rs != GN_OK) {
    free_all(&m);
    return rs;
  }
  rs = check_plan(&m);
  if (rs == GN_OK) rs = compute_paths(&m);
  if (rs == GN_OK) size_cables(&m);
  if (rs == GN_OK) rs = import_rows(&m, user);
  free_all(&m);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  if (rs == GN_OK && stats) *stats = m.stats;
  return rs;
}
