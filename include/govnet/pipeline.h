/*
 * pipeline.h - The design pipeline as one library call: from a sites file
 * (and optionally a street network) to a finished, priced plan and its
 * summary. This is what `govnet plan` runs; a server, a test or a job can
 * run the same.
 *
 * Steps, in order: load the price book (file or defaults) and apply the
 * overrides; read the streets (street mode) and the sites; select the
 * sites of each phase (labels); place the POPs (given, or automatic);
 * plan (street mode: gn_plan_streets_net, dig once by phase; points
 * mode: gn_points_plan per phase, dig once); aggregation hubs so every
 * building reaches one within its access optics (hubs.c); rings for
 * critical sites and hubs (the hubs' core); sizing; single-cut analysis;
 * hubs become POPs; the cable layout and circuits (layout.c); BOM; the
 * summary with the design and optics keys.
 * Progress lines (the figures a planner reads while it runs) go to an
 * optional log callback; the library itself never prints.
 * Errors: the first failure's status with its message on ctx
 * (gn_ctx_errmsg): GN_EINVAL for a malformed option value (bad phase
 * selector, unknown category), GN_ENOTFOUND for a name that is not in
 * its file (town, POP site id), GN_EGEOM for an invalid POP position,
 * else what the failing step returned (GN_EIO, GN_EFORMAT, ...).
 * Ownership: the result owns the plan, the summary and the BOM; free it
 * with gn_design_result_free(), or take the plan with _steal_plan.
 * Threads: reentrant; one gn_ctx per thread.
 */
#ifndef GOVNET_PIPELINE_H
#define GOVNET_PIPELINE_H

#include <stddef.h>

#include "govnet/ctx.h"
#include "govnet/design.h"
#include "govnet/export.h"
#include "govnet/io.h"
#include "govnet/plan.h"
#include "govnet/planner.h"

#define GN_DESIGN_MAX_PHASES 8
#define GN_DESIGN_MAX_POPS 32

typedef struct gn_design_phase {
  char name[32];        /* label put on its sites and trenches */
  const char *selector; /* all | bbox:W,S,E,N | near:TOWN[,TOWN..][@KM]
                           | prop:KEY=VALUE; borrowed */
} gn_design_phase;

/* Every string is borrowed and must outlive the call. */
typedef struct gn_design_opts {
  const char *roads;    /* street network file; NULL: points mode */
  const char *sites;    /* sites file (required) */
  const char *layer;    /* sites layer, NULL: the first */
  const char *id_field; /* sites id column, NULL: "id" */
  const char *encoding; /* sites text: NULL/"utf-8" (checked) or "latin1"
                           (converted); since 0.2 */
  const char *pops[GN_DESIGN_MAX_POPS]; /* "LON,LAT" or a site id */
  size_t npops;         /* 0: automatic POP near the sites' median */
  gn_planner_opts planner;       /* street mode: snapping, solver */
  gn_resilience_mode resilience; /* rings: none (default), critical, all */
  const char *critical;          /* critical categories "health,admin" */
  int critical_priority;         /* also critical: priority >= this;
                                    default INT_MAX (off) */
  const char *price_book;        /* file, NULL: documented defaults */
  double detour;                 /* > 1 overrides the price book */
  double spare;                  /* >= 0 overrides the price book */
  int fibers_per_site[GN_CAT_COUNT]; /* >= 0 overrides, -1: price book */
  const char *towns;             /* GeoNames towns for near: selectors */
  gn_design_phase phases[GN_DESIGN_MAX_PHASES];
  size_t nphases;
  int hubs;                      /* 1 (default): aggregation hubs so every
                                    circuit stays within its optics */
  const char *optics;            /* "ACCESS[,PROTECT]" optics classes;
                                    NULL: "lr10,er40" (docs/optics.md) */
  const char *hub_candidates;    /* file of site ids, one per line,
                                    preferred as hubs; NULL: admin and
                                    health buildings */
  /* Progress text as a terminal shows it: each call gets one or more
   * whole lines, newline included. */
  void (*log)(void *ud, const char *text);
  void *log_ud;
  /* Street mode without phases: write the Steiner instance the planner
   * solves (its street graph, edge weight = priced cost, and terminals,
   * the root first) to this STP file. NULL: none. Since 0.5. */
  const char *dump_stp;
} gn_design_opts;

/* Defaults: points mode, no rings, automatic POP, price book defaults,
 * no overrides, no phases, no log. Since 0.4. */
GN_API void gn_design_opts_init(gn_design_opts *o);

typedef struct gn_design_result gn_design_result;

/* Run the whole pipeline. On success *out holds the plan, its summary
 * (base keys and design keys) and the BOM; caller frees with
 * gn_design_result_free(). On failure *out is NULL. Since 0.4. */
GN_API gn_status gn_design_run(gn_ctx *ctx, const gn_design_opts *o,
                               gn_design_result **out);
GN_API void gn_design_result_free(gn_design_result *r);

/* Pointers to internal storage, valid until the result is freed. */
GN_API const gn_plan *gn_design_result_plan(const gn_design_result *r);
GN_API const gn_summary *gn_design_result_summary(const gn_design_result *r);
GN_API const gn_bom *gn_design_result_bom(const gn_design_result *r);
/* The price book the run used (file plus overrides). */
GN_API const gn_pricebook *gn_design_result_pricebook(
    const gn_design_result *r);

/* The plan; the caller now owns it (gn_plan_free) and the result no
 * longer holds it. Since 0.4. */
GN_API gn_plan *gn_design_result_steal_plan(gn_design_result *r);

#endif
