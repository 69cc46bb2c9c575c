/*
 * planner.c - Street planning: snap sites and POPs, keep the POP
 * components, split edges at the snap points, solve the Steiner tree.
 *
 * Design: the street graph is never modified. A work graph is built
 * with the nodes of the kept components, every edge copied unless a
 * snap point lies on it, in which case it is replaced by its pieces
 * (shape kept, one new node per distinct snap point). Edge weight in the
 * work graph = length_m x opts->price_per_m[class]. With several POPs a
 * virtual root (no coordinates) joins every POP at zero cost.
 * Snap points at t == 1 on an interior segment are moved to t == 0 of
 * the next segment, so one position never yields two nodes.
 * Invariant: every connectable site and every POP has a work node.
 * Threads: reentrant; the planner state lives on the caller's stack.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/planner_int.h"
#include "govnet/geo.h"
#include "govnet/steiner.h"
#include "util/internal.h"

void gn_planner_opts_init(gn_planner_opts *o) {
  memset(o, 0, sizeof(*o));
  o->snap_max_m = 500;
  o->seed = 1;
  o->quality = 1;
  o->bound = 1;
  for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++)
    o->price_per_m[c] = gn_road_price_default((gn_road_class)c);
}

static void planner_cleanup(gn__planner *pl) {
  gn_ctx *ctx = pl->ctx;
  gn_free(ctx, pl->comp);
  gn_free(ctx, pl->comp_size);
  gn_free(ctx, pl->comp_keep);
  gn_free(ctx, pl->edge_ok);
  gn__seg_grid_cleanup(&pl->grid);
  gn_free(ctx, pl->req);
  gn_graph_free(pl->w);
  gn_free(ctx, pl->old2new);
  gn_free(ctx, pl->edge_phase);
}

static gn_status planner_init(gn__planner *pl) {
  gn_ctx *ctx = pl->ctx;
  size_t n = gn_graph_node_count(pl->g), m = gn_graph_edge_count(pl->g);
  pl->comp = gn_malloc(ctx, (n + 1) * sizeof(gn_id));
  pl->comp_size = gn_malloc(ctx, (n + 1) * sizeof(size_t));
  pl->comp_keep = gn_malloc(ctx, n + 1);
  pl->edge_ok = gn_malloc(ctx, m + 1);
  if (!pl->comp || !pl->comp_size || !pl->comp_keep || !pl->edge_ok)
    return gn__fail(ctx, GN_ENOMEM, "out of memory planning");
  gn_status rc = gn_graph_components(pl->g, pl->comp, &pl->ncomp);
  if (rc != GN_OK) return rc;
  memset(pl->comp_size, 0, (n + 1) * sizeof(size_t));
  memset(pl->comp_keep, 0, n + 1);
  for (size_t v = 0; v < n; v++) pl->comp_size[pl->comp[v]]++;
  return gn__seg_grid_build(ctx, pl->g, &pl->grid);
}

/* Move t == 1 on an interior segment to t == 0 on the next one. */
static void normalize_hit(const gn_graph *g, gn__snap_hit *h) {
  double buf[4];
  size_t n;
  gn__edge_line(g, h->edge, buf, &n);
  if (h->t >= 1 && h->seg + 2 < n) {
    h->seg++;
    h->t = 0;
  }
}

static gn_status add_req(gn__planner *pl, const gn__snap_hit *h, size_t owner,
                         int is_pop) {
  if (GN__GROW(pl->ctx, pl->req, pl->cap_req, pl->nreq + 1) != GN_OK)
    return GN_ENOMEM;
  gn__snap_req *r = &pl->req[pl->nreq++];
  r->hit = *h;
  normalize_hit(pl->g, &r->hit);
  r->owner = owner;
  r->is_pop = is_pop;
  r->wnode = GN_NONE;
  return GN_OK;
}

static gn_status snap_pops(gn__planner *pl) {
  double max_m = pl->o->snap_max_m;
  for (size_t i = 0; i < gn_plan_pop_count(pl->plan); i++) {
    const gn_plan_pop *p = gn_plan_pop_get(pl->plan, i);
    gn__snap_hit h;
    gn__seg_grid_nearest(&pl->grid, p->lon, p->lat, max_m, NULL, &h);
    if (h.edge == GN_NONE) {
      gn__snap_brute(pl->g, p->lon, p->lat, NULL, &h);
      return gn__fail(pl->ctx, GN_EINFEASIBLE, "POP %s at (%.6f, %.6f) is "
                      "%.0f m from the nearest street (snap max %.0f m): "
                      "outside the street network", p->id, p->lon, p->lat,
                      h.dist_m, max_m);
    }
    pl->comp_keep[pl->comp[gn_graph_edge(pl->g, h.edge)->u]] = 1;
    gn_status rc = add_req(pl, &h, i, 1);
    if (rc != GN_OK) return rc;
  }
  for (gn_id e = 0; e < gn_graph_edge_count(pl->g); e++)
    pl->edge_ok[e] = pl->comp_keep[pl->comp[gn_graph_edge(pl->g, e)->u]];
  return GN_OK;
}

static gn_status drop_site(gn__planner *pl, size_t i, gn_site_status st,
                           double dist, const char *why) {
  gn_plan_site *s = gn_plan_site_mut(pl->plan, i);
  s->status = st;
  s->snap_dist_m = dist;
  s->node = GN_NONE;
  s->drop_m = 0;
  return gn_plan_set_str(pl->plan, &s->reason, why);
}

/* Snap site i: to a kept component, else report why it is dropped. */
static gn_status snap_site(gn__planner *pl, size_t i) {
  const gn_plan_site *s = gn_plan_site_get(pl->plan, i);
  double max_m = pl->o->snap_max_m;
  char why[160];
  gn__snap_hit h;
  gn__seg_grid_nearest(&pl->grid, s->lon, s->lat, max_m, pl->edge_ok, &h);
  if (h.edge != GN_NONE) return add_req(pl, &h, i, 0);
  gn__seg_grid_nearest(&pl->grid, s->lon, s->lat, max_m, NULL, &h);
  if (h.edge != GN_NONE) {
    size_t csize = pl->comp_size[pl->comp[gn_graph_edge(pl->g, h.edge)->u]];
    snprintf(why, sizeof(why), "nearest street (%.0f m) is in a part of the "
             "network (%zu junctions) that does not reach a POP", h.dist_m,
             csize);
    return drop_site(pl, i, GN_SITE_UNREACHABLE, h.dist_m, why);
  }
  gn__snap_brute(pl->g, s->lon, s->lat, NULL, &h);
  snprintf(why, sizeof(why), "%.0f m from the nearest street (max %.0f m)",
           h.dist_m, max_m);
  return drop_site(pl, i, GN_SITE_TOO_FAR, h.dist_m, why);
}

static int cmp_req(const void *a, const void *b) {
  const gn__snap_req *const *x = a, *const *y = b;
  const gn__snap_hit *p = &(*x)->hit, *q = &(*y)->hit;
  if (p->edge != q->edge) return p->edge < q->edge ? -1 : 1;
  if (p->seg != q->seg) return p->seg < q->seg ? -1 : 1;
  if (p->t != q->t) return p->t < q->t ? -1 : 1;
  return *x < *y ? -1 : *x > *y;
}

static gn_status add_piece(gn__planner *pl, const gn_edge *orig, gn_id a,
                           gn_id b, const double *pts, size_t n) {
  gn_edge e = *orig;
  e.u = a;
  e.v = b;
  e.length_m = gn_geo_line_length_m(pts, n);
  e.weight = e.length_m * pl->o->price_per_m[e.road_class];
  gn_id id;
  gn_status rc = gn_graph_add_edge(pl->w, &e, &id);
  if (rc == GN_OK && n > 2) rc = gn_graph_set_shape(pl->w, id, pts, n);
  return rc;
}

/* Node of the work graph for snap request r on an edge with n points. */
static gn_status split_node(gn__planner *pl, const gn_edge *ed, size_t n,
                            gn__snap_req *r, const gn__snap_req *prev) {
  const gn__snap_hit *h = &r->hit;
  if (h->seg == 0 && h->t == 0) {
    r->wnode = pl->old2new[ed->u];
  } else if (h->seg + 2 == n && h->t >= 1) {
    r->wnode = pl->old2new[ed->v];
  } else if (prev && prev->hit.seg == h->seg && prev->hit.t == h->t) {
    r->wnode = prev->wnode;
  } else {
    return gn_graph_add_node(pl->w, h->lon, h->lat, &r->wnode);
  }
  return GN_OK;
}

/* Replace edge e by pieces between its snap requests r[0..k). */
static gn_status split_edge(gn__planner *pl, gn_id e, gn__snap_req **r,
                            size_t k, double *buf) {
  const gn_edge *ed = gn_graph_edge(pl->g, e);
  gn_edge orig = *ed;
  double tmp[4];
  size_t n, np = 1, next = 1;
  const double *p = gn__edge_line(pl->g, e, tmp, &n);
  gn_id start = pl->old2new[orig.u];
  gn_status rc = GN_OK;
  buf[0] = p[0];
  buf[1] = p[1];
  for (size_t i = 0; i < k && rc == GN_OK; i++) {
    const gn__snap_hit *h = &r[i]->hit;
    for (; next <= h->seg; next++, np++) memcpy(buf + 2 * np, p + 2 * next, 16);
    if (h->t >= 1) next = n;
    rc = split_node(pl, &orig, n, r[i], i ? r[i - 1] : NULL);
    if (rc != GN_OK || (r[i]->wnode == start && np == 1)) continue;
    if (buf[2 * np - 2] != h->lon || buf[2 * np - 1] != h->lat) {
      buf[2 * np] = h->lon;
      buf[2 * np + 1] = h->lat;
      np++;
    }
    rc = add_piece(pl, &orig, start, r[i]->wnode, buf, np);
    start = r[i]->wnode;
    buf[0] = h->lon;
    buf[1] = h->lat;
    np = 1;
  }
  for (; next < n; next++, np++) memcpy(buf + 2 * np, p + 2 * next, 16);
  if (rc == GN_OK && !(start == pl->old2new[orig.v] && np == 1))
    rc = add_piece(pl, &orig, start, pl->old2new[orig.v], buf, np);
  return rc;
}

static gn_status copy_edge(gn__planner *pl, gn_id e) {
  double tmp[4];
  size_t n;
  const double *p = gn__edge_line(pl->g, e, tmp, &n);
  const gn_edge *ed = gn_graph_edge(pl->g, e);
  gn_edge c = *ed;
  c.u = pl->old2new[ed->u];
  c.v = pl->old2new[ed->v];
  c.weight = c.length_m * pl->o->price_per_m[c.road_class];
  gn_id id;
  gn_status rc = gn_graph_add_edge(pl->w, &c, &id);
  if (rc == GN_OK && n > 2) rc = gn_graph_set_shape(pl->w, id, p, n);
  return rc;
}

static gn_status add_kept_nodes(gn__planner *pl) {
  size_t n = gn_graph_node_count(pl->g);
  pl->old2new = gn_malloc(pl->ctx, (n + 1) * sizeof(gn_id));
  if (!pl->old2new) return gn__fail(pl->ctx, GN_ENOMEM, "out of memory");
  gn_status rc = gn_graph_create(pl->ctx, n / 2 + pl->nreq, 0, &pl->w);
  for (gn_id v = 0; v < n && rc == GN_OK; v++) {
    pl->old2new[v] = GN_NONE;
    if (!pl->comp_keep[pl->comp[v]]) continue;
    double lon, lat;
    gn_graph_node_pos(pl->g, v, &lon, &lat);
    rc = gn_graph_add_node(pl->w, lon, lat, &pl->old2new[v]);
  }
  return rc;
}

static gn_status add_edges(gn__planner *pl, gn__snap_req **ord) {
  size_t maxpts = 0, i = 0;
  for (gn_id e = 0; e < gn_graph_edge_count(pl->g); e++) {
    size_t n;
    gn_graph_shape(pl->g, e, &n);
    if (n > maxpts) maxpts = n;
  }
  double *buf = gn_malloc(pl->ctx, 2 * (maxpts + pl->nreq + 4) * sizeof(double));
  if (!buf) return gn__fail(pl->ctx, GN_ENOMEM, "out of memory");
  gn_status rc = GN_OK;
  for (gn_id e = 0; e < gn_graph_edge_count(pl->g) && rc == GN_OK; e++) {
    if (!pl->edge_ok[e]) continue;
    size_t k = 0;
    while (i + k < pl->nreq && ord[i + k]->hit.edge == e) k++;
    rc = k ? split_edge(pl, e, ord + i, k, buf) : copy_edge(pl, e);
    i += k;
  }
  gn_free(pl->ctx, buf);
  return rc;
}

static gn_status add_virtual_root(gn__planner *pl) {
  size_t npop = gn_plan_pop_count(pl->plan);
  pl->vroot = GN_NONE;
  if (npop == 1) {
    pl->root = pl->req[0].wnode;
    return GN_OK;
  }
  gn_status rc = gn_graph_add_node(pl->w, NAN, NAN, &pl->vroot);
  for (size_t i = 0; i < pl->nreq && rc == GN_OK; i++) {
    if (!pl->req[i].is_pop) continue;
    gn_edge e = {pl->vroot, pl->req[i].wnode, 0, 0, 0, GN_ROAD_NONE};
    rc = gn_graph_add_edge(pl->w, &e, NULL);
  }
  pl->root = pl->vroot;
  return rc;
}

static gn_status build_work_graph(gn__planner *pl) {
  gn__snap_req **ord = gn_malloc(pl->ctx, (pl->nreq + 1) * sizeof(*ord));
  if (!ord) return gn__fail(pl->ctx, GN_ENOMEM, "out of memory");
  for (size_t i = 0; i < pl->nreq; i++) ord[i] = &pl->req[i];
  qsort(ord, pl->nreq, sizeof(*ord), cmp_req);
  gn_status rc = add_kept_nodes(pl);
  if (rc == GN_OK) rc = add_edges(pl, ord);
  gn_free(pl->ctx, ord);
  if (rc == GN_OK) rc = add_virtual_root(pl);
  if (rc == GN_OK) rc = gn_graph_finalize(pl->w);
  return rc;
}

/* One Steiner solve over pl->w (current weights) for term[0..nt). */
static gn_status steiner_once(gn__planner *pl, const gn_id *term, size_t nt,
                              gn_steiner_result **res) {
  gn_steiner_opts so;
  gn_steiner_opts_init(&so);
  so.seed = pl->o->seed;
  so.quality = pl->o->quality;
  so.bound = pl->o->bound;
  if (pl->o->time_limit_s > 0) so.time_limit_s = pl->o->time_limit_s;
  return gn_steiner_solve(pl->ctx, pl->w, term, nt, &so, res);
}

static gn_status set_cost_meta(gn__planner *pl, double cost) {
  char v[64];
  snprintf(v, sizeof(v), "%.3f", cost);
  return gn_plan_set_meta(pl->plan, "steiner_cost", v);
}

/* The solver's certified lower bound and the gap it proves (rounded
 * down and up, so the stated figures stay true). */
static gn_status set_bound_meta(gn__planner *pl, const gn_steiner_result *r) {
  char v[64];
  double lb = gn_steiner_result_lower_bound(r), c = gn_steiner_result_cost(r);
  if (!pl->o->bound || !(lb > 0)) return GN_OK;
  snprintf(v, sizeof(v), "%.3f", floor(lb * 1000) / 1000);
  gn_status rc = gn_plan_set_meta(pl->plan, "steiner_lower_bound", v);
  double gap = c > lb ? 100 * (c - lb) / lb : 0;
  gap = ceil(gap * 1e4 - 1e-3) / 1e4; /* up; 1e-7 % is in the 1e-9 margin */
  snprintf(v, sizeof(v), "%.4f", gap > 0 ? gap : 0.0);
  if (rc == GN_OK) rc = gn_plan_set_meta(pl->plan, "certified_gap_pct", v);
  return rc;
}

static gn_status solve_single(gn__planner *pl) {
  gn_id *term = gn_malloc(pl->ctx, (pl->nreq + 1) * sizeof(gn_id));
  if (!term) return gn__fail(pl->ctx, GN_ENOMEM, "out of memory");
  size_t nt = 0;
  int distinct = 0;
  term[nt++] = pl->root;
  for (size_t i = 0; i < pl->nreq; i++) {
    if (pl->req[i].is_pop) continue;
    term[nt++] = pl->req[i].wnode;
    distinct |= pl->req[i].wnode != pl->root;
  }
  gn_steiner_result *res = NULL;
  gn_status rc = GN_OK;
  const gn_id *edges = NULL;
  size_t ne = 0;
  if (distinct && pl->o->on_instance)
    rc = pl->o->on_instance(pl->o->on_instance_ud, pl->w, term, nt);
  if (distinct && rc == GN_OK) {
    rc = steiner_once(pl, term, nt, &res);
    if (rc == GN_OK) edges = gn_steiner_result_edges(res, &ne);
  }
  gn_free(pl->ctx, term);
  if (rc == GN_OK) rc = gn__plan_from_tree(pl, edges, ne);
  if (rc == GN_OK && res) rc = set_cost_meta(pl, gn_steiner_result_cost(res));
  if (rc == GN_OK && res) rc = set_bound_meta(pl, res);
  gn_steiner_result_free(res);
  return rc;
}

/* ---- phases: dig once ---------------------------------------------- */

typedef struct phase_run {
  double *w0;       /* work edge weights as priced */
  gn_id *term, *tree, *uf;
  size_t ntree;
  double cost;      /* sum of the phases' Steiner costs (new digging) */
} phase_run;

static gn_id uf_find(gn_id *uf, gn_id v) {
  while (uf[v] != v) v = uf[v] = uf[uf[v]];
  return v;
}

/* Index of the site's phase in o->phases; -1 (error set) if not listed. */
static int site_phase(gn__planner *pl, size_t site) {
  const gn_plan_site *s = gn_plan_site_get(pl->plan, site);
  for (size_t k = 0; s->phase && k < pl->o->nphases; k++)
    if (strcmp(s->phase, pl->o->phases[k]) == 0) return (int)k;
  gn__fail(pl->ctx, GN_EINVAL, "site %s: phase '%s' is not one of the %zu "
           "phases to plan", s->id, s->phase ? s->phase : "(none)",
           pl->o->nphases);
  return -1;
}

/* Add the edges new in this phase's tree (the zero-cost reused ones are
 * there already); an edge closing a cycle is left out. Zero their
 * weight so that later phases reuse them. */
static void take_edges(gn__planner *pl, phase_run *r, const gn_id *e,
                       size_t ne, int k) {
  for (size_t i = 0; i < ne; i++) {
    if (pl->edge_phase[e[i]] >= 0) continue;
    const gn_edge *ed = gn_graph_edge(pl->w, e[i]);
    gn_id a = uf_find(r->uf, ed->u), b = uf_find(r->uf, ed->v);
    if (a == b) continue;
    r->uf[a] = b;
    pl->edge_phase[e[i]] = k;
    r->tree[r->ntree++] = e[i];
    gn_graph_set_weight(pl->w, e[i], 0);
  }
}

static gn_status solve_phase(gn__planner *pl, phase_run *r, int k) {
  size_t nt = 0;
  int distinct = 0;
  r->term[nt++] = pl->root;
  for (size_t i = 0; i < pl->nreq; i++) {
    if (pl->req[i].is_pop) continue;
    int ph = site_phase(pl, pl->req[i].owner);
    if (ph < 0) return GN_EINVAL; /* message set by site_phase */
    if (ph != k) continue;
    r->term[nt++] = pl->req[i].wnode;
    distinct |= pl->req[i].wnode != pl->root;
  }
  if (!distinct) return GN_OK;
  gn_steiner_result *res = NULL;
  gn_status rc = steiner_once(pl, r->term, nt, &res);
  if (rc == GN_OK) {
    size_t ne;
    const gn_id *e = gn_steiner_result_edges(res, &ne);
    take_edges(pl, r, e, ne, k);
    r->cost += gn_steiner_result_cost(res);
  }
  gn_steiner_result_free(res);
  return rc;
}

static gn_status solve_phased(gn__planner *pl) {
  gn_ctx *ctx = pl->ctx;
  size_t m = gn_graph_edge_count(pl->w), n = gn_graph_node_count(pl->w);
  phase_run r = {0};
  r.w0 = gn_malloc(ctx, (m + 1) * sizeof(double));
  r.term = gn_malloc(ctx, (pl->nreq + 1) * sizeof(gn_id));
  r.tree = gn_malloc(ctx, (m + 1) * sizeof(gn_id));
  r.uf = gn_malloc(ctx, (n + 1) * sizeof(gn_id));
  pl->edge_phase = gn_malloc(ctx, (m + 1) * sizeof(int));
  gn_status rc = GN_OK;
  if (!r.w0 || !r.term || !r.tree || !r.uf || !pl->edge_phase)
    rc = gn__fail(ctx, GN_ENOMEM, "out of memory");
  for (gn_id e = 0; e < m && rc == GN_OK; e++) {
    r.w0[e] = gn_graph_edge(pl->w, e)->weight;
    pl->edge_phase[e] = -1;
  }
  for (gn_id v = 0; v < n && rc == GN_OK; v++) r.uf[v] = v;
  for (size_t k = 0; k < pl->o->nphases && rc == GN_OK; k++)
    rc = solve_phase(pl, &r, (int)k);
  for (gn_id e = 0; e < m && r.w0; e++) /* the net keeps the priced graph */
    gn_graph_set_weight(pl->w, e, r.w0[e]);
  if (rc == GN_OK) rc = gn__plan_from_tree(pl, r.tree, r.ntree);
  if (rc == GN_OK) rc = set_cost_meta(pl, r.cost);
  gn_free(ctx, r.w0);
  gn_free(ctx, r.term);
  gn_free(ctx, r.tree);
  gn_free(ctx, r.uf);
  return rc;
}

static gn_status solve(gn__planner *pl) {
  return pl->o->nphases ? solve_phased(pl) : solve_single(pl);
}

static gn_status set_meta(gn__planner *pl, size_t nconn) {
  char v[64];
  gn_plan *p = pl->plan;
  gn_status rc = gn_plan_set_meta(p, "mode", "streets");
  snprintf(v, sizeof(v), "%g", pl->o->snap_max_m);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "snap_max_m", v);
  snprintf(v, sizeof(v), "%llu", (unsigned long long)pl->o->seed);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "seed", v);
  snprintf(v, sizeof(v), "%zu", nconn);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "sites_connected", v);
  snprintf(v, sizeof(v), "%zu", pl->ncomp);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "street_components", v);
  size_t kept = 0, kept_nodes = 0;
  for (size_t c = 0; c < pl->ncomp; c++) {
    kept += pl->comp_keep[c];
    kept_nodes += pl->comp_keep[c] ? pl->comp_size[c] : 0;
  }
  snprintf(v, sizeof(v), "%zu components, %zu junctions", kept, kept_nodes);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "street_kept", v);
  snprintf(v, sizeof(v), "%zu components, %zu junctions", pl->ncomp - kept,
           gn_graph_node_count(pl->g) - kept_nodes);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "street_dropped", v);
  if (rc == GN_OK) rc = gn_plan_set_meta(p, "attribution", GN_OSM_ATTRIBUTION);
  return rc;
}

/* Clear the error, validate the input, fill pl (opts NULL: defaults). */
static gn_status planner_start(gn__planner *pl, gn_ctx *ctx, const gn_graph *g,
                               gn_plan *plan, const gn_planner_opts *opts,
                               gn_planner_opts *def, int need_pop) {
  gn_ctx_clear(ctx);
  if (!opts) {
    gn_planner_opts_init(def);
    opts = def;
  }
  memset(pl, 0, sizeof(*pl));
  pl->ctx = ctx;
  pl->g = g;
  pl->plan = plan;
  pl->o = opts;
  if (gn_plan_site_count(plan) == 0)
    return gn__fail(ctx, GN_EINVAL, "no sites to connect");
  if (need_pop && gn_plan_pop_count(plan) == 0)
    return gn__fail(ctx, GN_EINVAL, "no POP given");
  if (gn_plan_node_count(plan) || gn_plan_trench_count(plan))
    return gn__fail(ctx, GN_EINVAL, "the plan already has a network");
  if (gn_graph_edge_count(g) == 0)
    return gn__fail(ctx, GN_EINVAL, "the street graph has no edge");
  return GN_OK;
}

/* Street rings: a net for the work graph, filled by gn__plan_from_tree. */
static gn_status net_start(gn__planner *pl) {
  gn_street_net *n = gn_malloc(pl->ctx, sizeof(*n));
  size_t m = gn_graph_edge_count(pl->w);
  if (n) {
    memset(n, 0, sizeof(*n));
    n->ctx = pl->ctx;
    n->tr_of_edge = gn_malloc(pl->ctx, (m + 1) * sizeof(size_t));
  }
  pl->net = n;
  if (!n || !n->tr_of_edge)
    return gn__fail(pl->ctx, GN_ENOMEM, "out of memory");
  memset(n->tr_of_edge, 0xff, (m + 1) * sizeof(size_t));
  return GN_OK;
}

/* Hand the work graph over to the net (after a successful solve). */
static void net_finish(gn__planner *pl) {
  gn_street_net *n = pl->net;
  n->w = pl->w;
  pl->w = NULL;
  n->vroot = pl->vroot;
  n->plan = pl->plan;
  n->nnodes = gn_plan_node_count(pl->plan);
  n->ntrenches = gn_plan_trench_count(pl->plan);
}

void gn_street_net_free(gn_street_net *n) {
  if (!n) return;
  gn_graph_free(n->w);
  gn_free(n->ctx, n->pnode);
  gn_free(n->ctx, n->tr_of_edge);
  gn_free(n->ctx, n);
}

gn_status gn_plan_streets_net(gn_ctx *ctx, const gn_graph *streets,
                              gn_plan *plan, const gn_planner_opts *opts,
                              gn_street_net **net) {
  gn_planner_opts def;
  gn__planner pl;
  if (net) *net = NULL;
  gn_status rc = planner_start(&pl, ctx, streets, plan, opts, &def, 1);
  if (rc != GN_OK) return rc;
  opts = pl.o;
  rc = planner_init(&pl);
  if (rc == GN_OK) rc = snap_pops(&pl);
  size_t npop = pl.nreq;
  for (size_t i = 0; i < gn_plan_site_count(plan) && rc == GN_OK; i++)
    rc = snap_site(&pl, i);
  if (rc == GN_OK && pl.nreq == npop)
    rc = gn__fail(ctx, GN_EINFEASIBLE, "none of the %zu sites lies within "
                  "%.0f m of a street connected to a POP",
                  gn_plan_site_count(plan), opts->snap_max_m);
  if (rc == GN_OK) rc = build_work_graph(&pl);
  if (rc == GN_OK && net) rc = net_start(&pl);
  if (rc == GN_OK) rc = solve(&pl);
  if (rc == GN_OK) rc = set_meta(&pl, pl.nreq - npop);
  if (rc == GN_OK && net) {
    net_finish(&pl);
    *net = pl.net;
    pl.net = NULL;
  }
  gn_street_net_free(pl.net);
  planner_cleanup(&pl);
  return rc;
}

gn_status gn_plan_streets(gn_ctx *ctx, const gn_graph *streets,
                          gn_plan *plan, const gn_planner_opts *opts) {
  return gn_plan_streets_net(ctx, streets, plan, opts, NULL);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Component holding the most sites within snap_max_m (ties: the larger
 * component); its sites' coordinates go to lon[]/lat[]. */
static gn_id busiest_component(gn__planner *pl, double *lon, double *lat,
                               size_t *n) {
  size_t ns = gn_plan_site_count(pl->plan), nc = pl->ncomp;
  gn_id *site_comp = pl->old2new; /* scratch, allocated by the caller */
  size_t *count = pl->comp_size + nc; /* second half of comp_size */
  memset(count, 0, nc * sizeof(size_t));
  for (size_t i = 0; i < ns; i++) {
    const gn_plan_site *s = gn_plan_site_get(pl->plan, i);
    gn__snap_hit h;
    gn__seg_grid_nearest(&pl->grid, s->lon, s->lat, pl->o->snap_max_m, NULL,
                         &h);
    site_comp[i] = h.edge == GN_NONE
                       ? GN_NONE
                       : pl->comp[gn_graph_edge(pl->g, h.edge)->u];
    if (site_comp[i] != GN_NONE) count[site_comp[i]]++;
  }
  gn_id best = GN_NONE;
  for (gn_id c = 0; c < nc; c++)
    if (count[c] && (best == GN_NONE || count[c] > count[best])) best = c;
  *n = 0;
  for (size_t i = 0; i < ns && best != GN_NONE; i++) {
    if (site_comp[i] != best) continue;
    lon[*n] = gn_plan_site_get(pl->plan, i)->lon;
    lat[(*n)++] = gn_plan_site_get(pl->plan, i)->lat;
  }
  return best;
}

gn_status gn_planner_auto_pop(gn_ctx *ctx, const gn_graph *streets,
                              const gn_plan *plan,
                              const gn_planner_opts *opts, double *lon,
                              double *lat) {
  gn_planner_opts def;
  gn__planner pl; /* the plan is only read here */
  gn_status rc = planner_start(&pl, ctx, streets, (gn_plan *)plan, opts, &def,
                               0);
  if (rc != GN_OK) return rc;
  opts = pl.o;
  size_t ns = gn_plan_site_count(plan), n = 0;
  double *xs = gn_malloc(ctx, 2 * (ns + 1) * sizeof(double));
  rc = xs ? planner_init(&pl) : gn__fail(ctx, GN_ENOMEM, "out of memory");
  if (rc == GN_OK) {
    gn_free(ctx, pl.comp_size);
    pl.comp_size = gn_malloc(ctx, (2 * pl.ncomp + 1) * sizeof(size_t));
    pl.old2new = gn_malloc(ctx, (ns + 1) * sizeof(gn_id));
    if (!pl.comp_size || !pl.old2new)
      rc = gn__fail(ctx, GN_ENOMEM, "out of memory");
  }
  gn_id best = GN_NONE;
  if (rc == GN_OK) best = busiest_component(&pl, xs, xs + ns + 1, &n);
  if (rc == GN_OK && best == GN_NONE)
    rc = gn__fail(ctx, GN_EINFEASIBLE, "no site lies within %.0f m of a "
                  "street: cannot place a POP", opts->snap_max_m);
  if (rc == GN_OK) {
    qsort(xs, n, sizeof(double), cmp_double);
    qsort(xs + ns + 1, n, sizeof(double), cmp_double);
    for (gn_id e = 0; e < gn_graph_edge_count(streets); e++)
      pl.edge_ok[e] = pl.comp[gn_graph_edge(streets, e)->u] == best;
    gn__snap_hit h;
    gn__snap_brute(streets, xs[n / 2], xs[ns + 1 + n / 2], pl.edge_ok, &h);
    *lon = h.lon;
    *lat = h.lat;
  }
  gn_free(ctx, xs);
  planner_cleanup(&pl);
  return rc;
}
