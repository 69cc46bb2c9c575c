/*
 * netview.c - Core-rooted DFS, bridges and exposure over the trench
 * network (see netview.h). Iterative DFS: tree depth can be thousands.
 * Ownership: every array belongs to the gn__net, freed by cleanup.
 */
#include <string.h>

#include "design/netview.h"
#include "util/internal.h"

static unsigned char *pop_mask(gn_ctx *ctx, const gn_plan *p, size_t *npop) {
  size_t nn = gn_plan_node_count(p);
  unsigned char *m = gn_malloc(ctx, nn + 1);
  if (!m) return NULL;
  memset(m, 0, nn + 1);
  *npop = 0;
  for (size_t i = 0; i < gn_plan_pop_count(p); i++) {
    gn_id v = gn_plan_pop_get(p, i)->node;
    if (v == GN_NONE) continue;
    m[v] = 1;
    (*npop)++;
  }
  return m;
}

size_t gn__net_vertex(const gn__net *net, gn_id v) {
  return net->is_pop[v] ? net->core : (size_t)v;
}

size_t gn__net_other(const gn__net *net, size_t t, size_t v) {
  const gn_plan_trench *tr = gn_plan_trench_get(net->p, t);
  size_t a = gn__net_vertex(net, tr->a), b = gn__net_vertex(net, tr->b);
  return a == v ? b : a;
}

static gn_status build_csr(gn__net *net, const unsigned char *skip) {
  size_t nt = gn_plan_trench_count(net->p), nv = net->nv;
  net->off = gn_malloc(net->ctx, (nv + 1) * sizeof(size_t));
  net->adj = gn_malloc(net->ctx, (2 * nt + 1) * sizeof(size_t));
  if (!net->off || !net->adj) return GN_ENOMEM;
  memset(net->off, 0, (nv + 1) * sizeof(size_t));
  for (int pass = 0; pass < 2; pass++) {
    for (size_t t = 0; t < nt; t++) {
      if (skip && skip[t]) continue;
      const gn_plan_trench *tr = gn_plan_trench_get(net->p, t);
      size_t a = gn__net_vertex(net, tr->a), b = gn__net_vertex(net, tr->b);
      if (a == b) continue; /* both ends in the core */
      if (pass == 0) {
        net->off[a + 1]++;
        net->off[b + 1]++;
      } else {
        net->adj[net->off[a]++] = t;
        net->adj[net->off[b]++] = t;
      }
    }
    if (pass == 0)
      for (size_t v = 0; v < nv; v++) net->off[v + 1] += net->off[v];
  }
  for (size_t v = nv; v > 0; v--) net->off[v] = net->off[v - 1];
  net->off[0] = 0;
  return GN_OK;
}

typedef struct frame {
  size_t v, k;
} frame;

/* Tarjan bridges with an explicit stack; fills parent_tr, order, bridge,
 * dist_m. tin/low are scratch. */
static gn_status dfs(gn__net *net, size_t *tin, size_t *low, frame *st) {
  size_t sp = 0, clock = 1;
  tin[net->core] = low[net->core] = clock++;
  st[sp++] = (frame){net->core, net->off[net->core]};
  net->order[net->nreached++] = net->core;
  while (sp > 0) {
    frame *f = &st[sp - 1];
    if (f->k == net->off[f->v + 1]) {
      size_t c = f->v, e = net->parent_tr[c];
      sp--;
      if (sp == 0) break;
      size_t par = st[sp - 1].v;
      if (low[c] < low[par]) low[par] = low[c];
      if (low[c] > tin[par]) net->bridge[e] = 1;
      continue;
    }
    size_t t = net->adj[f->k++];
    if (t == net->parent_tr[f->v]) continue;
    size_t w = gn__net_other(net, t, f->v);
    if (tin[w]) {
      if (tin[w] < low[f->v]) low[f->v] = tin[w];
      continue;
    }
    tin[w] = low[w] = clock++;
    net->parent_tr[w] = t;
    net->dist_m[w] = net->dist_m[f->v] +
                     gn_plan_trench_get(net->p, t)->length_m;
    net->order[net->nreached++] = w;
    st[sp++] = (frame){w, net->off[w]};
  }
  return GN_OK;
}

static void exposure(gn__net *net) {
  memset(net->exposed, 1, net->nv);
  net->exposed[net->core] = 0;
  for (size_t i = 1; i < net->nreached; i++) {
    size_t v = net->order[i], t = net->parent_tr[v];
    size_t par = gn__net_other(net, t, v);
    net->exposed[v] = net->exposed[par] || net->bridge[t];
  }
}

static gn_status alloc_arrays(gn__net *net, size_t nt) {
  size_t nv = net->nv;
  net->parent_tr = gn_malloc(net->ctx, nv * sizeof(size_t));
  net->order = gn_malloc(net->ctx, nv * sizeof(size_t));
  net->bridge = gn_malloc(net->ctx, nt + 1);
  net->exposed = gn_malloc(net->ctx, nv);
  net->dist_m = gn_malloc(net->ctx, nv * sizeof(double));
  if (!net->parent_tr || !net->order || !net->bridge || !net->exposed ||
      !net->dist_m)
    return GN_ENOMEM;
  for (size_t v = 0; v < nv; v++) {
    net->parent_tr[v] = GN__NO_TRENCH;
    net->dist_m[v] = 0;
  }
  memset(net->bridge, 0, nt + 1);
  return GN_OK;
}

gn_status gn__net_build(gn_ctx *ctx, const gn_plan *p,
                        const unsigned char *skip, gn__net *net) {
  memset(net, 0, sizeof(*net));
  net->ctx = ctx;
  net->p = p;
  size_t npop = 0, nt = gn_plan_trench_count(p);
  unsigned char *pops = pop_mask(ctx, p, &npop);
  if (!pops) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  net->nv = gn_plan_node_count(p) + 1;
  net->core = net->nv - 1;
  net->is_pop = pops;
  gn_status s = build_csr(net, skip);
  if (s == GN_OK) s = alloc_arrays(net, nt);
  size_t *tin = NULL, *low = NULL;
  frame *st = NULL;
  if (s == GN_OK) {
    tin = gn_malloc(ctx, net->nv * sizeof(size_t));
    low = gn_malloc(ctx, net->nv * sizeof(size_t));
    st = gn_malloc(ctx, net->nv * sizeof(frame));
    if (!tin || !low || !st) s = GN_ENOMEM;
  }
  if (s == GN_OK) {
    memset(tin, 0, net->nv * sizeof(size_t));
    s = dfs(net, tin, low, st);
  }
  gn_free(ctx, tin);
  gn_free(ctx, low);
  gn_free(ctx, st);
  if (s == GN_OK) exposure(net);
  if (s != GN_OK) {
    gn__net_cleanup(net);
    return gn__fail(ctx, GN_ENOMEM, "out of memory (network view)");
  }
  if (npop == 0) {
    gn__net_cleanup(net);
    return gn__fail(ctx, GN_EINVAL, "the plan has no POP on the network");
  }
  return GN_OK;
}

void gn__net_cleanup(gn__net *net) {
  gn_free(net->ctx, net->off);
  gn_free(net->ctx, net->adj);
  gn_free(net->ctx, net->parent_tr);
  gn_free(net->ctx, net->order);
  gn_free(net->ctx, net->bridge);
  gn_free(net->ctx, net->exposed);
  gn_free(net->ctx, net->dist_m);
  gn_free(net->ctx, net->is_pop);
  memset(net, 0, sizeof(*net));
}
