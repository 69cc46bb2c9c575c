/*
 * design.h - From a connected plan to a plan a ministry can fund:
 * points-only planning (no street data), resilience (rings for critical
 * sites) with a single-cut analysis, cable sizing, the price book and the
 * bill of materials in FCFA, per phase.
 *
 * All passes work on a gn_plan (plan.h) in place:
 *   gn_points_plan()        sites + POPs  -> nodes + straight trenches
 *   gn_resilience_augment() tree          -> tree + redundant trenches
 *   gn_cut_analyse()        any network   -> what each single cut isolates
 *   gn_sizing_run()         network       -> fibers and cable size per trench
 *   gn_bom_build()          sized network -> priced BOM lines per phase
 * The core ("the POPs") is every node holding a POP: several POPs are
 * treated as one node (they are assumed joined by the operator's core).
 * Phases: trenches and sites carry a phase label; a later phase reuses
 * (never re-prices) the trenches of earlier phases (dig once).
 * Ownership: results with a _free function are the caller's; everything
 * else lives in the plan.
 * Threads: reentrant; one gn_ctx (the plan's) per thread.
 */
#ifndef GOVNET_DESIGN_H
#define GOVNET_DESIGN_H

#include <stddef.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/plan.h"
#include "govnet/planner.h"

/* ------------------------------------------------------------------ */
/* Resilience                                                          */

typedef enum {
  GN_RESILIENCE_NONE = 0,
  GN_RESILIENCE_CRITICAL,
  GN_RESILIENCE_ALL
} gn_resilience_mode;

/* "none", "critical", "all"; -1 if unknown. */
GN_API int gn_resilience_parse(const char *s);

typedef struct gn_resilience_opts {
  gn_resilience_mode mode;   /* default CRITICAL */
  unsigned category_mask;    /* bit (1u << gn_category); default
                                health | admin */
  int min_priority;          /* also critical: priority >= this; default
                                INT_MAX (off) */
  double detour;             /* for new straight links; default 1.3 */
  const char *phase;         /* label of added trenches (NULL: none) */
  int road_class;            /* of added trenches; default STRAIGHT */
  /* Street mode (since 0.2): the street network the plan was cut from
   * (gn_plan_streets_net), or NULL (default): rings are then straight
   * candidate links. With it, rings follow the streets: see
   * gn_resilience_augment. Borrowed. */
  const gn_street_net *streets;
} gn_resilience_opts;

GN_API void gn_resilience_opts_init(gn_resilience_opts *o);

/* Parse a comma list of category names into a mask ("health,admin").
 * GN_EINVAL naming the unknown category. Since 0.1. */
GN_API gn_status gn_resilience_parse_categories(gn_ctx *ctx, const char *list,
                                                unsigned *mask);

/* Set site->critical from the options (mode NONE: none, ALL: every
 * connected site, CRITICAL: by category mask or priority). Returns the
 * number of critical sites. */
GN_API size_t gn_resilience_mark(gn_plan *p, const gn_resilience_opts *o);

typedef struct gn_resilience_fail {
  size_t site;          /* site index */
  const char *reason;   /* static English text */
} gn_resilience_fail;

typedef struct gn_resilience_report {
  size_t critical;        /* critical sites (connected) */
  size_t protected_;      /* with two edge-disjoint paths at the end */
  size_t links_added;     /* redundant trenches added */
  double extra_m;         /* their length (detour included in points mode) */
  gn_resilience_fail *fails;
  size_t nfails;          /* critical sites left with a single path */
} gn_resilience_report;

/* Mark critical sites (gn_resilience_mark), then add the cheapest extra
 * trenches found so that every critical site has two edge-disjoint paths
 * to the core: critical sites are taken farthest first; for each one not
 * yet protected, the bridges on its path to the core are forbidden and
 * the cheapest path to the core is searched over existing trenches (free)
 * and straight candidate links between plan nodes (k nearest neighbours,
 * length * detour). New links are added with redundant = 1. A site that
 * cannot be protected is listed in the report with the reason; the rest
 * is planned.
 * Street mode (o->streets set): the candidate graph is the street work
 * graph instead: street edges under a trench cost 0, the others length x
 * the planner's price per metre of their road class, and only street
 * edges are used (no straight link), so each ring is a real street path,
 * edge-disjoint from the bridges it protects. Each run of new street
 * edges of one road class becomes one redundant trench with the street
 * polyline, real length and road class (o->road_class and o->detour are
 * not used); a trench is split in two at the street node where a ring
 * joins it inside. A site with no such street route (a dead end) is
 * reported. o->streets must come from planning this plan, with no trench
 * added since (one ring pass per plan).
 * Caller frees *out with gn_resilience_report_free(). Errors:
 * GN_EINVAL (bad detour; street network of another plan), GN_ENOMEM.
 * Since 0.1. */
GN_API gn_status gn_resilience_augment(gn_plan *p,
                                       const gn_resilience_opts *o,
                                       gn_resilience_report **out);
GN_API void gn_resilience_report_free(gn_ctx *ctx, gn_resilience_report *r);

/* Single-cut analysis. Trenches only: a building's drop (lead-in) is a
 * single link by nature and is not a trench; it is not analysed. */
typedef struct gn_cut_summary {
  size_t sites;              /* connected sites */
  size_t critical;           /* connected critical sites */
  size_t sites_surviving;    /* keep a path to the core after any cut */
  size_t critical_surviving;
  double share_sites;        /* sites_surviving / sites (1 if none) */
  double share_critical;     /* critical_surviving / critical (1 if none) */
  size_t worst_trench;       /* trench index isolating the most sites;
                                (size_t)-1 if no cut isolates anything */
  size_t worst_sites_lost;
  size_t worst_critical_lost;
} gn_cut_summary;

/* For every trench i, lost[i] and critical_lost[i] (caller arrays of
 * trench-count entries, either may be NULL) receive the number of sites
 * (critical sites) cut from every POP if trench i alone is cut. sum may
 * be NULL. survives (NULL or site-count entries) receives 1 per site that
 * survives any single cut. Errors: GN_EINVAL (no POP), GN_ENOMEM. */
GN_API gn_status gn_cut_analyse(const gn_plan *p, size_t *lost,
                                size_t *critical_lost, unsigned char *survives,
                                gn_cut_summary *sum);

/* ------------------------------------------------------------------ */
/* Cable sizing                                                        */

#define GN_CABLE_SIZE_COUNT 7
/* Standard cable sizes: 12, 24, 48, 72, 96, 144, 288 fibers. */
GN_API int gn_cable_size_at(int i);
/* Smallest standard size >= fibers; 288 above 288 (then several cables
 * of 288: see gn_cable_count). 0 for fibers <= 0. */
GN_API int gn_cable_size_for(int fibers);
/* Number of cables of t->cable_size laid in trench t (>= 1 if sized). */
GN_API int gn_cable_count(const gn_plan_trench *t);

typedef struct gn_sizing_opts {
  int fibers_per_site[GN_CAT_COUNT]; /* default 2 each */
  double spare;                      /* spare share, default 0.5 */
} gn_sizing_opts;

GN_API void gn_sizing_opts_init(gn_sizing_opts *o);

/* Size every trench: sites_downstream and fibers from the sites behind it
 * in the tree (trenches with redundant = 0, rooted at the core), times
 * (1 + spare) rounded up, then the standard cable size. A redundant
 * trench carries the largest fiber count of the tree trenches on the
 * cycle it closes (so any single cut on the ring can be rerouted
 * through it). Errors: GN_EINVAL (no POP, spare < 0, fibers < 0). */
GN_API gn_status gn_sizing_run(gn_plan *p, const gn_sizing_opts *o);

/* ------------------------------------------------------------------ */
/* Price book                                                          */

typedef struct gn_pricebook {
  double trench_per_m[GN_ROAD_CLASS_COUNT]; /* civil works by road class */
  double duct_per_m;               /* HDPE duct supplied and laid */
  double cable_per_m[GN_CABLE_SIZE_COUNT]; /* by standard size */
  double cable_install_per_m;      /* pulling / blowing labour */
  double closure_each;             /* splice closure supplied + installed */
  double splice_per_fiber;         /* fusion splice labour */
  double odf_per_port;             /* ODF port at a POP (panel share) */
  double cpe_each;                 /* customer equipment per building */
  double building_each;            /* in-building works per building */
  double drop_per_m;               /* building lead-in */
  double drum_m;                   /* cable drum length: joint closures */
  double engineering_share;        /* studies, supervision: on subtotal */
  double contingency_share;        /* on subtotal */
  int fibers_per_site[GN_CAT_COUNT];
  double spare;                    /* spare fiber share */
  double detour;                   /* straight -> street km */
} gn_pricebook;

/* ------------------------------------------------------------------ */
/* Bill of materials                                                   */

typedef struct gn_bom_line {
  const char *phase;   /* phase label ("" when the plan has none) */
  const char *item;    /* stable key, e.g. "trench.residential" */
  const char *unit;    /* "m", "each", "port", "share" */
  double quantity;
  double unit_fcfa;
  double total_fcfa;
} gn_bom_line;

typedef struct gn_bom_phase {
  const char *phase;
  size_t buildings;        /* connected sites of this phase */
  double trench_m;         /* new trench length (dig once) */
  double redundant_m;      /* of which redundant (resilience) */
  double cable_m;          /* cable length (all cables) */
  size_t closures, odf_ports, cpe;
  double total_fcfa;
  double resilience_fcfa;  /* civil + cable cost of redundant trenches */
  double per_building_fcfa;
} gn_bom_phase;

typedef struct gn_bom gn_bom;

/* Price the sized plan: per phase (in order of first appearance among
 * trenches and sites), trench by road class, duct, cable by size,
 * installation, closures (branch points, cable size changes, sites
 * tapped mid-cable, drum joints), splices, ODF ports, CPE, building
 * works, drops, then engineering and contingency shares. Also writes
 * trench->cost_fcfa (civil + duct + cable + install). Caller frees *out
 * with gn_bom_free(). Errors: GN_EINVAL (unsized trench), GN_ENOMEM. */
GN_API gn_status gn_bom_build(gn_plan *p, const gn_pricebook *pb,
                              gn_bom **out);
GN_API void gn_bom_free(gn_bom *b);
/* Lines and phases: pointers to internal storage. */
GN_API const gn_bom_line *gn_bom_lines(const gn_bom *b, size_t *n);
GN_API const gn_bom_phase *gn_bom_phases(const gn_bom *b, size_t *n);
GN_API double gn_bom_total_fcfa(const gn_bom *b);

/* The published figures of the real phase 1 in Lomé, for comparison:
 * ~250 km of fiber, 548 buildings, ~15 bn FCFA (inaugurated 2017). */
#define GN_REF_PHASE1_KM 250.0
#define GN_REF_PHASE1_BUILDINGS 548
#define GN_REF_PHASE1_FCFA 15.0e9

#endif
