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

/* Optics classes: a pluggable module class with its reach, channel-loss
 * budget (transmitter minimum power minus receiver sensitivity, less
 * the penalties the standard reserves) at its wavelength, and its price
 * per module. Values and sources: docs/optics.md. */
#define GN_OPTICS_MAP(X)                                        \
  X(LR10, "lr10") /* 10 km, 1310 nm: 1000BASE-LX10, 10GBASE-LR */ \
  X(ER40, "er40") /* 40 km, 1550 nm: 1000BASE-EX, 10GBASE-ER */   \
  X(ZR80, "zr80") /* 80 km, 1550 nm: 1000BASE-ZX, 10GBASE-ZR */

typedef enum {
#define GN__OPT_ENUM(name, str) GN_OPTICS_##name,
  GN_OPTICS_MAP(GN__OPT_ENUM)
#undef GN__OPT_ENUM
  GN_OPTICS_COUNT
} gn_optics_class;

typedef struct gn_optics {
  double reach_km;   /* longest fiber run the class is sold for */
  double budget_db;  /* channel loss allowed at nm */
  double nm;         /* 1310 or 1550 */
  double each_fcfa;  /* one module (a link needs two) */
} gn_optics;

GN_API const char *gn_optics_name(gn_optics_class c);
/* Exact names above; GN_OPTICS_COUNT if unknown. */
GN_API gn_optics_class gn_optics_parse(const char *name);

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
  /* optics classes and hubs (keys optics.*, hub.each; optional in a
   * price book file: docs/optics.md) */
  gn_optics optics[GN_OPTICS_COUNT];
  double optics_margin_db;         /* ageing + repair splices, per link */
  double hub_each;                 /* aggregation hub: switch, rack, UPS */
} gn_pricebook;

/* ------------------------------------------------------------------ */
/* Aggregation hubs                                                    */

/* Hubs become POPs of the plan with this id prefix ("hub-" + site id). */
#define GN_HUB_PREFIX "hub-"

typedef struct gn_hub_opts {
  double reach_m; /* access reach, fiber + drop; default 10000 */
  const char *const *candidates; /* site ids preferred as hubs; NULL:
                                    admin and health buildings */
  size_t ncandidates;
} gn_hub_opts;

GN_API void gn_hub_opts_init(gn_hub_opts *o);

typedef struct gn_hub_set {
  size_t *site;        /* hub site indices, in order of opening */
  size_t n, cap;
  size_t lower_bound;  /* hubs needed at least (disjoint packing) */
  size_t candidates;   /* buildings considered */
  size_t uncovered;    /* buildings no hub can reach (0 unless a
                          building lies off every candidate's reach) */
} gn_hub_set;

/* Add hubs to hs (zeroed at first; kept across phases) so that every
 * connected site lies within reach of a hub or POP along the plan's
 * tree; marks the hub sites critical (rings then join them to the POP:
 * a 2-edge-connected core). See hubs.c for the method and its bound.
 * Errors: GN_EINVAL (reach <= 0), GN_ENOMEM. */
GN_API gn_status gn_hubs_place(gn_plan *p, const gn_hub_opts *o,
                               gn_hub_set *hs);
/* Add the hubs as POPs ("hub-<site id>", "Hub <name>") and the plan
 * meta "hubs" (their count). */
GN_API gn_status gn_hubs_commit(gn_plan *p, const gn_hub_set *hs);
GN_API void gn_hub_set_free(gn_ctx *ctx, gn_hub_set *hs);
/* 1 if the POP is an aggregation hub (by its id prefix). */
GN_API int gn_pop_is_hub(const gn_plan_pop *pop);

/* ------------------------------------------------------------------ */
/* Circuits and cable layout (what the store's import writes)          */

/* Loss figures (docs/optics.md): the store's trace uses the same. */
#define GN_LOSS_DB_PER_KM_1310 0.35
#define GN_LOSS_DB_PER_KM_1550 0.25
#define GN_LOSS_DB_PER_SPLICE 0.10
#define GN_LOSS_DB_PER_CONNECTOR 0.50
/* Ports on a circuit: switch patch, ODF, CPE. */
#define GN_LOSS_CONNECTORS 3

typedef struct gn_layout gn_layout;

typedef struct gn_layout_opts {
  gn_optics optics[GN_OPTICS_COUNT]; /* from the price book */
  double margin_db;
  gn_optics_class access, protect; /* default lr10, er40 */
  double spare; /* spare share on top of the fibers circuits use (0.5) */
} gn_layout_opts;

/* Price book defaults. Since 0.5. */
GN_API void gn_layout_opts_init(gn_layout_opts *o);
GN_API void gn_layout_opts_from_pricebook(gn_layout_opts *o,
                                          const gn_pricebook *pb);

typedef struct gn_layout_sizes {
  int size;       /* fibers */
  double cable_m;
} gn_layout_sizes;

typedef struct gn_layout_stats {
  size_t hubs, cables, fibers, closures, splices, odf_ports;
  double cable_m;
  size_t optics[GN_OPTICS_COUNT]; /* modules by class (2 per link) */
  size_t optics_core[GN_OPTICS_COUNT]; /* of which hub uplinks */
  size_t circuits_total, circuits_working, circuits_protect;
  size_t circuits_over_budget;
  double working_km_max, working_km_median;
  double working_splices_median, working_splices_max;
  double working_loss_db_median, working_loss_db_p90, working_loss_db_max;
  double protect_km_max, protect_loss_db_max;
  size_t core_links, regenerators;
  double core_km_max;
} gn_layout_stats;

typedef struct gn_layout_circuit {
  const char *site_id;
  const char *pop_id;
  int protect;
  double length_m;
  int splices;
  double loss_db;   /* at its class's wavelength, margin excluded */
  gn_optics_class cls;
  int over;
  int in_building;  /* the building hosts its hub or POP: no fiber */
} gn_layout_circuit;

/* Compute the circuits (working path to the nearest hub or POP along
 * the tree, trench-disjoint protect path where rings allow), the cables
 * (continuous runs from the hubs outward) and each circuit's fibers,
 * splices and loss. The plan must stay unchanged while *out lives.
 * Errors: GN_EINVAL (no POP), GN_ENOMEM. Since 0.5. */
GN_API gn_status gn_layout_build(const gn_plan *p, const gn_layout_opts *o,
                                 gn_layout **out);
GN_API void gn_layout_free(gn_layout *l);
GN_API const gn_layout_stats *gn_layout_get_stats(const gn_layout *l);
/* Cable metres by fiber count, ascending. */
GN_API const gn_layout_sizes *gn_layout_cable_sizes(const gn_layout *l,
                                                    size_t *n);
GN_API size_t gn_layout_circuit_count(const gn_layout *l);
GN_API void gn_layout_circuit_get(const gn_layout *l, size_t i,
                                  gn_layout_circuit *out);

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
/* The same, with the circuits' layout (may be NULL = gn_bom_build):
 * hubs (hub.each), optics modules by class and regenerators are priced;
 * for a single-phase plan the cable metres by size, closures, splices
 * and ODF ports are the layout's (what the store's import builds). */
GN_API gn_status gn_bom_build_layout(gn_plan *p, const gn_pricebook *pb,
                                     const gn_layout *l, gn_bom **out);
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
