/*
 * plan_design.h - The design steps of 'govnet plan' (points mode,
 * phases, resilience, sizing, price book, BOM, design summary keys).
 * cmd_plan.c owns the command; it hands unknown options to
 * design_parse_opt and calls the steps below at fixed points.
 */
#ifndef GOVNET_PLAN_DESIGN_H
#define GOVNET_PLAN_DESIGN_H

#include "cli.h"

#define DESIGN_MAX_PHASES 8

typedef struct design_phase {
  char name[32];        /* label */
  const char *selector; /* all | bbox:... | near:TOWN,...[@KM] | prop:K=V */
} design_phase;

typedef struct design_args {
  gn_resilience_opts ropts;
  gn_pricebook pb;
  const char *price_book, *towns, *critical, *fibers;
  double detour, spare; /* < 0: from the price book */
  design_phase phases[DESIGN_MAX_PHASES];
  size_t nphases;
  /* results */
  gn_points_stats points[DESIGN_MAX_PHASES];
  size_t npoints;
  gn_resilience_report *res[DESIGN_MAX_PHASES];
  size_t nres;
  gn_cut_summary cut;
  gn_bom *bom;
  gn_street_net *streets; /* street mode with rings: kept by the planner */
} design_args;

void design_init(design_args *d);
void design_cleanup(gn_ctx *ctx, design_args *d);
/* 1 handled, 0 not a design option, -1 bad value (message printed). */
int design_parse_opt(const char *opt, const char *val, design_args *d);
/* Usage lines for the design options. */
void design_usage(FILE *f);
/* Load the price book and apply option overrides. CLI_OK or an exit code. */
int design_prepare(gn_ctx *ctx, design_args *d);
/* Keep only the sites of the phases (labelled); CLI_OK or exit code. */
int design_select_phases(gn_ctx *ctx, design_args *d, const char *sites,
                         gn_plan **plan);
/* A POP for points mode when none is given: the site nearest the median. */
int design_auto_pop(gn_ctx *ctx, gn_plan *plan);
/* Points mode: plan each phase in turn (dig once), rings per phase. */
int design_plan_points(gn_ctx *ctx, design_args *d, gn_plan *plan);
/* After planning: rings (street mode), sizing, cut analysis, BOM. */
int design_finish(gn_ctx *ctx, design_args *d, gn_plan *plan, int points_mode);
/* Add the design keys to the summary and print the design figures. */
int design_report(gn_ctx *ctx, design_args *d, const gn_plan *plan,
                  gn_summary *sum, int points_mode);

#endif
