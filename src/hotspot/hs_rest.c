/*
 * hs_rest.c - The RADIUS request as rlm_rest sends it (body = json), for
 * the resident backend (POST /api/hotspot/aaa of `govnet serve`).
 *
 * rlm_rest (FreeRADIUS 3.2) posts one JSON object per request:
 *   {"User-Name":{"type":"string","value":["kofi"]},
 *    "Acct-Input-Octets":{"type":"integer","value":[5]}, ...}
 * Enumerated integers come by name ("Acct-Status-Type": ["Start"]), and
 * every byte of a string that is not printable ASCII is written as
 * \u00XX with the byte's value (so the UTF-8 "é" arrives as
 * "\u00C3\u00A9" and a NUL as "\u0000"). The parser undoes exactly that:
 * code points U+0000..U+00FF become the bytes FreeRADIUS received, which
 * makes the decoded request byte for byte the one rlm_exec hands over in
 * its environment, and the decision (hs_aaa.c) identical in both modes.
 * Everything here is hostile input. What a real FreeRADIUS cannot send
 * (not JSON, not an object, a member that is not {"type","value"}, a
 * value that is neither a string nor an integer, a code point above
 * U+00FF, more than GN__HS_REST_MAX_ATTRS attributes) is GN_EINVAL or
 * GN_ELIMIT naming the attribute; what it can send but the decision
 * refuses (a value too long, an attribute with several values) marks the
 * request bad, as the environment parser does, and gets a reject.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "hotspot/hs_int.h"

#define GN__HS_REST_MAX_ATTRS 256

/* The dictionary names, in gn__hs_attr order. */
static const char *const names[GN__HS_NATTR] = {
    "User-Name",          "User-Password",         "CHAP-Password",
    "NAS-IP-Address",     "NAS-Identifier",        "Calling-Station-Id",
    "Called-Station-Id",  "Acct-Status-Type",      "Acct-Session-Id",
    "Acct-Input-Octets",  "Acct-Output-Octets",    "Acct-Input-Gigawords",
    "Acct-Output-Gigawords", "Acct-Session-Time",  "Acct-Terminate-Cause"};

static int attr_index(const char *key) {
  for (int a = 0; a < GN__HS_NATTR; a++)
    if (strcmp(names[a], key) == 0) return a;
  return -1;
}

/* One UTF-8 sequence of jansson's (valid) output at p: its code point and
 * length. */
static size_t code_point(const unsigned char *p, size_t n, unsigned *cp) {
  size_t k = p[0] < 0x80 ? 1 : p[0] < 0xE0 ? 2 : p[0] < 0xF0 ? 3 : 4;
  if (k > n) k = n;
  unsigned v = k == 1 ? p[0] : k == 2 ? p[0] & 0x1Fu : k == 3 ? p[0] & 0x0Fu
                                                              : p[0] & 0x07u;
  for (size_t i = 1; i < k; i++) v = (v << 6) | (p[i] & 0x3Fu);
  *cp = v;
  return k;
}

/* A string value back to FreeRADIUS's bytes. 0, or -1 with *cp set to the
 * code point that no FreeRADIUS writes. *too_long when over the buffer. */
static int string_bytes(const json_t *v, gn__hs_val *out, unsigned *cp,
                        int *too_long) {
  const unsigned char *p = (const unsigned char *)json_string_value(v);
  size_t n = json_string_length(v), k = 0;
  for (size_t i = 0; i < n;) {
    i += code_point(p + i, n - i, cp);
    if (*cp > 0xFF) return -1;
    if (k >= GN__HS_VAL_MAX) {
      *too_long = 1;
      continue; /* keep checking the code points */
    }
    out->s[k++] = (char)*cp;
  }
  out->s[k] = 0;
  out->n = k;
  return 0;
}

/* One attribute's value (the first of its list) into out. */
static gn_status value_of(gn_ctx *ctx, const char *key, const json_t *v,
                          gn__hs_val *out, const char **bad) {
  if (json_is_integer(v)) {
    long long x = (long long)json_integer_value(v);
    int n = snprintf(out->s, sizeof(out->s), "%lld", x);
    out->n = (size_t)n;
    out->set = 1;
    return GN_OK;
  }
  if (!json_is_string(v))
    return gn__fail(ctx, GN_EINVAL, "body: %s: each value must be a string"
                    " or an integer", key);
  unsigned cp = 0;
  int too_long = 0;
  if (string_bytes(v, out, &cp, &too_long) != 0)
    return gn__fail(ctx, GN_EINVAL, "body: %s: character U+%04X: FreeRADIUS"
                    " sends bytes as \\u0000..\\u00FF", key, cp);
  out->set = 1;
  if (too_long && !*bad) *bad = "attribute too long";
  return GN_OK;
}

/* {"type": "...", "value": [...]} (rlm_rest may add "attr_num"). */
static gn_status member_shape(gn_ctx *ctx, const char *key, const json_t *m,
                              const json_t **values) {
  if (!json_is_object(m))
    return gn__fail(ctx, GN_EINVAL, "body: %s: expected an object "
                    "{\"type\",\"value\"}", key);
  const char *k;
  json_t *x;
  json_object_foreach((json_t *)m, k, x) {
    int known = strcmp(k, "type") == 0 || strcmp(k, "value") == 0 ||
                strcmp(k, "attr_num") == 0;
    if (!known)
      return gn__fail(ctx, GN_EINVAL, "body: %s: unknown member '%.32s'",
                      key, k);
  }
  const json_t *type = json_object_get(m, "type");
  *values = json_object_get(m, "value");
  if (type && !json_is_string(type))
    return gn__fail(ctx, GN_EINVAL, "body: %s: \"type\" must be a string", key);
  if (!json_is_array(*values) || json_array_size(*values) == 0)
    return gn__fail(ctx, GN_EINVAL, "body: %s: \"value\" must be a non-empty"
                    " array", key);
  return GN_OK;
}

static gn_status members(gn_ctx *ctx, gn__hs_req *req, const json_t *o) {
  if (json_object_size(o) > GN__HS_REST_MAX_ATTRS)
    return gn__fail(ctx, GN_ELIMIT, "body: more than %d attributes",
                    GN__HS_REST_MAX_ATTRS);
  const char *key;
  json_t *m;
  json_object_foreach((json_t *)o, key, m) {
    const json_t *values = NULL;
    gn_status rs = member_shape(ctx, key, m, &values);
    int a = attr_index(key);
    gn__hs_val scratch;
    for (size_t i = 0; rs == GN_OK && i < json_array_size(values); i++) {
      gn__hs_val *dst = a >= 0 && i == 0 ? &req->v[a] : &scratch;
      memset(dst, 0, sizeof(*dst));
      rs = value_of(ctx, key, json_array_get(values, i), dst, &req->bad);
    }
    if (rs != GN_OK) return rs;
    if (a >= 0 && json_array_size(values) > 1 && !req->bad)
      req->bad = "attribute given twice";
  }
  return GN_OK;
}

gn_status gn__hs_req_json(gn_ctx *ctx, gn__hs_req *req, const char *body,
                          size_t len) {
  memset(req, 0, sizeof(*req));
  json_error_t err;
  json_t *o = json_loadb(body ? body : "", len,
                         JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &err);
  if (!o)
    return gn__fail(ctx, GN_EINVAL, "body line %d column %d: %s", err.line,
                    err.column, err.text);
  gn_status rs = json_is_object(o)
                     ? members(ctx, req, o)
                     : gn__fail(ctx, GN_EINVAL, "body: expected the JSON "
                                "object of rlm_rest (body = json)");
  json_decref(o);
  return rs;
}

gn_status gn_hotspot_aaa_rest(gn_store *st, gn_hotspot_op op, const char *body,
                              size_t len, const char *src_ip, int64_t now,
                              gn_hotspot_verdict *verdict, char **reply) {
  gn_ctx_clear(st->ctx);
  *reply = NULL;
  *verdict = GN_HOTSPOT_FAIL;
  gn__hs_req *r = gn_malloc(st->ctx, sizeof(*r));
  if (!r) return gn__fail(st->ctx, GN_ENOMEM, "out of memory");
  gn_status rs = gn__hs_req_json(st->ctx, r, body, len);
  if (rs == GN_OK)
    rs = gn__hs_aaa_req(st, op, r, src_ip, now, 1, verdict, reply);
  gn_free(st->ctx, r);
  return rs;
}
