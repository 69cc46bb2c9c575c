/*
 * resilience_streets.c - Rings routed along the streets (street mode of
 * gn_resilience_augment, see resilience_int.h).
 *
 * The candidate graph is a copy of the planner's work graph (same node
 * and edge ids, so edge shapes are read from the work graph): edges under
 * a trench cost 0, the others length x price per metre of their class.
 * A trench is a chain of street edges; its inner street nodes have no
 * plan node. A search may stop at such a node when the trench is on the
 * core's side; a ring run that ends there splits the trench in two at
 * that node (a new plan node; both halves keep the trench's attributes,
 * the geometry and lengths are cut exactly at the node; a ring trench
 * split so counts as one more link). New runs of
 * street edges of one road class become one redundant trench each.
 */
#include <string.h>

#include "plan/planner_int.h"
#include "design/resilience_int.h"
#include "plan/snap.h"
#include "util/internal.h"

static gn_status oom(gn_ctx *ctx) {
  return gn__fail(ctx, GN_ENOMEM, "out of memory");
}

static gn_status copy_graph(gn__aug *a, const gn_street_net *sn) {
  const gn_graph *w = sn->w;
  size_t n = gn_graph_node_count(w), m = gn_graph_edge_count(w);
  gn_status s = gn_graph_create(a->ctx, n, m, &a->c.g);
  for (gn_id v = 0; s == GN_OK && v < n; v++) {
    double lon, lat;
    gn_graph_node_pos(w, v, &lon, &lat);
    s = gn_graph_add_node(a->c.g, lon, lat, NULL);
  }
  for (gn_id e = 0; s == GN_OK && e < m; e++) {
    gn_edge ed = *gn_graph_edge(w, e);
    if (sn->tr_of_edge[e] != GN__NO_TRENCH) ed.weight = 0;
    s = gn_graph_add_edge(a->c.g, &ed, NULL);
  }
  return s == GN_OK ? gn_graph_finalize(a->c.g) : s;
}

gn_status gn__rs_cgraph_build(gn__aug *a, const gn_street_net *sn) {
  gn__cgraph *c = &a->c;
  memset(c, 0, sizeof(*c));
  if (sn->plan != a->p || sn->nnodes != gn_plan_node_count(a->p) ||
      sn->ntrenches != gn_plan_trench_count(a->p))
    return gn__fail(a->ctx, GN_EINVAL, "street rings: the street network "
                    "was made for another plan, or trenches were added since");
  size_t n = gn_graph_node_count(sn->w), m = gn_graph_edge_count(sn->w);
  size_t nn = gn_plan_node_count(a->p);
  c->w = sn->w;
  c->pnode = gn_malloc(a->ctx, (n + 1) * sizeof(gn_id));
  if (!c->pnode ||
      GN__GROW(a->ctx, c->tr_of_edge, c->cap_toe, m + 1) != GN_OK ||
      GN__GROW(a->ctx, c->vert, c->cap_vert, nn + 1) != GN_OK)
    return oom(a->ctx);
  memcpy(c->pnode, sn->pnode, n * sizeof(gn_id));
  memcpy(c->tr_of_edge, sn->tr_of_edge, m * sizeof(size_t));
  memset(c->vert, 0xff, (nn + 1) * sizeof(gn_id));
  for (gn_id v = 0; v < n; v++)
    if (c->pnode[v] != GN_NONE) c->vert[c->pnode[v]] = v;
  for (gn_id i = 0; i < nn; i++)
    if (c->vert[i] == GN_NONE)
      return gn__fail(a->ctx, GN_EINTERNAL, "street rings: plan node %u has "
                      "no street node", (unsigned)i);
  return copy_graph(a, sn);
}

int gn__rs_core_side(const gn__aug *a, const gn__net *net, gn_id v) {
  gn_id p = a->c.pnode[v];
  if (p != GN_NONE) return a->mark[gn__net_vertex(net, p)] == 2;
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
  for (size_t k = 0; k < n; k++) { /* inside a trench: that trench's side */
    size_t t = a->c.tr_of_edge[eid[k]];
    if (t == GN__NO_TRENCH || a->forb[t]) continue;
    gn_id end = gn_plan_trench_get(a->p, t)->a;
    return a->mark[gn__net_vertex(net, end)] == 2;
  }
  return 0;
}

static gn_id other_end(const gn_graph *g, gn_id e, gn_id v) {
  const gn_edge *ed = gn_graph_edge(g, e);
  return ed->u == v ? ed->v : ed->u;
}

/* Next edge of trench t at vertex v other than `from` (GN_NONE: none). */
static gn_id chain_next(const gn__aug *a, gn_id v, size_t t, gn_id from) {
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
  for (size_t k = 0; k < n; k++)
    if (eid[k] != from && a->c.tr_of_edge[eid[k]] == t) return eid[k];
  return GN_NONE;
}

static gn_status new_pnode(gn__aug *a, gn_id v, gn_id *out) {
  double lon, lat;
  gn_graph_node_pos(a->c.g, v, &lon, &lat);
  gn_status s = gn_plan_add_node(a->p, lon, lat, out);
  if (s != GN_OK) return s;
  if (GN__GROW(a->ctx, a->c.vert, a->c.cap_vert, (size_t)*out + 1) != GN_OK)
    return oom(a->ctx);
  a->c.vert[*out] = v;
  a->c.pnode[v] = *out;
  return GN_OK;
}

/* Split trench t at its inner vertex x: t keeps a..x, a new trench
 * (next id) gets x..b and the edges beyond x. */
static gn_status split_trench(gn__aug *a, size_t t, gn_id x, gn_id *node) {
  gn_plan_trench c = *gn_plan_trench_get(a->p, t);
  gn_id v = a->c.vert[c.a], e = GN_NONE;
  size_t np = 1, guard = gn_graph_edge_count(a->c.g);
  double len = 0;
  while (v != x && guard--) {
    e = chain_next(a, v, t, e);
    if (e == GN_NONE) break;
    size_t n;
    gn__edge_line(a->c.w, e, (double[4]){0}, &n);
    np += n - 1;
    len += gn_graph_edge(a->c.g, e)->length_m;
    v = other_end(a->c.g, e, v);
  }
  if (v != x || np >= c.ncoords)
    return gn__fail(a->ctx, GN_EINTERNAL, "street rings: trench %lld does "
                    "not run through its street node", (long long)c.id);
  gn_status s = new_pnode(a, x, node);
  if (s != GN_OK) return s;
  c.a = *node;
  c.coords += 2 * (np - 1);
  c.ncoords -= np - 1;
  c.length_m -= len;
  c.id = a->next_id++;
  size_t idx;
  s = gn_plan_add_trench(a->p, &c, &idx);
  if (s != GN_OK) return s;
  a->r->links_added += (size_t)(c.redundant != 0); /* a ring in two */
  gn_plan_trench *head = gn_plan_trench_mut(a->p, t);
  head->b = *node;
  head->ncoords = np;
  head->length_m = len;
  for (gn_id f = chain_next(a, x, t, e); f != GN_NONE;) {
    a->c.tr_of_edge[f] = idx;  /* v walks from x to b */
    v = other_end(a->c.g, f, v);
    f = chain_next(a, v, t, f);
  }
  return GN_OK;
}

/* Plan node at vertex v: its own, a split of the trench through it, or a
 * new node. */
static gn_status ensure_pnode(gn__aug *a, gn_id v, gn_id *out) {
  if (a->c.pnode[v] != GN_NONE) {
    *out = a->c.pnode[v];
    return GN_OK;
  }
  const gn_id *nbr, *eid;
  size_t n;
  gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
  for (size_t k = 0; k < n; k++)
    if (a->c.tr_of_edge[eid[k]] != GN__NO_TRENCH)
      return split_trench(a, a->c.tr_of_edge[eid[k]], v, out);
  return new_pnode(a, v, out);
}

/* One redundant trench over the run of edges e[0..n) walked from v0. */
static gn_status build_run(gn__aug *a, gn_id v0, const gn_id *e, size_t n,
                           double **buf, size_t *cap) {
  gn_plan_trench t = {0};
  size_t np = 0;
  gn_id v = v0;
  for (size_t i = 0; i < n; i++) {
    size_t k;
    const double *p = gn__edge_line(a->c.w, e[i], (double[4]){0}, &k);
    int fwd = gn_graph_edge(a->c.g, e[i])->u == v;
    if (GN__GROW(a->ctx, *buf, *cap, 2 * (np + k)) != GN_OK)
      return oom(a->ctx);
    for (size_t j = np ? 1 : 0; j < k; j++, np++)
      memcpy(*buf + 2 * np, p + 2 * (fwd ? j : k - 1 - j), 2 * sizeof(double));
    t.length_m += gn_graph_edge(a->c.g, e[i])->length_m;
    v = other_end(a->c.g, e[i], v);
  }
  gn_status s = ensure_pnode(a, v0, &t.a);
  if (s == GN_OK) s = ensure_pnode(a, v, &t.b);
  if (s != GN_OK) return s;
  t.id = a->next_id++;
  t.coords = *buf;
  t.ncoords = np;
  t.road_class = gn_graph_edge(a->c.g, e[0])->road_class;
  t.redundant = 1;
  t.phase = gn__ring_phase(a);
  size_t idx;
  s = gn_plan_add_trench(a->p, &t, &idx);
  for (size_t i = 0; s == GN_OK && i < n; i++) {
    a->c.tr_of_edge[e[i]] = idx;
    gn_graph_set_weight(a->c.g, e[i], 0.0);
  }
  a->r->links_added++;
  a->r->extra_m += t.length_m;
  return s;
}

/* Walk the path from hit back to src (a->pred); edges without a trench
 * form runs, cut where the road class changes or a trench is met. */
gn_status gn__rs_build_path(gn__aug *a, gn_id src, gn_id hit) {
  size_t n = 0, cap = 0, cap_buf = 0;
  gn_id *run = NULL, v = hit, v0 = hit;
  double *buf = NULL;
  gn_status s = GN_OK;
  while (s == GN_OK && v != src) {
    gn_id e = a->pred[v];
    const gn_edge *ed = gn_graph_edge(a->c.g, e);
    int free_ = a->c.tr_of_edge[e] != GN__NO_TRENCH;
    if (n && (free_ || ed->road_class !=
                           gn_graph_edge(a->c.g, run[0])->road_class)) {
      s = build_run(a, v0, run, n, &buf, &cap_buf);
      n = 0;
    }
    if (s == GN_OK && !free_) {
      if (n == 0) v0 = v;
      if (GN__GROW(a->ctx, run, cap, n + 1) != GN_OK) s = oom(a->ctx);
      else run[n++] = e;
    }
    v = other_end(a->c.g, e, v);
  }
  if (s == GN_OK && n) s = build_run(a, v0, run, n, &buf, &cap_buf);
  gn_free(a->ctx, run);
  gn_free(a->ctx, buf);
  return s;
}

/* 1 if src reaches no POP in the street graph once street edge `cut`
 * is removed (a street bridge). q/seen: scratch of a->nv entries. */
static int cut_isolates(const gn__aug *a, gn_id src, gn_id cut, gn_id *q,
                        unsigned char *seen) {
  size_t qh = 0, qt = 0;
  memset(seen, 0, a->nv);
  seen[src] = 1;
  q[qt++] = src;
  while (qh < qt) {
    gn_id v = q[qh++], p = a->c.pnode[v];
    if (p != GN_NONE && p < a->nis_pop && a->is_pop[p]) return 0;
    const gn_id *nbr, *eid;
    size_t n;
    gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
    for (size_t k = 0; k < n; k++) {
      if (eid[k] == cut || seen[nbr[k]]) continue;
      seen[nbr[k]] = 1;
      q[qt++] = nbr[k];
    }
  }
  return 1;
}

gn_status gn__rs_street_bridge(gn__aug *a, size_t t, gn_id src, int *yes) {
  gn_id *q = gn_malloc(a->ctx, (a->nv + 1) * sizeof(gn_id));
  unsigned char *seen = gn_malloc(a->ctx, a->nv + 1);
  *yes = 0;
  if (!q || !seen) {
    gn_free(a->ctx, q);
    gn_free(a->ctx, seen);
    return oom(a->ctx);
  }
  for (gn_id e = 0; !*yes && e < gn_graph_edge_count(a->c.g); e++)
    if (a->c.tr_of_edge[e] == t) *yes = cut_isolates(a, src, e, q, seen);
  gn_free(a->ctx, q);
  gn_free(a->ctx, seen);
  return GN_OK;
}

gn_status gn__rs_split_junctions(gn__aug *a, size_t t, size_t *nsplit) {
  gn_id v = a->c.vert[gn_plan_trench_get(a->p, t)->a], e = GN_NONE;
  gn_id end = a->c.vert[gn_plan_trench_get(a->p, t)->b];
  size_t cur = t, guard = gn_graph_edge_count(a->c.g);
  *nsplit = 0;
  while (v != end && guard--) {
    e = chain_next(a, v, cur, e);
    if (e == GN_NONE) break;
    v = other_end(a->c.g, e, v);
    const gn_id *nbr, *eid;
    size_t n;
    gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
    if (v == end || n < 3) continue;
    gn_id node;
    gn_status s = split_trench(a, cur, v, &node);
    if (s != GN_OK) return s;
    (*nsplit)++;
    cur = gn_plan_trench_count(a->p) - 1; /* the rest of the chain */
  }
  return GN_OK;
}
