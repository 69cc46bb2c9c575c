/*
 * store_int.h - Internals shared by the src/store/ modules (not API).
 *
 * The store is one sqlite3 connection plus the ctx. Helpers translate
 * SQLite failures into gn_status right away (the next SQLite call would
 * overwrite sqlite3_errmsg), wrap transactions, write audit rows, and
 * build JSON text and GeoPackage geometry blobs in a growable buffer.
 * Only files in src/store/ include this header (and sqlite3.h).
 */
#ifndef GOVNET_STORE_INT_H
#define GOVNET_STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>

#include "govnet/store.h"
#include "util/internal.h"

/* user_version = GN__GPKG_UV_BASE + schema version: GDAL reads it as
 * GeoPackage 1.3.x and opens the file without a warning. */
#define GN__GPKG_UV_BASE 10300
#define GN__GPKG_APP_ID 0x47504B47 /* 'GPKG' */

#define GN__STMT_CACHE 48

/* Who the next audit rows are written for (gn_store_set_actor). */
typedef struct gn__st_actor {
  int set;
  int64_t user_id;
  char user[GN_STORE_ACTOR_MAX], role[32], org[GN_STORE_ACTOR_MAX],
      via[GN_STORE_ACTOR_MAX];
} gn__st_actor;

/* Slots where a capability keeps data derived from the store on this
 * connection (e.g. the lease router's network), freed with the store. */
enum { GN__EXT_LEASE = 0, GN__EXT_MONITOR = 1, GN__EXT_HOTSPOT = 2, GN__EXT_COUNT = 8 };

struct gn_store {
  gn_ctx *ctx;
  gn__st_actor actor;
  sqlite3 *db;
  int version;
  int readonly;
  sqlite3_stmt *cache[GN__STMT_CACHE]; /* prepared once, reused */
  size_t ncache;
  void *ext[GN__EXT_COUNT];
  void (*ext_free[GN__EXT_COUNT])(gn_ctx *ctx, void *p);
  gn_store_lock_fn wlock; /* gn_store_set_write_lock, or NULL */
  void *wlock_ud;
  int wlocked;            /* wlock(ud, 1) ran for the open transaction */
};

/* Growable text/byte buffer through the ctx allocator. On OOM sets oom
 * and ignores further writes; gn__sb_finish reports it. */
typedef struct gn__sb {
  gn_ctx *ctx;
  char *p;
  size_t n, cap;
  int oom;
} gn__sb;

void gn__sb_init(gn__sb *b, gn_ctx *ctx);
void gn__sb_cleanup(gn__sb *b);
void gn__sb_add(gn__sb *b, const void *data, size_t n);
void gn__sb_puts(gn__sb *b, const char *s);
void gn__sb_printf(gn__sb *b, const char *fmt, ...) GN__PRINTF(2, 3);
void gn__sb_num(gn__sb *b, double v); /* JSON number (null if not finite) */
void gn__sb_jstr(gn__sb *b, const char *s); /* JSON string or null */
/* Hand the NUL-terminated text to *out (GN_ENOMEM if any write failed). */
gn_status gn__sb_finish(gn__sb *b, char **out);

/* GeoPackage binary geometry (EPSG:4326, little endian). */
void gn__gpkg_point(gn__sb *b, double lon, double lat);
void gn__gpkg_line(gn__sb *b, const double *lonlat, size_t n);
/* Append the GeoJSON geometry of a GPKG blob ("null" if unreadable). */
void gn__gpkg_geojson(gn__sb *b, const void *blob, size_t n);
/* Append only the GeoJSON coordinates array of a GPKG blob. */
void gn__gpkg_coords(gn__sb *b, const void *blob, size_t n);
/* Decode a linestring blob into a new array of n lon/lat pairs (ctx
 * allocator). GN_EFORMAT if not a linestring. */
gn_status gn__gpkg_line_decode(gn_ctx *ctx, const void *blob, size_t n,
                               double **lonlat, size_t *npts);

/* SQLite helpers: each records the SQLite message with `what`. */
gn_status gn__st_err(gn_store *st, int rc, const char *what);
gn_status gn__st_exec(gn_store *st, const char *sql);
gn_status gn__st_prep(gn_store *st, const char *sql, sqlite3_stmt **out);
/* A prepared statement from the store's cache (prepared on first use);
 * hand it back with gn__st_release (reset, or finalized if the cache was
 * full). Keys are the SQL text. */
gn_status gn__st_cached(gn_store *st, const char *sql, sqlite3_stmt **out);
void gn__st_release(gn_store *st, sqlite3_stmt *s);
gn_status gn__st_begin(gn_store *st);
gn_status gn__st_commit(gn_store *st);
void gn__st_rollback(gn_store *st);
/* Release the write-lock hook if this transaction took it. */
void gn__st_unlock(gn_store *st);
/* Single integer result of sql with optional int64 parameter ?1;
 * *found = 0 when no row. */
gn_status gn__st_int(gn_store *st, const char *sql, int64_t p1,
                     int64_t *out, int *found);
/* A stamp that changes whenever the database changes, by this connection
 * or another (PRAGMA data_version + this connection's change count): data
 * derived under one stamp is still valid while the stamp is the same. */
gn_status gn__st_stamp(gn_store *st, int64_t *stamp);

/* *has = 1 if the store has this table (a capability's, say). */
gn_status gn__st_has_table(gn_store *st, const char *name, int *has);
/* Append an audit row inside the current transaction: the actor set with
 * gn_store_set_actor (else `user`), chained to the previous row's hash
 * (store_audit.c). */
gn_status gn__st_audit(gn_store *st, const char *user, const char *action,
                       const char *object, const char *before,
                       const char *after);
/* Bind ?1 = id and ?2 = a one-letter end ('a'/'b'). */
void gn__bind_id_end(sqlite3_stmt *s, int64_t id, char end);
/* Text of a column (never NULL: "" for NULL). */
const char *gn__col_text(sqlite3_stmt *s, int i);
/* Schema creation and migrations (store_schema.c). */
gn_status gn__st_migrate(gn_store *st);
/* GN_EINVAL unless id is a valid site id and name/phase (may be NULL)
 * are UTF-8 text without control characters (io/text.h). */
gn_status gn__st_site_text(gn_ctx *ctx, const char *id, const char *name,
                           const char *phase);
/* Seal every audit row without a hash into the chain (migration v4). */
gn_status gn__st_audit_seal_all(gn_store *st);
/* Verify the audit chain; the first broken row goes to cb (one problem). */
gn_status gn__st_audit_verify(gn_store *st, gn_store_problem_fn cb, void *ud,
                              size_t *nproblems);


/* One step of a capability's own schema: sql (may be NULL) then fn (may
 * be NULL), in one transaction with its record. */
typedef struct gn__st_migration {
  const char *name;
  const char *sql;
  gn_status (*fn)(gn_store *st);
} gn__st_migration;

/* Bring a capability's tables up to date: applies steps[v..n) where v is
 * the module's version in gn_module_migrations (0 if none), each in its
 * own transaction. Cheap when up to date (two queries): a capability
 * calls it before it first touches its tables on a connection. A
 * read-only store that lacks the steps gives GN_EINVAL naming the module.
 * Steps are append-only: never edit a released step, add one. */
gn_status gn__st_module_migrate(gn_store *st, const char *module,
                                const gn__st_migration *steps, size_t n);
/* Refresh the derived circuit -> trench index of one circuit. */
gn_status gn__st_index_circuit(gn_store *st, int64_t circuit);

/* Circuits that run over a fiber recorded broken, sorted ascending, in a
 * new array (ctx allocator, caller frees; NULL when none). Impact and the
 * monitor's fiber model both treat these circuits as already down. */
gn_status gn__st_broken_circuits(gn_store *st, int64_t **out, size_t *n);

/* Append a GeoJSON MultiLineString of the given rows of table
 * ("trenches" or "cables"). */
gn_status gn__st_multiline(gn_store *st, gn__sb *b, const char *table,
                           const int64_t *ids, size_t n);

/* The TIA-598 colour of position i (1..12). */
const char *gn__tia598(int i);

#endif
