/*
 * server.h - The HTTP API and web map server over a govnet store.
 *
 * Design: libmicrohttpd with its own polling threads (epoll, a pool of
 * `threads` threads). Each pool thread binds on its first request to one
 * worker that owns a gn_ctx and a store connection, so no lock is taken on
 * the request path. The route table in src/server/route.c is the single
 * source of truth: the dispatcher, the query-parameter checks and the
 * OpenAPI document (/api/openapi.json) are all generated from it.
 * GET answers are cached per thread and dropped as soon as the store file
 * or its WAL changes (any commit, from this server or another process).
 * Limits (body size, URL length, page size, connection timeout, number of
 * connections) are enforced before a handler runs, then the route's
 * roles and scope (src/server/route.c, see docs/auth.md): a request
 * carries a bearer token (the `token` below = an admin, or a user's API
 * token) or a session cookie, or has the role public.
 * Ownership: the server copies every string of gn_server_opts; the caller
 * keeps its own. Caller frees the server with gn_server_free().
 * Threads: create/start/shutdown/free from one controlling thread; the
 * server's own threads never touch the caller's ctx after create returns.
 */
#ifndef GOVNET_SERVER_H
#define GOVNET_SERVER_H

#include <stddef.h>

#include "govnet/ctx.h"
#include "govnet/export.h"

typedef struct gn_server gn_server;

/* Server configuration. Zero fields take the documented default. */
typedef struct gn_server_opts {
  const char *db_path;       /* store file (required) */
  const char *listen_addr;   /* IPv4 address, default "127.0.0.1" */
  unsigned port;             /* TCP port; 0 = any free port (see _port) */
  const char *token;         /* admin bearer token (--token-file); NULL =
                                only users' tokens and sessions */
  const char *web_dir;       /* static UI root (index.html); NULL = none */
  const char *boundaries;    /* GeoJSON file served at /api/boundaries */
  unsigned threads;          /* worker threads, default 2 */
  size_t max_body;           /* request body bytes, default 1 MiB */
  size_t max_url;            /* request line + headers bytes, default 8 KiB */
  unsigned max_page;         /* max features per page, default 5000 */
  unsigned max_connections;  /* simultaneous connections, default 256 */
  unsigned timeout_s;        /* idle/slow connection timeout, default 15 */
  unsigned max_per_ip;       /* connections from one address, default 32
                                (since 0.2) */
  unsigned header_timeout_s; /* request line + headers must arrive within
                                this, default 10 (since 0.2) */
  unsigned request_timeout_s;/* whole request (headers + body) within this,
                                default 120 (since 0.2) */
  const char *host_names;    /* Host names served besides IP literals and
                                localhost, comma-separated (since 0.2) */
  int sync_normal;           /* 1: store commits with synchronous=NORMAL
                                (see GN_STORE_SYNC_NORMAL); 0: FULL */
  size_t cache_bytes;        /* GET answer cache per thread, default 32 MiB */
  const char *places;        /* GeoJSON of named places (quarters) served at
                                /api/places; NULL = none. Since 0.2. */
  const char *basemap;       /* MBTiles file served at /tiles/; NULL = none.
                                Since 0.2. */
  /* Access log sink, called from the server threads once per finished
   * request with one line (no newline); NULL = no log. */
  void (*log_fn)(void *ud, const char *line);
  void *log_ud;
  /* HTTPS (since 0.2): PEM files of the certificate (chain) and its key;
   * both or neither. Without them the server refuses a listen address
   * outside 127.0.0.0/8 unless insecure_http is 1 (behind a TLS proxy). */
  const char *tls_cert, *tls_key;
  int insecure_http;
  /* The bearer token of FreeRADIUS's rlm_rest (since 0.3): it opens POST
   * /api/hotspot/aaa and nothing else, and no other credential opens
   * that route (not even the admin's). NULL = the route answers 401. */
  const char *aaa_token;
  /* A dedicated listener for that route (since 0.3): an IPv4 loopback
   * address (NULL = none) and port (0 = any free port), plain HTTP, with
   * aaa_threads threads of its own (default 2) and small per-connection
   * buffers; it answers POST /api/hotspot/aaa and 404 to anything else.
   * docs/hotspot.md says why: libmicrohttpd zeroes each connection's
   * whole buffer pool at every keep-alive request, and the main
   * listener's pool must hold thousands of query parameters. */
  const char *aaa_addr;
  unsigned aaa_port;
  unsigned aaa_threads;
} gn_server_opts;

/* Validate opts, open one store connection per thread, read the
 * boundaries file and build the OpenAPI document. Does not listen yet.
 * Returns GN_OK, GN_EINVAL (bad option), GN_EIO/GN_EFORMAT (boundaries
 * file), GN_EDB/GN_ENOTFOUND (store), GN_ENOMEM; the message is on ctx.
 * Caller frees with gn_server_free(). Since 0.1. */
GN_API gn_status gn_server_create(gn_ctx *ctx, const gn_server_opts *opts,
                                  gn_server **out);

/* Bind and start serving in background threads. GN_EIO if the address
 * cannot be bound (message on the ctx given to create). Since 0.1. */
GN_API gn_status gn_server_start(gn_server *srv);

/* The bound TCP port (useful with port 0), 0 before start. Since 0.1. */
GN_API unsigned gn_server_port(const gn_server *srv);

/* The dedicated AAA listener's bound port, 0 without one. Since 0.3. */
GN_API unsigned gn_server_aaa_port(const gn_server *srv);

/* Graceful stop: stop accepting connections, wait up to grace_ms for the
 * requests in flight to finish (each write is one committed store
 * transaction before its response is queued, so no acknowledged write is
 * lost), then close every connection and thread. Idempotent. Since 0.1. */
GN_API void gn_server_shutdown(gn_server *srv, unsigned grace_ms);

/* Shut down (grace 0 if still running), close the store connections and
 * free everything. NULL is a harmless no-op. Since 0.1. */
GN_API void gn_server_free(gn_server *srv);

/* The OpenAPI 3 document the server publishes, as JSON text. Borrowed:
 * valid until gn_server_free(). Since 0.1. */
GN_API const char *gn_server_openapi(const gn_server *srv);

#endif
