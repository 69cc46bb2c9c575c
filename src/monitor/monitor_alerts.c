/*
 * monitor_alerts.c - The Alertmanager webhook body (version 4), parsed
 * and validated.
 *
 * Design: jansson reads the body (duplicate keys refused, NUL bytes
 * refused, size capped before parsing); then every member the intake uses
 * is checked for type and form, and the first problem is reported with
 * its JSON path. Times are RFC 3339 as Alertmanager writes them (Go's
 * time.Time: fractional seconds, Z or +hh:mm); converted to Unix seconds
 * with the days-from-civil formula (no timegm, no locale, no TZ).
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "monitor/monitor_int.h"

#define MAX_LABEL 1024

static int digits(const char *s, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    v = v * 10 + (s[i] - '0');
  }
  *out = v;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant). */
int64_t gn__mon_days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)" -> Unix seconds. */
static int parse_time(const char *s, int64_t *out) {
  int y, mo, d, h, mi, se, oh = 0, om = 0;
  size_t n = strlen(s);
  if (n < 20 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
      s[7] != '-' || digits(s + 8, 2, &d) || (s[10] != 'T' && s[10] != 't') ||
      digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
      s[16] != ':' || digits(s + 17, 2, &se))
    return -1;
  const char *p = s + 19;
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9') return -1;
    while (*p >= '0' && *p <= '9') p++;
  }
  int sign = 0;
  if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
    sign = 0;
  } else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
             !digits(p + 1, 2, &oh) && p[3] == ':' && !digits(p + 4, 2, &om) &&
             oh < 24 && om < 60) {
    sign = *p == '+' ? 1 : -1;
  } else {
    return -1;
  }
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 ||
      mi > 59 || se > 60)
    return -1;
  if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
    return -1;
  *out = gn__mon_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
         sign * (oh * 3600 + om * 60);
  return 0;
}

static gn_status bad(gn_ctx *ctx, const char *path, const char *what) {
  return gn__fail(ctx, GN_EFORMAT, "alert webhook: %s: %s", path, what);
}

static gn_status status_of(gn_ctx *ctx, json_t *o, const char *path,
                           gn_alert_status *st) {
  const char *s = json_string_value(json_object_get(o, "status"));
  char p[64];
  snprintf(p, sizeof(p), "%s%sstatus", path, path[0] ? "." : "");
  if (!s) return bad(ctx, p, "missing or not a string");
  if (strcmp(s, "firing") == 0)
    *st = GN_ALERT_FIRING;
  else if (strcmp(s, "resolved") == 0)
    *st = GN_ALERT_RESOLVED;
  else
    return bad(ctx, p, "want \"firing\" or \"resolved\"");
  return GN_OK;
}

/* Optional string member (NULL if absent); GN_EFORMAT if not a string. */
static gn_status opt_str(gn_ctx *ctx, json_t *o, const char *key,
                         const char *path, char **out) {
  json_t *v = json_object_get(o, key);
  *out = NULL;
  if (!v || json_is_null(v)) return GN_OK;
  if (!json_is_string(v) || json_string_length(v) > MAX_LABEL)
    return gn__fail(ctx, GN_EFORMAT, "alert webhook: %s.%s: want a string of"
                    " at most %d bytes", path, key, MAX_LABEL);
  *out = gn__strdup(ctx, json_string_value(v));
  return *out ? GN_OK : gn__fail(ctx, GN_ENOMEM, "out of memory");
}

static gn_status labels(gn_ctx *ctx, json_t *a, const char *path,
                        gn_alert *al) {
  json_t *l = json_object_get(a, "labels");
  char p[64];
  snprintf(p, sizeof(p), "%s.labels", path);
  if (!json_is_object(l)) return bad(ctx, p, "missing or not an object");
  const char *k;
  json_t *v;
  json_object_foreach(l, k, v) {
    if (!json_is_string(v) || json_string_length(v) > MAX_LABEL)
      return gn__fail(ctx, GN_EFORMAT, "alert webhook: %s.%s: want a string"
                      " of at most %d bytes", p, k, MAX_LABEL);
  }
  gn_status rs = opt_str(ctx, l, "alertname", p, &al->name);
  if (rs == GN_OK && (!al->name || !al->name[0]))
    rs = bad(ctx, p, "no alertname");
  if (rs == GN_OK) rs = opt_str(ctx, l, "site", p, &al->site);
  if (rs == GN_OK && al->site && (!al->site[0] || strlen(al->site) > 128))
    rs = bad(ctx, p, "site: want 1..128 bytes");
  if (rs == GN_OK) rs = opt_str(ctx, l, "device", p, &al->device);
  return rs;
}

static gn_status one_alert(gn_ctx *ctx, json_t *a, size_t i, gn_alert *al) {
  char path[48];
  snprintf(path, sizeof(path), "alerts[%zu]", i);
  if (!json_is_object(a)) return bad(ctx, path, "not an object");
  gn_status rs = status_of(ctx, a, path, &al->status);
  if (rs == GN_OK) rs = labels(ctx, a, path, al);
  if (rs == GN_OK) rs = opt_str(ctx, a, "fingerprint", path, &al->fingerprint);
  const char *t = json_string_value(json_object_get(a, "startsAt"));
  char p[64];
  snprintf(p, sizeof(p), "%s.startsAt", path);
  if (rs == GN_OK && (!t || parse_time(t, &al->starts_at) != 0))
    rs = bad(ctx, p, "missing or not an RFC 3339 time");
  json_t *e = json_object_get(a, "endsAt");
  snprintf(p, sizeof(p), "%s.endsAt", path);
  if (rs == GN_OK && e && !json_is_null(e)) {
    t = json_string_value(e);
    if (!t || parse_time(t, &al->ends_at) != 0)
      rs = bad(ctx, p, "not an RFC 3339 time");
    else if (al->ends_at < 0) /* Go's zero time, year 1: unset */
      al->ends_at = 0;
  }
  return rs;
}

static gn_status parse(gn_ctx *ctx, json_t *root, gn_alert_batch *b) {
  if (!json_is_object(root)) return bad(ctx, "body", "not a JSON object");
  const char *v = json_string_value(json_object_get(root, "version"));
  if (!v || strcmp(v, "4") != 0)
    return bad(ctx, "version", "want \"4\" (Alertmanager webhook v4)");
  gn_status rs = status_of(ctx, root, "", &b->status);
  if (rs == GN_OK) rs = opt_str(ctx, root, "receiver", "body", &b->receiver);
  if (rs == GN_OK && !b->receiver) rs = bad(ctx, "receiver", "missing");
  if (rs == GN_OK) rs = opt_str(ctx, root, "groupKey", "body", &b->group_key);
  json_t *arr = json_object_get(root, "alerts");
  if (rs == GN_OK && !json_is_array(arr))
    rs = bad(ctx, "alerts", "missing or not an array");
  if (rs != GN_OK) return rs;
  size_t n = json_array_size(arr);
  if (n > GN_ALERTS_MAX_ALERTS)
    return gn__fail(ctx, GN_ELIMIT, "alert webhook: %zu alerts, at most %d",
                    n, GN_ALERTS_MAX_ALERTS);
  b->alerts = gn_malloc(ctx, (n ? n : 1) * sizeof(gn_alert));
  if (!b->alerts) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  memset(b->alerts, 0, (n ? n : 1) * sizeof(gn_alert));
  for (size_t i = 0; rs == GN_OK && i < n; i++) {
    b->nalerts++;
    rs = one_alert(ctx, json_array_get(arr, i), i, &b->alerts[i]);
  }
  return rs;
}

gn_status gn_monitor_alerts_parse(gn_ctx *ctx, const char *body, size_t n,
                                  gn_alert_batch **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  if (n > GN_ALERTS_MAX_BYTES)
    return gn__fail(ctx, GN_ELIMIT, "alert webhook: body of %zu bytes, at"
                    " most %u", n, GN_ALERTS_MAX_BYTES);
  json_error_t err;
  json_t *root = json_loadb(body, n, JSON_REJECT_DUPLICATES, &err);
  if (!root)
    return gn__fail(ctx, GN_EFORMAT, "alert webhook: line %d column %d: %s",
                    err.line, err.column, err.text);
  gn_alert_batch *b = gn_malloc(ctx, sizeof(*b));
  gn_status rs = b ? GN_OK : gn__fail(ctx, GN_ENOMEM, "out of memory");
  if (b) {
    memset(b, 0, sizeof(*b));
    rs = parse(ctx, root, b);
  }
  json_decref(root);
  if (rs != GN_OK) {
    gn_alert_batch_free(ctx, b);
    return rs;
  }
  *out = b;
  return GN_OK;
}

void gn_alert_batch_free(gn_ctx *ctx, gn_alert_batch *b) {
  if (!b) return;
  for (size_t i = 0; i < b->nalerts; i++) {
    gn_free(ctx, b->alerts[i].name);
    gn_free(ctx, b->alerts[i].site);
    gn_free(ctx, b->alerts[i].device);
    gn_free(ctx, b->alerts[i].fingerprint);
  }
  gn_free(ctx, b->alerts);
  gn_free(ctx, b->receiver);
  gn_free(ctx, b->group_key);
  gn_free(ctx, b);
}

gn_status gn_monitor_parse_time(gn_ctx *ctx, const char *s, int64_t *out) {
  char buf[40];
  const char *t = s;
  if (s && strlen(s) == 10) { /* a date: midnight UTC */
    snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
    t = buf;
  }
  if (!s || parse_time(t, out) != 0)
    return gn__fail(ctx, GN_EINVAL, "time '%s': want YYYY-MM-DD or RFC 3339",
                    s ? s : "");
  return GN_OK;
}
