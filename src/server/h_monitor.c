/*
 * h_monitor.c - The monitor's routes: Alertmanager's webhook
 * (POST /api/alerts), the incidents (GET /api/incidents) and their
 * lifecycle (PATCH /api/incidents/{id}); an OTDR distance pinned on the
 * map (GET /api/locate).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "govnet/monitor.h"
#include "io/text.h"
#include "server/srv.h"
#include "util/internal.h"

gn_status gn__h_alerts(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  gn_alert_batch *b = NULL;
  gn_status s = gn_monitor_alerts_parse(ctx, r->body ? r->body : "",
                                        r->body_len, &b);
  gn_monitor_ingest res;
  if (s == GN_OK)
    s = gn_monitor_alerts_ingest(r->w->store, b, "alertmanager",
                                 (int64_t)time(NULL), &res);
  gn_alert_batch_free(ctx, b);
  if (s != GN_OK) return s;
  return gn__req_json_value(
      r, json_pack("{s:I,s:I,s:I,s:I,s:I}", "alerts", (json_int_t)res.alerts,
                   "down", (json_int_t)res.down, "opened",
                   (json_int_t)res.opened, "updated", (json_int_t)res.updated,
                   "resolved", (json_int_t)res.resolved));
}

gn_status gn__h_incidents(gn__req *r) {
  const char *open = gn__req_arg(r, "open");
  long o = 0;
  gn_status s = open ? gn__parse_uint(r->w->ctx, "open", open, 0, 1, &o)
                     : GN_OK;
  char *json = NULL;
  if (s == GN_OK) s = gn_monitor_incidents_json(r->w->store, (int)o, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* Optional string member of the PATCH body (NULL if absent). */
static gn_status member(gn_ctx *ctx, json_t *o, const char *k,
                        const char **out) {
  json_t *v = json_object_get(o, k);
  *out = NULL;
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_string(v))
    return gn__fail(ctx, GN_EINVAL, "%s: want a string", k);
  *out = json_string_value(v);
  return GN_OK;
}

gn_status gn__h_incident_update(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  char *end = NULL;
  long long id = strtoll(r->path_id, &end, 10);
  if (!end || *end || id <= 0)
    return gn__fail(ctx, GN_EINVAL, "incident id '%s': want a positive integer",
                    r->path_id);
  json_error_t err;
  json_t *o = json_loadb(r->body ? r->body : "", r->body_len,
                         JSON_REJECT_DUPLICATES, &err);
  if (!json_is_object(o)) {
    json_decref(o);
    return gn__fail(ctx, GN_EINVAL, "body: want a JSON object (%s)",
                    o ? "not an object" : err.text);
  }
  gn_incident_update u;
  gn_status s = member(ctx, o, "state", &u.state);
  if (s == GN_OK) s = member(ctx, o, "assignee", &u.assignee);
  if (s == GN_OK) s = member(ctx, o, "cause", &u.cause);
  if (s == GN_OK) s = member(ctx, o, "note", &u.note);
  if (s == GN_OK)
    s = gn_monitor_incident_update(r->w->store, (int64_t)id, &u, "api",
                                   (int64_t)time(NULL));
  json_decref(o);
  char *json = NULL;
  if (s == GN_OK) s = gn_monitor_incidents_json(r->w->store, 0, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}

/* GET /api/locate?site=ID|circuit=ID|port=ID&distance=M */
gn_status gn__h_locate(gn__req *r) {
  gn_ctx *ctx = r->w->ctx;
  gn_locate_query q;
  memset(&q, 0, sizeof(q));
  q.site = gn__req_arg(r, "site");
  const char *c = gn__req_arg(r, "circuit"), *p = gn__req_arg(r, "port");
  const char *d = gn__req_arg(r, "distance");
  long v = 0;
  gn_status s = GN_OK;
  if (c && (s = gn__parse_uint(ctx, "circuit", c, 1, 0x7fffffffL, &v)) == GN_OK)
    q.circuit = v;
  if (s == GN_OK && p &&
      (s = gn__parse_uint(ctx, "port", p, 1, 0x7fffffffL, &v)) == GN_OK)
    q.port = v;
  if (s == GN_OK && (!d || gn__parse_decimal(d, &q.distance_m) != 0))
    s = gn__fail(ctx, GN_EINVAL, "distance: want the OTDR distance in metres"
                 " from the POP end");
  if (s == GN_OK && q.site && !gn__text_valid(q.site, 0))
    s = gn__fail(ctx, GN_EINVAL, "site: not valid UTF-8 text");
  gn_locate_result x;
  char *json = NULL;
  if (s == GN_OK) s = gn_monitor_locate(r->w->store, &q, &x, &json);
  return gn__req_lib_json(r, s, json, NULL, 0);
}
