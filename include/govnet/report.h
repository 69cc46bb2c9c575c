/*
 * report.h - The plan report: a map image (sites by category, trenches
 * by cable size, rings highlighted), the summary, the per-phase costs,
 * the bill of materials and the single-cut table, as HTML (map embedded
 * as a base64 PNG) and as PDF (cairo), in French (default) or English.
 * Also the daily construction report, the stability report, the monthly
 * hotspot usage report and voucher sheets (declared below).
 * All texts come from one catalogue (src/report/strings.c).
 * Every output is written to a temporary name and renamed: a failure
 * leaves no partial file.
 * Threads: reentrant; one gn_ctx per thread.
 */
#ifndef GOVNET_REPORT_H
#define GOVNET_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
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

/* The stability report of a period (a stability test, a month of
 * operation): overall availability against the targets and the downtime
 * budgets, a chart of daily availability, incidents by cause (chart and
 * table), MTTR overall and per cause (chart), the worst sites (chart and
 * table), availability per category and the incident list. The figures
 * are those of gn_monitor_sla_json and gn_monitor_incidents_period_json
 * for the same period and targets. */
typedef struct gn_report_stability_opts {
  int64_t from, to;       /* the period [from, to), Unix seconds */
  const char *lang;       /* "fr" (default) or "en" */
  double target_critical; /* 0: the SLA default (0.999) */
  double target_other;    /* 0: the SLA default (0.99) */
  int worst;              /* worst sites listed; 0: 10 */
  const char *prometheus; /* NULL: availability from the incident
                             intervals; else Prometheus's base URL, and
                             availability from probe_success (see
                             gn_monitor_sla_json) */
  int step_s;             /* with prometheus: the scrape interval; 0: 15 */
} gn_report_stability_opts;

/* Write the stability report as HTML (self-contained: charts embedded
 * as SVG images, readable offline and on a phone) and/or PDF (A4, vector
 * charts); either path may be NULL. Errors: GN_EINVAL (language, empty
 * or reversed period, target not a fraction < 1), GN_ELIMIT (period over
 * 100 years), GN_EIO, GN_EDB, GN_ENOMEM; no partial file is left.
 * Since 0.3. */
GN_API gn_status gn_report_stability(gn_store *st,
                                     const gn_report_stability_opts *o,
                                     const char *html_path,
                                     const char *pdf_path);

/* The monthly usage report of the student WiFi hotspots for month
 * ("YYYY-MM", UTC days): the month's distinct users, sessions, data in
 * and out (GB, 10^9 bytes), connected hours and active access points;
 * per day (every day of the month, zero without traffic) a chart of data
 * and one of distinct users; per access point (NAS-Identifier, else NAS
 * address) a table sorted by data and a chart of the ten busiest. The
 * figures are those of gn_hotspot_usage_summary_json over the month. No
 * table per student or voucher (personal data; the report says so). A
 * month without traffic gives a report saying so. lang: "fr" (NULL, the
 * default) or "en". HTML self-contained (charts as SVG images), PDF A4;
 * either path may be NULL. Errors: GN_EINVAL (language, month not
 * YYYY-MM with a month 01..12), GN_EIO, GN_EDB, GN_ENOMEM; no partial
 * file is left. Since 0.6. */
GN_API gn_status gn_report_hotspot_month(gn_store *st, const char *month,
                                         const char *lang,
                                         const char *html_path,
                                         const char *pdf_path);

/* A sheet of WiFi voucher cards (see govnet/hotspot.h). */
typedef struct gn_report_voucher_sheet {
  const char *const *codes; /* count codes (borrowed) */
  size_t count;             /* 1..10000 */
  const char *network;      /* SSID printed on the cards (may be NULL) */
  int64_t minutes;          /* access per voucher from its first login */
  int64_t uses;             /* logins per voucher (0 = unlimited) */
  int64_t expires;          /* Unix s: unused vouchers lapse */
} gn_report_voucher_sheet;

/* Write an A4 PDF of voucher cards in French, 10 per page with cutting
 * lines. Errors: GN_EINVAL (no codes, a code over 32 bytes), GN_EIO,
 * GN_ENOMEM. No partial file is left on failure. Since 0.1. */
GN_API gn_status gn_report_vouchers_pdf(gn_ctx *ctx,
                                        const gn_report_voucher_sheet *s,
                                        const char *path);

#endif
