/*
 * report.h - The plan report: a map image (sites by category, trenches
 * by cable size, rings highlighted), the summary, the per-phase costs,
 * the bill of materials and the single-cut table, as HTML (map embedded
 * as a base64 PNG) and as PDF (cairo), in French (default) or English.
 * All texts come from one catalogue (src/report/strings.c).
 * Every output is written to a temporary name and renamed: a failure
 * leaves no partial file.
 * Threads: reentrant; one gn_ctx per thread.
 */
#ifndef GOVNET_REPORT_H
#define GOVNET_REPORT_H

#include "govnet/design.h"
#include "govnet/export.h"
#include "govnet/plan.h"
#include "govnet/store.h"

typedef struct gn_report_opts {
  const char *lang;          /* "fr" (default) or "en" */
  const gn_pricebook *pb;    /* NULL: defaults */
  int map_width, map_height; /* map image in pixels; default 1400 x 1000 */
} gn_report_opts;

GN_API void gn_report_opts_init(gn_report_opts *o);

/* Render the plan map as a PNG file. Errors: GN_EIO, GN_EINVAL (empty
 * plan), GN_ENOMEM. Since 0.1. */
GN_API gn_status gn_report_map_png(const gn_plan *p, const gn_report_opts *o,
                                   const char *path);

/* Write the report. The plan is sized (if it is not yet) and priced
 * with o->pb (trench cost_fcfa is updated), so p is not const.
 * html_path or pdf_path may be NULL (not written). Errors: GN_EINVAL
 * (unknown language, plan without POP or trench), GN_EIO, GN_ENOMEM.
 * Since 0.1. */
GN_API gn_status gn_report_write(gn_plan *p, const gn_report_opts *o,
                                 const char *html_path, const char *pdf_path);

/* The supervisors' daily construction report from a store's build
 * records (gn_build_supervision_json): earned progress, the S-curve,
 * progress by phase and subcontractor, metres per crew-day, blocked
 * segments with their age; for one phase (NULL: all) as of a day
 * (YYYY-MM-DD, NULL: today), in "fr" (default) or "en". html_path or
 * pdf_path may be NULL. Errors: GN_EINVAL (language, day), GN_EIO,
 * GN_EDB, GN_ENOMEM; no partial file is left. Since 0.1. */
GN_API gn_status gn_report_build_daily(gn_store *st, const char *phase,
                                       const char *as_of, const char *lang,
                                       const char *html_path,
                                       const char *pdf_path);

#endif
