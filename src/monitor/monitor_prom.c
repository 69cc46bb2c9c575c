/*
 * monitor_prom.c - Prometheus's HTTP API: range queries (libcurl, the one
 * place in govnet that speaks HTTP as a client) and the validation of
 * their answers (jansson).
 *
 * Design: one GET of /api/v1/query_range per call, a bounded body
 * (GN_PROM_MAX_BYTES), timeouts, http/https only. The answer must be
 * {"status":"success","data":{"resultType":"matrix","result":[{"metric":
 * {"site":...},"values":[[t,"v"],...]}]}}; anything else is an error
 * naming the member, and Prometheus's own error text is passed on.
 * Values go through the project's strict decimal parser (NaN and Inf are
 * refused: the queries used here never produce them).
 * Ownership: a matrix owns its strings and arrays (gn_prom_matrix_free).
 * Threads: reentrant (CURLOPT_NOSIGNAL; libcurl >= 7.84 initialises
 * itself thread-safely).
 */
#include <curl/curl.h>
#include <jansson.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "io/text.h"
#include "monitor/monitor_int.h"

#define MAX_SERIES 100000

void gn_prom_matrix_free(gn_ctx *ctx, gn_prom_matrix *m) {
  if (!m) return;
  for (size_t i = 0; i < m->nseries; i++) {
    gn_free(ctx, m->series[i].site);
    gn_free(ctx, m->series[i].t);
    gn_free(ctx, m->series[i].v);
  }
  gn_free(ctx, m->series);
  gn_free(ctx, m);
}

static gn_status bad(gn_ctx *ctx, const char *what) {
  return gn__fail(ctx, GN_EFORMAT, "Prometheus answer: %s", what);
}

/* One [time, "value"] pair of series s. */
static gn_status sample(gn_ctx *ctx, const json_t *p, size_t i, size_t k,
                        gn_prom_series *s) {
  char w[96];
  const json_t *t = json_array_get(p, 0), *v = json_array_get(p, 1);
  double x;
  if (!json_is_array(p) || json_array_size(p) != 2 || !json_is_number(t) ||
      !json_is_string(v)) {
    snprintf(w, sizeof w, "result[%zu].values[%zu]: want [time, \"value\"]",
             i, k);
    return bad(ctx, w);
  }
  if (gn__parse_decimal(json_string_value(v), &x) != 0) {
    snprintf(w, sizeof w, "result[%zu].values[%zu]: value is not a number", i, k);
    return bad(ctx, w);
  }
  s->t[k] = json_number_value(t);
  s->v[k] = x;
  return GN_OK;
}

static gn_status one_series(gn_ctx *ctx, const json_t *r, size_t i,
                            gn_prom_series *s) {
  char w[96];
  const json_t *site = json_object_get(json_object_get(r, "metric"), "site");
  const json_t *vals = json_object_get(r, "values");
  if (!json_is_string(site) || !gn__text_valid(json_string_value(site), 0)) {
    snprintf(w, sizeof w, "result[%zu].metric.site: missing or not text", i);
    return bad(ctx, w);
  }
  if (!json_is_array(vals)) {
    snprintf(w, sizeof w, "result[%zu].values: missing (not a matrix)", i);
    return bad(ctx, w);
  }
  size_t n = json_array_size(vals), k;
  s->site = gn__strdup(ctx, json_string_value(site));
  s->t = gn_malloc(ctx, (n ? n : 1) * sizeof(double));
  s->v = gn_malloc(ctx, (n ? n : 1) * sizeof(double));
  if (!s->site || !s->t || !s->v) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  s->n = n;
  const json_t *p;
  gn_status rs = GN_OK;
  json_array_foreach(vals, k, p) {
    if (rs == GN_OK) rs = sample(ctx, p, i, k, s);
  }
  return rs;
}

/* The "result" array of a successful matrix answer, or an error. */
static gn_status result_of(gn_ctx *ctx, const json_t *doc, const json_t **res) {
  const char *st = json_string_value(json_object_get(doc, "status"));
  const json_t *data = json_object_get(doc, "data");
  if (st && strcmp(st, "error") == 0) {
    const char *e = json_string_value(json_object_get(doc, "error"));
    return gn__fail(ctx, GN_EINVAL, "Prometheus: %s", e ? e : "error");
  }
  if (!st || strcmp(st, "success") != 0) return bad(ctx, "status: want \"success\"");
  const char *rt = json_string_value(json_object_get(data, "resultType"));
  if (!rt || strcmp(rt, "matrix") != 0)
    return bad(ctx, "data.resultType: want \"matrix\"");
  *res = json_object_get(data, "result");
  if (!json_is_array(*res)) return bad(ctx, "data.result: missing");
  if (json_array_size(*res) > MAX_SERIES)
    return gn__fail(ctx, GN_ELIMIT, "Prometheus answer: over %d series",
                    MAX_SERIES);
  return GN_OK;
}

gn_status gn_monitor_prom_parse(gn_ctx *ctx, const char *body, size_t n,
                                gn_prom_matrix **out) {
  gn_ctx_clear(ctx);
  *out = NULL;
  if (n > GN_PROM_MAX_BYTES)
    return gn__fail(ctx, GN_ELIMIT, "Prometheus answer: over %u bytes",
                    GN_PROM_MAX_BYTES);
  json_error_t je;
  json_t *doc = json_loadb(body, n, JSON_REJECT_DUPLICATES, &je);
  if (!doc)
    return gn__fail(ctx, GN_EFORMAT, "Prometheus answer: line %d: %s",
                    je.line, je.text);
  const json_t *res = NULL;
  gn_status rs = result_of(ctx, doc, &res);
  gn_prom_matrix *m = NULL;
  if (rs == GN_OK) {
    size_t ns = json_array_size(res);
    m = gn_malloc(ctx, sizeof(*m));
    if (m) {
      m->nseries = 0;
      m->series = gn_malloc(ctx, (ns ? ns : 1) * sizeof(gn_prom_series));
    }
    if (!m || !m->series) rs = gn__fail(ctx, GN_ENOMEM, "out of memory");
    else memset(m->series, 0, (ns ? ns : 1) * sizeof(gn_prom_series));
    for (size_t i = 0; rs == GN_OK && i < ns; i++) {
      m->nseries++;
      rs = one_series(ctx, json_array_get(res, i), i, &m->series[i]);
    }
  }
  json_decref(doc);
  if (rs != GN_OK) {
    gn_prom_matrix_free(ctx, m);
    return rs;
  }
  *out = m;
  return GN_OK;
}

/* ---- HTTP ------------------------------------------------------------ */

typedef struct body {
  gn_ctx *ctx;
  char *p;
  size_t n, cap;
  int too_big;
} body;

static size_t on_data(char *data, size_t size, size_t nmemb, void *closure) {
  body *b = closure;
  size_t len = size * nmemb;
  if (b->n + len > GN_PROM_MAX_BYTES) {
    b->too_big = 1;
    return 0;
  }
  if (GN__GROW(b->ctx, b->p, b->cap, b->n + len + 1) != GN_OK) return 0;
  memcpy(b->p + b->n, data, len);
  b->n += len;
  return len;
}

/* GET url into b; errors name the server (base, bl bytes), not the query. */
static gn_status get(gn_ctx *ctx, const char *url, const char *base, int bl,
                     body *b, long *code) {
  CURL *c = curl_easy_init();
  if (!c) return gn__fail(ctx, GN_ENOMEM, "Prometheus: cannot start libcurl");
  char err[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 120L);
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(c, CURLOPT_USERAGENT, "govnet");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, code);
  curl_easy_cleanup(c);
  if (b->too_big)
    return gn__fail(ctx, GN_ELIMIT, "Prometheus: answer over %u bytes",
                    GN_PROM_MAX_BYTES);
  if (rc != CURLE_OK)
    return gn__fail(ctx, GN_EIO, "Prometheus %.*s: %s", bl, base,
                    err[0] ? err : curl_easy_strerror(rc));
  return GN_OK;
}

gn_status gn__mon_prom_range(gn_ctx *ctx, const char *base, const char *query,
                             int64_t start, int64_t end, int64_t step,
                             gn_prom_matrix **out) {
  *out = NULL;
  size_t bl = strlen(base);
  while (bl && base[bl - 1] == '/') bl--;
  if (strncmp(base, "http://", 7) != 0 && strncmp(base, "https://", 8) != 0)
    return gn__fail(ctx, GN_EINVAL, "Prometheus URL '%s': want http:// or"
                    " https://", base);
  char *q = curl_easy_escape(NULL, query, 0);
  if (!q) return gn__fail(ctx, GN_ENOMEM, "out of memory");
  size_t un = bl + strlen(q) + 128;
  char *url = gn_malloc(ctx, un);
  if (!url) {
    curl_free(q);
    return gn__fail(ctx, GN_ENOMEM, "out of memory");
  }
  snprintf(url, un, "%.*s/api/v1/query_range?query=%s&start=%lld&end=%lld"
           "&step=%lld", (int)bl, base, q, (long long)start, (long long)end,
           (long long)step);
  curl_free(q);
  body b = {ctx, NULL, 0, 0, 0};
  long code = 0;
  gn_status rs = get(ctx, url, base, (int)bl, &b, &code);
  if (b.p) b.p[b.n] = '\0';
  /* Prometheus answers errors (400, 422, 503) in its JSON error form,
   * whose text is kept (GN_EINVAL); any other non-200 answer is named
   * with its status and the start of its body. */
  if (rs == GN_OK) rs = gn_monitor_prom_parse(ctx, b.p ? b.p : "", b.n, out);
  if (code != 200 && (rs == GN_OK || rs == GN_EFORMAT)) {
    gn_prom_matrix_free(ctx, *out);
    *out = NULL;
    gn_ctx_clear(ctx);
    rs = gn__fail(ctx, GN_EIO, "Prometheus %.*s: HTTP %ld (%.200s)", (int)bl,
                  base, code, b.p ? b.p : "");
  }
  gn_free(ctx, b.p);
  gn_free(ctx, url);
  return rs;
}

/* ---- probe_success counted by window --------------------------------- */

#define MAX_WINDOWS 10000 /* Prometheus refuses over 11,000 points */

/* The window: whole steps, at most MAX_WINDOWS over the period, dividing
 * a day when it can (windows then never straddle a day or month). */
static int64_t window_len(int64_t period, int64_t step) {
  int64_t need = (period + MAX_WINDOWS - 1) / MAX_WINDOWS;
  for (int64_t w = step; w <= 86400; w += step)
    if (w >= need && 86400 % w == 0) return w;
  return (need + step - 1) / step * step;
}

static int cmp_series(const void *x, const void *y) {
  return strcmp(((const gn_prom_series *)x)->site,
                ((const gn_prom_series *)y)->site);
}

/* Hand each (site, window) of the count and sum answers to fn. */
static void windows_out(const gn_prom_matrix *cnt, gn_prom_matrix *sum,
                        int64_t len, int64_t step, gn__prom_window_fn fn,
                        void *closure) {
  if (sum->nseries > 1)
    qsort(sum->series, sum->nseries, sizeof(gn_prom_series), cmp_series);
  for (size_t i = 0; i < cnt->nseries; i++) {
    const gn_prom_series *c = &cnt->series[i], *s = NULL;
    if (sum->nseries)
      s = bsearch(c, sum->series, sum->nseries, sizeof(gn_prom_series),
                  cmp_series);
    for (size_t k = 0, j = 0; s && k < c->n; k++) {
      while (j < s->n && s->t[j] < c->t[k]) j++;
      if (j == s->n || s->t[j] != c->t[k]) continue;
      double n = c->v[k], up = s->v[j];
      int64_t meas = (int64_t)(n * (double)step), down = (int64_t)((n - up) * (double)step);
      if (meas > len) meas = len;
      if (down > meas) down = meas;
      if (down < 0) down = 0;
      int64_t end = (int64_t)c->t[k];
      fn(closure, c->site, end - len, len, down, meas);
    }
  }
}

/* One segment: windows of len ending at start..end by len. */
static gn_status segment(gn_ctx *ctx, const char *url, int64_t start,
                         int64_t end, int64_t len, int64_t step,
                         gn__prom_window_fn fn, void *closure) {
  char q[2][200];
  static const char *const f[2] = {"count_over_time", "sum_over_time"};
  gn_prom_matrix *m[2] = {NULL, NULL};
  gn_status rs = GN_OK;
  for (int k = 0; k < 2 && rs == GN_OK; k++) {
    /* ms - 1: a sample on a window's edge counts in one window only */
    snprintf(q[k], sizeof q[k],
             "sum by (site) (%s(probe_success{job=\"govnet_cpe\"}[%lldms]))",
             f[k], (long long)len * 1000 - 1);
    rs = gn__mon_prom_range(ctx, url, q[k], start, end, len, &m[k]);
  }
  if (rs == GN_OK) windows_out(m[0], m[1], len, step, fn, closure);
  gn_prom_matrix_free(ctx, m[0]);
  gn_prom_matrix_free(ctx, m[1]);
  return rs;
}

gn_status gn__mon_prom_windows(gn_ctx *ctx, const char *url, int64_t from,
                               int64_t to, int64_t step,
                               gn__prom_window_fn fn, void *closure) {
  int64_t len = window_len(to - from, step), n = (to - from) / len;
  int64_t rest = (to - from) - n * len;
  if (n > MAX_WINDOWS + 1000)
    return gn__fail(ctx, GN_ELIMIT, "Prometheus SLA: period too long for"
                    " windows of %lld s", (long long)len);
  gn_status rs = GN_OK;
  if (n > 0)
    rs = segment(ctx, url, from + len, from + n * len, len, step, fn, closure);
  if (rs == GN_OK && rest > 0)
    rs = segment(ctx, url, to, to, rest, step, fn, closure);
  return rs;
}
