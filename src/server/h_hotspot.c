/*
 * h_hotspot.c - The captive portal's login endpoint, POST
 * /api/hotspot/login {"user","password","hid"}: 200 {"ok":true,"tok",
 * "session_timeout"} or 200 {"ok":false,"message"} with the French reason
 * (web/portal.js translates it); a refused WiFi login is an answer, not
 * an API authentication failure (401 means "sign in to govnet"). Public
 * on purpose: it is the door of the WiFi; the decision and its limits are
 * the hotspot module's.
 *
 * POST /api/hotspot/aaa?op=auth|acct[&src=IP] is FreeRADIUS's resident
 * backend (rlm_rest, body = json): the body goes to
 * gn_hotspot_aaa_rest, the same decision govnet-aaa makes under
 * rlm_exec, and the answer follows rlm_rest's codes: 200 with the reply
 * attributes (accept, or accounting recorded), 401 with Reply-Message
 * (reject), 5xx when the store fails (FreeRADIUS then fails the request,
 * as it does on govnet-aaa's exit code 2). Only the --aaa-token-file
 * token reaches it (route.c). Its store transactions, not the Argon2id
 * check before them, hold the writer mutex (GN__R_TXLOCK).
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <string.h>
#include <time.h>

#include "govnet/hotspot.h"
#include "server/srv.h"
#include "util/internal.h"

static const char *field(gn_ctx *ctx, const json_t *b, const char *name,
                         gn_status *s) {
  const char *v = json_string_value(json_object_get(b, name));
  if (!v && *s == GN_OK)
    *s = gn__fail(ctx, GN_EINVAL, "body: \"%s\" must be a string", name);
  return v;
}

gn_status gn__h_hotspot_login(gn__req *r) {
  json_error_t err;
  json_t *b = json_loadb(r->body, r->body_len, 0, &err);
  gn_ctx *ctx = r->w->ctx;
  gn_status s = GN_OK;
  if (!json_is_object(b)) {
    json_decref(b);
    return gn__fail(ctx, GN_EINVAL, "body: expected a JSON object "
                    "{\"user\",\"password\",\"hid\"}");
  }
  const char *user = field(ctx, b, "user", &s);
  const char *pw = field(ctx, b, "password", &s);
  const char *hid = field(ctx, b, "hid", &s);
  gn_hotspot_portal_answer a;
  if (s == GN_OK)
    s = gn_hotspot_portal_login(r->w->store, user, pw, hid,
                                (int64_t)time(NULL), &a);
  json_decref(b);
  if (s != GN_OK) return s;
  if (a.verdict != GN_HOTSPOT_OK)
    return gn__req_json_value(r, json_pack("{s:b,s:s}", "ok", 0, "message",
                                           a.message));
  return gn__req_json_value(r, json_pack("{s:b,s:s,s:I}", "ok", 1, "tok",
                                         a.tok, "session_timeout",
                                         (json_int_t)a.session_timeout_s));
}

/* 1 if s is an IPv4 or IPv6 literal. */
static int ip_literal(const char *s) {
  unsigned char buf[16];
  return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

gn_status gn__h_hotspot_aaa(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  const char *op = gn__req_arg(r, "op"), *src = gn__req_arg(r, "src");
  if (!op || (strcmp(op, "auth") != 0 && strcmp(op, "acct") != 0))
    return gn__fail(ctx, GN_EINVAL, "op: expected auth or acct");
  if (src && *src && !ip_literal(src))
    return gn__fail(ctx, GN_EINVAL, "src: expected an IP address, got "
                    "'%.64s'", src);
  gn_hotspot_verdict vd = GN_HOTSPOT_FAIL;
  char *reply = NULL;
  gn_status s = gn_hotspot_aaa_rest(
      r->w->store, op[1] == 'u' ? GN_HOTSPOT_AUTH : GN_HOTSPOT_ACCT, r->body,
      r->body_len, src && *src ? src : NULL, (int64_t)time(NULL), &vd, &reply);
  return gn__req_lib_json(r, s, reply, NULL,
                          vd == GN_HOTSPOT_REJECT ? 401 : 200);
}
