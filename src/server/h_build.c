/*
 * h_build.c - HTTP handlers of the build module: work packages, their
 * assignment, field reports (single or batched from a phone's outbox)
 * and segment status.
 *
 * Design: the handlers only translate JSON to the build API and back.
 * A batch of reports is answered item by item ({client_id, status, ...})
 * so a phone can drop what was stored (201), what was already stored
 * (200, a replay) and keep showing what was refused (4xx with the
 * message); each report is its own transaction, so one bad report never
 * loses the others.
 * Scope: caller_scope() says which organisation the caller acts for,
 * from the principal and the permission table's scope rule (a
 * subcontractor: its own packages only); every handler passes the
 * organisation down to src/build, which enforces it.
 */
#include <jansson.h>
#include <string.h>

#include "govnet/govnet.h"
#include "server/srv.h"
#include "util/internal.h"

#define MAX_BATCH 500
#define MAX_LIST 1000

typedef struct scope {
  const char *org; /* NULL: operator-wide */
  const char *user;
  int supervisor;
} scope;

/* The principal found by gn__auth_request: a subcontractor acts for its
 * own organisation (the route's scope rule set r->scope_org); admins and
 * supervisors may override a step's order; the audit user is the name. */
static scope caller_scope(const gn__req *r) {
  scope s = {NULL, "api", 0};
  if (r->scope_org) s.org = r->who.org;
  if (r->who.name[0]) s.user = r->who.name;
  s.supervisor = r->who.role == GN_ROLE_ADMIN || r->who.role == GN_ROLE_SUPERVISOR;
  return s;
}

static gn_status parse_body(gn__req *r, json_t **out) {
  json_error_t e;
  *out = json_loadb(r->body ? r->body : "", r->body_len, 0, &e);
  if (!*out)
    return gn__fail(r->w->ctx, GN_EINVAL, "body: line %d column %d: %s",
                    e.line, e.column, e.text);
  return GN_OK;
}

/* Optional string member: GN_EINVAL when present and not a string. */
static gn_status opt_str(gn_ctx *ctx, const json_t *o, const char *key,
                         const char **out) {
  const json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_string(v))
    return gn__fail(ctx, GN_EINVAL, "%s: expected a string", key);
  *out = json_string_value(v);
  return GN_OK;
}

static gn_status opt_num(gn_ctx *ctx, const json_t *o, const char *key,
                         double *out) {
  const json_t *v = json_object_get(o, key);
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_number(v))
    return gn__fail(ctx, GN_EINVAL, "%s: expected a number", key);
  *out = json_number_value(v);
  return GN_OK;
}

/* ---- packages ---------------------------------------------------- */

gn_status gn__h_build_packages(gn__req *r) {
  scope sc = caller_scope(r);
  gn_build_packages *p = NULL;
  char *json = NULL;
  gn_status s = gn_build_list(r->w->store, gn__req_arg(r, "phase"), sc.org, &p);
  if (s == GN_OK) s = gn_build_packages_json(r->w->ctx, p, 1, &json);
  gn_build_packages_free(r->w->ctx, p);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* POST {"target_km" | "target_fcfa", "phase", "save"}: a proposal, stored
 * when save is true (operators only). */
gn_status gn__h_build_cut(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  scope sc = caller_scope(r);
  if (sc.org)
    return gn__fail(ctx, GN_EAUTH, "only the operator cuts work packages");
  json_t *b = NULL;
  gn_status s = parse_body(r, &b);
  gn_build_cut_opts o = {0, 0, NULL};
  if (s == GN_OK) s = opt_num(ctx, b, "target_km", &o.target_km);
  if (s == GN_OK) s = opt_num(ctx, b, "target_fcfa", &o.target_fcfa);
  if (s == GN_OK) s = opt_str(ctx, b, "phase", &o.phase);
  gn_build_packages *p = NULL;
  if (s == GN_OK) s = gn_build_cut(r->w->store, &o, &p);
  if (s == GN_OK && json_is_true(json_object_get(b, "save")))
    s = gn_build_save(r->w->store, p, sc.user);
  char *json = NULL;
  if (s == GN_OK) s = gn_build_packages_json(ctx, p, 0, &json);
  gn_build_packages_free(ctx, p);
  json_decref(b);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* PATCH /api/build/packages/{id} {"org", "crew"} */
gn_status gn__h_build_assign(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  scope sc = caller_scope(r);
  json_t *b = NULL;
  const char *org = NULL, *crew = NULL, *start = NULL, *end = NULL;
  gn_status s = parse_body(r, &b);
  if (s == GN_OK) s = opt_str(ctx, b, "org", &org);
  if (s == GN_OK) s = opt_str(ctx, b, "crew", &crew);
  if (s == GN_OK) s = opt_str(ctx, b, "start", &start);
  if (s == GN_OK) s = opt_str(ctx, b, "end", &end);
  if (s == GN_OK && !org) org = sc.org; /* a subcontractor re-crews */
  if (s == GN_OK)
    s = gn_build_assign(r->w->store, r->path_id, org, crew, sc.org, sc.user);
  if (s == GN_OK && (start || end))
    s = gn_build_schedule(r->w->store, r->path_id, start, end, sc.org, sc.user);
  gn_build_packages *p = NULL;
  char *json = NULL;
  if (s == GN_OK) s = gn_build_list(r->w->store, NULL, org, &p);
  json_decref(b); /* org pointed into it */
  if (s != GN_OK) return s;
  for (size_t i = 0; s == GN_OK && i < p->n; i++) {
    if (strcmp(p->items[i].id, r->path_id) != 0) continue;
    gn_build_packages one = {&p->items[i], 1};
    s = gn_build_packages_json(ctx, &one, 1, &json);
  }
  gn_build_packages_free(ctx, p);
  if (s == GN_OK && !json) s = gn__fail(ctx, GN_EINTERNAL, "assigned package vanished");
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* ---- reports ----------------------------------------------------- */

static gn_status str_list(gn__req *r, const json_t *a, const char *key,
                          gn_build_report *rep) {
  gn_ctx *ctx = r->w->ctx;
  if (!a || json_is_null(a)) return GN_OK;
  size_t n = json_array_size(a);
  if (!json_is_array(a) || n > MAX_LIST)
    return gn__fail(ctx, GN_EINVAL, "%s: expected an array (at most %d)", key,
                    MAX_LIST);
  const char **v = gn__arena_alloc(&r->arena, (n ? n : 1) * sizeof(*v));
  if (!v) return gn_ctx_errcode(ctx);
  for (size_t i = 0; i < n; i++) {
    v[i] = json_string_value(json_array_get(a, i));
    if (!v[i]) return gn__fail(ctx, GN_EINVAL, "%s[%zu]: expected a string", key, i);
  }
  rep->photos = v;
  rep->nphotos = n;
  return GN_OK;
}

static gn_status gps_list(gn__req *r, const json_t *a, gn_build_report *rep) {
  gn_ctx *ctx = r->w->ctx;
  if (!a || json_is_null(a)) return GN_OK;
  size_t n = json_array_size(a);
  if (!json_is_array(a) || n > MAX_LIST)
    return gn__fail(ctx, GN_EINVAL, "gps: expected an array of [lon, lat] (at most %d)",
                    MAX_LIST);
  double *v = gn__arena_alloc(&r->arena, (n ? n : 1) * 2 * sizeof(*v));
  if (!v) return gn_ctx_errcode(ctx);
  for (size_t i = 0; i < n; i++) {
    const json_t *p = json_array_get(a, i);
    if (json_array_size(p) < 2 || !json_is_number(json_array_get(p, 0)) ||
        !json_is_number(json_array_get(p, 1)))
      return gn__fail(ctx, GN_EINVAL, "gps[%zu]: expected [lon, lat]", i);
    v[2 * i] = json_number_value(json_array_get(p, 0));
    v[2 * i + 1] = json_number_value(json_array_get(p, 1));
  }
  rep->gps = v;
  rep->ngps = n;
  return GN_OK;
}

static gn_status report_from(gn__req *r, const json_t *o, const scope *sc,
                             gn_build_report *rep) {
  gn_ctx *ctx = r->w->ctx;
  memset(rep, 0, sizeof(*rep));
  if (!json_is_object(o)) return gn__fail(ctx, GN_EINVAL, "report: expected an object");
  const char *step = NULL;
  const json_t *tr = json_object_get(o, "trench");
  if (!json_is_integer(tr) || json_integer_value(tr) <= 0)
    return gn__fail(ctx, GN_EINVAL, "trench: expected a positive integer id");
  rep->trench = json_integer_value(tr);
  gn_status s = opt_str(ctx, o, "client_id", &rep->client_id);
  if (s == GN_OK) s = opt_str(ctx, o, "step", &step);
  if (s == GN_OK && gn_build_step_parse(step) < 0)
    s = gn__fail(ctx, GN_EINVAL, "step: one of surveyed, dug, ducted, pulled,"
                                 " spliced, tested, accepted, blocked");
  if (s == GN_OK) rep->step = (gn_build_step)gn_build_step_parse(step);
  if (s == GN_OK) s = opt_str(ctx, o, "who", &rep->who);
  if (s == GN_OK) s = opt_str(ctx, o, "at", &rep->at);
  if (s == GN_OK) s = opt_num(ctx, o, "metres", &rep->metres);
  if (s == GN_OK) s = opt_str(ctx, o, "note", &rep->note);
  if (s == GN_OK) s = opt_str(ctx, o, "reason", &rep->block_reason);
  if (s == GN_OK) s = opt_str(ctx, o, "override_reason", &rep->override_reason);
  if (s == GN_OK) s = str_list(r, json_object_get(o, "photos"), "photos", rep);
  if (s == GN_OK) s = gps_list(r, json_object_get(o, "gps"), rep);
  rep->org = sc->org;
  rep->supervisor = sc->supervisor && json_is_true(json_object_get(o, "supervisor"));
  return s;
}

/* One report: its outcome object and HTTP status (201 stored, 200
 * replay, else the error's). */
static json_t *one_report(gn__req *r, const json_t *o, const scope *sc,
                          unsigned *http) {
  gn_ctx *ctx = r->w->ctx;
  gn_build_report rep;
  gn_build_outcome out;
  gn_ctx_clear(ctx); /* each item reports its own first error */
  gn_status s = report_from(r, o, sc, &rep);
  if (s == GN_OK) s = gn_build_report_add(r->w->store, &rep, &out);
  const char *cid = json_string_value(json_object_get(o, "client_id"));
  if (s != GN_OK) {
    *http = gn_status_http(s);
    return json_pack("{s:s?,s:i,s:s,s:s}", "client_id", cid, "status", (int)*http,
                     "error", gn_status_name(s), "message", gn_ctx_errmsg(ctx));
  }
  *http = out.duplicate ? 200 : 201;
  return json_pack("{s:s?,s:i,s:I,s:b,s:s,s:b}", "client_id", cid, "status",
                   (int)*http, "report", (json_int_t)out.report, "duplicate",
                   out.duplicate, "state", gn_build_step_name(out.state),
                   "blocked", out.blocked);
}

/* POST /api/build/reports: one report object, or an array of them (a
 * phone's outbox) answered as {"results": [...], "stored", "replayed",
 * "refused"}. */
gn_status gn__h_build_reports(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  scope sc = caller_scope(r);
  json_t *b = NULL;
  gn_status s = parse_body(r, &b);
  if (s != GN_OK) return s;
  unsigned http = 0;
  if (!json_is_array(b)) {
    json_t *one = one_report(r, b, &sc, &http);
    json_decref(b);
    if (http >= 400) {
      json_decref(one);
      return gn_ctx_errcode(ctx);
    }
    r->http = http;
    return gn__req_json_value(r, one);
  }
  if (json_array_size(b) > MAX_BATCH) {
    json_decref(b);
    return gn__fail(ctx, GN_ELIMIT, "at most %d reports per request", MAX_BATCH);
  }
  json_t *res = json_array();
  int n[3] = {0, 0, 0};
  for (size_t i = 0; res && i < json_array_size(b); i++) {
    json_array_append_new(res, one_report(r, json_array_get(b, i), &sc, &http));
    n[http == 201 ? 0 : http == 200 ? 1 : 2]++;
  }
  json_decref(b);
  gn_ctx_clear(ctx);
  return gn__req_json_value(r, json_pack("{s:o,s:i,s:i,s:i}", "results", res,
                                         "stored", n[0], "replayed", n[1],
                                         "refused", n[2]));
}

/* GET /api/build/supervision?phase=P&as_of=D */
gn_status gn__h_build_supervision(gn__req *r) {
  scope sc = caller_scope(r);
  char *json = NULL;
  gn_status s = gn_build_supervision_json(r->w->store, gn__req_arg(r, "phase"),
                                          sc.org, gn__req_arg(r, "as_of"), &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* GET /api/build/status?package=P */
gn_status gn__h_build_status(gn__req *r) {
  scope sc = caller_scope(r);
  char *json = NULL;
  gn_status s = gn_build_status_json(r->w->store, gn__req_arg(r, "package"),
                                     sc.org, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}
