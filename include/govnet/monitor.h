/*
 * monitor.h - Operating the network: root cause of an outage from the
 * fiber records (which trench, cable or closure explains the buildings
 * that went down).
 *
 * Design: gn_monitor_net_load reads the store once into a compact model
 * (sites, their working and protect circuits, and for each circuit the
 * trenches, cables and closures it runs through, from the same derived
 * index circuit_trenches that gn_store_impact uses). A server keeps one
 * model per store and reloads it when the records change; a diagnosis is
 * then a pure computation on the model. A site is down when every one of
 * its circuits runs over a failed element (or a fiber recorded broken),
 * exactly the rule of gn_store_impact.
 *
 * Diagnosis: the candidates are the smallest sets of failed elements
 * whose failure takes down every down site and no up site. A site down
 * alone whose path is shared with up sites is a device (or power) fault
 * at that site, not a cut. Ranking: fewest elements first (devices
 * count as elements); at equal size, fewer devices, then fewer cable
 * and closure faults (a dig is the common cause of an outage, and the
 * crew checks the cable and closure where it checks the trench); then
 * the likeliest: a candidate's weight is the product of its elements'
 * weights, trench = length in metres (a dig hits any metre alike), cable
 * alone = 0.1 x its length (a cable damaged without its trench: pulled or
 * crushed in a chamber), closure = 5 (as likely as 5 m of trench: water,
 * a bad re-entry), device = 1. Ties by ids. See docs/monitor.md.
 *
 * Ownership: results have their own free functions and own all their
 * strings. A gn_monitor_net borrows nothing from the store after load.
 * Threads: a model is read-only after load; diagnoses on one model may
 * run in parallel, each with its own ctx.
 */
#ifndef GOVNET_MONITOR_H
#define GOVNET_MONITOR_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/store.h"

typedef struct gn_monitor_net gn_monitor_net;

/* Read the fiber model of st. Caller frees with gn_monitor_net_free.
 * *out is NULL on failure. Since 0.2. */
GN_API gn_status gn_monitor_net_load(gn_store *st, gn_monitor_net **out);
GN_API void gn_monitor_net_free(gn_monitor_net *net);
/* Number of sites with at least one circuit (monitorable). */
GN_API size_t gn_monitor_net_nsites(const gn_monitor_net *net);

typedef enum { GN_DIAG_CUT = 0, GN_DIAG_DEVICE = 1 } gn_diag_kind;

typedef struct gn_diag_candidate {
  gn_diag_kind kind;     /* CUT if any fiber element failed, else DEVICE */
  int64_t *trenches;     /* sorted ids */
  size_t ntrenches;
  int64_t *cables;
  size_t ncables;
  int64_t *closures;
  size_t nclosures;
  char **devices;        /* site ids with a device or power fault */
  size_t ndevices;
  size_t explains;       /* down sites this failure explains */
  double weight;         /* likelihood weight (see the ranking above) */
  char **protected_sites; /* sites that lose a circuit but stay up */
  size_t nprotected;
} gn_diag_candidate;

typedef struct gn_diagnosis {
  gn_diag_candidate *candidates; /* best first */
  size_t ncandidates;
  size_t ndown;          /* down sites given */
  int minimal;           /* 1 when the search proved these are the
                            smallest explanations; 0 when there was none
                            within max_elements and a greedy one (cuts,
                            then devices for the rest) is given */
} gn_diagnosis;

typedef struct gn_diag_options {
  int max_candidates;    /* default 10 */
  int max_elements;      /* largest failure set searched exactly; default 3 */
} gn_diag_options;

/* Diagnose: down lists the site ids seen down, up those seen up; a site
 * named in neither is taken as up. GN_ENOTFOUND names an unknown site id;
 * GN_EINVAL a site named both down and up. opt may be NULL. Caller frees
 * with gn_diagnosis_free. Since 0.2. */
GN_API gn_status gn_monitor_diagnose(gn_ctx *ctx, const gn_monitor_net *net,
                                     const char *const *down, size_t ndown,
                                     const char *const *up, size_t nup,
                                     const gn_diag_options *opt,
                                     gn_diagnosis **out);
GN_API void gn_diagnosis_free(gn_ctx *ctx, gn_diagnosis *d);
/* {"candidates":[{"kind","trenches","cables","closures","devices",
 * "explains","weight","protected"}...],"down":N,"minimal":bool}. Caller
 * frees *json with gn_free(ctx, p). Since 0.2. */
GN_API gn_status gn_diagnosis_json(gn_ctx *ctx, const gn_diagnosis *d,
                                   char **json);

/* ------------------------------------------------------------------ */
/* Alertmanager webhook (version 4)                                     */

typedef enum { GN_ALERT_FIRING = 0, GN_ALERT_RESOLVED = 1 } gn_alert_status;

typedef struct gn_alert {
  gn_alert_status status;
  char *name;          /* labels.alertname (required) */
  char *site;          /* labels.site, NULL when absent (POP devices) */
  char *device;        /* labels.device, NULL when absent */
  char *fingerprint;   /* NULL when absent */
  int64_t starts_at;   /* Unix seconds (UTC) */
  int64_t ends_at;     /* Unix seconds; 0 when unset (Go's zero time) */
} gn_alert;

typedef struct gn_alert_batch {
  gn_alert_status status; /* the group's status */
  char *receiver;
  char *group_key;        /* NULL when absent */
  gn_alert *alerts;
  size_t nalerts;
} gn_alert_batch;

#define GN_ALERTS_MAX_BYTES (4u << 20) /* larger bodies: GN_ELIMIT */
#define GN_ALERTS_MAX_ALERTS 20000

/* Parse and validate an Alertmanager webhook body (JSON, "version":"4"):
 * top-level status firing|resolved, receiver, alerts[] with status,
 * labels (string values; alertname required), startsAt and optional
 * endsAt in RFC 3339. Unknown members are ignored, as Alertmanager adds
 * some between releases. Errors: GN_EFORMAT naming the member, e.g.
 * "alerts[3].startsAt: not an RFC 3339 time"; GN_ELIMIT above the limits.
 * Caller frees with gn_alert_batch_free. Since 0.2. */
GN_API gn_status gn_monitor_alerts_parse(gn_ctx *ctx, const char *body,
                                         size_t n, gn_alert_batch **out);
GN_API void gn_alert_batch_free(gn_ctx *ctx, gn_alert_batch *b);

/* ------------------------------------------------------------------ */
/* Incidents                                                            */

typedef struct gn_monitor_ingest {
  size_t alerts;    /* alerts recorded from the batch */
  size_t down;      /* sites down after it (firing GovnetSiteDown) */
  size_t opened, updated, resolved; /* incidents */
} gn_monitor_ingest;

/* Record a webhook batch and bring the incidents up to date, in one
 * transaction with one audit row: the sites with a firing GovnetSiteDown
 * alert are diagnosed (gn_monitor_diagnose, working and protect paths);
 * each failed element (trench, cable, closure) or device of the best
 * candidate is one incident, keyed by it ("trench:286", "device:SITE"),
 * listing the down sites over it; an open incident for the same key is
 * updated, a new key opens one (at the earliest startsAt of its sites).
 * An open incident none of whose sites is still down is resolved
 * ("recovered"); one whose down sites all belong to other incidents now
 * is resolved as "superseded" (the first alarms of a cut may point to a
 * smaller element before the rest arrive). Alerts naming unknown sites
 * are recorded and left out of the diagnosis. A recovered incident is
 * resolved at the latest endsAt of its sites' alerts (within [opened,
 * now]; now if one has none). now: Unix seconds. Affected
 * leases: none yet (see docs/monitor.md, the lease hook). Since 0.2. */
GN_API gn_status gn_monitor_alerts_ingest(gn_store *st,
                                          const gn_alert_batch *b,
                                          const char *user, int64_t now,
                                          gn_monitor_ingest *out);

typedef struct gn_incident_update {
  const char *state;    /* "acknowledged", "resolved" or NULL (unchanged) */
  const char *assignee; /* NULL: unchanged */
  const char *cause;    /* NULL: unchanged */
  const char *note;     /* appended to the notes with the time; NULL none */
} gn_incident_update;

/* open -> acknowledged -> resolved (open -> resolved too; never back).
 * GN_ENOTFOUND, GN_ECONFLICT for a backward move, GN_EINVAL for an
 * unknown state or a field over 2000 bytes. One transaction + audit row.
 * Since 0.2. */
GN_API gn_status gn_monitor_incident_update(gn_store *st, int64_t id,
                                            const gn_incident_update *u,
                                            const char *user, int64_t now);

/* {"incidents":[{"id","key","kind","element","state","opened_at",
 * "acknowledged_at","resolved_at","resolution","assignee","cause","notes",
 * "sites":[...],"ttr_s"}...],"mttr_s":X|null,"resolved":N} newest first;
 * times ISO 8601 UTC; open_only keeps open and acknowledged ones. MTTR is
 * the mean open-to-resolved time of the resolved incidents listed
 * (superseded ones excluded). Caller frees *json with gn_free. Since 0.2. */
GN_API gn_status gn_monitor_incidents_json(gn_store *st, int open_only,
                                           char **json);
/* The same form for the incidents whose down time overlaps [from, to)
 * (Unix seconds): opened before to and not resolved by from; mttr_s over
 * those resolved. GN_EINVAL if to <= from. Caller frees *json with
 * gn_free. Since 0.3. */
GN_API gn_status gn_monitor_incidents_period_json(gn_store *st, int64_t from,
                                                  int64_t to, char **json);

/* ------------------------------------------------------------------ */
/* SLA                                                                  */

typedef struct gn_monitor_sla_opts {
  double target_critical; /* availability target of critical sites; 0.999 */
  double target_other;    /* of the others; 0.99 */
  int worst;              /* worst sites listed; 10 */
  const char *prometheus; /* NULL: from the incident intervals; else the
                             base URL of Prometheus's HTTP API, and the
                             availability comes from probe_success */
  int step_s;             /* with prometheus: the scrape interval; 15 */
} gn_monitor_sla_opts;

/* Availability over [from, to) (Unix seconds) from the incident
 * intervals (opened_at to resolved_at, or to while open; a site's
 * overlapping incidents count once): per monitored site (with its
 * downtime budget against its target and whether it is met), per
 * category, per calendar month (UTC), overall, and the worst sites.
 * {"from","to","period_s","targets":{...},"overall":{...},
 *  "categories":[{"category","sites","down_s","availability"}],
 *  "months":[{"month":"YYYY-MM","down_s","availability"}],
 *  "days":[{"day":"YYYY-MM-DD","down_s","availability"}] (UTC days; the
 *  first and last may be partial: availability over their part),
 *  "sites":[{"id","name","category","critical","down_s","availability",
 *            "target","budget_s","met"}], "worst":[ids]}.
 * GN_EINVAL if to <= from. Caller frees *json with gn_free. Since 0.2. */
/* From Prometheus (opts->prometheus): per site, the samples of
 * probe_success of job govnet_cpe (what monitor config writes) in the
 * period, each standing for one scrape interval (step_s): a 0 is down
 * for one step, a 1 up, a missing sample is "no data" (nodata_s), not up.
 * Availability = 1 - down / (measured time), null with no sample at all.
 * The samples are counted by Prometheus (count_over_time, sum_over_time
 * by site over windows of whole steps, at most 10,000 windows, aligned on
 * days when the step allows), so a long period costs one small answer.
 * Every group also carries "nodata_s"; "source" is "incidents" or
 * "prometheus". Errors: GN_EIO (unreachable, HTTP error), GN_EFORMAT (an
 * answer that is not a matrix by site), GN_EINVAL (Prometheus refused the
 * query: its message). */
/* "YYYY-MM-DD" (midnight UTC) or an RFC 3339 time -> Unix seconds;
 * GN_EINVAL naming the text. Since 0.2. */
GN_API gn_status gn_monitor_parse_time(gn_ctx *ctx, const char *s,
                                       int64_t *out);
GN_API gn_status gn_monitor_sla_json(gn_store *st, int64_t from, int64_t to,
                                     const gn_monitor_sla_opts *opts,
                                     char **json);

/* A range-query answer of Prometheus's HTTP API (resultType matrix),
 * one series per value of the label "site". */
typedef struct gn_prom_series {
  char *site;    /* metric.site */
  size_t n;
  double *t;     /* [n] Unix seconds */
  double *v;     /* [n] values */
} gn_prom_series;

typedef struct gn_prom_matrix {
  gn_prom_series *series;
  size_t nseries;
} gn_prom_matrix;

#define GN_PROM_MAX_BYTES (256u << 20) /* larger answers: GN_ELIMIT */

/* Validate and read an answer of /api/v1/query_range: status "success",
 * data.resultType "matrix", each result with a text metric.site and
 * values [[time, "decimal"]...]. Errors: GN_EFORMAT naming the member,
 * GN_EINVAL with Prometheus's message for its {"status":"error"} form,
 * GN_ELIMIT. Caller frees with gn_prom_matrix_free. Since 0.3. */
GN_API gn_status gn_monitor_prom_parse(gn_ctx *ctx, const char *body,
                                       size_t n, gn_prom_matrix **out);
GN_API void gn_prom_matrix_free(gn_ctx *ctx, gn_prom_matrix *m);

/* ------------------------------------------------------------------ */
/* OTDR distance on the map                                             */

typedef struct gn_locate_query {
  const char *site;   /* a site id: the POP end of its first working circuit */
  int64_t circuit;    /* or a circuit id: the POP end of its first strand */
  int64_t port;       /* or a port id: the trace starts there */
  double distance_m;  /* OTDR (optical) distance from that end, 0..1e6 */
} gn_locate_query;

typedef struct gn_locate_result {
  int64_t circuit;   /* the circuit walked (0 when a port was given) */
  int64_t port;      /* the port the walk starts from */
  int64_t trench;    /* the trench holding the point */
  double along_m;    /* trench metres from the trench's end a */
  double lon, lat;   /* the point (WGS 84) */
  size_t ndown, nprotected; /* sites a break there takes down / leaves up
                               through protection */
} gn_locate_result;

/* Pin an OTDR distance on the map: the fiber from the POP end (exactly one
 * of site, circuit, port) is walked as gn_store_impact's OTDR form does
 * (cable = trench x 1.02, slack loops of 15 m at each closure and 10 m
 * at each end). *out gets the point; json (may be NULL) the same as
 * {"site","circuit","port","distance_m","trench","along_m","lon","lat",
 * "point" (GeoJSON),"down","protected" (site ids)}. Errors: GN_EINVAL
 * (none or several of site/circuit/port, a distance out of range, beyond
 * the fiber's end or in its far-end slack), GN_ENOTFOUND (unknown site,
 * circuit or port; a site without a working circuit). Nothing is
 * written. Caller frees *json with gn_free. Since 0.3. */
GN_API gn_status gn_monitor_locate(gn_store *st, const gn_locate_query *q,
                                   gn_locate_result *out, char **json);

/* ------------------------------------------------------------------ */
/* Monitoring configuration for Prometheus + blackbox_exporter +       */
/* Alertmanager                                                         */

/* Give a management address to every CPE, OLT and switch that has none,
 * from the IPv4 prefix (CIDR, e.g. "10.200.0.0/16"; NULL = that one):
 * the free host addresses in order, devices in order of OLTs/switches by
 * POP id then CPEs by site id, so the same store gets the same addresses.
 * Addresses once given are kept (table monitor_devices, editable in SQL).
 * One transaction and one audit row. GN_EINVAL for a bad prefix,
 * GN_ELIMIT when the prefix is full. *assigned (may be NULL) counts the
 * new addresses. Since 0.2. */
GN_API gn_status gn_monitor_assign_addresses(gn_store *st, const char *prefix,
                                             const char *user,
                                             size_t *assigned);

typedef struct gn_monitor_config_opts {
  int probe_port;           /* TCP port probed on each device; 22 */
  const char *blackbox;     /* host:port of blackbox_exporter; 127.0.0.1:9115 */
  const char *alertmanager; /* host:port of Alertmanager; 127.0.0.1:9093 */
  const char *webhook_url;  /* govnet's alert intake;
                               http://127.0.0.1:8080/api/alerts */
  const char *token_file;   /* bearer token file for the webhook; NULL none */
  int scrape_interval_s;    /* 15 */
  int down_after_s;         /* a probe failing this long alerts; 60 */
} gn_monitor_config_opts;

typedef struct gn_monitor_config_stats {
  size_t cpe_targets, olt_targets, assigned;
} gn_monitor_config_stats;

/* Write into dir (created if needed): prometheus.yml, blackbox.yml,
 * govnet_rules.yml, alertmanager.yml and the file_sd target lists
 * targets/cpe.json and targets/olt.json (one target per device with a
 * management address, labelled site, site_name, organisation, category,
 * critical, pop, device). Each file is written whole or not at all.
 * Devices without an address are given one first (see
 * gn_monitor_assign_addresses, with prefix). opts may be NULL. Since 0.2. */
GN_API gn_status gn_monitor_config_write(gn_store *st,
                                         const gn_monitor_config_opts *opts,
                                         const char *prefix, const char *user,
                                         const char *dir,
                                         gn_monitor_config_stats *stats);

#endif
