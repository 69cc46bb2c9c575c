/*
 * http.c - Request helpers: JSON answers, error bodies, query parsing.
 *
 * Design: answers are malloc'd text handed to libmicrohttpd without a
 * copy (MHD frees them with free()), so large GeoJSON layers are written
 * once. Every parser here is strict (the one decimal grammar of
 * io/text.h: no spaces, '+', hex or inf): a bad number, a bbox with min > max
 * or out-of-range coordinates is GN_EINVAL with a message naming the
 * parameter, which the dispatcher turns into a 400 answer.
 * Threads: stateless; uses the request's worker ctx.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "io/text.h"
#include "server/srv.h"
#include "util/internal.h"

gn_status gn__req_json_take(gn__req *r, char *text, size_t len) {
  free(r->resp);
  r->resp = text;
  r->resp_len = len;
  r->ctype = "application/json";
  return GN_OK;
}

gn_status gn__req_json_value(gn__req *r, void *value) {
  json_t *v = value;
  if (!v) return gn__fail(r->w->ctx, GN_ENOMEM, "cannot build JSON answer");
  char *text = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(v);
  if (!text) return gn__fail(r->w->ctx, GN_ENOMEM, "cannot serialize JSON");
  return gn__req_json_take(r, text, strlen(text));
}

gn_status gn__req_copy(gn__req *r, const char *text, size_t len,
                       const char *ctype) {
  char *copy = malloc(len + 1);
  if (!copy) return gn__fail(r->w->ctx, GN_ENOMEM, "out of memory (answer)");
  memcpy(copy, text, len);
  copy[len] = '\0';
  gn__req_json_take(r, copy, len);
  r->ctype = ctype;
  return GN_OK;
}

gn_status gn__req_lib_json(gn__req *r, gn_status s, char *json,
                           const char *ctype, unsigned http) {
  if (s == GN_OK)
    s = gn__req_copy(r, json, strlen(json), ctype ? ctype : "application/json");
  if (s == GN_OK && http) r->http = http;
  gn_free(r->w->ctx, json);
  return s;
}

const char *gn__req_arg(const gn__req *r, const char *name) {
  return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

gn_status gn__parse_bbox(gn_ctx *ctx, const char *s, double bbox[4]) {
  const char *p = s;
  for (int i = 0; i < 4; i++) {
    const char *end = strchr(p, ',');
    if (i == 3) end = p + strlen(p);
    char num[40];
    size_t n = end ? (size_t)(end - p) : 0;
    if (!end || n >= sizeof(num) || (i == 3 && strchr(p, ',')))
      return gn__fail(ctx, GN_EINVAL,
                      "bbox: expected minLon,minLat,maxLon,maxLat, got '%.64s'", s);
    memcpy(num, p, n);
    num[n] = '\0';
    if (gn__parse_decimal(num, &bbox[i]) != 0)
      return gn__fail(ctx, GN_EINVAL, "bbox: '%.40s' is not a decimal number "
                      "(in '%.64s')", num, s);
    p = end + 1;
  }
  if (bbox[0] < -180 || bbox[2] > 180 || bbox[1] < -90 || bbox[3] > 90)
    return gn__fail(ctx, GN_EINVAL, "bbox: coordinates out of range in '%.64s'", s);
  if (bbox[0] > bbox[2] || bbox[1] > bbox[3])
    return gn__fail(ctx, GN_EINVAL, "bbox: min greater than max in '%.64s'", s);
  return GN_OK;
}

gn_status gn__parse_uint(gn_ctx *ctx, const char *name, const char *s,
                         long lo, long hi, long *out) {
  long long v = 0;
  if (s[0] == '-' || gn__parse_int(s, lo, hi, &v) != 0)
    return gn__fail(ctx, GN_EINVAL, "%s: expected an integer in %ld..%ld, got '%.32s'",
                    name, lo, hi, s);
  *out = (long)v;
  return GN_OK;
}

/* jansson refuses invalid UTF-8 (an id cut in the middle of a character
 * by a %.64s, bytes echoed from a bad request): replace non-ASCII bytes. */
static json_t *error_value(gn_status s, const char *msg) {
  json_t *v = json_pack("{s:s,s:s}", "error", gn_status_name(s), "message", msg);
  if (v) return v;
  char ascii[512];
  size_t i = 0;
  for (; msg[i] && i < sizeof(ascii) - 1; i++)
    ascii[i] = (unsigned char)msg[i] < 0x80 ? msg[i] : '?';
  ascii[i] = '\0';
  return json_pack("{s:s,s:s}", "error", gn_status_name(s), "message", ascii);
}

char *gn__error_json(gn_status s, const char *message, size_t *len) {
  json_t *v = error_value(s, message && message[0] ? message : gn_status_str(s));
  char *text = v ? json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
  json_decref(v);
  if (!text) {
    static const char oom[] = "{\"error\":\"ENOMEM\",\"message\":\"out of memory\"}";
    text = malloc(sizeof(oom));
    if (text) memcpy(text, oom, sizeof(oom));
  }
  *len = text ? strlen(text) : 0;
  return text;
}
