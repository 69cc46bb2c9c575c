/*
 * osm_build.c - From OSM nodes and routable ways to a compact street graph.
 *
 * Design: nodes are kept in one array of (id, lon, lat), sorted by id
 * (PBF and XML extracts usually arrive sorted, so the sort is skipped);
 * way refs go into one flat array. finish() resolves every ref by binary
 * search, counts how many times each node is used, and makes a junction
 * (graph node) of every node used twice or more or ending a way piece.
 * Each run of refs between two junctions becomes one edge whose shape
 * holds the degree-2 nodes in between. Memory is linear in nodes + refs.
 * Invariant: an edge's shape starts and ends exactly at its end nodes.
 * Refs to nodes absent from the file (clipped extracts) split the way.
 */
#include <stdlib.h>
#include <string.h>

#include "govnet/geo.h"
#include "io/osm_build.h"
#include "util/internal.h"

#define USE_JUNCTION 0xffu

void gn__osm_build_init(gn__osm_build *b, gn_ctx *ctx,
                        const gn_osm_profile *prof) {
  memset(b, 0, sizeof(*b));
  b->ctx = ctx;
  b->prof = prof;
  b->sorted = 1;
}

void gn__osm_build_cleanup(gn__osm_build *b) {
  gn_free(b->ctx, b->nodes);
  gn_free(b->ctx, b->way_id);
  gn_free(b->ctx, b->way_class);
  gn_free(b->ctx, b->way_off);
  gn_free(b->ctx, b->refs);
  memset(b, 0, sizeof(*b));
}

gn_status gn__osm_build_node(gn__osm_build *b, int64_t id, double lon,
                             double lat) {
  if (GN__GROW(b->ctx, b->nodes, b->cap_nodes, b->nnodes + 1) != GN_OK)
    return GN_ENOMEM;
  if (b->nnodes && b->nodes[b->nnodes - 1].id >= id) b->sorted = 0;
  b->nodes[b->nnodes].id = id;
  b->nodes[b->nnodes].lon = lon;
  b->nodes[b->nnodes].lat = lat;
  b->nnodes++;
  return GN_OK;
}

gn_status gn__osm_build_way(gn__osm_build *b, int64_t id,
                            const int64_t *refs, size_t n,
                            gn_road_class c) {
  gn_ctx *ctx = b->ctx;
  size_t w = b->nways;
  if (GN__GROW(ctx, b->way_id, b->cap_way_id, w + 1) != GN_OK ||
      GN__GROW(ctx, b->way_class, b->cap_way_class, w + 1) != GN_OK ||
      GN__GROW(ctx, b->way_off, b->cap_way_off, w + 2) != GN_OK ||
      GN__GROW(ctx, b->refs, b->cap_refs, b->nrefs + n) != GN_OK)
    return GN_ENOMEM;
  if (w == 0) b->way_off[0] = 0;
  memcpy(b->refs + b->nrefs, refs, n * sizeof(int64_t));
  b->nrefs += n;
  b->way_id[w] = id;
  b->way_class[w] = (uint8_t)c;
  b->way_off[w + 1] = b->nrefs;
  b->nways++;
  return GN_OK;
}

gn_road_class gn__osm_class(const gn_osm_profile *p, const char *highway,
                            int excluded) {
  if (excluded || !highway || !*highway) return GN_ROAD_CLASS_COUNT;
  gn_road_class c = gn_road_class_parse(highway);
  if (c == GN_ROAD_CLASS_COUNT || !p->allow[c]) return GN_ROAD_CLASS_COUNT;
  return c;
}

static int cmp_node(const void *a, const void *b) {
  const gn__osm_node *x = a, *y = b;
  return x->id < y->id ? -1 : x->id > y->id;
}

static uint32_t find_node(const gn__osm_build *b, int64_t id) {
  size_t lo = 0, hi = b->nnodes;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (b->nodes[mid].id < id)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (lo < b->nnodes && b->nodes[lo].id == id) return (uint32_t)lo;
  return GN_NONE;
}

/* Scratch arrays of finish(). */
typedef struct build_scratch {
  uint32_t *ridx; /* per ref: node index or GN_NONE */
  uint8_t *use;   /* per node: use count (saturating), USE_JUNCTION */
  gn_id *gid;     /* per node: graph node id or GN_NONE */
  double *shape;  /* one way piece's coordinates */
  size_t cap_shape;
} build_scratch;

static void scratch_free(gn_ctx *ctx, build_scratch *s) {
  gn_free(ctx, s->ridx);
  gn_free(ctx, s->use);
  gn_free(ctx, s->gid);
  gn_free(ctx, s->shape);
}

/* Resolve refs, count uses, mark piece ends as junctions. */
static size_t resolve_refs(gn__osm_build *b, build_scratch *s) {
  size_t missing = 0;
  for (size_t r = 0; r < b->nrefs; r++) {
    s->ridx[r] = find_node(b, b->refs[r]);
    if (s->ridx[r] == GN_NONE) {
      missing++;
      continue;
    }
    if (s->use[s->ridx[r]] < 2) s->use[s->ridx[r]]++;
  }
  for (size_t w = 0; w < b->nways; w++) {
    size_t lo = b->way_off[w], hi = b->way_off[w + 1];
    for (size_t r = lo; r < hi; r++) {
      if (s->ridx[r] == GN_NONE) continue;
      int start = r == lo || s->ridx[r - 1] == GN_NONE;
      int end = r + 1 == hi || s->ridx[r + 1] == GN_NONE;
      if (start || end) s->use[s->ridx[r]] = USE_JUNCTION;
    }
  }
  return missing;
}

static gn_status junction_id(gn_graph *g, const gn__osm_build *b,
                             build_scratch *s, uint32_t ni, gn_id *out) {
  if (s->gid[ni] == GN_NONE) {
    gn_status st = gn_graph_add_node(g, b->nodes[ni].lon, b->nodes[ni].lat,
                                     &s->gid[ni]);
    if (st != GN_OK) return st;
  }
  *out = s->gid[ni];
  return GN_OK;
}

static gn_status emit_edge(gn_graph *g, const gn__osm_build *b,
                           build_scratch *s, size_t w, uint32_t from,
                           uint32_t to, size_t npts, gn_osm_stats *st) {
  gn_edge e;
  memset(&e, 0, sizeof(e));
  gn_status rc = junction_id(g, b, s, from, &e.u);
  if (rc == GN_OK) rc = junction_id(g, b, s, to, &e.v);
  if (rc != GN_OK) return rc;
  e.road_class = b->way_class[w];
  e.src_id = b->way_id[w];
  e.length_m = gn_geo_line_length_m(s->shape, npts);
  e.weight = e.length_m * b->prof->cost_per_m[e.road_class];
  gn_id eid;
  rc = gn_graph_add_edge(g, &e, &eid);
  if (rc == GN_OK && npts > 2) rc = gn_graph_set_shape(g, eid, s->shape, npts);
  st->length_m += e.length_m;
  return rc;
}

/* Walk one way, emitting an edge at every junction. */
static gn_status walk_way(gn_graph *g, const gn__osm_build *b,
                          build_scratch *s, size_t w, gn_osm_stats *st) {
  size_t lo = b->way_off[w], hi = b->way_off[w + 1];
  size_t npts = 0;
  uint32_t from = GN_NONE;
  if (GN__GROW(b->ctx, s->shape, s->cap_shape, 2 * (hi - lo)) != GN_OK)
    return GN_ENOMEM;
  for (size_t r = lo; r < hi; r++) {
    uint32_t ni = s->ridx[r];
    if (ni == GN_NONE) {
      from = GN_NONE;
      continue;
    }
    if (from != GN_NONE && npts && ni == s->ridx[r - 1]) continue;
    s->shape[2 * npts] = b->nodes[ni].lon;
    s->shape[2 * npts + 1] = b->nodes[ni].lat;
    npts++;
    if (s->use[ni] < 2) continue;
    if (from != GN_NONE) {
      gn_status rc = emit_edge(g, b, s, w, from, ni, npts, st);
      if (rc != GN_OK) return rc;
    }
    from = ni;
    s->shape[0] = b->nodes[ni].lon;
    s->shape[1] = b->nodes[ni].lat;
    npts = 1;
  }
  return GN_OK;
}

static gn_status fill_stats(gn_graph *g, const build_scratch *s,
                            const gn__osm_build *b, gn_osm_stats *st) {
  st->ways = b->nways;
  st->junctions = gn_graph_node_count(g);
  st->edges = gn_graph_edge_count(g);
  for (size_t i = 0; i < b->nnodes; i++) st->nodes += s->use[i] != 0;
  size_t n = st->junctions;
  gn_id *comp = gn_malloc(b->ctx, (n + 1) * sizeof(gn_id));
  if (!comp) return gn__fail(b->ctx, GN_ENOMEM, "out of memory");
  gn_status rc = gn_graph_components(g, comp, &st->components);
  st->largest_component = 0;
  for (size_t v = 0; rc == GN_OK && v < n; v++)
    st->largest_component += comp[v] == 0;
  gn_free(b->ctx, comp);
  return rc;
}

static gn_status build_graph(gn__osm_build *b, build_scratch *s,
                             gn_graph **out, gn_osm_stats *st) {
  gn_graph *g = NULL;
  gn_status rc = gn_graph_create(b->ctx, b->nrefs / 8 + 16, b->nrefs / 6 + 16,
                                 &g);
  for (size_t w = 0; rc == GN_OK && w < b->nways; w++)
    rc = walk_way(g, b, s, w, st);
  if (rc == GN_OK) rc = gn_graph_finalize(g);
  if (rc == GN_OK) rc = fill_stats(g, s, b, st);
  if (rc != GN_OK) {
    gn_graph_free(g);
    return rc;
  }
  *out = g;
  return GN_OK;
}

gn_status gn__osm_build_finish(gn__osm_build *b, const char *path,
                               gn_graph **out, gn_osm_stats *stats) {
  gn_ctx *ctx = b->ctx;
  gn_osm_stats st;
  memset(&st, 0, sizeof(st));
  *out = NULL;
  if (b->nnodes == 0 && b->ways_seen == 0)
    return gn__fail(ctx, GN_EFORMAT, "%s: not an OpenStreetMap file (no "
                    "node and no way)", path);
  if (b->nways == 0)
    return gn__fail(ctx, GN_EFORMAT, "%s: no routable street (%zu ways, "
                    "none a highway the profile allows)", path, b->ways_seen);
  if (!b->sorted) qsort(b->nodes, b->nnodes, sizeof(*b->nodes), cmp_node);
  build_scratch s;
  memset(&s, 0, sizeof(s));
  s.ridx = gn_malloc(ctx, (b->nrefs + 1) * sizeof(uint32_t));
  s.use = gn_malloc(ctx, b->nnodes + 1);
  s.gid = gn_malloc(ctx, (b->nnodes + 1) * sizeof(gn_id));
  if (!s.ridx || !s.use || !s.gid) {
    scratch_free(ctx, &s);
    return gn__fail(ctx, GN_ENOMEM, "%s: out of memory", path);
  }
  memset(s.use, 0, b->nnodes + 1);
  memset(s.gid, 0xff, (b->nnodes + 1) * sizeof(gn_id));
  st.missing_refs = resolve_refs(b, &s);
  gn_status rc = build_graph(b, &s, out, &st);
  scratch_free(ctx, &s);
  if (rc == GN_OK && st.edges == 0)
    rc = gn__fail(ctx, GN_EFORMAT, "%s: the routable ways reference no node "
                  "present in the file", path);
  if (rc != GN_OK) {
    gn_graph_free(*out);
    *out = NULL;
    return rc;
  }
  if (stats) *stats = st;
  return GN_OK;
}
