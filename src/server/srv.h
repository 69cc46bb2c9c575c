/*
 * srv.h - Internals shared by the files of src/server/ (not API).
 *
 * Pieces: arena.c (per-request memory), route.c (the route table, the one
 * source of the dispatcher and of the OpenAPI document), http.c (JSON
 * responses, query parsing), handlers.c (API handlers over the store),
 * files.c (static web UI, vendored Leaflet, boundaries), server.c
 * (libmicrohttpd daemon, limits, auth, workers, shutdown).
 * Threads: a gn__worker belongs to exactly one daemon thread; a gn__req
 * lives in the thread of its connection from first byte to completion.
 */
#ifndef GOVNET_SRV_H
#define GOVNET_SRV_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "govnet/auth.h"
#include "govnet/ctx.h"
#include "govnet/server.h"
#include "govnet/store.h"

#include <microhttpd.h>

/* ---- arena.c: bump allocator freed in one sweep at request end ---- */
typedef struct gn__arena_block gn__arena_block;
typedef struct gn__arena {
  gn_ctx *ctx;
  gn__arena_block *head;
  size_t total, limit; /* bytes handed out; hard ceiling (GN_ELIMIT) */
} gn__arena;

void gn__arena_init(gn__arena *a, gn_ctx *ctx, size_t limit);
/* NULL (and a GN_ELIMIT/GN_ENOMEM message on the ctx) on failure. */
void *gn__arena_alloc(gn__arena *a, size_t n);
char *gn__arena_strndup(gn__arena *a, const char *s, size_t n);
void gn__arena_cleanup(gn__arena *a);

/* ---- compress.c: shared answers (body, gzip, ETag), sent without copy ---- */
typedef struct gn__blob {
  atomic_uint refs;
  const char *ctype;  /* static string */
  char etag[24];      /* "\"<16 hex>\"" */
  char *gz;           /* gzip form (malloc'd) or NULL */
  size_t gz_len, len;
  char data[];        /* len bytes + NUL */
} gn__blob;

/* A blob holding a copy of body, one reference; NULL when out of memory.
 * Drop with gn__blob_unref. */
gn__blob *gn__blob_make(const char *body, size_t len, const char *ctype);
gn__blob *gn__blob_ref(gn__blob *b);
void gn__blob_unref(gn__blob *b);
/* Add the gzip form (level 1..9) unless too small or incompressible; only
 * while the blob is not shared with another thread. */
void gn__blob_gzip(gn__blob *b, int level);
/* 1 if the request's Accept-Encoding allows gzip. */
int gn__accepts_gzip(struct MHD_Connection *conn);
/* 1 if an Accept-Encoding value (or NULL) lists gzip without q=0. */
int gn__gzip_listed(const char *accept_encoding);
/* Queue b: 304 when If-None-Match names its ETag, else 200 with the gzip
 * form when there is one and the client accepts it. Takes its own
 * reference. *http gets the status; returns an MHD result. */
int gn__blob_send(struct MHD_Connection *conn, gn__blob *b,
                  const char *cache_control, unsigned *http);

/* ---- cache.c: GET answers, dropped when the store file changes ---- */
typedef struct gn__cache_entry gn__cache_entry;
typedef struct gn__cache {
  gn_ctx *ctx;
  gn__cache_entry **buckets;
  size_t bytes, max_bytes;
  char *db_path, *wal_path;
  int64_t stamp[8];  /* size/mtime/ctime/inode of the db and its WAL */
  uint64_t gen;      /* bumped each time a change drops the cache */
} gn__cache;

gn_status gn__cache_init(gn__cache *c, gn_ctx *ctx, const char *db_path,
                         size_t max_bytes);
void gn__cache_cleanup(gn__cache *c);
/* Drop everything if the store file or its WAL changed since last time. */
void gn__cache_sync(gn__cache *c);
/* The cached answer for key (borrowed until the next put/sync) or NULL. */
gn__blob *gn__cache_get(const gn__cache *c, const char *key);
/* Keep a reference to blob (silently skipped if too large or no memory). */
void gn__cache_put(gn__cache *c, const char *key, gn__blob *blob);
/* Size, mtime, ctime and inode of the store file and its WAL: any commit
 * changes them. */
void gn__store_stamp(const char *db_path, const char *wal_path, int64_t out[8]);

/* ---- views.c: whole-layer answers shared by all threads ---- */
typedef struct gn__view_slot {
  pthread_mutex_t mu;
  gn__blob *blob;     /* the answer at stamp, or NULL */
  int64_t stamp[8];
} gn__view_slot;

typedef struct gn__views {
  gn__view_slot *slots; /* one per route */
  size_t n;
  char *db_path, *wal_path;
  atomic_uint builds;   /* how many times a view was (re)built */
} gn__views;

gn_status gn__views_init(gn__views *v, gn_ctx *ctx, const char *db_path);
void gn__views_cleanup(gn__views *v, gn_ctx *ctx);

/* Who a token or session digest was, as read under one cache generation
 * (h_auth.c): any commit (a revocation, a disabled user) bumps the
 * generation and so forgets every entry, like the answer cache. */
#define GN__AUTH_MEMO 64
typedef struct gn__auth_memo {
  uint64_t gen;       /* 0 = empty */
  int session;        /* 1: a session digest, 0: a token digest */
  char digest[65];
  gn_principal who;
} gn__auth_memo;

/* ---- server.c: one worker per daemon thread ---- */
typedef struct gn_mbtiles gn_mbtiles;
typedef struct gn__worker {
  gn_ctx *ctx;      /* this thread's context */
  gn_store *store;  /* this thread's store connection */
  gn_mbtiles *tiles; /* this thread's basemap handle (opened on first tile) */
  gn__cache cache;  /* this thread's GET answers */
  gn__auth_memo auth[GN__AUTH_MEMO]; /* recent credentials, direct-mapped */
} gn__worker;

struct gn__route;
struct gn__perm;

/* Read-only server state the handlers may use. */
typedef struct gn__srv_info {
  const gn_server_opts *opts;
  /* the route table and, per route, its permission row (server.c fills
   * these from route.c so handlers need not call back into it) */
  const struct gn__route *routes;
  const struct gn__perm *const *perms;
  size_t nroutes;
  int tls;                 /* 1: HTTPS (session cookies get Secure) */
  const char *openapi;     /* JSON text */
  size_t openapi_len;
  const char *boundaries;  /* GeoJSON text */
  size_t boundaries_len;
  const char *places;      /* GeoJSON text of the named quarters */
  size_t places_len;
  const char *basemap;     /* /api/basemap JSON text */
  size_t basemap_len;
  gn__views *views;        /* shared whole-layer answers */
  struct gn__assets *assets; /* static files in memory, or NULL */
  pthread_mutex_t *write_mu; /* held while a data-changing handler runs */
} gn__srv_info;

/* One request, from its first byte to its completion. */
typedef struct gn__req {
  gn__worker *w;
  const gn__srv_info *info;
  struct MHD_Connection *conn;
  const struct gn__route *route;
  const struct gn__perm *perm;  /* the route's permission row */
  const char *method, *url;
  const char *path_id;  /* the {id} segment, decoded, or NULL */
  char *body;           /* NUL-terminated request body (arena) */
  size_t body_len, body_cap;
  int body_too_big;
  gn__arena arena;
  int64_t t0_us;        /* monotonic start, for the access log */
  gn_status pending;    /* error found before the body, sent at the end */
  const char *pending_msg;
  int is_static;        /* a web UI file, served at the end */
  /* response filled by the handler */
  unsigned http;        /* 0 = 200 */
  char *resp;           /* malloc'd (free()), handed to MHD */
  size_t resp_len;
  const char *ctype;    /* default application/json */
  const char *location; /* Location header for 201 */
  char etag[GN_STORE_ETAG_SIZE]; /* ETag header if set */
  int started;          /* the access handler has seen this request */
  const char *set_cookie; /* Set-Cookie header (arena), or NULL */
  /* who asks (h_auth.c, before the body is read) */
  gn_principal who;     /* role GN_ROLE_PUBLIC when anonymous */
  int aaa;              /* 1: the FreeRADIUS service (--aaa-token-file) */
  int aaa_listener;     /* 1: came in on the dedicated AAA listener */
  int64_t scope_org;    /* the route's scope rule applied: 0 = all rows,
                           > 0 = rows of that organisation, < 0 = none */
  const char *session;  /* the session cookie (MHD's storage) or NULL */
  int synced;           /* the answer cache was synced on this request's
                           first callback (the credentials check) */
} gn__req;

/* ---- route.c ---- */
typedef gn_status (*gn__handler)(gn__req *r);

enum { GN__P_QUERY = 0, GN__P_PATH = 1 };
/* GN__R_VIEW: without query arguments the answer is a shared view
 * (views.c), rebuilt once per commit. Views and GN__R_CACHE answers are
 * shared by every caller: never on a route whose answer depends on who
 * asks. */
/* GN__R_TXLOCK: the process's writer mutex is held for each store
 * transaction of the handler (gn_store_set_write_lock) instead of around
 * the whole handler, for a handler that does slow work outside its
 * transactions (the hotspot decision verifies Argon2id first). */
enum { GN__R_AUTH = 1u, GN__R_BODY = 2u, GN__R_CACHE = 4u, GN__R_VIEW = 8u,
       GN__R_TXLOCK = 16u };

typedef struct gn__param {
  const char *name;
  int in;                /* GN__P_QUERY or GN__P_PATH */
  const char *type;      /* OpenAPI schema type: string, integer */
  int required, repeat;  /* repeat: may appear several times */
  const char *desc;
} gn__param;

typedef struct gn__route {
  const char *method;    /* "GET", "POST", "PATCH", "DELETE" */
  const char *path;      /* "/api/sites/{id}": at most one {id}, last */
  gn__handler fn;
  unsigned flags;        /* GN__R_AUTH, GN__R_BODY, GN__R_CACHE */
  const char *op_id, *tag, *summary;
  const gn__param *params; /* terminated by a {NULL} entry */
  const char *ok_status;   /* "200" or "201" or "204" */
  const char *ok_schema;   /* components/schemas name of the answer */
} gn__route;

/* The table and its length. */
const gn__route *gn__routes(size_t *n);

/* The permission table (route.c, next to the routes): per operation, the
 * roles allowed (GN_ROLE_BIT mask) and the scope rule applied to the rows
 * it reads or changes. Every scope rule is enforced the same way: the
 * rows carry an organisation id and tenant roles (subcontractor,
 * operator) see only their own (gn_auth_scope_org); a row outside the
 * scope is "not found", never "forbidden", and is not counted in totals.
 * "own package" (src/build) and "own lease" (src/lease) are this rule on
 * the package's and lease's organisation. Scoped routes are never cached
 * (the cache key holds no principal). */
enum { GN__SCOPE_NONE = 0, GN__SCOPE_ORG, GN__SCOPE_PACKAGE, GN__SCOPE_LEASE };
/* The FreeRADIUS service (the server's --aaa-token-file token) is not a
 * role of the accounts module: it has this bit of its own in a
 * permission row's roles, and no other. */
#define GN__AAA_BIT GN_ROLE_BIT(GN_ROLE_COUNT)
typedef struct gn__perm {
  const char *op_id;  /* the route's operationId */
  unsigned roles;     /* GN_ROLE_BIT(...) | ... */
  int scope;          /* GN__SCOPE_* */
} gn__perm;
/* The permission row of route r (NULL only for a route missing from the
 * table: a bug caught by test_server, answered 403). */
const gn__perm *gn__route_perm(const gn__route *r);
/* "none", "own organisation", "own package", "own lease". */
const char *gn__scope_name(int scope);
/* Find the route for method+path. *path_match is set to 1 when some route
 * has this path (with another method: 405). The {id} segment (raw, not
 * decoded) goes to *id and *id_len. */
const gn__route *gn__route_find(const char *method, const char *path,
                                int *path_match, const char **id,
                                size_t *id_len);
/* The route's index in the table. */
size_t gn__route_index(const gn__route *r);
/* Build the OpenAPI 3 document (malloc'd JSON text, free()). */
gn_status gn__openapi_build(gn_ctx *ctx, char **out, size_t *len);

/* ---- http.c ---- */
/* Set a malloc'd JSON body (takes ownership even on failure). */
gn_status gn__req_json_take(gn__req *r, char *text, size_t len);
/* Serialize a jansson value (steals the reference). */
gn_status gn__req_json_value(gn__req *r, void *json_t_value);
/* Copy a body of len bytes. */
gn_status gn__req_copy(gn__req *r, const char *text, size_t len,
                       const char *ctype);
/* Answer with JSON text a library call allocated on the worker's ctx:
 * s is that call's status; json is freed in every case; on success the
 * answer is json with ctype (NULL: application/json) and status http (0:
 * unchanged). Returns s, or the copy's failure. */
gn_status gn__req_lib_json(gn__req *r, gn_status s, char *json,
                           const char *ctype, unsigned http);
/* Query argument (first occurrence) or NULL. */
const char *gn__req_arg(const gn__req *r, const char *name);
/* Parse bbox "minlon,minlat,maxlon,maxlat" (GN_EINVAL on bad input). */
gn_status gn__parse_bbox(gn_ctx *ctx, const char *s, double bbox[4]);
/* Parse a non-negative integer argument within [lo, hi]. */
gn_status gn__parse_uint(gn_ctx *ctx, const char *name, const char *s,
                         long lo, long hi, long *out);
/* Error JSON {"error","message"} as malloc'd text. */
char *gn__error_json(gn_status s, const char *message, size_t *len);

/* Parse a request body as a GeoJSON Feature (*out: a jansson json_t,
 * release with json_decref). GN_EINVAL with line/column on bad JSON. */
gn_status gn__feature_parse(gn_ctx *ctx, const char *body, size_t len,
                            void **out);
/* Fill s from a site Feature; strings are borrowed from the feature.
 * GN_EINVAL/GN_EGEOM name the offending field. */
gn_status gn__site_from_feature(gn_ctx *ctx, const void *feature,
                                gn_store_site *s);

/* ---- deadline.c: header and whole-request deadlines ---- */
enum { GN__PH_HEADERS = 0, GN__PH_BODY = 1, GN__PH_REPLY = 2 };
typedef struct gn__deadlines {
  pthread_mutex_t mu;            /* guards the connection list */
  struct gn__conn *head;
  pthread_mutex_t stop_mu;       /* guards stop */
  pthread_cond_t stop_cv;
  pthread_t thread;
  int stop, running, inited;
  unsigned header_ms, request_ms;
} gn__deadlines;

/* Start the watchdog thread. */
gn_status gn__dl_start(gn_ctx *ctx, gn__deadlines *d, unsigned header_ms,
                       unsigned request_ms);
/* Stop the watchdog (before the daemon stops); idempotent. */
void gn__dl_stop(gn__deadlines *d);
void gn__dl_destroy(gn__deadlines *d);
/* MHD_OPTION_NOTIFY_CONNECTION callback (cls: the gn__deadlines). */
void gn__dl_notify(void *cls, struct MHD_Connection *conn,
                   void **socket_context,
                   enum MHD_ConnectionNotificationCode code);
/* The connection's request entered phase GN__PH_* (HEADERS restarts
 * the clock: the connection waits for its next request). */
void gn__dl_phase(struct MHD_Connection *conn, int phase);

/* ---- screen.c: raw request checks (before routing) ---- */
#define GN__MAX_PARAMS 512   /* query parameters per request */
#define GN__TOKEN_MIN 8      /* bearer token length */
#define GN__TOKEN_MAX GN_AUTH_SECRET_MAX
/* The request target as sent: origin-form, length, %-escapes, control
 * characters (NUL included), parameter count. GN_EINVAL/GN_ELIMIT. */
gn_status gn__screen_target(gn_ctx *ctx, const char *uri, size_t max_url);
/* 1 if the Host header (NULL: absent) names this server: an IP literal,
 * localhost, or one of names (comma-separated, may be NULL). */
int gn__host_allowed(const char *host, const char *names);
/* GN_OK for no Transfer-Encoding or "chunked", else GN_ENOTIMPL. */
gn_status gn__screen_te(gn_ctx *ctx, const char *te);
/* 1 if token is a usable server token: a token68 of 8..4096 chars. */
int gn__token_valid(const char *token);

/* Apply a PATCH body (a Feature from gn__feature_parse) to the record s
 * (strings borrowed from the patch). GN_EINVAL/GN_EGEOM name the field. */
gn_status gn__site_patch_apply(gn_ctx *ctx, const void *patch_feature,
                               gn_store_site *s);

/* ---- handlers.c / files.c: the route handlers ---- */
gn_status gn__h_health(gn__req *r);
gn_status gn__h_openapi(gn__req *r);
gn_status gn__h_boundaries(gn__req *r);
gn_status gn__h_places(gn__req *r);
gn_status gn__h_basemap(gn__req *r);
gn_status gn__h_layer(gn__req *r);
gn_status gn__h_object(gn__req *r);
gn_status gn__h_circuits(gn__req *r);
gn_status gn__h_trace(gn__req *r);
gn_status gn__h_impact(gn__req *r);
gn_status gn__h_summary(gn__req *r);
gn_status gn__h_bom(gn__req *r);
gn_status gn__h_site_create(gn__req *r);
gn_status gn__h_site_update(gn__req *r);
gn_status gn__h_site_delete(gn__req *r);
gn_status gn__h_alerts(gn__req *r);           /* h_monitor.c */
gn_status gn__h_incidents(gn__req *r);
gn_status gn__h_locate(gn__req *r);
gn_status gn__h_incident_update(gn__req *r);
/* h_auth.c: sign-in, accounts, audit */
gn_status gn__h_login(gn__req *r);
gn_status gn__h_logout(gn__req *r);
gn_status gn__h_me(gn__req *r);
gn_status gn__h_users(gn__req *r);
gn_status gn__h_user(gn__req *r);
gn_status gn__h_user_create(gn__req *r);
gn_status gn__h_user_update(gn__req *r);
gn_status gn__h_orgs(gn__req *r);
gn_status gn__h_org_create(gn__req *r);
gn_status gn__h_audit(gn__req *r);

/* The one authorization point (h_auth.c), run on the first callback of
 * an /api/ request, before its body is read: find the principal (bearer
 * token: the --token-file admin token or a user's API token; else the
 * session cookie; else public), check the route's roles, the CSRF token
 * of a cookie session on state-changing methods, and set r->scope_org.
 * GN_OK, or the status to answer (message on the worker's ctx): 400
 * oversized or malformed credentials, 401 (anonymous or bad token), 403
 * (role not allowed, CSRF missing or wrong). */
gn_status gn__auth_request(gn__req *r);
/* The token of an "Authorization: Bearer T" header value (scheme
 * case-insensitive, blanks around T ignored) into tok. GN_EAUTH for
 * another scheme or an empty token, GN_EINVAL over GN_AUTH_SECRET_MAX. */
gn_status gn__auth_bearer(gn_ctx *ctx, const char *header,
                          char tok[GN_AUTH_SECRET_MAX + 1]);
/* Parse a request body as a JSON object whose members are all in allowed
 * (NULL-terminated). *out: a jansson json_t (json_decref). GN_EINVAL with
 * line/column or the unknown member's name. */
gn_status gn__json_body(gn_ctx *ctx, const char *body, size_t len,
                        const char *const *allowed, void **out);
/* Bind (or with done=1 clear) the request's principal as the store's
 * audit actor around a handler that may write. */
void gn__auth_actor(gn__req *r, int done);

/* h_build.c */
gn_status gn__h_build_packages(gn__req *r);
gn_status gn__h_build_cut(gn__req *r);
gn_status gn__h_build_assign(gn__req *r);
gn_status gn__h_build_reports(gn__req *r);
gn_status gn__h_build_status(gn__req *r);
gn_status gn__h_build_supervision(gn__req *r);
/* h_lease.c: sharing the spare capacity (src/lease). */
gn_status gn__h_ofds(gn__req *r);
gn_status gn__h_quote(gn__req *r);
gn_status gn__h_lease_create(gn__req *r);
gn_status gn__h_leases(gn__req *r);
gn_status gn__h_lease(gn__req *r);
gn_status gn__h_lease_activate(gn__req *r);
gn_status gn__h_lease_terminate(gn__req *r);
gn_status gn__h_occupancy(gn__req *r);
gn_status gn__h_hotspot_login(gn__req *r); /* h_hotspot.c */
gn_status gn__h_hotspot_aaa(gn__req *r);

/* Headers every answer carries: nosniff, frame and content policies. */
void gn__security_headers(struct MHD_Response *resp);

/* Static files under web_dir; /vendor/leaflet/... maps to node_modules.
 * Returns an MHD result (MHD_YES/MHD_NO). */
int gn__files_serve(struct MHD_Connection *conn, const gn_server_opts *o,
                    const char *url, unsigned *http /* OUT: status sent */);
/* Read a whole file (malloc'd, NUL-terminated) up to max bytes. */
gn_status gn__file_read(gn_ctx *ctx, const char *path, size_t max,
                        char **out, size_t *len);

/* ---- views.c ---- */
/* Answer a GET of a view route without query arguments from the shared
 * view, rebuilding it with the route's handler when the store changed. */
int gn__view_answer(gn__req *r);
/* Send the error answer {"error","message"} with its HTTP status
 * (compress.c; the one place errors are sent). */
int gn__send_error(gn__req *r, gn_status s, const char *msg);

/* ---- places.c / tiles.c ---- */
/* The quarters (place=suburb|neighbourhood|quarter points) of a GeoJSON
 * file as a FeatureCollection of {name, place} (malloc'd text, free()). */
gn_status gn__places_load(gn_ctx *ctx, const char *path, char **out, size_t *len);
/* /api/basemap JSON for an MBTiles file, or {"tiles":null} for NULL. */
gn_status gn__basemap_info(gn_ctx *ctx, const char *path, char **out, size_t *len);
/* Parse the places of a GeoJSON text (as gn__places_load, from memory). */
gn_status gn__places_parse(gn_ctx *ctx, const char *name, const char *text,
                           size_t n, char **out, size_t *len);
/* "/tiles/Z/X/Y.pbf" -> z, x, y; 0 on success, -1 otherwise. */
int gn__tile_url_parse(const char *url, int *z, long *x, long *y);
/* Serve /tiles/{z}/{x}/{y}.pbf: 1 and *ret set if url is a tile URL. */
int gn__tiles_serve(gn__req *r, const char *basemap, int *ret);

/* ---- assets.c: the web UI in memory, gzip'd, under content-hashed URLs ---- */
typedef struct gn__assets gn__assets;
/* Load web_dir's files and the vendored scripts (NULL *out if web_dir is
 * NULL). Caller frees with gn__assets_free. */
gn_status gn__assets_load(gn_ctx *ctx, const char *web_dir, gn__assets **out);
void gn__assets_free(gn__assets *a);
/* Serve url if it names an asset: 1 and *ret set; 0 if unknown. */
int gn__assets_serve(const gn__assets *a, struct MHD_Connection *conn,
                     const char *url, unsigned *http, int *ret);

#endif
