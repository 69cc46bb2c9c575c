/*
 * graph.c - Edge pool + CSR adjacency; components; multi-source Dijkstra.
 *
 * Design: nodes and edges live in flat arrays; finalize() counts degrees
 * and fills two parallel arrays (neighbour, edge id) indexed by an offset
 * array, so a node's adjacency is contiguous. Shapes are stored in one
 * shared coordinate pool with a per-edge (offset, count).
 * Invariant: `finalized` is cleared by every add; readers assert it.
 */
#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/heap.h"
#include "govnet/graph.h"
#include "util/internal.h"

struct gn_graph {
  gn_ctx *ctx;
  double *pos; /* 2 per node */
  size_t nnodes, cap_nodes;
  gn_edge *edges;
  size_t nedges, cap_edges;
  size_t *shape_off; /* per edge: offset into shape pool, or SIZE_MAX */
  uint32_t *shape_n;
  size_t cap_shape_idx;
  double *shape_pool;
  size_t shape_len, cap_shape;
  size_t *off; /* nnodes + 1 */
  gn_id *nbr, *eid;
  int finalized;
};

static const char *const road_names[] = {
#define GN__ROAD_STR(name, str) str,
    GN_ROAD_CLASS_MAP(GN__ROAD_STR)
#undef GN__ROAD_STR
};

/* FCFA per metre of trench by road class (civil works only): wide paved
 * roads cost most (cutting, traffic management, reinstatement), unpaved
 * tracks and paths least. Indexed by gn_road_class. */
static const double default_price[GN_ROAD_CLASS_COUNT] = {
    [GN_ROAD_MOTORWAY] = 80000,  [GN_ROAD_TRUNK] = 45000,
    [GN_ROAD_PRIMARY] = 40000,   [GN_ROAD_SECONDARY] = 35000,
    [GN_ROAD_TERTIARY] = 30000,  [GN_ROAD_UNCLASSIFIED] = 25000,
    [GN_ROAD_RESIDENTIAL] = 25000, [GN_ROAD_LIVING_STREET] = 25000,
    [GN_ROAD_SERVICE] = 22000,   [GN_ROAD_PEDESTRIAN] = 30000,
    [GN_ROAD_TRACK] = 15000,     [GN_ROAD_FOOTWAY] = 18000,
    [GN_ROAD_PATH] = 15000,      [GN_ROAD_CYCLEWAY] = 20000,
    [GN_ROAD_STEPS] = 60000,     [GN_ROAD_ROAD] = 25000,
    [GN_ROAD_STRAIGHT] = 30000,  [GN_ROAD_NONE] = 30000,
};

double gn_road_price_default(gn_road_class c) {
  if ((unsigned)c >= GN_ROAD_CLASS_COUNT) return default_price[GN_ROAD_NONE];
  return default_price[c];
}

const char *gn_road_class_name(gn_road_class c) {
  if ((unsigned)c >= GN_ROAD_CLASS_COUNT) return "none";
  return road_names[c];
}

gn_road_class gn_road_class_parse(const char *name) {
  size_t n = strlen(name);
  if (n > 5 && strcmp(name + n - 5, "_link") == 0) n -= 5;
  for (int i = 0; i < GN_ROAD_CLASS_COUNT; i++) {
    if (strlen(road_names[i]) == n && strncmp(road_names[i], name, n) == 0)
      return (gn_road_class)i;
  }
  return GN_ROAD_CLASS_COUNT;
}

gn_status gn_graph_create(gn_ctx *ctx, size_t node_hint, size_t edge_hint,
                          gn_graph **out) {
  *out = NULL;
  gn_graph *g = gn_malloc(ctx, sizeof(*g));
  if (!g) return gn__fail(ctx, GN_ENOMEM, "out of memory creating a graph");
  memset(g, 0, sizeof(*g));
  g->ctx = ctx;
  if (GN__GROW(ctx, g->pos, g->cap_nodes, node_hint * 2) != GN_OK ||
      GN__GROW(ctx, g->edges, g->cap_edges, edge_hint) != GN_OK) {
    gn_graph_free(g);
    return GN_ENOMEM;
  }
  *out = g;
  return GN_OK;
}

void gn_graph_free(gn_graph *g) {
  if (!g) return;
  gn_ctx *ctx = g->ctx;
  gn_free(ctx, g->pos);
  gn_free(ctx, g->edges);
  gn_free(ctx, g->shape_off);
  gn_free(ctx, g->shape_n);
  gn_free(ctx, g->shape_pool);
  gn_free(ctx, g->off);
  gn_free(ctx, g->nbr);
  gn_free(ctx, g->eid);
  gn_free(ctx, g);
}

gn_ctx *gn_graph_ctx(const gn_graph *g) { return g->ctx; }

gn_status gn_graph_add_node(gn_graph *g, double lon, double lat,
                            gn_id *id_out) {
  if (g->nnodes >= GN_NONE - 1)
    return gn__fail(g->ctx, GN_ELIMIT, "graph node limit reached");
  if (GN__GROW(g->ctx, g->pos, g->cap_nodes, 2 * (g->nnodes + 1)) != GN_OK)
    return GN_ENOMEM;
  g->pos[2 * g->nnodes] = lon;
  g->pos[2 * g->nnodes + 1] = lat;
  if (id_out) *id_out = (gn_id)g->nnodes;
  g->nnodes++;
  g->finalized = 0;
  return GN_OK;
}

gn_status gn_graph_add_nodes(gn_graph *g, size_t n) {
  if (GN__GROW(g->ctx, g->pos, g->cap_nodes, 2 * (g->nnodes + n)) != GN_OK)
    return GN_ENOMEM;
  for (size_t i = 0; i < n; i++) {
    gn_status s = gn_graph_add_node(g, NAN, NAN, NULL);
    if (s != GN_OK) return s;
  }
  return GN_OK;
}

gn_status gn_graph_add_edge(gn_graph *g, const gn_edge *e, gn_id *id_out) {
  if (e->u >= g->nnodes || e->v >= g->nnodes)
    return gn__fail(g->ctx, GN_EINVAL, "edge %u-%u names a node out of range "
                    "(%zu nodes)", e->u, e->v, g->nnodes);
  if (!(e->weight >= 0) || !isfinite(e->weight))
    return gn__fail(g->ctx, GN_EINVAL, "edge %u-%u has weight %g; weights "
                    "must be finite and >= 0", e->u, e->v, e->weight);
  if (g->nedges >= GN_NONE - 1)
    return gn__fail(g->ctx, GN_ELIMIT, "graph edge limit reached");
  if (GN__GROW(g->ctx, g->edges, g->cap_edges, g->nedges + 1) != GN_OK)
    return GN_ENOMEM;
  g->edges[g->nedges] = *e;
  if (id_out) *id_out = (gn_id)g->nedges;
  g->nedges++;
  g->finalized = 0;
  return GN_OK;
}

/* Grow the per-edge shape index to cover every edge; both arrays grow
 * together so a failed allocation leaves them consistent. */
static gn_status grow_shape_index(gn_graph *g) {
  size_t old = g->cap_shape_idx, ncap = old, ncap2 = old;
  if (g->nedges <= old) return GN_OK;
  size_t *off = g->shape_off;
  uint32_t *cnt = g->shape_n;
  if (gn__grow(g->ctx, (void **)&off, &ncap, g->nedges, sizeof(*off)) != GN_OK)
    return GN_ENOMEM;
  g->shape_off = off;
  if (gn__grow(g->ctx, (void **)&cnt, &ncap2, ncap, sizeof(*cnt)) != GN_OK)
    return GN_ENOMEM; /* cap_shape_idx unchanged: still consistent */
  g->shape_n = cnt;
  for (size_t i = old; i < ncap; i++) {
    g->shape_off[i] = SIZE_MAX;
    g->shape_n[i] = 0;
  }
  g->cap_shape_idx = ncap;
  return GN_OK;
}

gn_status gn_graph_set_shape(gn_graph *g, gn_id e, const double *lonlat,
                             size_t n) {
  assert(e < g->nedges);
  if (grow_shape_index(g) != GN_OK) return GN_ENOMEM;
  if (GN__GROW(g->ctx, g->shape_pool, g->cap_shape, g->shape_len + 2 * n) !=
      GN_OK)
    return GN_ENOMEM;
  memcpy(g->shape_pool + g->shape_len, lonlat, 2 * n * sizeof(double));
  g->shape_off[e] = g->shape_len;
  g->shape_n[e] = (uint32_t)n;
  g->shape_len += 2 * n;
  return GN_OK;
}

const double *gn_graph_shape(const gn_graph *g, gn_id e, size_t *n) {
  if (e >= g->cap_shape_idx || g->shape_off == NULL ||
      g->shape_off[e] == SIZE_MAX) {
    *n = 0;
    return NULL;
  }
  *n = g->shape_n[e];
  return g->shape_pool + g->shape_off[e];
}

gn_status gn_graph_finalize(gn_graph *g) {
  gn_ctx *ctx = g->ctx;
  size_t n = g->nnodes, m = g->nedges;
  gn_free(ctx, g->off);
  gn_free(ctx, g->nbr);
  gn_free(ctx, g->eid);
  g->off = gn_malloc(ctx, (n + 1) * sizeof(size_t));
  g->nbr = gn_malloc(ctx, (2 * m + 1) * sizeof(gn_id));
  g->eid = gn_malloc(ctx, (2 * m + 1) * sizeof(gn_id));
  if (!g->off || !g->nbr || !g->eid)
    return gn__fail(ctx, GN_ENOMEM, "out of memory building adjacency");
  memset(g->off, 0, (n + 1) * sizeof(size_t));
  for (size_t i = 0; i < m; i++) {
    g->off[g->edges[i].u + 1]++;
    if (g->edges[i].v != g->edges[i].u) g->off[g->edges[i].v + 1]++;
  }
  for (size_t v = 0; v < n; v++) g->off[v + 1] += g->off[v];
  size_t *fill = gn_malloc(ctx, (n + 1) * sizeof(size_t));
  if (!fill) return gn__fail(ctx, GN_ENOMEM, "out of memory building adjacency");
  memcpy(fill, g->off, n * sizeof(size_t));
  for (size_t i = 0; i < m; i++) {
    gn_id u = g->edges[i].u, v = g->edges[i].v;
    g->nbr[fill[u]] = v;
    g->eid[fill[u]++] = (gn_id)i;
    if (u != v) {
      g->nbr[fill[v]] = u;
      g->eid[fill[v]++] = (gn_id)i;
    }
  }
  gn_free(ctx, fill);
  g->finalized = 1;
  return GN_OK;
}

size_t gn_graph_node_count(const gn_graph *g) { return g->nnodes; }
size_t gn_graph_edge_count(const gn_graph *g) { return g->nedges; }

const gn_edge *gn_graph_edge(const gn_graph *g, gn_id e) {
  assert(e < g->nedges);
  return &g->edges[e];
}

void gn_graph_set_weight(gn_graph *g, gn_id e, double weight) {
  assert(e < g->nedges && weight >= 0);
  g->edges[e].weight = weight;
}

void gn_graph_node_pos(const gn_graph *g, gn_id v, double *lon,
                       double *lat) {
  assert(v < g->nnodes);
  *lon = g->pos[2 * v];
  *lat = g->pos[2 * v + 1];
}

void gn_graph_adj(const gn_graph *g, gn_id v, const gn_id **nbr,
                  const gn_id **eid, size_t *n) {
  assert(g->finalized && v < g->nnodes);
  *nbr = g->nbr + g->off[v];
  *eid = g->eid + g->off[v];
  *n = g->off[v + 1] - g->off[v];
}

typedef struct comp_size {
  size_t size;
  gn_id label;
} comp_size;

static int cmp_comp(const void *a, const void *b) {
  const comp_size *x = a, *y = b;
  if (x->size != y->size) return x->size < y->size ? 1 : -1;
  return x->label < y->label ? -1 : x->label > y->label;
}

gn_status gn_graph_components(const gn_graph *g, gn_id *comp,
                              size_t *ncomp) {
  gn_ctx *ctx = g->ctx;
  size_t n = g->nnodes, nc = 0;
  assert(g->finalized);
  gn_id *stack = gn_malloc(ctx, (n + 1) * sizeof(gn_id));
  comp_size *sizes = gn_malloc(ctx, (n + 1) * sizeof(comp_size));
  if (!stack || !sizes) {
    gn_free(ctx, stack);
    gn_free(ctx, sizes);
    return gn__fail(ctx, GN_ENOMEM, "out of memory labelling components");
  }
  for (size_t v = 0; v < n; v++) comp[v] = GN_NONE;
  for (size_t s = 0; s < n; s++) {
    if (comp[s] != GN_NONE) continue;
    size_t top = 0, size = 0;
    stack[top++] = (gn_id)s;
    comp[s] = (gn_id)nc;
    while (top) {
      gn_id v = stack[--top];
      size++;
      for (size_t k = g->off[v]; k < g->off[v + 1]; k++) {
        gn_id w = g->nbr[k];
        if (comp[w] == GN_NONE) {
          comp[w] = (gn_id)nc;
          stack[top++] = w;
        }
      }
    }
    sizes[nc].size = size;
    sizes[nc].label = (gn_id)nc;
    nc++;
  }
  qsort(sizes, nc, sizeof(comp_size), cmp_comp);
  gn_id *rank = stack; /* reuse: old label -> new label */
  for (size_t i = 0; i < nc; i++) rank[sizes[i].label] = (gn_id)i;
  for (size_t v = 0; v < n; v++) comp[v] = rank[comp[v]];
  gn_free(ctx, stack);
  gn_free(ctx, sizes);
  *ncomp = nc;
  return GN_OK;
}

gn_status gn_graph_dijkstra(const gn_graph *g, const gn_id *src,
                            size_t nsrc, double *dist, gn_id *pred_edge) {
  gn_ctx *ctx = g->ctx;
  size_t n = g->nnodes;
  assert(g->finalized);
  gn__heap h;
  if (gn__heap_init(ctx, &h, n) != GN_OK) return GN_ENOMEM;
  for (size_t v = 0; v < n; v++) {
    dist[v] = INFINITY;
    if (pred_edge) pred_edge[v] = GN_NONE;
  }
  for (size_t i = 0; i < nsrc; i++) {
    if (src[i] >= n) {
      gn__heap_cleanup(&h);
      return gn__fail(ctx, GN_EINVAL, "source node %u out of range", src[i]);
    }
    dist[src[i]] = 0;
    gn__heap_update(&h, src[i], 0);
  }
  while (!gn__heap_empty(&h)) {
    gn_id v = gn__heap_pop(&h);
    double dv = dist[v];
    for (size_t k = g->off[v]; k < g->off[v + 1]; k++) {
      gn_id w = g->nbr[k];
      double nd = dv + g->edges[g->eid[k]].weight;
      if (nd < dist[w]) {
        dist[w] = nd;
        if (pred_edge) pred_edge[w] = g->eid[k];
        gn__heap_update(&h, w, nd);
      }
    }
  }
  gn__heap_cleanup(&h);
  return GN_OK;
}
