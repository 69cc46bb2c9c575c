/*
 * sizing.c - Fibers and cable size per trench.
 *
 * Design: the tree part of the network (trenches with redundant = 0) is
 * rooted at the core (netview.c); a tree trench carries the fibers of
 * every site behind it (fibers per site by category), plus the spare
 * share for wholesale leasing, rounded up to a standard cable size. A
 * redundant trench closes a ring: when any tree trench on that ring is
 * cut, the sites behind the cut are served the other way round, through
 * the redundant trench, so it carries the largest fiber count found on
 * the ring's tree path (a uniform ring cable, as operators lay them).
 * Above 288 fibers, several 288-fiber cables share the trench.
 * Every trench carries at least the smallest cable (12).
 */
#include <math.h>
#include <string.h>

#include "design/netview.h"
#include "govnet/design.h"
#include "util/internal.h"

static const int cable_sizes[GN_CABLE_SIZE_COUNT] = {12, 24, 48, 72,
                                                     96, 144, 288};

int gn_cable_size_at(int i) {
  return i >= 0 && i < GN_CABLE_SIZE_COUNT ? cable_sizes[i] : 0;
}

int gn_cable_size_for(int fibers) {
  if (fibers <= 0) return 0;
  for (int i = 0; i < GN_CABLE_SIZE_COUNT; i++)
    if (fibers <= cable_sizes[i]) return cable_sizes[i];
  return cable_sizes[GN_CABLE_SIZE_COUNT - 1];
}

int gn_cable_count(const gn_plan_trench *t) {
  if (t->cable_size <= 0) return 0;
  if (t->fibers <= t->cable_size) return 1;
  return (t->fibers + t->cable_size - 1) / t->cable_size;
}

void gn_sizing_opts_init(gn_sizing_opts *o) {
  for (int c = 0; c < GN_CAT_COUNT; c++) o->fibers_per_site[c] = 2;
  o->spare = 0.5;
}

static int with_spare(long raw, double spare) {
  double f = ceil((double)raw * (1.0 + spare) - 1e-9);
  return f > 1e9 ? 1000000000 : (int)f;
}

static void set_size(gn_plan_trench *t, int fibers, int sites) {
  t->fibers = fibers;
  t->sites_downstream = sites;
  t->cable_size = fibers > 0 ? gn_cable_size_for(fibers) : cable_sizes[0];
}

/* Tree trenches: accumulate demand bottom-up (reverse DFS preorder). */
static void size_tree(gn_plan *p, const gn__net *net, long *fib, long *cnt,
                      double spare) {
  for (size_t i = net->nreached; i > 1; i--) {
    size_t v = net->order[i - 1], t = net->parent_tr[v];
    size_t par = gn__net_other(net, t, v);
    fib[par] += fib[v];
    cnt[par] += cnt[v];
    set_size(gn_plan_trench_mut(p, t), with_spare(fib[v], spare), (int)cnt[v]);
  }
}

/* Largest tree-trench fiber count (and sites) between vertices a and b. */
static void ring_max(const gn_plan *p, const gn__net *net, const size_t *depth,
                     size_t a, size_t b, int *fibers, int *sites) {
  *fibers = 0;
  *sites = 0;
  while (a != b) {
    size_t *x = depth[a] >= depth[b] ? &a : &b;
    size_t t = net->parent_tr[*x];
    if (t == GN__NO_TRENCH) break; /* unreached: no ring */
    const gn_plan_trench *tr = gn_plan_trench_get(p, t);
    if (tr->fibers > *fibers) *fibers = tr->fibers;
    if (tr->sites_downstream > *sites) *sites = tr->sites_downstream;
    *x = gn__net_other(net, t, *x);
  }
}

static gn_status check(gn_ctx *ctx, const gn_sizing_opts *o) {
  if (!isfinite(o->spare) || o->spare < 0)
    return gn__fail(ctx, GN_EINVAL, "spare share %g: must be >= 0", o->spare);
  for (int c = 0; c < GN_CAT_COUNT; c++)
    if (o->fibers_per_site[c] < 0)
      return gn__fail(ctx, GN_EINVAL, "fibers per %s site %d: must be >= 0",
                      gn_category_name((gn_category)c), o->fibers_per_site[c]);
  return GN_OK;
}

static gn_status size_all(gn_plan *p, const gn_sizing_opts *o, gn__net *net,
                          long *fib, long *cnt, size_t *depth) {
  size_t nt = gn_plan_trench_count(p);
  for (size_t t = 0; t < nt; t++) set_size(gn_plan_trench_mut(p, t), 0, 0);
  for (size_t i = 0; i < gn_plan_site_count(p); i++) {
    const gn_plan_site *s = gn_plan_site_get(p, i);
    if (s->node == GN_NONE) continue;
    size_t v = gn__net_vertex(net, s->node);
    fib[v] += o->fibers_per_site[s->category];
    cnt[v]++;
  }
  size_tree(p, net, fib, cnt, o->spare);
  depth[net->core] = 0;
  for (size_t i = 1; i < net->nreached; i++) {
    size_t v = net->order[i];
    depth[v] = depth[gn__net_other(net, net->parent_tr[v], v)] + 1;
  }
  for (size_t t = 0; t < nt; t++) {
    gn_plan_trench *tr = gn_plan_trench_mut(p, t);
    size_t a = gn__net_vertex(net, tr->a), b = gn__net_vertex(net, tr->b);
    int tree = net->parent_tr[a] == t || net->parent_tr[b] == t;
    if (tree) continue;
    int f, s;
    ring_max(p, net, depth, a, b, &f, &s);
    set_size(tr, f, s);
  }
  return GN_OK;
}

gn_status gn_sizing_run(gn_plan *p, const gn_sizing_opts *o) {
  gn_ctx *ctx = gn_plan_ctx(p);
  gn_ctx_clear(ctx);
  gn_status s = check(ctx, o);
  if (s != GN_OK) return s;
  size_t nt = gn_plan_trench_count(p);
  unsigned char *skip = gn_malloc(ctx, nt + 1);
  if (!skip) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  for (size_t t = 0; t < nt; t++)
    skip[t] = (unsigned char)(gn_plan_trench_get(p, t)->redundant != 0);
  gn__net net;
  s = gn__net_build(ctx, p, skip, &net);
  gn_free(ctx, skip);
  if (s != GN_OK) return s;
  long *fib = gn_malloc(ctx, 2 * net.nv * sizeof(long));
  size_t *depth = gn_malloc(ctx, net.nv * sizeof(size_t));
  if (!fib || !depth) {
    s = gn__fail(ctx, GN_ENOMEM, "out of memory");
  } else {
    memset(fib, 0, 2 * net.nv * sizeof(long));
    s = size_all(p, o, &net, fib, fib + net.nv, depth);
  }
  gn_free(ctx, fib);
  gn_free(ctx, depth);
  gn__net_cleanup(&net);
  return s;
}
