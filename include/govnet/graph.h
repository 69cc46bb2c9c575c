/*
 * graph.h - The undirected, weighted graph every planner works on.
 *
 * Design: edges are appended to a pool; gn_graph_finalize() builds a
 * compressed adjacency (CSR) so traversals touch contiguous memory. The
 * same structure holds a street network (nodes with lon/lat, edges with a
 * road class, length and shape) and an abstract STP instance (no coords).
 * Invariants after finalize: every edge appears in the adjacency of both
 * ends; node and edge ids are dense, 0-based, stable.
 * Ownership: the graph owns all its storage; gn_graph_free() is one sweep.
 * Threads: a finalized graph may be read from several threads at once.
 */
#ifndef GOVNET_GRAPH_H
#define GOVNET_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"

/* Road classes a trench may follow, from OSM highway=*. */
#define GN_ROAD_CLASS_MAP(X)          \
  X(MOTORWAY, "motorway")             \
  X(TRUNK, "trunk")                   \
  X(PRIMARY, "primary")               \
  X(SECONDARY, "secondary")           \
  X(TERTIARY, "tertiary")             \
  X(UNCLASSIFIED, "unclassified")     \
  X(RESIDENTIAL, "residential")       \
  X(LIVING_STREET, "living_street")   \
  X(SERVICE, "service")               \
  X(PEDESTRIAN, "pedestrian")         \
  X(TRACK, "track")                   \
  X(FOOTWAY, "footway")               \
  X(PATH, "path")                     \
  X(CYCLEWAY, "cycleway")             \
  X(STEPS, "steps")                   \
  X(ROAD, "road")                     \
  X(STRAIGHT, "straight_line")        \
  X(NONE, "none")

typedef enum {
#define GN__ROAD_ENUM(name, str) GN_ROAD_##name,
  GN_ROAD_CLASS_MAP(GN__ROAD_ENUM)
#undef GN__ROAD_ENUM
  GN_ROAD_CLASS_COUNT
} gn_road_class;

/* Default trench cost per metre of a road class, in FCFA (civil works:
 * cutting, reinstating the surface, duct). See docs/planning.md. */
GN_API double gn_road_price_default(gn_road_class c);

/* OSM-style name of a class ("residential"). Static storage. Since 0.1. */
GN_API const char *gn_road_class_name(gn_road_class c);

/* Parse a class name (OSM highway value; "_link" suffixes map to their
 * base class). Returns GN_ROAD_CLASS_COUNT if unknown. Since 0.1. */
GN_API gn_road_class gn_road_class_parse(const char *name);

typedef uint32_t gn_id;
#define GN_NONE ((gn_id)0xffffffffu)

/* One edge. weight is the optimisation cost (any unit, >= 0); length_m is
 * the physical length; src_id is e.g. the OSM way id (0 if none). */
typedef struct gn_edge {
  gn_id u, v;
  double weight;
  double length_m;
  int64_t src_id;
  uint8_t road_class; /* gn_road_class */
} gn_edge;

typedef struct gn_graph gn_graph;

/* Create an empty graph. Hints pre-size the pools (0 is fine). Caller
 * frees with gn_graph_free(). GN_ENOMEM on failure. Since 0.1. */
GN_API gn_status gn_graph_create(gn_ctx *ctx, size_t node_hint,
                                 size_t edge_hint, gn_graph **out);

/* Free a graph and all it owns. NULL is a no-op. Since 0.1. */
GN_API void gn_graph_free(gn_graph *g);

/* The ctx this graph was created with. Since 0.1. */
GN_API gn_ctx *gn_graph_ctx(const gn_graph *g);

/* Add a node at lon/lat (degrees; NAN for abstract nodes). *id_out may be
 * NULL. Un-finalizes the graph. Since 0.1. */
GN_API gn_status gn_graph_add_node(gn_graph *g, double lon, double lat,
                                   gn_id *id_out);

/* Add n abstract nodes (no coordinates). Since 0.1. */
GN_API gn_status gn_graph_add_nodes(gn_graph *g, size_t n);

/* Add an edge; e is copied. GN_EINVAL if an end is out of range or the
 * weight is negative or not finite. Un-finalizes the graph. Since 0.1. */
GN_API gn_status gn_graph_add_edge(gn_graph *g, const gn_edge *e,
                                   gn_id *id_out);

/* Attach a polyline shape (n lon/lat pairs, interleaved) to edge e; the
 * first and last points are the end nodes' positions. Copied. Since 0.1. */
GN_API gn_status gn_graph_set_shape(gn_graph *g, gn_id e,
                                    const double *lonlat, size_t n);

/* Shape of e: pointer to internal storage (n pairs), or NULL with *n = 0
 * when the edge is a straight segment. Since 0.1. */
GN_API const double *gn_graph_shape(const gn_graph *g, gn_id e, size_t *n);

/* Build the adjacency. Must be called after the last add and before any
 * gn_graph_adj(). Since 0.1. */
GN_API gn_status gn_graph_finalize(gn_graph *g);

GN_API size_t gn_graph_node_count(const gn_graph *g);
GN_API size_t gn_graph_edge_count(const gn_graph *g);

/* Edge e: pointer to internal storage, valid until the next add. */
GN_API const gn_edge *gn_graph_edge(const gn_graph *g, gn_id e);

/* Mutable weight (for re-pricing without rebuilding). Since 0.1. */
GN_API void gn_graph_set_weight(gn_graph *g, gn_id e, double weight);

/* Node coordinates; NAN for abstract nodes. */
GN_API void gn_graph_node_pos(const gn_graph *g, gn_id v, double *lon,
                              double *lat);

/* Adjacency of v (finalized graph only): *n entries; nbr[i] is the other
 * end of edge eid[i]. Pointers to internal storage. Since 0.1. */
GN_API void gn_graph_adj(const gn_graph *g, gn_id v, const gn_id **nbr,
                         const gn_id **eid, size_t *n);

/* Connected components: comp[v] = component index (0-based, in order of
 * decreasing size); *ncomp receives the count. comp has node_count
 * entries, caller-allocated. Since 0.1. */
GN_API gn_status gn_graph_components(const gn_graph *g, gn_id *comp,
                                     size_t *ncomp);

/* Shortest-path distances from a set of sources (multi-source Dijkstra
 * on weight). dist and pred_edge (may be NULL) have node_count entries,
 * caller-allocated; unreachable nodes get INFINITY and GN_NONE. */
GN_API gn_status gn_graph_dijkstra(const gn_graph *g, const gn_id *src,
                                   size_t nsrc, double *dist,
                                   gn_id *pred_edge);

#endif
