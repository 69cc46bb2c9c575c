/*
 * compress.c - Answers as shared, reference-counted blobs: body, its gzip
 * form, its ETag; sending one with gzip and 304 Not Modified.
 *
 * Design: an answer that may be sent more than once (a layer view shared
 * by every thread, a per-thread cache entry, a static file) is a gn__blob.
 * libmicrohttpd sends it without a copy: the response holds one reference
 * and drops it from its free callback, so a blob replaced after a commit
 * stays alive until the last answer that uses it is out. The ETag is a
 * 64-bit FNV-1a of the body (a strong validator: the same bytes give the
 * same tag in every thread and across restarts). gzip (zlib, RFC 1952) is
 * computed once per blob; bodies under GN__GZIP_MIN bytes are never
 * compressed (the header costs more than it saves).
 * Ownership: blobs are malloc'd (they are freed from whichever thread
 * libmicrohttpd finishes the answer on); gn__blob_unref frees at zero.
 * Threads: refs are atomic. gn__blob_gzip mutates the blob: call it only
 * before the blob is shared, or from the one thread that owns it.
 */
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "server/srv.h"
#include "util/internal.h"

#define GN__GZIP_MIN 512

static uint64_t fnv1a_mem(const char *p, size_t n) {
  uint64_t h = 1469598103934665603ull;
  for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
  return h;
}

gn__blob *gn__blob_make(const char *body, size_t len, const char *ctype) {
  gn__blob *b = malloc(sizeof(*b) + len + 1);
  if (!b) return NULL;
  memset(b, 0, sizeof(*b));
  atomic_init(&b->refs, 1);
  b->len = len;
  b->ctype = ctype;
  if (len) memcpy(b->data, body, len);
  b->data[len] = '\0';
  snprintf(b->etag, sizeof(b->etag), "\"%016llx\"",
           (unsigned long long)fnv1a_mem(b->data, len));
  return b;
}

gn__blob *gn__blob_ref(gn__blob *b) {
  if (b) atomic_fetch_add(&b->refs, 1);
  return b;
}

void gn__blob_unref(gn__blob *b) {
  if (!b || atomic_fetch_sub(&b->refs, 1) != 1) return;
  free(b->gz);
  free(b);
}

/* gzip wrapper (windowBits 15 + 16) at the given level; 0 on success. */
static int gzip_mem(const char *in, size_t len, int level, char **out,
                    size_t *out_len) {
  z_stream z;
  memset(&z, 0, sizeof(z));
  if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    return -1;
  uLong cap = deflateBound(&z, (uLong)len);
  char *buf = malloc(cap);
  if (!buf) {
    deflateEnd(&z);
    return -1;
  }
  z.next_in = (Bytef *)in;
  z.avail_in = (uInt)len;
  z.next_out = (Bytef *)buf;
  z.avail_out = (uInt)cap;
  int rc = deflate(&z, Z_FINISH);
  *out_len = z.total_out;
  deflateEnd(&z);
  if (rc != Z_STREAM_END) {
    free(buf);
    return -1;
  }
  *out = buf;
  return 0;
}

void gn__blob_gzip(gn__blob *b, int level) {
  if (b->gz || b->len < GN__GZIP_MIN || b->len > 0x7fffffffu) return;
  char *gz = NULL;
  size_t n = 0;
  if (gzip_mem(b->data, b->len, level, &gz, &n) != 0) return; /* send plain */
  if (n >= b->len) {
    free(gz); /* incompressible: plain is smaller */
    return;
  }
  b->gz = gz;
  b->gz_len = n;
}

int gn__accepts_gzip(struct MHD_Connection *conn) {
  return gn__gzip_listed(MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_ACCEPT_ENCODING));
}

int gn__gzip_listed(const char *h) {
  for (const char *p = h; p && *p;) {
    while (*p == ' ' || *p == ',') p++;
    const char *end = strchr(p, ',');
    size_t n = end ? (size_t)(end - p) : strlen(p);
    if (n >= 4 && strncasecmp(p, "gzip", 4) == 0 &&
        (n == 4 || p[4] == ';' || p[4] == ' ')) {
      const char *q = memchr(p, '=', n);
      return !(q && strtod(q + 1, NULL) == 0.0);
    }
    p = end ? end + 1 : NULL;
  }
  return 0;
}

/* 1 if If-None-Match names this ETag (or is "*"). */
static int etag_matches(struct MHD_Connection *conn, const char *etag) {
  const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                              MHD_HTTP_HEADER_IF_NONE_MATCH);
  if (!h) return 0;
  if (strcmp(h, "*") == 0) return 1;
  return strstr(h, etag) != NULL; /* weak or strong, in a list: same tag */
}

int gn__send_error(gn__req *r, gn_status s, const char *msg) {
  size_t len = 0;
  char *text = gn__error_json(s, msg, &len);
  r->http = (unsigned)gn_status_http(s);
  struct MHD_Response *resp = MHD_create_response_from_buffer(
      len, text ? text : (char *)"", text ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
  if (!resp) {
    free(text);
    return MHD_NO;
  }
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
  if (s == GN_EAUTH)
    MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer realm=\"govnet\"");
  int ret = MHD_queue_response(r->conn, r->http, resp);
  MHD_destroy_response(resp);
  return ret;
}

static void blob_release(void *cls) { gn__blob_unref(cls); }

static void add_headers(struct MHD_Response *resp, const gn__blob *b,
                        const char *cache_control) {
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, b->ctype);
  MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, cache_control);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, b->etag);
  MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
}

int gn__blob_send(struct MHD_Connection *conn, gn__blob *b,
                  const char *cache_control, unsigned *http) {
  struct MHD_Response *resp;
  if (etag_matches(conn, b->etag)) {
    resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
    if (!resp) return MHD_NO;
    add_headers(resp, b, cache_control);
    *http = MHD_HTTP_NOT_MODIFIED;
  } else {
    int gz = b->gz && gn__accepts_gzip(conn);
    resp = MHD_create_response_from_buffer_with_free_callback_cls(
        gz ? b->gz_len : b->len, gz ? b->gz : b->data, blob_release, b);
    if (!resp) return MHD_NO;
    gn__blob_ref(b); /* dropped by blob_release when MHD is done */
    add_headers(resp, b, cache_control);
    if (gz) MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, "gzip");
    *http = MHD_HTTP_OK;
  }
  int ret = MHD_queue_response(conn, *http, resp);
  MHD_destroy_response(resp);
  return ret;
}
