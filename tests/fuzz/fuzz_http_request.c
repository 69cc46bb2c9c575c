/*
 * fuzz_http_request.c - A whole HTTP request through the server's own
 * checks, as the daemon applies them: the raw request target (screen.c),
 * Host, Transfer-Encoding and Authorization headers, the route, the
 * query values (bbox, limit, offset, category) and, for POST and PATCH,
 * the JSON body into a site record (create) or onto a stored record
 * (patch), then the store's text and id rules.
 * Input: "METHOD TARGET\n" then "Name: value\n" header lines, a blank
 * line, the body. Invariants: every refusal has a message; an accepted
 * token is the configured one; an accepted site is valid for the store;
 * a patch never changes the id.
 */
#include <jansson.h>
#include <math.h>
#include <strings.h>

#include "fuzz_common.h"
#include "io/text.h"
#include "server/srv.h"
#include "store/store_int.h"

#define TOKEN "fuzz-token-0123456789"

static void need_msg(gn_ctx *ctx) {
  if (gn_ctx_errmsg(ctx)[0] == '\0') abort();
}

/* %-decode in place (the target already passed gn__screen_target). */
static void decode(char *s) {
  char *o = s;
  for (char *p = s; *p; p++) {
    if (*p == '%' && p[1] && p[2]) {
      char h[3] = {p[1], p[2], 0};
      *o++ = (char)strtol(h, NULL, 16);
      p += 2;
    } else {
      *o++ = *p == '+' ? ' ' : *p;
    }
  }
  *o = '\0';
}

static void query_value(gn_ctx *ctx, const char *k, const char *v) {
  double b[4];
  long n = 0;
  if (strcmp(k, "bbox") == 0 && gn__parse_bbox(ctx, v, b) == GN_OK) {
    if (!(b[0] <= b[2] && b[1] <= b[3] && b[0] >= -180 && b[3] <= 90)) abort();
  } else if ((strcmp(k, "limit") == 0 || strcmp(k, "offset") == 0) &&
             gn__parse_uint(ctx, k, v, 1, 5000, &n) == GN_OK) {
    if (n < 1 || n > 5000 || v[0] == ' ' || v[0] == '+') abort();
  } else if (strcmp(k, "category") == 0) {
    (void)gn_category_parse(v);
  }
}

static void query(gn_ctx *ctx, char *q) {
  for (char *save = NULL, *kv = strtok_r(q, "&", &save); kv;
       kv = strtok_r(NULL, "&", &save)) {
    char *eq = strchr(kv, '=');
    if (eq) *eq = '\0';
    decode(kv);
    if (eq) decode(eq + 1);
    if (!gn__text_valid(kv, 0) || (eq && !gn__text_valid(eq + 1, 0))) continue;
    query_value(ctx, kv, eq ? eq + 1 : "");
  }
}

static void body(gn_ctx *ctx, const char *method, const char *b, size_t n) {
  void *f = NULL;
  if (gn__feature_parse(ctx, b, n, &f) != GN_OK) {
    if (f) abort();
    need_msg(ctx);
    return;
  }
  gn_store_site s = {0};
  if (strcmp(method, "POST") == 0) {
    if (gn__site_from_feature(ctx, f, &s) != GN_OK) {
      need_msg(ctx);
    } else if (gn__st_site_text(ctx, s.id, s.name, s.phase) == GN_OK) {
      if (!gn__id_valid(s.id) || !gn_geo_valid_lonlat(s.lon, s.lat)) abort();
    }
  } else {
    char id[] = "osm:101", name[] = "H\xc3\xb4pital de B\xc3\xa8";
    s.id = id;
    s.name = name;
    s.category = GN_CAT_HEALTH;
    s.lon = 1.2304;
    s.lat = 6.1303;
    if (gn__site_patch_apply(ctx, f, &s) != GN_OK) {
      need_msg(ctx);
    } else {
      if (s.id != id || (unsigned)s.category >= GN_CAT_COUNT) abort();
      if (!gn_geo_valid_lonlat(s.lon, s.lat)) abort();
      (void)gn__st_site_text(ctx, s.id, s.name, s.phase);
    }
  }
  json_decref(f);
}

static const char *header(char *h, const char *name) {
  size_t n = strlen(name);
  return strncasecmp(h, name, n) == 0 && h[n] == ':' ? h + n + 1 + (h[n + 1] == ' ')
                                                     : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size > 65536) return 0;
  char *s = malloc(size + 1);
  if (!s) return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  char *nl = strchr(s, '\n'), *sp = strchr(s, ' ');
  if (!nl || !sp || sp > nl) goto done;
  *nl = *sp = '\0';
  const char *method = s;
  char *target = sp + 1;
  if (gn__screen_target(ctx, target, 8192) != GN_OK) {
    need_msg(ctx);
    goto done;
  }
  if (strchr(target, '\0') - target > 8192) abort();
  char *line = nl + 1, *b = NULL;
  while (line && *line && *line != '\n') {
    char *e = strchr(line, '\n');
    if (e) *e = '\0';
    const char *v;
    if ((v = header(line, "Host"))) (void)gn__host_allowed(v, "carte.gouv.tg,api.example");
    if ((v = header(line, "Transfer-Encoding")) && gn__screen_te(ctx, v) != GN_OK)
      need_msg(ctx);
    char tok[GN_AUTH_SECRET_MAX + 1];
    if ((v = header(line, "Authorization"))) {
      if (gn__auth_bearer(ctx, v, tok) == GN_OK) {
        if (!tok[0] || !strstr(v, tok) || strlen(tok) > GN_AUTH_SECRET_MAX) abort();
      } else {
        need_msg(ctx);
      }
    }
    line = e ? e + 1 : NULL;
  }
  if (line && *line == '\n') b = line + 1;
  char *q = strchr(target, '?');
  if (q) *q++ = '\0';
  decode(target);
  int pm = 0;
  const char *id = NULL;
  size_t idl = 0;
  const gn__route *r = gn__route_find(method, target, &pm, &id, &idl);
  if (r && id && (idl == 0 || memchr(id, '/', idl))) abort();
  if (q) query(ctx, q);
  if (r && (r->flags & GN__R_BODY) && b) body(ctx, method, b, strlen(b));
done:
  gn_ctx_free(ctx);
  free(s);
  return 0;
}
