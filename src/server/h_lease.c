/*
 * h_lease.c - The leasing routes: quotes, reservations, the lease
 * lifecycle, occupancy, and the public OFDS feed (src/lease does the
 * work; this file maps JSON bodies and ids to it).
 *
 * Bodies are small JSON objects, checked field by field with a clear
 * 400 naming the field; ids are strict positive integers. A 409 carries
 * the lease module's reason (no capacity, wrong state).
 */
#include <jansson.h>
#include <string.h>

#include "govnet/govnet.h"
#include "server/srv.h"
#include "util/internal.h"

#define LEASE_AUDIT_USER "api"

static gn_status str_field(gn_ctx *ctx, json_t *o, const char *k, int req,
                           const char **out) {
  json_t *v = json_object_get(o, k);
  *out = NULL;
  if (!v || json_is_null(v)) {
    return req ? gn__fail(ctx, GN_EINVAL, "body: '%s' is required", k) : GN_OK;
  }
  if (!json_is_string(v) || json_string_length(v) == 0 ||
      json_string_length(v) > 200)
    return gn__fail(ctx, GN_EINVAL, "body: '%s' must be a string of 1..200 "
                    "characters", k);
  *out = json_string_value(v);
  return GN_OK;
}

static gn_status int_field(gn_ctx *ctx, json_t *o, const char *k, long lo,
                           long hi, int *out) {
  json_t *v = json_object_get(o, k);
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_integer(v) || json_integer_value(v) < lo ||
      json_integer_value(v) > hi)
    return gn__fail(ctx, GN_EINVAL, "body: '%s' must be an integer in %ld..%ld",
                    k, lo, hi);
  *out = (int)json_integer_value(v);
  return GN_OK;
}

/* {from, to, fibers, diverse, term_months[, operator]} -> request; the
 * strings stay owned by *doc. */
static gn_status body_request(gn__req *r, json_t **doc, gn_lease_request *q) {
  gn_ctx *ctx = r->w->ctx;
  static const char *const known[] = {"from",        "to",       "fibers",
                                      "diverse",     "term_months", "operator",
                                      NULL};
  gn_lease_request_init(q);
  void *o = NULL;
  gn_status s = gn__json_body(ctx, r->body, r->body_len, known, &o);
  *doc = o;
  if (s != GN_OK) return s;
  json_t *div = json_object_get(*doc, "diverse");
  if (div && !json_is_boolean(div))
    return gn__fail(ctx, GN_EINVAL, "body: 'diverse' must be true or false");
  q->diverse = json_is_true(div);
  s = str_field(ctx, *doc, "from", 1, &q->from);
  if (s == GN_OK) s = str_field(ctx, *doc, "to", 1, &q->to);
  if (s == GN_OK) s = str_field(ctx, *doc, "operator", 0, &q->operator_);
  if (s == GN_OK) s = int_field(ctx, *doc, "fibers", 1, 48, &q->fibers);
  if (s == GN_OK) s = int_field(ctx, *doc, "term_months", 1, 600, &q->term_months);
  q->user = LEASE_AUDIT_USER;
  return s;
}

/* The operator a tenant role is scoped to (docs/auth.md: "own lease"):
 * its organisation's name; NULL for the roles that see every lease. A
 * tenant without an organisation gets "", which no lease carries. */
static const char *scoped_operator(const gn__req *r) {
  return r->scope_org ? r->who.org : NULL;
}

gn_status gn__h_quote(gn__req *r) {
  json_t *doc = NULL;
  gn_lease_request q;
  gn_status s = body_request(r, &doc, &q);
  char *json = NULL;
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  if (s == GN_OK) s = gn_lease_quote(r->w->store, &t, &q, &json);
  json_decref(doc);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_lease_create(gn__req *r) {
  json_t *doc = NULL;
  gn_lease_request q;
  gn_status s = body_request(r, &doc, &q);
  const char *own = scoped_operator(r);
  if (s == GN_OK && own && q.operator_ && strcmp(q.operator_, own) != 0)
    s = gn__fail(r->w->ctx, GN_EFORBIDDEN,
                 "an operator reserves for its own organisation only");
  if (s == GN_OK && own) q.operator_ = own;
  if (s == GN_OK && !q.operator_)
    s = gn__fail(r->w->ctx, GN_EINVAL, "body: 'operator' is required");
  char *json = NULL;
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  if (s == GN_OK) s = gn_lease_reserve(r->w->store, &t, &q, &json);
  json_decref(doc);
  return gn__req_lib_json(r, s, json, NULL, 201);
}

static gn_status path_id(gn__req *r, int64_t *id) {
  long v = 0;
  gn_status s = gn__parse_uint(r->w->ctx, "lease id", r->path_id, 1,
                               0x7fffffffL, &v);
  *id = v;
  return s;
}

gn_status gn__h_leases(gn__req *r) {
  char *json = NULL;
  const char *op = scoped_operator(r); /* a tenant lists its own only */
  gn_status s = gn_lease_list_json(r->w->store, op ? op : gn__req_arg(r, "operator"), &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_lease(gn__req *r) {
  int64_t id = 0;
  char *json = NULL;
  gn_status s = path_id(r, &id);
  if (s == GN_OK) s = gn_lease_get_json(r->w->store, id, scoped_operator(r), &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

static gn_status lifecycle(gn__req *r, int activate) {
  int64_t id = 0;
  char *json = NULL;
  gn_status s = path_id(r, &id);
  if (s == GN_OK)
    s = activate ? gn_lease_activate(r->w->store, id, LEASE_AUDIT_USER)
                 : gn_lease_terminate(r->w->store, id, LEASE_AUDIT_USER);
  if (s == GN_OK) s = gn_lease_get_json(r->w->store, id, NULL, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_lease_activate(gn__req *r) { return lifecycle(r, 1); }
gn_status gn__h_lease_terminate(gn__req *r) { return lifecycle(r, 0); }

gn_status gn__h_occupancy(gn__req *r) {
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  char *json = NULL;
  gn_status s = gn_lease_occupancy_json(r->w->store, &t, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

gn_status gn__h_ofds(gn__req *r) {
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  char *json = NULL;
  gn_status s = gn_lease_ofds_json(r->w->store, &t, 0, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}
