/*
 * resilience.c - Rings for critical sites and the single-cut analysis.
 *
 * Augmentation (a greedy heuristic for the NP-hard minimum 2-edge-
 * connected augmentation): critical sites are taken farthest from the
 * core first, because one ring closed far out also protects every site
 * along its way. For a site still exposed (a bridge lies on its path to
 * the core), those bridges are forbidden and the cheapest path from the
 * site to the core is found (Dijkstra) over a candidate graph: existing
 * trenches cost 0 (already dug), straight candidate links between plan
 * nodes (each node's 10 nearest, plus the closest pair across the cut
 * when the candidates do not cross it) cost length * detour. The new
 * links on that path become trenches with redundant = 1. The old path
 * and the new path are edge-disjoint on every bridge of the old path,
 * so the site is then 2-edge-connected to the core (Menger).
 * Street mode (o->streets, resilience_streets.c): the candidate graph is
 * the planner's street work graph instead (trench edges 0, other street
 * edges length x price), so rings are street paths; no straight link is
 * ever added, and a site whose every street route crosses one same
 * street segment (a dead end) is reported.
 * Single cut: a trench cut isolates exactly the sites behind it when it
 * is a bridge (netview.c), nothing otherwise. Drops are not trenches.
 * Ownership: the report is the caller's (gn_resilience_report_free).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/knn.h"
#include "design/resilience_int.h"
#include "govnet/geo.h"
#include "util/internal.h"

#define CAND_K 10

int gn_resilience_parse(const char *s) {
  if (!s) return -1;
  if (strcmp(s, "none") == 0) return GN_RESILIENCE_NONE;
  if (strcmp(s, "critical") == 0) return GN_RESILIENCE_CRITICAL;
  if (strcmp(s, "all") == 0) return GN_RESILIENCE_ALL;
  return -1;
}

void gn_resilience_opts_init(gn_resilience_opts *o) {
  memset(o, 0, sizeof(*o));
  o->mode = GN_RESILIENCE_CRITICAL;
  o->category_mask = (1u << GN_CAT_HEALTH) | (1u << GN_CAT_ADMIN);
  o->min_priority = INT_MAX;
  o->detour = 1.3;
  o->road_class = GN_ROAD_STRAIGHT;
}

gn_status gn_resilience_parse_categories(gn_ctx *ctx, const char *list,
                                         unsigned *mask) {
  unsigned m = 0;
  const char *p = list;
  while (p && *p) {
    const char *end = strchr(p, ',');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char name[32];
    if (len == 0 || len >= sizeof name)
      return gn__fail(ctx, GN_EINVAL, "bad category list '%s'", list);
    memcpy(name, p, len);
    name[len] = '\0';
    gn_category c = gn_category_parse(name);
    if (c == GN_CAT_COUNT)
      return gn__fail(ctx, GN_EINVAL,
                      "unknown category '%s' (known: admin, health, "
                      "education, other)", name);
    m |= 1u << c;
    p = end ? end + 1 : NULL;
  }
  *mask = m;
  return GN_OK;
}

static int site_in_scope(const gn_plan_site *s, const char *phase) {
  if (!phase) return 1;
  return s->phase && strcmp(s->phase, phase) == 0;
}

size_t gn_resilience_mark(gn_plan *p, const gn_resilience_opts *o) {
  size_t n = 0;
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    gn_plan_site *s = gn_plan_site_mut(p, i);
    if (!site_in_scope(s, o->phase)) continue;
    int crit = 0;
    if (o->mode == GN_RESILIENCE_ALL) crit = 1;
    if (o->mode == GN_RESILIENCE_CRITICAL)
      crit = ((o->category_mask >> s->category) & 1u) ||
             s->priority >= o->min_priority;
    s->critical = crit;
    n += (size_t)crit;
  }
  return n;
}

/* ---- candidate graph ---------------------------------------------- */

typedef gn__cgraph cgraph;
typedef gn__aug aug;

static gn_status map_edge(gn_ctx *ctx, cgraph *c, gn_id e, size_t t) {
  if (GN__GROW(ctx, c->tr_of_edge, c->cap_toe, (size_t)e + 1) != GN_OK)
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  c->tr_of_edge[e] = t;
  return GN_OK;
}

static gn_status add_link(gn_ctx *ctx, const gn_plan *p, cgraph *c, gn_id a,
                          gn_id b, double detour) {
  const gn_plan_node *na = gn_plan_node_get(p, a), *nb = gn_plan_node_get(p, b);
  double d = gn_geo_distance_m(na->lon, na->lat, nb->lon, nb->lat);
  gn_edge e = {a, b, d * detour, d * detour, 0, GN_ROAD_STRAIGHT};
  gn_id id;
  gn_status s = gn_graph_add_edge(c->g, &e, &id);
  return s == GN_OK ? map_edge(ctx, c, id, GN__NO_TRENCH) : s;
}

static gn_status add_knn_links(gn_ctx *ctx, const gn_plan *p, cgraph *c,
                               double detour) {
  size_t nn = gn_plan_node_count(p), np = 0;
  double *ll = gn_malloc(ctx, 4 * (nn + 1) * sizeof(double));
  if (!ll) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < nn; i++) {
    ll[2 * i] = gn_plan_node_get(p, (gn_id)i)->lon;
    ll[2 * i + 1] = gn_plan_node_get(p, (gn_id)i)->lat;
  }
  double *xy = ll + 2 * nn;
  gn__project_local(ll, nn, xy);
  gn__pair *pairs = NULL;
  gn_status s = gn__knn_pairs(ctx, xy, nn, CAND_K, &pairs, &np);
  for (size_t k = 0; s == GN_OK && k < np; k++)
    if (pairs[k].u < pairs[k].v)
      s = add_link(ctx, p, c, (gn_id)pairs[k].u, (gn_id)pairs[k].v, detour);
  /* a pair found from one end only is added from that end */
  for (size_t k = 0; s == GN_OK && k < np; k++)
    if (pairs[k].u > pairs[k].v)
      s = add_link(ctx, p, c, (gn_id)pairs[k].u, (gn_id)pairs[k].v, detour);
  gn_free(ctx, pairs);
  gn_free(ctx, ll);
  return s;
}

static gn_status cgraph_build(gn_ctx *ctx, const gn_plan *p, double detour,
                              cgraph *c) {
  memset(c, 0, sizeof(*c));
  size_t nn = gn_plan_node_count(p), nt = gn_plan_trench_count(p);
  gn_status s = gn_graph_create(ctx, nn, nt + nn * CAND_K, &c->g);
  if (s == GN_OK) s = gn_graph_add_nodes(c->g, nn);
  for (size_t t = 0; s == GN_OK && t < nt; t++) {
    const gn_plan_trench *tr = gn_plan_trench_get(p, t);
    gn_edge e = {tr->a, tr->b, 0.0, tr->length_m, tr->id, tr->road_class};
    gn_id id;
    s = gn_graph_add_edge(c->g, &e, &id);
    if (s == GN_OK) s = map_edge(ctx, c, id, t);
  }
  if (s == GN_OK) s = add_knn_links(ctx, p, c, detour);
  if (s == GN_OK) s = gn_graph_finalize(c->g);
  return s;
}

static void cgraph_cleanup(gn_ctx *ctx, cgraph *c) {
  gn_graph_free(c->g);
  gn_free(ctx, c->tr_of_edge);
  gn_free(ctx, c->pnode);
  gn_free(ctx, c->vert);
}

/* ---- augmentation ------------------------------------------------- */


static gn_status add_fail(aug *a, size_t site, const char *reason) {
  gn_resilience_report *r = a->r;
  if (GN__GROW(a->ctx, r->fails, a->cap_fails, r->nfails + 1) != GN_OK)
    return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  r->fails[r->nfails].site = site;
  r->fails[r->nfails].reason = reason;
  r->nfails++;
  return GN_OK;
}

/* Turn candidate link e into a redundant trench. */
static gn_status build_link(aug *a, gn_id e) {
  const gn_edge *ed = gn_graph_edge(a->c.g, e);
  const gn_plan_node *na = gn_plan_node_get(a->p, ed->u);
  const gn_plan_node *nb = gn_plan_node_get(a->p, ed->v);
  double c[4] = {na->lon, na->lat, nb->lon, nb->lat};
  gn_plan_trench t = {0};
  t.id = a->next_id++;
  t.a = ed->u;
  t.b = ed->v;
  t.coords = c;
  t.ncoords = 2;
  t.length_m = ed->length_m;
  t.road_class = (uint8_t)a->o->road_class;
  t.redundant = 1;
  t.phase = gn__ring_phase(a);
  size_t idx;
  gn_status s = gn_plan_add_trench(a->p, &t, &idx);
  if (s == GN_OK) s = map_edge(a->ctx, &a->c, e, idx);
  if (s != GN_OK) return s;
  gn_graph_set_weight(a->c.g, e, 0.0);
  a->r->links_added++;
  a->r->extra_m += t.length_m;
  return GN_OK;
}

/* Forbid the bridges on v's tree path (the search skips their edges). */
static void forbid_path_bridges(const gn__net *net, size_t v,
                                unsigned char *forb) {
  while (v != net->core && net->parent_tr[v] != GN__NO_TRENCH) {
    size_t t = net->parent_tr[v];
    if (net->bridge[t]) forb[t] = 1;
    v = gn__net_other(net, t, v);
  }
}

/* Mark (tag) every vertex reachable from `from` without forbidden trenches. */
static void flood(aug *a, const gn__net *net, size_t from,
                  const unsigned char *forb, unsigned char tag, size_t *q) {
  size_t qh = 0, qt = 0;
  a->mark[from] = tag;
  q[qt++] = from;
  while (qh < qt) {
    size_t v = q[qh++];
    for (size_t k = net->off[v]; k < net->off[v + 1]; k++) {
      size_t t = net->adj[k], w = gn__net_other(net, t, v);
      if (forb[t] || a->mark[w]) continue;
      a->mark[w] = tag;
      q[qt++] = w;
    }
  }
}

/* No candidate path: link the closest pair between the site's side (S)
 * and the core's side (C) of the forbidden bridges. */
static gn_status cross_link(aug *a, const gn__net *net, size_t v,
                            const unsigned char *forb) {
  size_t nn = gn_plan_node_count(a->p);
  size_t *q = gn_malloc(a->ctx, net->nv * sizeof(size_t));
  if (!q) return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  memset(a->mark, 0, net->nv);
  flood(a, net, v, forb, 1, q);
  flood(a, net, net->core, forb, 2, q);
  gn_free(a->ctx, q);
  double best = INFINITY;
  gn_id bu = 0, bv = 0;
  for (gn_id x = 0; x < nn; x++) {
    if (a->mark[gn__net_vertex(net, x)] != 1) continue;
    const gn_plan_node *nx = gn_plan_node_get(a->p, x);
    for (gn_id y = 0; y < nn; y++) {
      if (a->mark[gn__net_vertex(net, y)] != 2) continue;
      const gn_plan_node *ny = gn_plan_node_get(a->p, y);
      double d = gn_geo_distance_m(nx->lon, nx->lat, ny->lon, ny->lat);
      if (d < best) {
        best = d;
        bu = x;
        bv = y;
      }
    }
  }
  if (!isfinite(best)) return GN_EINFEASIBLE;
  gn_status s = add_link(a->ctx, a->p, &a->c, bu, bv, a->o->detour);
  return s == GN_OK ? gn_graph_finalize(a->c.g) : s;
}

static int core_side(const aug *a, const gn__net *net, gn_id v) {
  if (a->c.pnode) return gn__rs_core_side(a, net, v);
  return a->is_pop[v] || a->mark[gn__net_vertex(net, v)] == 2;
}

/* Dijkstra from the site until the first node of the core's side
 * (a->mark == 2: joined to a POP by trenches that avoid the forbidden
 * bridges, so reaching it is reaching the core at no extra cost) is
 * settled. Edges of forbidden trenches are skipped. The protection path
 * is usually local: the search stays small. */
static gn_status route_from(aug *a, const gn__net *net, gn_id src,
                            gn_id *hit) {
  for (size_t i = 0; i < a->ntouched; i++) {
    a->dist[a->touched[i]] = INFINITY;
    a->pred[a->touched[i]] = GN_NONE;
  }
  a->ntouched = 0;
  gn__heap_clear(&a->heap);
  a->dist[src] = 0;
  a->touched[a->ntouched++] = src;
  gn__heap_update(&a->heap, src, 0);
  while (!gn__heap_empty(&a->heap)) {
    gn_id v = gn__heap_pop(&a->heap);
    if (core_side(a, net, v)) {
      *hit = v;
      return GN_OK;
    }
    const gn_id *nbr, *eid;
    size_t n;
    gn_graph_adj(a->c.g, v, &nbr, &eid, &n);
    for (size_t k = 0; k < n; k++) {
      size_t t = a->c.tr_of_edge[eid[k]];
      if (t != GN__NO_TRENCH && a->forb[t]) continue;
      double nd = a->dist[v] + gn_graph_edge(a->c.g, eid[k])->weight;
      if (!(nd < a->dist[nbr[k]])) continue;
      if (!isfinite(a->dist[nbr[k]])) a->touched[a->ntouched++] = nbr[k];
      a->dist[nbr[k]] = nd;
      a->pred[nbr[k]] = eid[k];
      gn__heap_update(&a->heap, nbr[k], nd);
    }
  }
  return GN_EINFEASIBLE;
}

static gn_status route_and_build(aug *a, const gn__net *net, gn_id node) {
  gn_id v;
  gn_status s = route_from(a, net, node, &v);
  if (s == GN_OK && a->c.pnode) return gn__rs_build_path(a, node, v);
  while (s == GN_OK && v != node) {
    gn_id e = a->pred[v];
    const gn_edge *ed = gn_graph_edge(a->c.g, e);
    gn_id prev = ed->u == v ? ed->v : ed->u;
    if (a->c.tr_of_edge[e] == GN__NO_TRENCH) s = build_link(a, e);
    v = prev;
  }
  return s;
}

/* Forbid the bridges on vertex vx's path (only == GN__NO_TRENCH) or the
 * one trench `only`, and mark the core's side of them (a->mark == 2). */
static gn_status forbid_and_flood(aug *a, const gn__net *net, size_t vx,
                                  size_t only) {
  size_t nt = gn_plan_trench_count(a->p);
  if (GN__GROW(a->ctx, a->forb, a->cap_forb, nt + 1) != GN_OK ||
      GN__GROW(a->ctx, a->mark, a->cap_mark, net->nv + 1) != GN_OK)
    return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  memset(a->forb, 0, nt + 1);
  if (only == GN__NO_TRENCH) forbid_path_bridges(net, vx, a->forb);
  else a->forb[only] = 1;
  size_t *q = gn_malloc(a->ctx, net->nv * sizeof(size_t));
  if (!q) return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  memset(a->mark, 0, net->nv);
  flood(a, net, net->core, a->forb, 2, q);
  gn_free(a->ctx, q);
  return GN_OK;
}

/* First bridge on vertex v's tree path to the core, or GN__NO_TRENCH. */
static size_t first_bridge(const gn__net *net, size_t v) {
  while (v != net->core && net->parent_tr[v] != GN__NO_TRENCH) {
    if (net->bridge[net->parent_tr[v]]) return net->parent_tr[v];
    v = gn__net_other(net, net->parent_tr[v], v);
  }
  return GN__NO_TRENCH;
}

/* Bypass the bridges of plan node `node`'s path one at a time, the
 * nearest to it first, until none is left. Adding trenches only removes
 * bridges, so each round removes at least the one it bypasses. */
static gn_status bypass_bridges(aug *a, gn_id node, gn_id src) {
  size_t rounds = gn_plan_trench_count(a->p) + 1;
  gn_status s = GN_OK;
  while (s == GN_OK) {
    gn__net net;
    s = gn__net_build(a->ctx, a->p, NULL, &net);
    if (s != GN_OK) return s;
    size_t vx = gn__net_vertex(&net, node), t = first_bridge(&net, vx);
    if (t == GN__NO_TRENCH || rounds-- == 0) {
      gn__net_cleanup(&net);
      return t == GN__NO_TRENCH ? GN_OK
                                : gn__fail(a->ctx, GN_EINTERNAL, "street "
                                           "rings: a bridge stays a bridge");
    }
    s = forbid_and_flood(a, &net, vx, t);
    if (s == GN_OK) s = route_and_build(a, &net, src);
    gn__net_cleanup(&net);
  }
  return s;
}

/* Dry run of protect_stepwise over net: GN_OK if a street route avoids
 * each bridge of node's path on its own; GN_EINFEASIBLE if a street edge
 * of one of them is a street bridge (a dead end). A bridge trench that
 * fails only because street routes leave and re-enter it is split at
 * its street junctions (*split = 1: look again on a new view). */
static gn_status check_bridges(aug *a, const gn__net *net, gn_id node,
                               gn_id src, int *split) {
  size_t vx = gn__net_vertex(net, node);
  *split = 0;
  for (size_t v = vx; v != net->core && net->parent_tr[v] != GN__NO_TRENCH;
       v = gn__net_other(net, net->parent_tr[v], v)) {
    size_t t = net->parent_tr[v], n = 0;
    if (!net->bridge[t]) continue;
    gn_id hit;
    int dead = 0;
    gn_status s = forbid_and_flood(a, net, vx, t);
    if (s == GN_OK) s = route_from(a, net, src, &hit);
    if (s != GN_EINFEASIBLE) {
      if (s != GN_OK) return s;
      continue;
    }
    s = gn__rs_street_bridge(a, t, src, &dead);
    if (s == GN_OK && !dead) s = gn__rs_split_junctions(a, t, &n);
    if (s != GN_OK) return s;
    if (dead || n == 0) return GN_EINFEASIBLE;
    *split = 1;
    return GN_OK;
  }
  return GN_OK;
}

/* Street mode, when no street route avoids all the bridges of the site's
 * path at once (the streets cross the cut they form several times): if
 * a street route avoids each bridge on its own, the bridges are bypassed
 * one at a time; otherwise nothing is built (GN_EINFEASIBLE). */
static gn_status protect_stepwise(aug *a, gn_id node, gn_id src) {
  int split = 1;
  gn_status s = GN_OK;
  while (s == GN_OK && split) {
    gn__net net;
    s = gn__net_build(a->ctx, a->p, NULL, &net);
    if (s != GN_OK) return s;
    s = check_bridges(a, &net, node, src, &split);
    gn__net_cleanup(&net);
  }
  return s == GN_OK ? bypass_bridges(a, node, src) : s;
}

/* Give site i (exposed, on vertex vx of net) a second path. */
static gn_status protect(aug *a, const gn__net *net, size_t i, size_t vx) {
  gn_id node = gn_plan_site_get(a->p, i)->node;
  gn_id src = a->c.vert ? a->c.vert[node] : node;
  gn_status s = forbid_and_flood(a, net, vx, GN__NO_TRENCH);
  if (s == GN_OK) s = route_and_build(a, net, src);
  if (s == GN_EINFEASIBLE && !a->c.pnode) {
    s = cross_link(a, net, vx, a->forb);
    if (s == GN_OK) s = route_and_build(a, net, src);
  } else if (s == GN_EINFEASIBLE) {
    s = protect_stepwise(a, node, src);
  }
  if (s == GN_EINFEASIBLE)
    return add_fail(a, i, a->c.pnode ? "every street route to the core "
                    "runs along one same trench (dead end)"
                    : "no second path to the core exists");
  return s;
}

typedef struct ranked {
  double dist_m;
  size_t site;
} ranked;

static int ranked_cmp(const void *x, const void *y) {
  const ranked *a = x, *b = y;
  if (a->dist_m != b->dist_m) return a->dist_m < b->dist_m ? 1 : -1;
  return (a->site > b->site) - (a->site < b->site);
}

/* Critical sites in scope, farthest from the core first. Sites without
 * a node are reported as failures right away. */
static gn_status rank_sites(aug *a, ranked **out, size_t *n) {
  gn__net net;
  gn_status s = gn__net_build(a->ctx, a->p, NULL, &net);
  if (s != GN_OK) return s;
  size_t ns = gn_plan_site_count(a->p), m = 0;
  ranked *r = gn_malloc(a->ctx, (ns + 1) * sizeof(ranked));
  if (!r) s = gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; s == GN_OK && i < ns; i++) {
    const gn_plan_site *st = gn_plan_site_get(a->p, i);
    if (!st->critical || !site_in_scope(st, a->o->phase)) continue;
    a->r->critical++;
    if (st->node == GN_NONE) {
      s = add_fail(a, i, "not connected to the network");
      continue;
    }
    r[m++] = (ranked){net.dist_m[gn__net_vertex(&net, st->node)], i};
  }
  gn__net_cleanup(&net);
  if (s != GN_OK) {
    gn_free(a->ctx, r);
    return s;
  }
  qsort(r, m, sizeof(ranked), ranked_cmp);
  *out = r;
  *n = m;
  return GN_OK;
}

/* The network view is rebuilt only after trenches were added (links, or
 * street-mode splits, which may happen for a site then reported). */
static gn_status protect_all(aug *a, const ranked *r, size_t n) {
  gn__net net;
  size_t built_at = (size_t)-1;
  gn_status s = GN_OK;
  for (size_t k = 0; s == GN_OK && k < n; k++) {
    if (built_at != gn_plan_trench_count(a->p)) {
      if (built_at != (size_t)-1) gn__net_cleanup(&net);
      s = gn__net_build(a->ctx, a->p, NULL, &net);
      if (s != GN_OK) return s;
      built_at = gn_plan_trench_count(a->p);
    }
    size_t vx = gn__net_vertex(&net, gn_plan_site_get(a->p, r[k].site)->node);
    if (vx != net.core && net.parent_tr[vx] == GN__NO_TRENCH)
      s = add_fail(a, r[k].site, "its part of the network does not reach a POP");
    else if (net.exposed[vx]) {
      a->site_phase = gn_plan_site_get(a->p, r[k].site)->phase;
      s = protect(a, &net, r[k].site, vx);
    }
  }
  if (built_at != (size_t)-1) gn__net_cleanup(&net);
  return s;
}

static gn_status aug_alloc(aug *a) {
  size_t nn = gn_plan_node_count(a->p), nv = a->nv;
  a->dist = gn_malloc(a->ctx, (nv + 1) * sizeof(double));
  a->pred = gn_malloc(a->ctx, (nv + 1) * sizeof(gn_id));
  a->touched = gn_malloc(a->ctx, (nv + 1) * sizeof(gn_id));
  a->is_pop = gn_malloc(a->ctx, nn + 1);
  if (!a->dist || !a->pred || !a->touched || !a->is_pop ||
      gn__heap_init(a->ctx, &a->heap, nv + 1) != GN_OK)
    return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  memset(a->is_pop, 0, nn + 1);
  a->nis_pop = nn;
  for (size_t v = 0; v < nv; v++) {
    a->dist[v] = INFINITY;
    a->pred[v] = GN_NONE;
  }
  return GN_OK;
}

static gn_status aug_init(aug *a, gn_plan *p, const gn_resilience_opts *o) {
  memset(a, 0, sizeof(*a));
  a->ctx = gn_plan_ctx(p);
  a->p = p;
  a->o = o;
  for (size_t i = 0; i < gn_plan_trench_count(p); i++)
    if (gn_plan_trench_get(p, i)->id >= a->next_id)
      a->next_id = gn_plan_trench_get(p, i)->id + 1;
  a->r = gn_malloc(a->ctx, sizeof(gn_resilience_report));
  if (!a->r) return gn__fail(a->ctx, GN_ENOMEM, "out of memory");
  memset(a->r, 0, sizeof(*a->r));
  gn_status s = o->streets ? gn__rs_cgraph_build(a, o->streets)
                           : cgraph_build(a->ctx, p, o->detour, &a->c);
  if (s != GN_OK) return s;
  a->nv = gn_graph_node_count(a->c.g);
  s = aug_alloc(a);
  size_t npops = 0;
  for (size_t i = 0; s == GN_OK && i < gn_plan_pop_count(p); i++) {
    gn_id n = gn_plan_pop_get(p, i)->node;
    if (n == GN_NONE) continue;
    a->is_pop[n] = 1;
    npops++;
  }
  if (s == GN_OK && npops == 0)
    return gn__fail(a->ctx, GN_EINVAL, "the plan has no POP on the network");
  return s;
}

static gn_status count_protected(gn_plan *p, const char *phase, size_t *out) {
  gn__net net;
  size_t n = 0;
  gn_status s = gn__net_build(gn_plan_ctx(p), p, NULL, &net);
  if (s != GN_OK) return s;
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (!s->critical || s->node == GN_NONE || !site_in_scope(s, phase))
      continue;
    n += !net.exposed[gn__net_vertex(&net, s->node)];
  }
  gn__net_cleanup(&net);
  *out = n;
  return GN_OK;
}

gn_status gn_resilience_augment(gn_plan *p, const gn_resilience_opts *o,
                                gn_resilience_report **out) {
  gn_ctx *ctx = gn_plan_ctx(p);
  *out = NULL;
  gn_ctx_clear(ctx);
  if (!isfinite(o->detour) || o->detour <= 1.0)
    return gn__fail(ctx, GN_EINVAL, "detour factor %g: must be > 1",
                    o->detour);
  gn_resilience_mark(p, o);
  aug a;
  ranked *r = NULL;
  size_t n = 0;
  gn_status s = aug_init(&a, p, o);
  if (s == GN_OK) s = rank_sites(&a, &r, &n);
  if (s == GN_OK && o->mode != GN_RESILIENCE_NONE) s = protect_all(&a, r, n);
  if (s == GN_OK) s = count_protected(p, o->phase, &a.r->protected_);
  gn_free(ctx, r);
  cgraph_cleanup(ctx, &a.c);
  gn_free(ctx, a.dist);
  gn_free(ctx, a.pred);
  gn_free(ctx, a.mark);
  gn_free(ctx, a.forb);
  gn_free(ctx, a.is_pop);
  gn_free(ctx, a.touched);
  gn__heap_cleanup(&a.heap);
  if (s != GN_OK) {
    gn_resilience_report_free(ctx, a.r);
    return s;
  }
  *out = a.r;
  return GN_OK;
}

void gn_resilience_report_free(gn_ctx *ctx, gn_resilience_report *r) {
  if (!r) return;
  gn_free(ctx, r->fails);
  gn_free(ctx, r);
}

/* ---- single-cut analysis ------------------------------------------ */

static void count_sites(const gn_plan *p, const gn__net *net, size_t *sub,
                        size_t *subc, gn_cut_summary *sum,
                        unsigned char *survives) {
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (survives) survives[i] = 0;
    if (s->node == GN_NONE) continue;
    size_t v = gn__net_vertex(net, s->node);
    int ok = !net->exposed[v];
    sum->sites++;
    sum->critical += (size_t)(s->critical != 0);
    sum->sites_surviving += (size_t)ok;
    sum->critical_surviving += (size_t)(ok && s->critical);
    if (survives) survives[i] = (unsigned char)ok;
    sub[v]++;
    subc[v] += (size_t)(s->critical != 0);
  }
}

gn_status gn_cut_analyse(const gn_plan *p, size_t *lost,
                         size_t *critical_lost, unsigned char *survives,
                         gn_cut_summary *sum_out) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  gn__net net;
  gn_status s = gn__net_build(ctx, p, NULL, &net);
  if (s != GN_OK) return s;
  size_t *sub = gn_malloc(ctx, 2 * net.nv * sizeof(size_t));
  if (!sub) {
    gn__net_cleanup(&net);
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  }
  memset(sub, 0, 2 * net.nv * sizeof(size_t));
  size_t *subc = sub + net.nv, nt = gn_plan_trench_count(p);
  gn_cut_summary sum = {0};
  sum.worst_trench = (size_t)-1;
  count_sites(p, &net, sub, subc, &sum, survives);
  for (size_t t = 0; t < nt; t++) {
    if (lost) lost[t] = 0;
    if (critical_lost) critical_lost[t] = 0;
  }
  for (size_t i = net.nreached; i > 1; i--) {
    size_t v = net.order[i - 1], t = net.parent_tr[v];
    size_t par = gn__net_other(&net, t, v);
    sub[par] += sub[v];
    subc[par] += subc[v];
    if (!net.bridge[t]) continue;
    if (lost) lost[t] = sub[v];
    if (critical_lost) critical_lost[t] = subc[v];
    if (sub[v] > sum.worst_sites_lost) {
      sum.worst_sites_lost = sub[v];
      sum.worst_critical_lost = subc[v];
      sum.worst_trench = t;
    }
  }
  sum.share_sites = sum.sites ? (double)sum.sites_surviving / sum.sites : 1;
  sum.share_critical =
      sum.critical ? (double)sum.critical_surviving / sum.critical : 1;
  gn_free(ctx, sub);
  gn__net_cleanup(&net);
  if (sum_out) *sum_out = sum;
  return GN_OK;
}
