/*
 * planner.h - From a street graph, sites and POPs to a trench plan.
 *
 * Pipeline (gn_plan_streets): snap every site to the nearest street
 * edge of a POP's component (spatial grid; the edge is split at the
 * projection point and keeps its shape); sites farther than snap_max_m
 * from every street become GN_SITE_TOO_FAR (never moved), sites whose
 * nearest street lies in a component without a POP GN_SITE_UNREACHABLE;
 * the Steiner solver connects the snapped sites to the POPs; the tree
 * becomes plan nodes and trenches (degree-2 chains of one road class
 * merged into one trench, oriented away from the POP) plus one straight
 * drop per site. Several POPs: a virtual root joined to every POP at
 * zero cost, so each site hangs off the POP that serves it cheapest and
 * POPs are not forced to connect to each other.
 * Threads: reentrant; one gn_ctx per thread.
 */
#ifndef GOVNET_PLANNER_H
#define GOVNET_PLANNER_H

#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/graph.h"
#include "govnet/plan.h"

typedef struct gn_planner_opts {
  double snap_max_m;    /* sites farther from a street are dropped; 500 */
  double time_limit_s;  /* Steiner budget; <= 0: solver default */
  uint64_t seed;        /* Steiner seed; same seed, same plan */
  int quality;          /* passed to gn_steiner_opts.quality (1) */
  /* Trench cost per metre by class; edge weight = length_m x this. */
  double price_per_m[GN_ROAD_CLASS_COUNT];
  /* Phases (since 0.3): when nphases > 0, every connectable site's phase
   * label must be one of phases[0..nphases); phase k is solved after
   * phase k-1 with the street edges trenched so far at zero cost (dig
   * once). New trenches carry the label of the phase that dug them.
   * NULL/0 (default): one tree over all sites, trenches unlabelled. */
  const char *const *phases;
  size_t nphases;
  /* Since 0.5. bound (default 1): the solver also proves a lower bound
   * on the cheapest tree (gn_steiner_opts.bound); a plan without phases
   * gets the metadata steiner_lower_bound and certified_gap_pct. */
  int bound;
  /* Since 0.5. If set, called with the Steiner instance (work graph,
   * edge weight = priced cost; terminals, the first one the root) right
   * before a plan without phases is solved, e.g. to write it as STP; a
   * status other than GN_OK stops the plan with that error. */
  gn_status (*on_instance)(void *ud, const gn_graph *g, const gn_id *terms,
                           size_t nterm);
  void *on_instance_ud;
} gn_planner_opts;

/* Defaults: 500 m, solver default time, seed 1, quality 1, prices from
 * gn_road_price_default(). Since 0.1. */
GN_API void gn_planner_opts_init(gn_planner_opts *o);

/* Where a point meets the street network. */
typedef struct gn_snap {
  gn_id edge;        /* street edge, GN_NONE if none within range */
  double lon, lat;   /* projection point on the edge */
  double dist_m;     /* geodesic distance point -> projection */
} gn_snap;

/* Nearest point of any edge of the finalized graph g to lon/lat, looked
 * for within max_m (<= 0: anywhere). snap->edge is GN_NONE when nothing
 * lies within max_m. Brute force; for one-off queries (a POP). Since 0.1. */
GN_API gn_status gn_graph_snap(const gn_graph *g, double lon, double lat,
                               double max_m, gn_snap *snap);

/* Plan the trench network. streets: finalized graph from gn_osm_read
 * (not modified; the planner works on a copy of the components it
 * keeps). plan: holds the sites (node GN_NONE) and >= 1 POP whose
 * lon/lat lie on or near a street (node GN_NONE); the call fills nodes,
 * trenches, site status/node/drop_m/snap_dist_m/reason, POP nodes and
 * metadata (snap_max_m, steiner_cost, trench_m, attribution...).
 * Errors: GN_EINVAL (no site, no POP), GN_EINFEASIBLE (a POP farther than
 * snap_max_m from every street: "POP <id> is <d> m from the nearest
 * street"; no site connectable), GN_ENOMEM. Since 0.1. */
GN_API gn_status gn_plan_streets(gn_ctx *ctx, const gn_graph *streets,
                                 gn_plan *plan, const gn_planner_opts *opts);

/* The street network a plan was cut from: the planner's work graph (the
 * kept components, edges split at the snap points, weight = length x
 * price_per_m[class]) with, per work node, its plan node and, per edge,
 * the plan trench built on it. Lets resilience route rings along the
 * streets (gn_resilience_opts.streets, design.h). Opaque; it describes
 * the plan as planned: one gn_resilience_augment pass on that plan, with
 * no trench added before (refused otherwise). Since 0.2. */
typedef struct gn_street_net gn_street_net;

/* gn_plan_streets, and keep the street network in *net (NULL: don't;
 * else the caller frees it with gn_street_net_free; NULL on error).
 * Since 0.2. */
GN_API gn_status gn_plan_streets_net(gn_ctx *ctx, const gn_graph *streets,
                                     gn_plan *plan,
                                     const gn_planner_opts *opts,
                                     gn_street_net **net);
GN_API void gn_street_net_free(gn_street_net *net);

/* Choose a POP location for plan's sites: the street point nearest to
 * the coordinate-wise median of the sites that lie within snap_max_m of
 * the largest-site-count component. Writes lon/lat. Errors:
 * GN_EINFEASIBLE if no site is near any street. Since 0.1. */
GN_API gn_status gn_planner_auto_pop(gn_ctx *ctx, const gn_graph *streets,
                                     const gn_plan *plan,
                                     const gn_planner_opts *opts,
                                     double *lon, double *lat);

/* ------------------------------------------------------------------ */
/* Points-only planning                                                */

typedef struct gn_points_opts {
  double detour;       /* street km per straight km, > 1; default 1.3 */
  int steiner;         /* 1 (default): add Steiner points; 0: MST only */
  const char *phase;   /* only sites with this phase label (NULL: all) and
                          label put on new trenches */
  int road_class;      /* gn_road_class of new trenches; default STRAIGHT */
  double long_m;       /* straight links >= long_m (> 0) get long_class: */
  int long_class;      /* interurban links along national roads; default
                          long_m 0 (off), long_class TRUNK */
} gn_points_opts;

typedef struct gn_points_stats {
  size_t terminals;       /* distinct points joined (sites, POPs) */
  size_t steiner_points;  /* Steiner points kept in the tree */
  double mst_m;           /* straight (geodesic) length of the MST */
  double tree_m;          /* straight length of the final tree */
  double reduction;       /* 1 - tree_m / mst_m */
  double length_m;        /* tree_m * detour: street length of new trench */
} gn_points_stats;

/* Defaults: detour 1.3, steiner 1, phase NULL, road class STRAIGHT. */
GN_API void gn_points_opts_init(gn_points_opts *o);

/* Join every site of p that has no node yet (status CONNECTED, valid
 * coordinates, phase matching o->phase) and every POP without a node to
 * the network, by a tree over geodesic straight lines with Steiner
 * points (MST over a k-nearest-neighbour graph, then greedy Steiner
 * insertion at corners under 120 degrees with Fermat-point relocation).
 * Nodes already on a trench (an earlier phase) count as connected, so a
 * second call extends the network dig-once. Each site gets its own node
 * at its exact coordinates (drop_m = 0); coincident sites share one.
 * Trench polylines are the 2 end nodes; length_m = geodesic * detour.
 * Errors: GN_EINVAL (detour <= 1 or not finite, no POP and no existing
 * network), GN_ENOMEM. stats may be NULL. Since 0.1. */
GN_API gn_status gn_points_plan(gn_plan *p, const gn_points_opts *o,
                                gn_points_stats *stats);

#endif
