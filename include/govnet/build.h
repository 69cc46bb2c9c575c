/*
 * build.h - Building the network: work packages cut from the imported
 * plan, their assignment to subcontractors and crews, and the progress
 * of every trench segment reported from the field.
 *
 * Design: the build module keeps its own tables in the store (packages,
 * package trenches, progress reports, segment states; docs/build.md) and
 * migrates them itself, through the store's connection and transaction
 * helpers, so every write is one transaction with one audit row.
 *
 * Packages: the trenches of each phase are ordered along a Hilbert curve
 * over their midpoints (so a package is one compact area) and cut greedily
 * at the target size (km or FCFA), closing a package at whichever side of
 * the target is nearer. Every trench of the selection is in exactly one
 * package. A package's cost is its share, by length, of the imported
 * plan's priced total (the store keeps no per-trench price).
 *
 * Progress: a trench goes surveyed -> dug -> ducted -> pulled -> spliced
 * -> tested -> accepted. A report of step S is accepted when the segment
 * has reached S-1 (reports of the step already reached add metres, as a
 * crew digs a long trench over several days); skipping needs a supervisor
 * and a reason. "blocked" (permit, obstacle, flooding, other) marks the
 * segment blocked from that time; the next step report clears it. Each
 * report carries a client-made id: a replay returns the first outcome and
 * never writes twice.
 *
 * Scope: a package may belong to an organisation (subcontractor). A
 * report or an assignment that names an organisation is refused
 * (GN_EAUTH) for a trench or package of another organisation; NULL org
 * means an operator-wide caller (the server decides from the account).
 *
 * Ownership: result objects have their own free functions; strings
 * returned through char ** are allocated with the store's ctx allocator,
 * caller frees them with gn_free(ctx, p). Threads: as the store (one
 * gn_store per thread).
 */
#ifndef GOVNET_BUILD_H
#define GOVNET_BUILD_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/io.h"
#include "govnet/otdr.h"
#include "govnet/store.h"

/* ------------------------------------------------------------------ */
/* Work packages                                                       */

typedef struct gn_build_package {
  char *id;            /* "WP-<phase>-001", or "WP-001" without phases */
  char *phase;         /* "" when the plan has no phases */
  char *org, *crew;    /* "" until assigned */
  int64_t *trenches;   /* trench ids in cutting order */
  size_t ntrenches;
  double km;
  double cost_fcfa;    /* NaN when the plan was never priced */
} gn_build_package;

typedef struct gn_build_packages {
  gn_build_package *items;
  size_t n;
} gn_build_packages;

typedef struct gn_build_cut_opts {
  double target_km;    /* > 0, or 0 to cut by target_fcfa */
  double target_fcfa;  /* used when target_km is 0 */
  const char *phase;   /* only this phase; NULL = every phase */
} gn_build_cut_opts;

/* Propose packages over the store's trenches (nothing is written).
 * Errors: GN_EINVAL (no positive target; cost target on an unpriced
 * plan), GN_ENOTFOUND (no trench, or none of that phase), GN_EDB,
 * GN_ENOMEM. Caller frees *out with gn_build_packages_free. Since 0.1. */
GN_API gn_status gn_build_cut(gn_store *st, const gn_build_cut_opts *o,
                              gn_build_packages **out /* OUT */);
GN_API void gn_build_packages_free(gn_ctx *ctx, gn_build_packages *p);

/* Store a proposal: replaces the stored packages of the same phases.
 * GN_ECONFLICT when one of them is assigned or a trench already has
 * progress (the cut is then frozen). One transaction, one audit row. */
GN_API gn_status gn_build_save(gn_store *st, const gn_build_packages *p,
                               const char *user);

/* The stored packages: all, or of one phase when phase is not NULL, or
 * of one organisation when org is not NULL. */
GN_API gn_status gn_build_list(gn_store *st, const char *phase,
                               const char *org,
                               gn_build_packages **out /* OUT */);

/* Assign a stored package to an organisation and crew (crew may be
 * NULL). by_org non-NULL: the caller is that organisation and may only
 * re-crew its own package (GN_EAUTH otherwise). GN_ENOTFOUND for an
 * unknown package. */
GN_API gn_status gn_build_assign(gn_store *st, const char *package,
                                 const char *org, const char *crew,
                                 const char *by_org, const char *user);

/* Plan a stored package's work between two dates (YYYY-MM-DD, start <=
 * end): the planned side of the S-curve. by_org as in gn_build_assign.
 * Errors: GN_EINVAL (dates), GN_ENOTFOUND, GN_EAUTH. */
GN_API gn_status gn_build_schedule(gn_store *st, const char *package,
                                   const char *start, const char *end,
                                   const char *by_org, const char *user);

/* JSON array [{ "id", "trenches": [...], "km", "cost_fcfa" }] (plus
 * "phase", "org", "crew" when extended is non-zero). */
GN_API gn_status gn_build_packages_json(gn_ctx *ctx,
                                        const gn_build_packages *p,
                                        int extended, char **out /* OUT */);

/* ------------------------------------------------------------------ */
/* Progress                                                            */

typedef enum gn_build_step {
  GN_STEP_PLANNED = 0, /* no report yet (state only) */
  GN_STEP_SURVEYED,
  GN_STEP_DUG,
  GN_STEP_DUCTED,
  GN_STEP_PULLED,      /* cable pulled */
  GN_STEP_SPLICED,
  GN_STEP_TESTED,
  GN_STEP_ACCEPTED,
  GN_STEP_BLOCKED      /* report only: the segment is blocked */
} gn_build_step;

/* "surveyed", "dug", ... "blocked" ("planned" for 0). */
GN_API const char *gn_build_step_name(gn_build_step s);
/* Parse a name (also "cable_pulled"); -1 when unknown. */
GN_API int gn_build_step_parse(const char *name);

typedef struct gn_build_report {
  const char *client_id;   /* required: 8..64 chars [A-Za-z0-9_.:-] */
  int64_t trench;
  gn_build_step step;
  const char *who;         /* required: the person reporting */
  const char *org;         /* caller's organisation; NULL = operator */
  int supervisor;          /* caller may override the step order */
  const char *at;          /* when it happened, ISO 8601 UTC; NULL = now */
  double metres;           /* >= 0; 0 = not given */
  const char *const *photos; /* file references, nphotos of them */
  size_t nphotos;
  const double *gps;       /* lon/lat pairs, ngps of them */
  size_t ngps;
  const char *note;
  const char *block_reason;    /* step BLOCKED: permit|obstacle|flooding|other */
  const char *override_reason; /* supervisor skipping a predecessor */
} gn_build_report;

typedef struct gn_build_outcome {
  int64_t report;          /* report id */
  int duplicate;           /* 1: client_id seen before, nothing written */
  gn_build_step state;     /* segment state after the report */
  int blocked;
} gn_build_outcome;

/* Record one report. Errors name the field: GN_EINVAL (bad id, step,
 * time, metres, GPS, reason), GN_ENOTFOUND (trench), GN_EAUTH (another
 * organisation's trench, or an unpackaged trench for an organisation),
 * GN_ECONFLICT (skips a predecessor without a supervisor override, or the
 * client id was used for a different trench or step), GN_ELIMIT (over 16
 * photos, 1000 GPS points or 4 KiB of note). */
GN_API gn_status gn_build_report_add(gn_store *st, const gn_build_report *r,
                                     gn_build_outcome *out /* OUT */);

/* Import progress reports from a subcontractor's spreadsheet (CSV, the
 * documented template: docs/build.md), one report per row, each row its
 * own transaction; org as in gn_build_report (NULL = operator). Rows
 * without an id get one derived from their content, so a re-import
 * replays. *json: {"rows", "stored", "replayed", "refused": [{"line",
 * "message"}]}. Errors: GN_EIO (cannot open), GN_EFORMAT (no trench or
 * step column), GN_ELIMIT, GN_EDB, GN_ENOMEM (the store failed: rows
 * before stay stored). Caller frees *json with gn_free. */
GN_API gn_status gn_build_import_csv(gn_store *st, const char *path,
                                     const char *org, const char *user,
                                     char **json /* OUT */);

/* Supervision as JSON, for one phase and/or organisation (NULL: all), as
 * of a day (YYYY-MM-DD; NULL: today): {"as_of", "km", "earned_km",
 * "earned_pct", "weights": {step: %}, "s_curve": [{"week" (its Monday),
 * "planned_pct", "actual_pct"}], "by_phase": [...], "by_org": [{"org",
 * "km", "earned_pct"}], "productivity": [{"org", "crew", "metres",
 * "crew_days", "m_per_crew_day"}], "blocked": [{"trench", "package",
 * "reason", "since", "age_days"}]}. Earned progress weighs each trench's
 * length by its state (docs/build.md); actual = when each step was first
 * reported; planned = each scheduled package's km spread evenly over its
 * days. Caller frees with gn_free. */
GN_API gn_status gn_build_supervision_json(gn_store *st, const char *phase,
                                           const char *org, const char *as_of,
                                           char **out /* OUT */);

/* Segment states as JSON: [{ "trench", "package", "state", "blocked",
 * "blocked_since", "metres": { step: m }, "length_m" }] for one package
 * or (package NULL) every packaged trench; org non-NULL keeps its own. */
GN_API gn_status gn_build_status_json(gn_store *st, const char *package,
                                      const char *org, char **out /* OUT */);

/* ------------------------------------------------------------------ */
/* OTDR acceptance                                                     */

/* Pass/fail thresholds; gn_build_otdr_defaults gives the documented
 * defaults (docs/build.md). */
typedef struct gn_build_otdr_limits {
  double splice_db;      /* a splice event over this fails (0.15) */
  double connector_db;   /* a reflective event over this fails (0.5) */
  double length_tol_pct; /* measured vs designed fiber length (5 %) */
  double loss_margin_db; /* total loss may exceed the budget by (0.0) */
  double match_m;        /* event-to-closure distance tolerance: the */
  double match_pct;      /*   larger of match_m and match_pct % (25 m, 2 %) */
  int from_far_end;      /* the OTDR was at the far end (not the ODF) */
} gn_build_otdr_limits;

GN_API void gn_build_otdr_defaults(gn_build_otdr_limits *l);

/* Check a measurement against fiber's design and keep it: the route's
 * length and loss budget (at the trace's wavelength, 1310 or 1550 nm
 * whichever is nearer) from gn_store_trace_fiber; each event mapped to
 * the closure at that distance along the route (designed distances
 * scaled by measured / designed length, so cable slack does not shift
 * the far closures); a problem line per failure, e.g. "closure SC-502:
 * 0.41 dB, over 0.15 dB". The result is stored with the file name
 * (one transaction, one audit row) and returned as JSON { "fiber",
 * "file", "wavelength_nm", "pass", "length": {...}, "loss": {...},
 * "events": [...], "problems": [...] } in *json (caller frees with
 * gn_free). lim NULL = defaults. Errors: GN_ENOTFOUND (fiber),
 * GN_EINVAL (bad limits), GN_EDB, GN_ENOMEM. */
GN_API gn_status gn_build_otdr_attach(gn_store *st, int64_t fiber,
                                      const gn_sor *sor, const char *file,
                                      const gn_build_otdr_limits *lim,
                                      const char *user, char **json /* OUT */);

/* ------------------------------------------------------------------ */
/* As-built                                                            */

typedef struct gn_build_asbuilt_opts {
  double threshold_m; /* flag a segment deviating more than this (10 m) */
  double match_m;     /* an unnamed track belongs to the trench whose line
                         is within this mean distance (30 m) */
} gn_build_asbuilt_opts;

GN_API void gn_build_asbuilt_defaults(gn_build_asbuilt_opts *o);

/* Record as-built tracks (gn_io_read_tracks): each goes to the trench it
 * names, else to the designed trench nearest on average (within
 * match_m). The store keeps the designed geometry (trenches) and the
 * as-built one (build_asbuilt, a GeoPackage layer), the deviation per
 * segment in metres (discrete Hausdorff distance between the two lines)
 * and a flag above threshold_m; from then on the trench's length, its
 * cables' lengths (by the same difference), the loss budgets and traces
 * use the as-built length (the designed length stays in
 * build_asbuilt.design_length_m). One transaction: all tracks or none.
 * *json: {"tracks", "matched", "flagged", "threshold_m", "segments":
 * [{trench, track, design_m, asbuilt_m, deviation_m, flagged}],
 * "unmatched": [{track, reason}]}; caller frees with gn_free. o NULL =
 * defaults. Errors: GN_EINVAL (bad options), GN_EDB, GN_ENOMEM. */
GN_API gn_status gn_build_asbuilt_import(gn_store *st, const gn_track *t,
                                         size_t n, const char *source,
                                         const gn_build_asbuilt_opts *o,
                                         const char *user,
                                         char **json /* OUT */);

#endif
