/*
 * lease.h - Sharing the spare capacity: what every fiber is used for,
 * quotes, reservations and leases of dark fibers for operators, the
 * monthly invoice, and the open publication of the network as OFDS.
 *
 * Model: every fiber has one use, derived from the store: "government"
 * (a working circuit), "protect" (a protect circuit), "leased" (an active
 * lease), "reserved" (a reserved lease not yet active or expired),
 * "broken", "maintenance" (the government's reserve: a configurable share
 * of each cable's non-circuit fibers, the highest numbers, held back for
 * repairs and growth) or "spare" (free to lease).
 * A lease: an operator (organisation name), ends A and B, its fibers cable
 * by cable along one route (two trench-disjoint routes when diverse),
 * term, monthly and one-off price in FCFA, SLA target, and a state:
 * quote -> reserved (expires after the tariff's reserve_days) -> active
 * -> terminated. A fiber is held by at most one live (reserved or
 * active) lease: the store enforces it with a unique index, so two
 * operators racing for the last fibers cannot both get them.
 * Ends are written "site:ID", "pop:ID", "closure:ID" or "LON,LAT" (the
 * nearest closure; the distance is reported).
 * Routing: over cables with enough usable fibers, minimising the loss at
 * 1310 nm (fiber km plus one new splice at every change of cable); the
 * fibers of each cable keep the previous cable's numbers where free, so
 * colours run through. A lease never takes a government, protect, broken
 * or maintenance fiber.
 * Tables (lease_leases, lease_fibers) belong to this module and are
 * created on first use (gn__st_module_migrate); all SQL runs through the
 * store's connection and transactions, and every change writes an audit
 * row.
 * Ownership: JSON text returned through char ** is allocated with the
 * store's ctx allocator: free it with gn_free(ctx, p).
 * Threads: as the store: one gn_store (and ctx) per thread.
 */
#ifndef GOVNET_LEASE_H
#define GOVNET_LEASE_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/store.h"

/* The tariff, in FCFA (docs/lease.md gives the reasoning). */
typedef struct gn_lease_tariff {
  double fiber_km_month;   /* per fiber and route km, per month */
  double splice_once;      /* per new fusion splice */
  double odf_port_once;    /* per new ODF port (pop: end) */
  double closure_once;     /* per new closure where none exists yet */
  double termination_once; /* per fiber terminated at a building */
  double discount_36, discount_60, discount_120; /* share off monthly for a
                                                    term >= 36/60/120 months */
  double reserve_share;    /* share of each cable's non-circuit fibers held
                              back as the government's reserve */
  int reserve_days;        /* a reservation expires after this many days */
  double sla_single_pct;   /* availability target of a single route */
  double sla_diverse_pct;  /* ... of a diverse (two-route) lease */
  double penalty_share;    /* of the monthly price per 0.1 % below target */
  double repair_hours;     /* expected time to repair a cut (exposure) */
  double max_loss_db;      /* no route is offered above this loss at
                              1310 nm (the reach of common long-haul optics) */
} gn_lease_tariff;

/* The documented defaults. Since 0.4. */
GN_API void gn_lease_tariff_init(gn_lease_tariff *t);

/* Read the "lease.*" keys of a price book file (docs/pricebook.md
 * format; other keys are the plan's and are skipped) into t, which keeps
 * its values for keys not given. Errors name the file, line and key:
 * GN_EIO (cannot open), GN_EFORMAT (unknown lease key, not a number, out
 * of its range, given twice). t is unchanged on failure. Since 0.4. */
GN_API gn_status gn_lease_tariff_read(gn_ctx *ctx, const char *path,
                                      gn_lease_tariff *t);

typedef struct gn_lease_request {
  const char *from, *to;  /* ends: site:ID, pop:ID, closure:ID, LON,LAT */
  int fibers;             /* fibers wanted, 1..48 */
  int diverse;            /* 1: a second, trench-disjoint route */
  int term_months;        /* contract term (default 12) */
  const char *operator_;  /* organisation (reserve); NULL for a quote */
  const char *user;       /* for the audit log; NULL: "api" */
} gn_lease_request;

/* Defaults: 1 fiber, single route, 12 months. Since 0.4. */
GN_API void gn_lease_request_init(gn_lease_request *r);

/* Quote: the route, fibers, loss, work order, price and SLA, as JSON
 * {"route":[cable ids],"fibers":[fiber ids],"length_m","loss_db_1310",
 * "loss_db_1550","new_splices","price_fcfa_month","price_fcfa_once",
 * "sla_pct","from":{...},"to":{...},"routes":[{...} per route],
 * "work_order":[...]}. Reads only. Errors: GN_EINVAL (bad end or
 * count), GN_ENOTFOUND (unknown site/pop/closure), GN_ECONFLICT with the
 * reason when no route has the capacity ("no spare fiber on cable C
 * between closure X and closure Y", "no trench-disjoint second route").
 * Since 0.4. */
GN_API gn_status gn_lease_quote(gn_store *st, const gn_lease_tariff *t,
                                const gn_lease_request *r,
                                char **json /* OUT */);

/* Reserve: quote and hold the fibers in one write transaction (state
 * reserved, expires after t->reserve_days). JSON as the quote plus "id",
 * "operator", "state", "reserved_until". GN_ECONFLICT when the capacity
 * is gone (another reservation won). Since 0.4. */
GN_API gn_status gn_lease_reserve(gn_store *st, const gn_lease_tariff *t,
                                  const gn_lease_request *r,
                                  char **json /* OUT */);

/* reserved -> active (start today); active|reserved -> terminated
 * (fibers freed). GN_ENOTFOUND, or GN_ECONFLICT naming the state that
 * forbids it (an expired reservation cannot be activated). user for the
 * audit log. Since 0.4. */
GN_API gn_status gn_lease_activate(gn_store *st, int64_t id, const char *user);
GN_API gn_status gn_lease_terminate(gn_store *st, int64_t id,
                                    const char *user);

/* Leases as a JSON array, newest first, each {"id","operator","state",
 * "from","to","fibers":[ids],"length_m","price_fcfa_month",...};
 * operator_ NULL: all. One lease: gn_lease_get_json (GN_ENOTFOUND; with
 * operator_ set, another operator's lease is GN_ENOTFOUND too, so ids
 * reveal nothing). Since 0.4. */
GN_API gn_status gn_lease_list_json(gn_store *st, const char *operator_,
                                    char **json /* OUT */);
GN_API gn_status gn_lease_get_json(gn_store *st, int64_t id,
                                   const char *operator_,
                                   char **json /* OUT */);

/* The lease holding fiber (live), 0 if none. Since 0.4. */
GN_API gn_status gn_lease_of_fiber(gn_store *st, int64_t fiber,
                                   int64_t *lease /* OUT */);

/* The trace JSON of gn_store_trace_json with "lease": the live lease
 * holding a fiber of the trace, or null, first. Since 0.4. */
GN_API gn_status gn_lease_trace_json(gn_store *st, const gn_trace *t,
                                     char **json /* OUT */);

/* Occupancy: per cable and per trench, fibers by use, as JSON
 * {"cables":[{"id","fibers","government","protect","leased","reserved",
 * "broken","maintenance","spare","spare_share"}],"trenches":[...],
 * "totals":{...}}. Since 0.4. */
GN_API gn_status gn_lease_occupancy_json(gn_store *st,
                                         const gn_lease_tariff *t,
                                         char **json /* OUT */);

/* The leases hit by an impact (cut): [{"lease","operator","state",
 * "fibers_cut","route_cut","protected","price_fcfa_month",
 * "penalty_exposure_fcfa"}]; a diverse lease with one route intact is
 * "protected" with no exposure. Since 0.4. */
GN_API gn_status gn_lease_impact_json(gn_store *st, const gn_lease_tariff *t,
                                      const gn_impact *imp,
                                      char **json /* OUT */);

/* An outage of one trench or cable (kind GN_CUT_TRENCHES or
 * GN_CUT_CABLE) over [start, end), Unix seconds: e.g. a cut incident. */
typedef struct gn_lease_outage {
  gn_cut_kind kind;
  int64_t id;
  int64_t start, end;
} gn_lease_outage;

/* Availability of every lease active during [from, to) against its
 * contractual SLA, with the penalty due, from the outages: a route is
 * down while an outage hits one of its cables or their trenches; a
 * diverse lease only while both routes are down at once. Over the days
 * it was active (start_date .. end_date, whole UTC days) within the
 * period. The penalty is counted per calendar month on the month's
 * billed amount (price pro rata of active time): every started 0.1 %
 * below sla_pct costs t->penalty_share of it, capped at it. JSON:
 * [{"lease","operator","diverse","active_s","down_s","availability",
 * "sla_pct","met","price_fcfa_month","months":[{"month","down_s",
 * "availability","penalty_fcfa"}],"penalty_fcfa"}]. t NULL: defaults.
 * GN_EINVAL if to <= from. Since 0.4. */
GN_API gn_status gn_lease_sla_json(gn_store *st, const gn_lease_tariff *t,
                                   const gn_lease_outage *o, size_t n,
                                   int64_t from, int64_t to,
                                   char **json /* OUT */);

/* Monthly invoice lines (month "YYYY-MM"): one line per lease active
 * during the month, pro rata of days, one-off charges in the month of
 * activation; totals per operator. format "csv" or "html"; lang "fr" or
 * "en". Since 0.4. */
GN_API gn_status gn_lease_report(gn_store *st, const char *month,
                                 const char *format, const char *lang,
                                 char **text /* OUT */);

/* The network as an Open Fibre Data Standard 0.3 network package (JSON;
 * nodes, spans with route geometry, fibre counts, dark-fibre
 * availability, the network provider, phases, status), or as a GeoJSON
 * FeatureCollection of the same nodes and spans (geojson = 1). No lease,
 * operator or price appears in it: it is the public view. Since 0.4. */
GN_API gn_status gn_lease_ofds_json(gn_store *st, const gn_lease_tariff *t,
                                    int geojson, char **json /* OUT */);

#endif
