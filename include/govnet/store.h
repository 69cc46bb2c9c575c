/*
 * store.h - The network's system of record: a strand-level inventory in
 * one SQLite file, fiber trace with loss budget, and cut impact.
 *
 * Design: a store is one SQLite database in WAL mode that is also a valid
 * GeoPackage (application_id 'GPKG', gpkg_contents, gpkg_spatial_ref_sys,
 * gpkg_geometry_columns, geometries as GPKG binary blobs in EPSG:4326), so
 * `ogrinfo DB` lists the spatial layers and QGIS opens them directly. The
 * schema is versioned (PRAGMA user_version + a gn_migrations table) and
 * migrated forward on open. Foreign keys are ON. Every accepted change is
 * one transaction and writes one row to the audit log (who, when, what,
 * before/after JSON). All SQL lives in src/store/; no SQLite type or code
 * leaves it (errors come back as gn_status: GN_EBUSY for a locked file,
 * GN_EFORMAT for a file that is not a govnet store or has a newer schema,
 * GN_EDB for any other SQLite failure).
 *
 * Model (see docs/store.md for tables and colours):
 *   site      a building, keyed by its plan input id (text, e.g. "osm:123")
 *   pop       a point of presence, keyed by its plan id (text)
 *   trench    a dug segment between two nodes; id == plan trench id
 *   cable     a cable through one or more trenches (it continues through
 *             nodes where only two trenches meet and no building or POP
 *             sits); fiber count, tubes of 12 fibers; ends a and b
 *   fiber     one strand of a cable: number 1..n, tube/fiber colour
 *             (TIA-598); ends "a" (at the cable's end a) and "b"
 *   closure   a splice closure at a network node
 *   splice    fiber X end ↔ fiber Y end inside one closure
 *   port      an ODF port (at a POP) or an equipment port (OLT/switch at a
 *             POP, CPE at a building); a port may hold one fiber end
 *   circuit   a building's service: ODF port → fibers + splices → CPE port,
 *             role "working" (the tree path) or "protect" (a trench-disjoint
 *             path, when the plan's redundant trenches give one)
 * Integer ids are the SQLite rowids (stable, never reused); site and POP
 * ids are the plan's text ids.
 *
 * Ownership: strings and JSON returned through char ** are allocated with
 * the ctx allocator; caller is responsible for freeing them with
 * gn_free(ctx, p). Result objects (gn_trace, gn_impact, record arrays) have
 * their own free functions and own all their strings.
 * Threads: a gn_store is one SQLite connection: use it from one thread at a
 * time. Open one gn_store (with its own gn_ctx) per thread; WAL lets
 * readers run while one writer writes.
 */
#ifndef GOVNET_STORE_H
#define GOVNET_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/export.h"
#include "govnet/plan.h"

/* Schema version written by this library. A store with a higher
 * user_version is refused with GN_EFORMAT. */
#define GN_STORE_SCHEMA_VERSION 6

typedef struct gn_store gn_store;

/* ------------------------------------------------------------------ */
/* Open / close                                                        */

enum {
  GN_STORE_CREATE = 1,   /* create the file if missing (and init schema) */
  GN_STORE_READONLY = 2, /* open read-only; a store that would need a
                            migration is refused (GN_EFORMAT) */
  GN_STORE_SYNC_NORMAL = 4, /* synchronous=NORMAL instead of FULL: faster
                            commits, but the last ones may be lost on a
                            power cut or OS crash (never on a process
                            crash); docs/server.md "Durability". Since 0.2 */
  GN_STORE_BRIEF = 8     /* a short-lived process among many (govnet-aaa,
                            one per RADIUS request): closing does not
                            checkpoint the WAL (4 fdatasyncs and 2 unlinks
                            per process otherwise); SQLite's automatic
                            checkpoint still bounds the WAL. Since 0.2. */
};

/* Open the store at path. Checks application_id/user_version: a file that
 * is not a govnet store fails with GN_EFORMAT ("not a govnet store"); a
 * newer schema with GN_EFORMAT; a locked file (after busy_timeout_ms,
 * 0 = default 2000 ms) with GN_EBUSY. Runs pending migrations unless
 * READONLY. Caller frees with gn_store_close(). *out is NULL on failure.
 * Since 0.1. */
GN_API gn_status gn_store_open(gn_ctx *ctx, const char *path, int flags,
                               int busy_timeout_ms, gn_store **out);

/* Close the store. NULL is a harmless no-op. Since 0.1. */
GN_API void gn_store_close(gn_store *st);

/* The ctx the store was opened with (borrowed). Since 0.1. */
GN_API gn_ctx *gn_store_ctx(const gn_store *st);

/* Current schema version of the open file. Since 0.1. */
GN_API int gn_store_schema_version(const gn_store *st);

/* Who acts: every audit row written on this store from now on records
 * this user (id, name), role, organisation and route or command ("via"),
 * instead of the `user` argument of the edit. Strings are copied
 * (truncated to GN_STORE_ACTOR_MAX - 1 bytes). NULL clears it. The audit
 * log is a hash chain (each row's hash covers its content and the
 * previous row's hash); gn_store_check verifies it. Since 0.2. */
#define GN_STORE_ACTOR_MAX 160
typedef struct gn_store_actor {
  int64_t user_id;      /* 0 = not a stored user (CLI, --token-file) */
  const char *user;     /* name; NULL = the edit's user argument */
  const char *role;     /* "admin", ...; NULL = none (local CLI) */
  const char *org;      /* organisation name or NULL */
  const char *via;      /* "PATCH /api/sites/x", "govnet user add", NULL */
} gn_store_actor;
GN_API void gn_store_set_actor(gn_store *st, const gn_store_actor *a);

/* ------------------------------------------------------------------ */
/* Import a plan                                                       */

typedef struct gn_store_import_stats {
  size_t sites, pops, trenches, cables, fibers, closures, splices, ports,
      circuits, protected_sites;
} gn_store_import_stats;

/* Turn a plan into as-designed records in ONE transaction: trenches (id ==
 * plan trench id), one cable per trench (or per run of trenches through
 * nodes where only two trenches meet) of the planned size (plan
 * cable_size, else sites_downstream*2 fibers + 50 % spare rounded up to
 * 12/24/48/72/96/144/288, grown to the fibers the circuits use plus
 * the plan's spare share, meta "layout_spare", default 50 %), fibers,
 * closures at every node where cables meet, splices giving every
 * connected building two fibers (tx/rx) back to its POP, an ODF port per
 * fiber at the POP, an OLT per POP, a CPE per building and one working
 * circuit per building (+ one protect circuit when a trench-disjoint path
 * exists). The plan's metadata and a summary/BOM are stored for
 * gn_store_summary_json(). Refuses (GN_ECONFLICT) a store that already
 * holds a plan. On failure nothing is written. user: audit user (NULL =
 * "unknown"). stats may be NULL. Since 0.1. */
GN_API gn_status gn_store_import_plan(gn_store *st, const gn_plan *plan,
                                      const char *user,
                                      gn_store_import_stats *stats);

/* ------------------------------------------------------------------ */
/* Listing and getting (for the HTTP API and exports)                  */

typedef enum {
  GN_LAYER_SITES = 0,
  GN_LAYER_POPS,
  GN_LAYER_TRENCHES,
  GN_LAYER_CABLES,
  GN_LAYER_CLOSURES,
  GN_LAYER_CIRCUITS, /* geometry: the union of its cables' trench lines */
  GN_LAYER_COUNT
} gn_store_layer;

/* "sites", "pops", "trenches", "cables", "closures", "circuits".
 * Static storage. Since 0.1. */
GN_API const char *gn_store_layer_name(gn_store_layer l);
/* Inverse of gn_store_layer_name; GN_LAYER_COUNT if unknown. */
GN_API gn_store_layer gn_store_layer_parse(const char *name);

typedef struct gn_store_query {
  int has_bbox;                 /* 1: keep features whose bbox intersects */
  double min_lon, min_lat, max_lon, max_lat;
  const char *category;         /* sites only: "health"...; NULL = any */
  size_t limit;                 /* 0 = no limit (server should cap) */
  size_t offset;                /* rows to skip (order: by id) */
  const char *site;             /* circuits only: the circuits serving this
                                   site (plan id; working and protect),
                                   through the circuits_site index; an
                                   unknown site is GN_ENOTFOUND, a site on
                                   another layer GN_EINVAL. NULL = any.
                                   Since 0.2 (added at the end). */
} gn_store_query;

/* A GeoJSON FeatureCollection of one layer, filtered and paginated, with
 * top-level members "total" (rows matching before limit/offset), "limit",
 * "offset". Each feature has "id" (site/pop: text plan id; others: integer)
 * and its attributes as properties. Site features also carry "circuit"
 * (the id of the site's first working circuit) and "cpe_port" (the CPE
 * port of that circuit's strand 1, for gn_store_trace_port), both null
 * when the site has no circuit. Caller frees *json with gn_free.
 * Errors: GN_EINVAL (bad bbox/layer/category/site filter), GN_ENOTFOUND
 * (q->site unknown), GN_EDB. Since 0.1. */
GN_API gn_status gn_store_list_geojson(gn_store *st, gn_store_layer layer,
                                       const gn_store_query *q,
                                       char **json /* OUT */);

/* One feature as a GeoJSON Feature. id: the text id for sites/pops, the
 * decimal integer id otherwise. Errors: GN_ENOTFOUND, GN_EINVAL. Caller
 * frees *json with gn_free. Since 0.1. */
GN_API gn_status gn_store_get_geojson(gn_store *st, gn_store_layer layer,
                                      const char *id, char **json /* OUT */);

/* A site as a record (create/update input and list output). */
typedef struct gn_store_site {
  char *id;              /* plan input id, required, unique */
  char *name;            /* may be NULL */
  gn_category category;
  int priority;          /* higher = more important */
  int critical;          /* 0/1 */
  double lon, lat;
  char *phase;           /* may be NULL */
} gn_store_site;

/* Site records matching q (bbox/category/limit/offset), ordered by id.
 * Caller frees with gn_store_sites_free(ctx, arr, n). Since 0.1. */
GN_API gn_status gn_store_list_sites(gn_store *st, const gn_store_query *q,
                                     gn_store_site **arr /* OUT */,
                                     size_t *n /* OUT */);
GN_API void gn_store_sites_free(gn_ctx *ctx, gn_store_site *arr, size_t n);

/* Create a site (validated: non-empty id of <= 128 bytes, unique;
 * category valid; lon/lat valid; priority 0..100; name <= 512 bytes).
 * Errors: GN_EINVAL (message names the field), GN_ECONFLICT (id exists).
 * One transaction + audit row. Since 0.1. */
GN_API gn_status gn_store_site_create(gn_store *st, const gn_store_site *s,
                                      const char *user);
/* Update the site s->id (all fields replaced; same validation).
 * GN_ENOTFOUND if absent. Since 0.1. */
GN_API gn_status gn_store_site_update(gn_store *st, const gn_store_site *s,
                                      const char *user);
/* An entity tag: a quoted hash of the site record, NUL-terminated. */
#define GN_STORE_ETAG_SIZE 24

/* Changes a patch makes to the current record: set fields of *site
 * (strings may point to memory the callback owns; they must stay valid
 * until gn_store_site_patch returns). The id cannot change. */
typedef gn_status (*gn_store_site_merge_fn)(void *ud, gn_ctx *ctx,
                                            gn_store_site *site);

/* Read, merge and write a site in one write transaction (BEGIN
 * IMMEDIATE), so concurrent patches of different fields never undo each
 * other. if_match (may be NULL): an If-Match value ("*" or a list of
 * ETags); GN_EPRECOND if it does not match the current record. On
 * success etag (may be NULL) holds the new record's ETag. Errors:
 * GN_ENOTFOUND, GN_EINVAL (after the merge, as gn_store_site_update),
 * GN_EPRECOND, errors of merge. One audit row. Since 0.2. */
GN_API gn_status gn_store_site_patch(gn_store *st, const char *id,
                                     const char *if_match,
                                     gn_store_site_merge_fn merge, void *ud,
                                     const char *user,
                                     char etag[GN_STORE_ETAG_SIZE]);
/* A site as a GeoJSON Feature (as gn_store_get_geojson) and its ETag,
 * read from one snapshot. Since 0.2. */
GN_API gn_status gn_store_site_get(gn_store *st, const char *id,
                                   char **json /* OUT */,
                                   char etag[GN_STORE_ETAG_SIZE]);
/* Delete a site. GN_ECONFLICT if circuits still serve it. Since 0.1. */
GN_API gn_status gn_store_site_delete(gn_store *st, const char *id,
                                      const char *user);

/* Plan metadata, counts and bill of materials as a JSON object:
 * {"meta":{...},"counts":{"sites":..,"trenches":..,...},
 *  "bom":{"trench_m":..,"cable_m_by_size":{"12":..},"fibers":..,
 *         "closures":..,"splices":..,"odf_ports":..,"cpe":..,
 *         "cost_fcfa":..,"cost_source":"plan"|"trenches"},
 *  "protected_sites":..,"broken_fibers":..}
 * bom.cost_fcfa is the plan's cost kept by the import: the plan metadata
 * "cost_fcfa" when the planner wrote one (cost_source "plan"), else the
 * sum of the plan trenches' cost_fcfa when positive ("trenches"); absent
 * when the plan was never priced.
 * Caller frees with gn_free. Since 0.1. */
GN_API gn_status gn_store_summary_json(gn_store *st, char **json /* OUT */);

/* The newest audit rows (id desc) as a JSON array of
 * {"id","at","user","user_id","role","org","via","action","object",
 *  "before","after","hash"}. limit 0 = 100.
 * Caller frees with gn_free. Since 0.1. */
GN_API gn_status gn_store_audit_json(gn_store *st, size_t limit,
                                     size_t offset, char **json /* OUT */);

/* ------------------------------------------------------------------ */
/* Edits with integrity (each: one transaction + one audit row)        */

/* Splice fiber_a's end end_a ('a' or 'b') to fiber_b's end end_b in
 * closure. Refuses (GN_ECONFLICT) a fiber end already spliced or on a
 * port, an end not at the closure's node, a fiber spliced to itself.
 * GN_ENOTFOUND for unknown ids. *splice_id may be NULL. Since 0.1. */
GN_API gn_status gn_store_splice_add(gn_store *st, int64_t closure,
                                     int64_t fiber_a, char end_a,
                                     int64_t fiber_b, char end_b,
                                     const char *user,
                                     int64_t *splice_id /* OUT */);
/* Remove a splice. Refuses (GN_ECONFLICT) if a circuit runs through it.
 * Since 0.1. */
GN_API gn_status gn_store_splice_remove(gn_store *st, int64_t splice,
                                        const char *user);

/* Move circuit's strand from fiber `from` to fiber `to` of the SAME cable
 * (the repair after a break): the splices/ports at both ends of `from`
 * move to `to`. Refuses (GN_ECONFLICT) if `to` is broken, carries a
 * circuit, has splices, or is in another cable, or `from` is not in the
 * circuit. Since 0.1. */
GN_API gn_status gn_store_circuit_move(gn_store *st, int64_t circuit,
                                       int64_t from, int64_t to,
                                       const char *user);

/* Mark a fiber broken (broken=1, note may be NULL) or repaired (0).
 * Since 0.1. */
GN_API gn_status gn_store_fiber_set_broken(gn_store *st, int64_t fiber,
                                           int broken, const char *note,
                                           const char *user);

/* Delete a cable and its fibers/splices. Refuses (GN_ECONFLICT) if any of
 * its fibers carries a circuit. Since 0.1. */
GN_API gn_status gn_store_cable_delete(gn_store *st, int64_t cable,
                                       const char *user);

/* Integrity check: every problem found is passed to cb (may be NULL) as
 * one line; *nproblems (may be NULL) gets their count. Returns GN_OK even
 * when problems were found (GN_EDB only if the check itself failed).
 * Checks: SQLite integrity_check and foreign_key_check, fiber ends used
 * twice, splices whose ends are not at their closure's node, circuits over
 * broken or missing fibers, broken chains, circuits not starting at an ODF
 * port / ending at a CPE port, fiber numbers beyond the cable's count,
 * derived index out of date, and the audit hash chain (the first row whose
 * hash or previous-hash link does not match is named: "audit row N: ...").
 * Since 0.1. */
typedef void (*gn_store_problem_fn)(void *ud, const char *problem);
GN_API gn_status gn_store_check(gn_store *st, gn_store_problem_fn cb,
                                void *ud, size_t *nproblems /* OUT */);

/* ------------------------------------------------------------------ */
/* Trace                                                               */

/* Loss model. Defaults (gn_loss_defaults): 0.35 dB/km at 1310 nm,
 * 0.25 dB/km at 1550 nm, 0.10 dB per fusion splice, 0.50 dB per connector
 * (each port a trace passes through is one connector). */
typedef struct gn_loss_params {
  double db_per_km_1310, db_per_km_1550, db_per_splice, db_per_connector;
} gn_loss_params;
GN_API void gn_loss_defaults(gn_loss_params *p);

typedef enum {
  GN_HOP_PORT = 0,  /* id: port; name: "ODF-POP1/3" or "CPE site" */
  GN_HOP_FIBER,     /* id: fiber; cable, trench, length_m, from/to end */
  GN_HOP_SPLICE,    /* id: splice; closure */
  GN_HOP_DROP       /* the building lead-in (length_m) before a CPE port */
} gn_hop_kind;

typedef struct gn_trace_hop {
  gn_hop_kind kind;
  int64_t id;
  int64_t cable, trench, closure;  /* 0 when not applicable */
  char from_end, to_end;           /* fibers: 'a'/'b' */
  double length_m;                 /* fibers and drops */
  int broken;                      /* fibers: 1 if marked broken */
  char *name;                      /* human label, never NULL */
} gn_trace_hop;

typedef struct gn_trace {
  gn_trace_hop *hops;
  size_t nhops;
  double length_m;
  int splices, connectors;
  double loss_1310_db, loss_1550_db;
  int broken;        /* 1 if any fiber on the path is broken */
  int64_t circuit;   /* circuit carried, 0 if none */
} gn_trace;

/* Follow fiber (or the fiber on port) both ways to its terminations
 * through splices and patch points. loss may be NULL (defaults).
 * Errors: GN_ENOTFOUND (unknown id, or port without fiber). Caller frees
 * with gn_trace_free. Since 0.1. */
GN_API gn_status gn_store_trace_fiber(gn_store *st, int64_t fiber,
                                      const gn_loss_params *loss,
                                      gn_trace **out);
GN_API gn_status gn_store_trace_port(gn_store *st, int64_t port,
                                     const gn_loss_params *loss,
                                     gn_trace **out);
GN_API void gn_trace_free(gn_ctx *ctx, gn_trace *t);

/* The trace as JSON {"length_m","splices","connectors","loss_db":{"1310",
 * "1550"},"broken","circuit","hops":[...],"geometry":GeoJSON
 * MultiLineString of its trenches}. Caller frees with gn_free. Since 0.1. */
GN_API gn_status gn_store_trace_json(gn_store *st, const gn_trace *t,
                                     char **json /* OUT */);

/* A circuit as a GeoJSON Feature (properties: id, name, site, role,
 * strands, length_m; geometry: MultiLineString of its trenches).
 * Since 0.1. */
GN_API gn_status gn_store_circuit_geojson(gn_store *st, int64_t circuit,
                                          char **json /* OUT */);

/* ------------------------------------------------------------------ */
/* Impact                                                              */

typedef enum {
  GN_CUT_TRENCHES = 0,  /* ids: one or more trench ids (maintenance) */
  GN_CUT_CABLE,         /* ids[0]: a cable id */
  GN_CUT_OTDR           /* otdr_port + otdr_distance_m */
} gn_cut_kind;

typedef struct gn_impact_query {
  gn_cut_kind kind;
  const int64_t *ids;
  size_t nids;
  int64_t otdr_port;
  double otdr_distance_m;
  /* OTDR walk model; <= 0 = defaults: fiber length = trench length *
   * 1.02 (cable over trench) + 15 m slack loop at each closure and 10 m at
   * each end. */
  double cable_factor, slack_closure_m, slack_end_m;
} gn_impact_query;

typedef struct gn_impact_site {
  char *id, *name;         /* plan input id */
  gn_category category;
  int priority, critical;
  int protected_;          /* 1: a circuit of the site survives the cut */
  int ncircuits_cut;
} gn_impact_site;

typedef struct gn_impact_circuit {
  int64_t id;
  char *name, *site_id;
  char *role;              /* "working" / "protect" */
} gn_impact_circuit;

typedef struct gn_impact {
  gn_impact_site *sites;   /* ranked: health, admin, education, other;
                              then critical, priority desc, id */
  size_t nsites;
  gn_impact_circuit *circuits;
  size_t ncircuits;
  int64_t *trenches;       /* the trenches cut */
  size_t ntrenches;
  int has_point;           /* OTDR: the fault point */
  double lon, lat;
  double along_m;          /* OTDR: metres from trench end a */
  char *cut_geojson;       /* FeatureCollection of the cut (lines/point) */
} gn_impact;

/* Compute what a cut takes down. Errors: GN_ENOTFOUND (unknown trench,
 * cable or port), GN_EINVAL (no ids, negative distance, distance beyond
 * the fiber's end). Caller frees with gn_impact_free. Since 0.1. */
GN_API gn_status gn_store_impact(gn_store *st, const gn_impact_query *q,
                                 gn_impact **out);
GN_API void gn_impact_free(gn_ctx *ctx, gn_impact *imp);

/* {"sites":[{"id","name","category","priority","critical","protected"}],
 *  "circuits":[{"id","name","site","role"}],"trenches":[...],
 *  "cut":FeatureCollection,"point":[lon,lat]|null}. Caller frees with
 * gn_free. Since 0.1. */
GN_API gn_status gn_impact_json(gn_ctx *ctx, const gn_impact *imp,
                                char **json /* OUT */);

/* ------------------------------------------------------------------ */
/* Export                                                              */

/* Write the store's layers to path: ".gpkg" = a standalone GeoPackage copy
 * (VACUUM INTO), ".geojson" = one FeatureCollection, every feature with a
 * "layer" property. Refuses to overwrite an existing file (GN_EIO). No
 * partial file is left on failure. Since 0.1. */
GN_API gn_status gn_store_export(gn_store *st, const char *path);

#endif
