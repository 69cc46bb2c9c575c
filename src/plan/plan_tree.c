/*
 * plan_tree.c - From a Steiner tree on the work graph to plan nodes,
 * trenches, site drops and POP nodes.
 *
 * Design: the tree is rooted at the POP (or the virtual root joining
 * several POPs) by a BFS over tree edges only. Key nodes are the root,
 * terminals, branch points and leaves, and degree-2 nodes where the road
 * class changes; every chain of tree edges between two key nodes becomes
 * one trench oriented away from the root (a = upstream end), whose
 * polyline concatenates the edge shapes exactly (shared end points are
 * the same doubles). sites_downstream is constant along a chain (its
 * inner nodes carry no site) and equals the subtree count of the chain's
 * first child. Trench ids are 1, 2, ... in BFS order: stable for a given
 * tree. Virtual-root edges never become trenches. Phased plans
 * (pl->edge_phase): a chain also ends where the digging phase changes,
 * and the trench carries that phase's label.
 */
#include <string.h>

#include "plan/planner_int.h"
#include "util/internal.h"

typedef struct tree_state {
  gn__planner *pl;
  size_t n;
  size_t *off;        /* tree adjacency CSR over work nodes */
  gn_id *adj;         /* tree edge ids */
  gn_id *parent_e;    /* edge to the parent, GN_NONE at the root */
  gn_id *order;       /* BFS order */
  size_t norder;
  int *down;          /* sites in the subtree */
  int *at;            /* connected sites at the node */
  uint8_t *term, *key, *seen;
  gn_id *pnode;       /* plan node of a work node */
  double *coords;
  size_t cap_coords;
} tree_state;

static void ts_free(tree_state *t) {
  gn_ctx *ctx = t->pl->ctx;
  gn_free(ctx, t->off);
  gn_free(ctx, t->adj);
  gn_free(ctx, t->parent_e);
  gn_free(ctx, t->order);
  gn_free(ctx, t->down);
  gn_free(ctx, t->at);
  gn_free(ctx, t->term);
  gn_free(ctx, t->key);
  gn_free(ctx, t->seen);
  gn_free(ctx, t->pnode);
  gn_free(ctx, t->coords);
}

static gn_status ts_alloc(tree_state *t, size_t nt) {
  gn_ctx *ctx = t->pl->ctx;
  size_t n = t->n + 1;
  t->off = gn_malloc(ctx, (n + 1) * sizeof(size_t));
  t->adj = gn_malloc(ctx, (2 * nt + 1) * sizeof(gn_id));
  t->parent_e = gn_malloc(ctx, n * sizeof(gn_id));
  t->order = gn_malloc(ctx, n * sizeof(gn_id));
  t->down = gn_malloc(ctx, n * sizeof(int));
  t->at = gn_malloc(ctx, n * sizeof(int));
  t->term = gn_malloc(ctx, n);
  t->key = gn_malloc(ctx, n);
  t->seen = gn_malloc(ctx, n);
  t->pnode = gn_malloc(ctx, n * sizeof(gn_id));
  if (!t->off || !t->adj || !t->parent_e || !t->order || !t->down || !t->at ||
      !t->term || !t->key || !t->seen || !t->pnode)
    return gn__fail(ctx, GN_ENOMEM, "out of memory building the plan");
  memset(t->off, 0, (n + 1) * sizeof(size_t));
  memset(t->down, 0, n * sizeof(int));
  memset(t->at, 0, n * sizeof(int));
  memset(t->term, 0, n);
  memset(t->key, 0, n);
  memset(t->seen, 0, n);
  memset(t->parent_e, 0xff, n * sizeof(gn_id));
  memset(t->pnode, 0xff, n * sizeof(gn_id));
  return GN_OK;
}

static void build_adj(tree_state *t, const gn_id *tree, size_t nt) {
  const gn_graph *w = t->pl->w;
  for (size_t i = 0; i < nt; i++) {
    const gn_edge *e = gn_graph_edge(w, tree[i]);
    t->off[e->u + 1]++;
    t->off[e->v + 1]++;
  }
  for (size_t v = 0; v < t->n; v++) t->off[v + 1] += t->off[v];
  for (size_t i = 0; i < nt; i++) { /* fill using down[] as cursor */
    const gn_edge *e = gn_graph_edge(w, tree[i]);
    t->adj[t->off[e->u] + (size_t)t->down[e->u]++] = tree[i];
    t->adj[t->off[e->v] + (size_t)t->down[e->v]++] = tree[i];
  }
  memset(t->down, 0, (t->n + 1) * sizeof(int));
}

static gn_id other_end(const gn_graph *w, gn_id e, gn_id v) {
  const gn_edge *ed = gn_graph_edge(w, e);
  return ed->u == v ? ed->v : ed->u;
}

static void bfs(tree_state *t) {
  const gn_graph *w = t->pl->w;
  t->order[0] = t->pl->root;
  t->seen[t->pl->root] = 1;
  t->norder = 1;
  for (size_t h = 0; h < t->norder; h++) {
    gn_id v = t->order[h];
    for (size_t k = t->off[v]; k < t->off[v + 1]; k++) {
      gn_id u = other_end(w, t->adj[k], v);
      if (t->seen[u]) continue;
      t->seen[u] = 1;
      t->parent_e[u] = t->adj[k];
      t->order[t->norder++] = u;
    }
  }
  for (size_t h = t->norder; h-- > 1;) {
    gn_id v = t->order[h];
    t->down[v] += t->at[v];
    t->down[other_end(w, t->parent_e[v], v)] += t->down[v];
  }
  t->down[t->pl->root] += t->at[t->pl->root];
}

static void mark_keys(tree_state *t) {
  const gn_graph *w = t->pl->w;
  for (size_t h = 0; h < t->norder; h++) {
    gn_id v = t->order[h];
    size_t deg = t->off[v + 1] - t->off[v];
    int k = v == t->pl->root || t->term[v] || deg != 2;
    if (!k) {
      const gn_edge *a = gn_graph_edge(w, t->adj[t->off[v]]);
      const gn_edge *b = gn_graph_edge(w, t->adj[t->off[v] + 1]);
      k = a->road_class != b->road_class;
      const int *ph = t->pl->edge_phase; /* a chain is dug in one phase */
      if (ph && ph[t->adj[t->off[v]]] != ph[t->adj[t->off[v] + 1]]) k = 1;
    }
    t->key[v] = (uint8_t)k;
  }
}

static gn_status plan_node(tree_state *t, gn_id v, gn_id *out) {
  if (t->pnode[v] == GN_NONE) {
    double lon, lat;
    gn_graph_node_pos(t->pl->w, v, &lon, &lat);
    gn_status rc = gn_plan_add_node(t->pl->plan, lon, lat, &t->pnode[v]);
    if (rc != GN_OK) return rc;
  }
  *out = t->pnode[v];
  return GN_OK;
}

/* Append edge e's polyline walked from node `from`; skip the first point
 * unless the buffer is empty. */
static gn_status append_edge(tree_state *t, gn_id e, gn_id from, size_t *np) {
  double tmp[4];
  size_t n;
  const double *p = gn__edge_line(t->pl->w, e, tmp, &n);
  int fwd = gn_graph_edge(t->pl->w, e)->u == from;
  if (GN__GROW(t->pl->ctx, t->coords, t->cap_coords, 2 * (*np + n)) != GN_OK)
    return GN_ENOMEM;
  for (size_t i = *np ? 1 : 0; i < n; i++) {
    const double *q = p + 2 * (fwd ? i : n - 1 - i);
    t->coords[2 * *np] = q[0];
    t->coords[2 * *np + 1] = q[1];
    (*np)++;
  }
  return GN_OK;
}

/* The only child edge of a non-key (degree-2) node. */
static gn_id child_edge(const tree_state *t, gn_id v) {
  gn_id a = t->adj[t->off[v]];
  return a == t->parent_e[v] ? t->adj[t->off[v] + 1] : a;
}

/* Street rings (planner_int.h): tag the chain's edges, from v to the key
 * node y, with the index of the trench about to be added. */
static void keep_chain(tree_state *t, gn_id v, gn_id y) {
  const gn_graph *w = t->pl->w;
  size_t idx = gn_plan_trench_count(t->pl->plan);
  gn_id x = y;
  while (x != v) {
    gn_id e = t->parent_e[x];
    t->pl->net->tr_of_edge[e] = idx;
    x = other_end(w, e, x);
  }
}

static gn_status emit_chain(tree_state *t, gn_id v, gn_id e) {
  const gn_graph *w = t->pl->w;
  gn_plan_trench tr;
  memset(&tr, 0, sizeof(tr));
  size_t np = 0;
  gn_id y = v;
  tr.road_class = gn_graph_edge(w, e)->road_class;
  tr.sites_downstream = t->down[other_end(w, e, v)];
  if (t->pl->edge_phase && t->pl->edge_phase[e] >= 0)
    tr.phase = (char *)t->pl->o->phases[t->pl->edge_phase[e]]; /* copied */
  gn_status rc = GN_OK;
  do {
    rc = append_edge(t, e, y, &np);
    tr.length_m += gn_graph_edge(w, e)->length_m;
    y = other_end(w, e, y);
    if (!t->key[y]) e = child_edge(t, y);
  } while (rc == GN_OK && !t->key[y]);
  if (rc == GN_OK) rc = plan_node(t, v, &tr.a);
  if (rc == GN_OK) rc = plan_node(t, y, &tr.b);
  if (rc != GN_OK) return rc;
  tr.id = (int64_t)gn_plan_trench_count(t->pl->plan) + 1;
  if (t->pl->net) keep_chain(t, v, y);
  tr.coords = t->coords;
  tr.ncoords = np;
  return gn_plan_add_trench(t->pl->plan, &tr, NULL);
}

static gn_status emit_trenches(tree_state *t) {
  const gn_graph *w = t->pl->w;
  gn_status rc = GN_OK;
  for (size_t h = 0; h < t->norder && rc == GN_OK; h++) {
    gn_id v = t->order[h];
    if (!t->key[v] || v == t->pl->vroot) continue;
    for (size_t k = t->off[v]; k < t->off[v + 1] && rc == GN_OK; k++) {
      gn_id e = t->adj[k];
      if (e == t->parent_e[v] || t->parent_e[other_end(w, e, v)] != e)
        continue;
      rc = emit_chain(t, v, e);
    }
  }
  return rc;
}

static gn_status attach_ends(tree_state *t) {
  gn__planner *pl = t->pl;
  gn_status rc = GN_OK;
  for (size_t i = 0; i < pl->nreq && rc == GN_OK; i++) {
    gn__snap_req *r = &pl->req[i];
    if (!r->is_pop && !t->seen[r->wnode])
      return gn__fail(pl->ctx, GN_EINTERNAL, "site %s is not on the Steiner "
                      "tree", gn_plan_site_get(pl->plan, r->owner)->id);
    gn_id pn;
    rc = plan_node(t, r->wnode, &pn);
    if (rc != GN_OK) break;
    if (r->is_pop) {
      gn_plan_pop_mut(pl->plan, r->owner)->node = pn;
      continue;
    }
    gn_plan_site *s = gn_plan_site_mut(pl->plan, r->owner);
    s->node = pn;
    s->status = GN_SITE_CONNECTED;
    s->snap_dist_m = r->hit.dist_m;
    s->drop_m = r->hit.dist_m;
    rc = gn_plan_set_str(pl->plan, &s->reason, NULL);
  }
  return rc;
}

gn_status gn__plan_from_tree(gn__planner *pl, const gn_id *tree, size_t nt) {
  tree_state t;
  memset(&t, 0, sizeof(t));
  t.pl = pl;
  t.n = gn_graph_node_count(pl->w);
  gn_status rc = ts_alloc(&t, nt);
  if (rc == GN_OK) {
    build_adj(&t, tree, nt);
    for (size_t i = 0; i < pl->nreq; i++) {
      t.term[pl->req[i].wnode] = 1;
      if (!pl->req[i].is_pop) t.at[pl->req[i].wnode]++;
    }
    bfs(&t);
    mark_keys(&t);
    rc = plan_node(&t, pl->root == pl->vroot ? pl->req[0].wnode : pl->root,
                   &(gn_id){0});
  }
  if (rc == GN_OK) rc = emit_trenches(&t);
  if (rc == GN_OK) rc = attach_ends(&t);
  if (rc == GN_OK && pl->net) { /* the net takes the node map */
    pl->net->pnode = t.pnode;
    t.pnode = NULL;
  }
  ts_free(&t);
  return rc;
}
