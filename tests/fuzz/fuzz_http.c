/* fuzz_http.c - the server's input parsers, chosen by the first byte:
 * 0 a site request body (JSON -> Feature -> site record), 1 a bbox query
 * value, 2 a limit/offset value, 3 a method + path against the route
 * table. Each must give GN_OK or a clean error with a message, never a
 * crash; accepted values must satisfy the documented ranges. */
#include <jansson.h>
#include <math.h>

#include "fuzz_common.h"
#include "server/srv.h"

static void fuzz_body(gn_ctx *ctx, const char *s, size_t n) {
  void *f = NULL;
  gn_status st = gn__feature_parse(ctx, s, n, &f);
  if (st != GN_OK) {
    if (f || gn_ctx_errmsg(ctx)[0] == '\0') abort();
    return;
  }
  gn_store_site site = {0};
  st = gn__site_from_feature(ctx, f, &site);
  if (st == GN_OK) {
    if (!site.id || !site.id[0] || site.category >= GN_CAT_COUNT) abort();
    if (!isfinite(site.lon) || fabs(site.lon) > 180 || fabs(site.lat) > 90) abort();
  } else if (gn_ctx_errmsg(ctx)[0] == '\0') {
    abort();
  }
  json_decref(f);
}

static void fuzz_bbox(gn_ctx *ctx, const char *s) {
  double b[4];
  if (gn__parse_bbox(ctx, s, b) != GN_OK) return;
  if (!(b[0] <= b[2] && b[1] <= b[3] && b[0] >= -180 && b[2] <= 180 &&
        b[1] >= -90 && b[3] <= 90))
    abort();
}

static void fuzz_uint(gn_ctx *ctx, const char *s) {
  long v = -1;
  if (gn__parse_uint(ctx, "limit", s, 1, 5000, &v) == GN_OK && (v < 1 || v > 5000))
    abort();
}

static void fuzz_route(const char *s) {
  const char *sp = strchr(s, ' ');
  if (!sp) return;
  char method[16];
  size_t m = (size_t)(sp - s);
  if (m >= sizeof(method)) return;
  memcpy(method, s, m);
  method[m] = '\0';
  int pm = 0;
  const char *id = NULL;
  size_t idl = 0;
  const gn__route *r = gn__route_find(method, sp + 1, &pm, &id, &idl);
  if (r && (!pm || strcmp(r->method, method) != 0)) abort();
  if (r && id && (idl == 0 || memchr(id, '/', idl))) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  char *s = malloc(size);
  if (!s) return 0;
  memcpy(s, data + 1, size - 1);
  s[size - 1] = '\0'; /* the string forms stop at the first NUL */
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  switch (data[0] & 3) {
    case 0: fuzz_body(ctx, s, size - 1); break;
    case 1: fuzz_bbox(ctx, s); break;
    case 2: fuzz_uint(ctx, s); break;
    default: fuzz_route(s); break;
  }
  gn_ctx_free(ctx);
  free(s);
  return 0;
}
