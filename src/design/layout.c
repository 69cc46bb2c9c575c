/*
 * layout.c - Circuits, cables and fibers of a plan as they will be built
 * (see layout.h for the model). One implementation for the plan's
 * summary and the store's import, so their figures agree.
 *
 * Paths (working and protect, all buildings from one shortest-path
 * forest): layout_paths.c.
 * Cables: long-path decomposition of the working tree, longest runs
 * first; leftover trenches (rings) in runs through two-trench nodes.
 * Sizes: the plan's sized cable (spare included) grown to the fibers
 * the circuits use plus the spare share, rounded to a standard size.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "design/layout.h"
#include "util/internal.h"

typedef gn_layout lay;

static void *zalloc(lay *m, size_t n, size_t es, gn_status *rs) {
  return gn__layout_zalloc(m, n, es, "cables", rs);
}

void gn_layout_opts_init(gn_layout_opts *o) {
  static const gn_optics def[GN_OPTICS_COUNT] = {
      {10, 7.5, 1310, 60000}, {40, 15.0, 1550, 240000},
      {80, 23.0, 1550, 600000}};
  memcpy(o->optics, def, sizeof def);
  o->margin_db = 1.0;
  o->access = GN_OPTICS_LR10;
  o->protect = GN_OPTICS_ER40;
  o->spare = 0.5;
}

void gn_layout_opts_from_pricebook(gn_layout_opts *o, const gn_pricebook *pb) {
  memcpy(o->optics, pb->optics, sizeof o->optics);
  o->margin_db = pb->optics_margin_db;
  o->spare = pb->spare;
}

/* ---- cables -------------------------------------------------------- */

static gn_id far_end(const lay *m, size_t e, gn_id from) {
  return gn__layout_far_end(m, (gn_id)e, from);
}

static void open_cable(lay *m, gn_id a) {
  gn__lcable *c = &m->cables[m->ncables];
  memset(c, 0, sizeof *c);
  c->off = m->nctr;
  c->a = c->b = a;
}

static void cable_add(lay *m, size_t e) {
  gn__lcable *c = &m->cables[m->ncables];
  m->cable_of[e] = m->ncables;
  m->pos_of[e] = c->n;
  m->ctr[m->nctr++] = e;
  c->n++;
  c->b = far_end(m, e, c->b);
  c->length_m += gn_graph_edge(m->g, (gn_id)e)->length_m;
}

/* Tree part: the working paths' shortest-path forest (pred), decomposed
 * into long paths. height[v] = longest run below v. */
static gn_status tree_cables(lay *m, gn_id *pred) {
  gn_status rs = GN_OK;
  size_t nn = m->nn;
  size_t *order = zalloc(m, nn, sizeof(size_t), &rs);
  size_t *coff = zalloc(m, nn + 1, sizeof(size_t), &rs);
  size_t *kids = zalloc(m, nn, sizeof(size_t), &rs);
  double *height = zalloc(m, nn, sizeof(double), &rs);
  gn_id *heavy = zalloc(m, nn, sizeof(gn_id), &rs);
  if (rs != GN_OK) goto out;
  /* ring trenches stay out of the tree: they get cables of their own */
  for (size_t v = 0; v < nn; v++)
    if (pred[v] != GN_NONE && gn_plan_trench_get(m->p, pred[v])->redundant)
      pred[v] = GN_NONE;
  for (size_t v = 0; v < nn; v++)
    if (pred[v] != GN_NONE) coff[far_end(m, pred[v], (gn_id)v) + 1]++;
  for (size_t v = 0; v < nn; v++) coff[v + 1] += coff[v];
  {
    size_t *fill = zalloc(m, nn + 1, sizeof(size_t), &rs);
    if (rs != GN_OK) goto out;
    memcpy(fill, coff, (nn + 1) * sizeof(size_t));
    for (size_t v = 0; v < nn; v++)
      if (pred[v] != GN_NONE) kids[fill[far_end(m, pred[v], (gn_id)v)]++] = v;
    gn_free(m->ctx, fill);
  }
  /* BFS order from the roots (POP nodes) */
  size_t n = 0;
  for (size_t v = 0; v < nn; v++)
    if (m->pop_at[v]) order[n++] = v;
  for (size_t i = 0; i < n; i++)
    for (size_t k = coff[order[i]]; k < coff[order[i] + 1]; k++)
      order[n++] = kids[k];
  for (size_t i = n; i-- > 0;) {
    size_t v = order[i];
    heavy[v] = GN_NONE;
    height[v] = 0;
    for (size_t k = coff[v]; k < coff[v + 1]; k++) {
      size_t c = kids[k];
      double h = gn_graph_edge(m->g, pred[c])->length_m + height[c];
      if (heavy[v] == GN_NONE || h > height[v]) {
        height[v] = h;
        heavy[v] = (gn_id)c;
      }
    }
  }
  /* every child edge not continuing its parent's cable starts one */
  for (size_t i = 0; i < n; i++) {
    size_t v = order[i];
    for (size_t k = coff[v]; k < coff[v + 1]; k++) {
      size_t c = kids[k];
      if (!m->pop_at[v] && heavy[v] == c) continue; /* continues */
      open_cable(m, (gn_id)v);
      for (size_t x = c; x != GN_NONE; x = heavy[x]) {
        cable_add(m, pred[x]);
        if (heavy[x] == GN_NONE) break;
      }
      m->ncables++;
    }
  }
out:
  gn_free(m->ctx, order);
  gn_free(m->ctx, coff);
  gn_free(m->ctx, kids);
  gn_free(m->ctx, height);
  gn_free(m->ctx, heavy);
  return rs;
}

/* Leftover trenches (rings, trenches no working path uses) in runs
 * through nodes where exactly two leftover trenches meet (no POP). */
static gn_status ring_cables(lay *m) {
  gn_status rs = GN_OK;
  int *deg = zalloc(m, m->nn, sizeof(int), &rs);
  if (rs != GN_OK) return rs;
  for (size_t e = 0; e < m->nt; e++)
    if (m->cable_of[e] == (size_t)-1) {
      const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
      deg[ed->u]++;
      deg[ed->v]++;
    }
  for (size_t t = 0; t < m->nt; t++) {
    if (m->cable_of[t] != (size_t)-1) continue;
    /* back up to the start of t's run */
    size_t e = t, guard = 0;
    gn_id v = gn_graph_edge(m->g, (gn_id)t)->u;
    while (deg[v] == 2 && !m->pop_at[v] && guard++ < m->nt) {
      const gn_id *nbr, *eid;
      size_t n, k;
      gn_graph_adj(m->g, v, &nbr, &eid, &n);
      for (k = 0; k < n; k++)
        if (eid[k] != e && m->cable_of[eid[k]] == (size_t)-1) break;
      if (k == n || eid[k] == t) break;
      e = eid[k];
      v = nbr[k];
    }
    open_cable(m, v);
    for (guard = 0; guard < m->nt; guard++) {
      cable_add(m, e);
      v = m->cables[m->ncables].b;
      if (deg[v] != 2 || m->pop_at[v]) break;
      const gn_id *nbr, *eid;
      size_t n, k;
      gn_graph_adj(m->g, v, &nbr, &eid, &n);
      for (k = 0; k < n; k++)
        if (m->cable_of[eid[k]] == (size_t)-1) break;
      if (k == n) break;
      e = eid[k];
    }
    m->ncables++;
  }
  gn_free(m->ctx, deg);
  return GN_OK;
}

/* ---- fibers and segments ------------------------------------------- */

static int round_size(int need) {
  static const int sizes[] = {12, 24, 48, 72, 96, 144, 288};
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
    if (need <= sizes[i]) return sizes[i];
  return (need + 143) / 144 * 144;
}

static gn_status new_seg(lay *m, gn__lpath *pa, size_t c, size_t pos,
                         gn_id in) {
  if (GN__GROW(m->ctx, m->segs, m->cap_segs, m->nsegs + 1) != GN_OK)
    return gn__fail(m->ctx, GN_ENOMEM, "out of memory");
  gn__lseg *s = &m->segs[m->nsegs++];
  memset(s, 0, sizeof *s);
  s->cable = c;
  s->from = s->to = pos;
  s->in_node = in;
  pa->nseg++;
  return GN_OK;
}

/* Segments of one path: maximal runs of consecutive positions of one
 * cable; fiber pairs numbered in order of use. */
static gn_status path_segments(lay *m, gn__lpath *pa) {
  gn_id cur = gn_plan_pop_get(m->p, pa->pop)->node;
  pa->seg_off = m->nsegs;
  pa->nseg = 0;
  gn__lseg *s = NULL;
  for (size_t i = 0; i < pa->n; i++) {
    size_t e = m->ptr[pa->off + i], c = m->cable_of[e], pos = m->pos_of[e];
    gn_id next = far_end(m, e, cur);
    int cont = s && s->cable == c &&
               ((s->near == 'a' && pos == s->to + 1) ||
                (s->near == 'b' && pos + 1 == s->from));
    if (cont) {
      if (s->near == 'a') s->to = pos;
      else s->from = pos;
    } else {
      gn_status rs = new_seg(m, pa, c, pos, cur);
      if (rs != GN_OK) return rs;
      s = &m->segs[m->nsegs - 1];
      /* direction: entering trench pos at its a-side node means a->b */
      /* it runs a -> b if it enters trench pos at its a-side node */
      const gn__lcable *cb = &m->cables[c];
      gn_id aside = cb->a;
      if (pos > 0) {
        const gn_edge *ed = gn_graph_edge(m->g, (gn_id)e);
        const gn_edge *pd =
            gn_graph_edge(m->g, (gn_id)m->ctr[cb->off + pos - 1]);
        aside = (ed->u == pd->u || ed->u == pd->v) ? ed->u : ed->v;
      }
      s->near = aside == cur ? 'a' : 'b';
    }
    s->span_m += gn_graph_edge(m->g, (gn_id)e)->length_m;
    s->out_node = next;
    cur = next;
  }
  for (size_t k = 0; k < pa->nseg; k++) {
    gn__lseg *x = &m->segs[pa->seg_off + k];
    gn__lcable *cb = &m->cables[x->cable];
    x->fiber = cb->used + 1;
    cb->used += 2;
  }
  return GN_OK;
}

static void size_cables(lay *m) {
  for (size_t c = 0; c < m->ncables; c++) {
    gn__lcable *cb = &m->cables[c];
    int sz = 0;
    for (size_t k = 0; k < cb->n; k++) {
      const gn_plan_trench *t = gn_plan_trench_get(m->p, m->ctr[cb->off + k]);
      int st = t->cable_size;
      if (st <= 0) st = round_size((t->sites_downstream * 2 * 3 + 1) / 2);
      if (st > sz) sz = st;
    }
    /* The spare share rides on what the circuits use (working, protect
     * and express fibers), not only on the trench's own sites: a
     * continuous cable must keep spare fibers to lease and to grow. */
    double want = ceil(cb->used * (1.0 + m->o.spare) - 1e-9);
    int need = want < 1e6 ? (int)want : 1000000;
    if (sz < need) sz = round_size(need);
    cb->size = sz;
  }
}

/* ---- figures ------------------------------------------------------- */

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double quantile(double *v, size_t n, double q) {
  if (n == 0) return 0;
  qsort(v, n, sizeof *v, cmp_double);
  size_t k = (size_t)ceil(q * (double)n);
  if (k > 0) k--;
  if (k >= n) k = n - 1;
  return v[k];
}

static void path_budget(lay *m, gn__lpath *pa) {
  const gn_plan_site *s = gn_plan_site_get(m->p, pa->site);
  double len = isfinite(s->drop_m) && s->drop_m > 0 ? s->drop_m : 0;
  for (size_t k = 0; k < pa->nseg; k++) len += m->segs[pa->seg_off + k].span_m;
  pa->length_m = len;
  pa->splices = pa->nseg > 0 ? (int)pa->nseg - 1 : 0;
  double fixed = pa->splices * GN_LOSS_DB_PER_SPLICE +
                 GN_LOSS_CONNECTORS * GN_LOSS_DB_PER_CONNECTOR;
  pa->loss_db[0] = len / 1000 * GN_LOSS_DB_PER_KM_1310 + fixed;
  pa->loss_db[1] = len / 1000 * GN_LOSS_DB_PER_KM_1550 + fixed;
  pa->cls = pa->protect ? m->o.protect : m->o.access;
  const gn_optics *oc = &m->o.optics[pa->cls];
  double loss = oc->nm >= 1450 ? pa->loss_db[1] : pa->loss_db[0];
  pa->over = len > oc->reach_km * 1000 + 1e-6 ||
             loss + m->o.margin_db > oc->budget_db + 1e-9;
}

/* Core: each hub's link to the first hub or POP upstream (towards a
 * non-hub POP along the shortest route), twice (ring both ways); the
 * smallest class that closes the hop, else regenerators every reach. */
static gn_status core_links(lay *m) {
  gn_status rs = GN_OK;
  gn_id *src = zalloc(m, m->np, sizeof(gn_id), &rs);
  double *dist = zalloc(m, m->nn, sizeof(double), &rs);
  gn_id *pred = zalloc(m, m->nn, sizeof(gn_id), &rs);
  unsigned char *hub = zalloc(m, m->nn, 1, &rs);
  size_t nsrc = 0;
  for (size_t i = 0; rs == GN_OK && i < m->np; i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(m->p, i);
    if (pp->node == GN_NONE) continue;
    if (gn_pop_is_hub(pp)) hub[pp->node] = 1;
    else src[nsrc++] = pp->node;
  }
  for (size_t e = 0; rs == GN_OK && e < m->nt; e++)
    gn_graph_set_weight(m->g, (gn_id)e, gn_graph_edge(m->g, (gn_id)e)->length_m);
  if (rs == GN_OK && nsrc > 0)
    rs = gn_graph_dijkstra(m->g, src, nsrc, dist, pred);
  for (size_t i = 0; rs == GN_OK && nsrc > 0 && i < m->np; i++) {
    const gn_plan_pop *pp = gn_plan_pop_get(m->p, i);
    if (pp->node == GN_NONE || !gn_pop_is_hub(pp) || !isfinite(dist[pp->node]))
      continue;
    gn_id v = pp->node;
    size_t guard = 0;
    do {
      v = far_end(m, pred[v], v);
    } while (pred[v] != GN_NONE && !hub[v] && guard++ < m->nn);
    double hop = (dist[pp->node] - dist[v]) / 1000;
    int cls = -1;
    for (int c = 0; c < GN_OPTICS_COUNT && cls < 0; c++) {
      const gn_optics *oc = &m->o.optics[c];
      double per_km = oc->nm >= 1450 ? GN_LOSS_DB_PER_KM_1550
                                     : GN_LOSS_DB_PER_KM_1310;
      double loss = hop * per_km + 2 * GN_LOSS_DB_PER_CONNECTOR +
                    m->o.margin_db + 0.5 * hop / 4 * GN_LOSS_DB_PER_SPLICE;
      if (hop <= oc->reach_km && loss <= oc->budget_db) cls = c;
    }
    size_t pieces = 1;
    if (cls < 0) {
      cls = GN_OPTICS_ZR80;
      double r = m->o.optics[cls].reach_km * 0.8;
      pieces = (size_t)ceil(hop / (r > 1 ? r : 1));
      m->stats.regenerators += 2 * (pieces - 1);
    }
    m->stats.core_links += 2;
    m->stats.optics[cls] += 4 * pieces;
    m->stats.optics_core[cls] += 4 * pieces;
    if (hop > m->stats.core_km_max) m->stats.core_km_max = hop;
  }
  /* restore the routing weights */
  for (size_t e = 0; e < m->nt; e++) {
    const gn_plan_trench *t = gn_plan_trench_get(m->p, e);
    gn_graph_set_weight(m->g, (gn_id)e,
                        (t->length_m > 0 ? t->length_m : 0) +
                            (t->redundant ? GN__RING_PENALTY : 0));
  }
  gn_free(m->ctx, src);
  gn_free(m->ctx, dist);
  gn_free(m->ctx, pred);
  gn_free(m->ctx, hub);
  return rs;
}

static gn_status figures(lay *m) {
  gn_status rs = GN_OK;
  gn_layout_stats *x = &m->stats;
  double *km = zalloc(m, m->npaths, sizeof(double), &rs);
  double *sp = zalloc(m, m->npaths, sizeof(double), &rs);
  double *loss = zalloc(m, m->npaths, sizeof(double), &rs);
  if (rs != GN_OK) goto out;
  size_t nw = 0;
  for (size_t i = 0; i < m->npaths; i++) {
    gn__lpath *pa = &m->paths[i];
    if (pa->n == 0) continue; /* the building hosts the hub or POP */
    path_budget(m, pa);
    x->circuits_total++;
    x->optics[pa->cls] += 2;
    if (pa->over) x->circuits_over_budget++;
    x->splices += 2 * (size_t)pa->splices;
    if (pa->protect) {
      x->circuits_protect++;
      x->protect_km_max = fmax(x->protect_km_max, pa->length_m / 1000);
      x->protect_loss_db_max = fmax(
          x->protect_loss_db_max,
          m->o.optics[pa->cls].nm >= 1450 ? pa->loss_db[1] : pa->loss_db[0]);
      continue;
    }
    x->circuits_working++;
    km[nw] = pa->length_m / 1000;
    sp[nw] = pa->splices;
    loss[nw++] = pa->loss_db[0];
  }
  for (size_t i = 0; i < m->npaths; i++) { /* protect splices too */
    gn__lpath *pa = &m->paths[i];
    for (size_t k = 0; pa->n && k + 1 < pa->nseg; k++)
      m->closure[m->segs[pa->seg_off + k].out_node] = 1;
    if (pa->nseg == 0) continue;
    /* a tap: the building is served from the middle of its last cable */
    gn__lseg *l = &m->segs[pa->seg_off + pa->nseg - 1];
    const gn__lcable *cb = &m->cables[l->cable];
    if (l->out_node != cb->a && l->out_node != cb->b)
      m->closure[l->out_node] = 1;
  }
  x->working_km_max = nw ? quantile(km, nw, 1.0) : 0;
  x->working_km_median = quantile(km, nw, 0.5);
  x->working_splices_max = nw ? quantile(sp, nw, 1.0) : 0;
  x->working_splices_median = quantile(sp, nw, 0.5);
  x->working_loss_db_max = nw ? quantile(loss, nw, 1.0) : 0;
  x->working_loss_db_p90 = quantile(loss, nw, 0.9);
  x->working_loss_db_median = quantile(loss, nw, 0.5);
  for (size_t v = 0; v < m->nn; v++) x->closures += m->closure[v];
  for (size_t i = 0; i < m->np; i++)
    x->hubs += gn_pop_is_hub(gn_plan_pop_get(m->p, i)) ? 1 : 0;
  for (size_t c = 0; c < m->ncables; c++) {
    const gn__lcable *cb = &m->cables[c];
    x->cable_m += cb->length_m;
    x->fibers += (size_t)cb->size;
    x->odf_ports += (size_t)cb->size * ((m->pop_at[cb->a] ? 1u : 0u) +
                                        (m->pop_at[cb->b] ? 1u : 0u));
    size_t k = 0;
    while (k < m->nsizes && m->sizes[k].size != cb->size) k++;
    if (k == m->nsizes) {
      m->sizes[m->nsizes].size = cb->size;
      m->sizes[m->nsizes++].cable_m = 0;
    }
    m->sizes[k].cable_m += cb->length_m;
  }
  for (size_t i = 1; i < m->nsizes; i++) /* few sizes: insertion sort */
    for (size_t j = i; j > 0 && m->sizes[j - 1].size > m->sizes[j].size; j--) {
      gn_layout_sizes t = m->sizes[j];
      m->sizes[j] = m->sizes[j - 1];
      m->sizes[j - 1] = t;
    }
  x->cables = m->ncables;
  rs = core_links(m);
out:
  gn_free(m->ctx, km);
  gn_free(m->ctx, sp);
  gn_free(m->ctx, loss);
  return rs;
}

/* ---- entry points -------------------------------------------------- */

static gn_status alloc_all(lay *m) {
  gn_status rs = GN_OK;
  m->pop_at = zalloc(m, m->nn, sizeof(long), &rs);
  m->protect_of = zalloc(m, m->nn, sizeof(long), &rs);
  m->working_of = zalloc(m, m->nn, sizeof(long), &rs);
  m->closure = zalloc(m, m->nn, 1, &rs);
  m->cable_of = zalloc(m, m->nt, sizeof(size_t), &rs);
  m->pos_of = zalloc(m, m->nt, sizeof(size_t), &rs);
  m->cables = zalloc(m, m->nt, sizeof(gn__lcable), &rs);
  m->ctr = zalloc(m, m->nt, sizeof(size_t), &rs);
  m->sizes = zalloc(m, m->nt + 1, sizeof(gn_layout_sizes), &rs);
  for (size_t t = 0; rs == GN_OK && t < m->nt; t++) m->cable_of[t] = (size_t)-1;
  return rs;
}

gn_status gn_layout_build(const gn_plan *p, const gn_layout_opts *o,
                          gn_layout **out) {
  gn_ctx *ctx = gn_plan_ctx(p);
  *out = NULL;
  lay *m = gn_malloc(ctx, sizeof *m);
  if (!m) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  memset(m, 0, sizeof *m);
  m->ctx = ctx;
  m->p = p;
  if (o) m->o = *o;
  else gn_layout_opts_init(&m->o);
  m->nn = gn_plan_node_count(p);
  m->nt = gn_plan_trench_count(p);
  m->ns = gn_plan_site_count(p);
  m->np = gn_plan_pop_count(p);
  gn_status rs = alloc_all(m);
  gn_id *pred = rs == GN_OK ? zalloc(m, m->nn, sizeof(gn_id), &rs) : NULL;
  if (rs == GN_OK) rs = gn__layout_paths(m, pred);
  if (rs == GN_OK) rs = tree_cables(m, pred);
  if (rs == GN_OK) rs = ring_cables(m);
  for (size_t i = 0; rs == GN_OK && i < m->npaths; i++)
    rs = path_segments(m, &m->paths[i]);
  if (rs == GN_OK) size_cables(m);
  if (rs == GN_OK) rs = figures(m);
  gn_free(ctx, pred);
  if (rs != GN_OK) {
    gn_layout_free(m);
    return rs;
  }
  *out = m;
  return GN_OK;
}

void gn_layout_free(gn_layout *m) {
  if (!m) return;
  void *arrs[] = {m->paths, m->ptr, m->cables, m->ctr, m->cable_of,
                  m->pos_of, m->segs, m->closure, m->pop_at, m->protect_of,
                  m->working_of, m->sizes};
  for (size_t i = 0; i < sizeof arrs / sizeof arrs[0]; i++)
    gn_free(m->ctx, arrs[i]);
  gn_graph_free(m->g);
  gn_free(m->ctx, m);
}

const gn_layout_stats *gn_layout_get_stats(const gn_layout *l) {
  return &l->stats;
}

const gn_layout_sizes *gn_layout_cable_sizes(const gn_layout *l, size_t *n) {
  *n = l->nsizes;
  return l->sizes;
}

size_t gn_layout_circuit_count(const gn_layout *l) { return l->npaths; }

void gn_layout_circuit_get(const gn_layout *l, size_t i,
                           gn_layout_circuit *out) {
  const gn__lpath *pa = &l->paths[i];
  out->site_id = gn_plan_site_get(l->p, pa->site)->id;
  out->pop_id = gn_plan_pop_get(l->p, pa->pop)->id;
  out->protect = pa->protect;
  out->length_m = pa->length_m;
  out->splices = pa->splices;
  out->cls = pa->cls;
  out->loss_db = l->o.optics[pa->cls].nm >= 1450 ? pa->loss_db[1]
                                                 : pa->loss_db[0];
  out->over = pa->over;
  out->in_building = pa->n == 0;
}
