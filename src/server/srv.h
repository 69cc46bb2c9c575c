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

#include <stddef.h>
#include <stdint.h>

#include "govnet/ctx.h"
#include "govnet/server.h"
#include "govnet/store.h"

struct MHD_Connection;

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

/* ---- cache.c: GET answers, dropped when the store file changes ---- */
typedef struct gn__cache_entry gn__cache_entry;
typedef struct gn__cache {
  gn_ctx *ctx;
  gn__cache_entry **buckets;
  size_t bytes, max_bytes;
  char *db_path, *wal_path;
  int64_t stamp[8];  /* size/mtime/ctime/inode of the db and its WAL */
} gn__cache;

gn_status gn__cache_init(gn__cache *c, gn_ctx *ctx, const char *db_path,
                         size_t max_bytes);
void gn__cache_cleanup(gn__cache *c);
/* Drop everything if the store file or its WAL changed since last time. */
void gn__cache_sync(gn__cache *c);
/* 1 and the answer (borrowed until the next put/sync) if key is cached. */
int gn__cache_get(const gn__cache *c, const char *key, const char **body,
                  size_t *len, const char **ctype);
/* Copy an answer in (silently skipped if too large or out of memory). */
void gn__cache_put(gn__cache *c, const char *key, const char *body,
                   size_t len, const char *ctype);

/* ---- server.c: one worker per daemon thread ---- */
typedef struct gn__worker {
  gn_ctx *ctx;      /* this thread's context */
  gn_store *store;  /* this thread's store connection */
  gn__cache cache;  /* this thread's GET answers */
} gn__worker;

/* Read-only server state the handlers may use. */
typedef struct gn__srv_info {
  const gn_server_opts *opts;
  const char *openapi;     /* JSON text */
  size_t openapi_len;
  const char *boundaries;  /* GeoJSON text */
  size_t boundaries_len;
} gn__srv_info;

/* One request, from its first byte to its completion. */
typedef struct gn__req {
  gn__worker *w;
  const gn__srv_info *info;
  struct MHD_Connection *conn;
  const struct gn__route *route;
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
} gn__req;

/* ---- route.c ---- */
typedef gn_status (*gn__handler)(gn__req *r);

enum { GN__P_QUERY = 0, GN__P_PATH = 1 };
enum { GN__R_AUTH = 1u, GN__R_BODY = 2u, GN__R_CACHE = 4u };

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
/* Find the route for method+path. *path_match is set to 1 when some route
 * has this path (with another method: 405). The {id} segment (raw, not
 * decoded) goes to *id and *id_len. */
const gn__route *gn__route_find(const char *method, const char *path,
                                int *path_match, const char **id,
                                size_t *id_len);
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

/* ---- handlers.c / files.c: the route handlers ---- */
gn_status gn__h_health(gn__req *r);
gn_status gn__h_openapi(gn__req *r);
gn_status gn__h_boundaries(gn__req *r);
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
/* h_lease.c: sharing the spare capacity (src/lease). */
gn_status gn__h_ofds(gn__req *r);
gn_status gn__h_quote(gn__req *r);
gn_status gn__h_lease_create(gn__req *r);
gn_status gn__h_leases(gn__req *r);
gn_status gn__h_lease(gn__req *r);
gn_status gn__h_lease_activate(gn__req *r);
gn_status gn__h_lease_terminate(gn__req *r);
gn_status gn__h_occupancy(gn__req *r);

/* Static files under web_dir; /vendor/leaflet/... maps to node_modules.
 * Returns an MHD result (MHD_YES/MHD_NO). */
int gn__files_serve(struct MHD_Connection *conn, const gn_server_opts *o,
                    const char *url, unsigned *http /* OUT: status sent */);
/* Read a whole file (malloc'd, NUL-terminated) up to max bytes. */
gn_status gn__file_read(gn_ctx *ctx, const char *path, size_t max,
                        char **out, size_t *len);

#endif
