/*
 * test_monitor.c - Root cause from the fiber: hand-checked cases on a
 * small tree + ring, and (with GN_MONITOR_DB set, as tests/cli/
 * test_monitor.sh does with the Lomé store) every single-trench cut and
 * random double cuts: the first candidate's cut must give exactly the
 * down set that gn_store_impact computed.
 *
 * Fixture: POP at node 0.
 *     3 -- T15 -- 5           tree: T10 0-1 100 m, T11 1-2 200 m,
 *     | T12                         T12 1-3 150 m, T15 3-5 80 m
 *     1 --- T11 -- 2 -- T13 -- 4   ring: T13 2-4 300 m, T14 4-0 250 m
 *     | T10                   |
 *     0 (POP) ------ T14 -----+
 * Sites: A at 1, H at 2, E at 3, S at 5. Working: A = T10; H = T10,T11;
 * E = T10,T12; S = T10,T12,T15. Protect: H = T14,T13; A = T14,T13,T11.
 */
#include <time.h>
#include <unistd.h>

#include "gn_test.h"
#include "monitor/monitor_int.h"
#include "plan_fixture.h"
#include "store/store_int.h"

typedef struct fx {
  gn_ctx *ctx;
  gn_store *st;
  gn_monitor_net *net;
  char path[128];
} fx;

static void remove_db(const char *path) {
  char aux[160];
  remove(path);
  snprintf(aux, sizeof(aux), "%s-wal", path);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", path);
  remove(aux);
}

static int fx_setup(void **state) {
  fx *f = calloc(1, sizeof(fx));
  assert_int_equal(GN_OK, gn_ctx_create(&f->ctx));
  snprintf(f->path, sizeof(f->path), "/tmp/gn_test_monitor_%d.db",
           (int)getpid());
  remove_db(f->path);
  ASSERT_OK(f->ctx, gn_store_open(f->ctx, f->path, GN_STORE_CREATE, 0, &f->st));
  gn_plan *p = NULL;
  ASSERT_OK(f->ctx, gn_plan_create(f->ctx, &p));
  static const double xy[6][2] = {{1.200, 6.130}, {1.200, 6.131},
                                  {1.202, 6.131}, {1.200, 6.132},
                                  {1.2047, 6.130}, {1.201, 6.132}};
  for (int i = 0; i < 6; i++)
    ASSERT_OK(f->ctx, gn_plan_add_node(p, xy[i][0], xy[i][1], NULL));
  add_trench(f->ctx, p, 10, 0, 1, 100, 0, 0);
  add_trench(f->ctx, p, 11, 1, 2, 200, 0, 0);
  add_trench(f->ctx, p, 12, 1, 3, 150, 0, 0);
  add_trench(f->ctx, p, 15, 3, 5, 80, 0, 0);
  add_trench(f->ctx, p, 13, 2, 4, 300, 1, 0);
  add_trench(f->ctx, p, 14, 4, 0, 250, 1, 0);
  gn_plan_pop pop = {(char *)"POP1", (char *)"Central", 1.200, 6.130, 0};
  ASSERT_OK(f->ctx, gn_plan_add_pop(p, &pop, NULL));
  add_site(f->ctx, p, "A", GN_CAT_ADMIN, 1);
  add_site(f->ctx, p, "H", GN_CAT_ADMIN, 2);
  add_site(f->ctx, p, "E", GN_CAT_ADMIN, 3);
  add_site(f->ctx, p, "S", GN_CAT_ADMIN, 5);
  ASSERT_OK(f->ctx, gn_plan_set_meta(p, "mode", "test"));
  ASSERT_OK(f->ctx, gn_store_import_plan(f->st, p, "tester", NULL));
  gn_plan_free(p);
  ASSERT_OK(f->ctx, gn_monitor_net_load(f->st, &f->net));
  *state = f;
  return 0;
}

static int fx_teardown(void **state) {
  fx *f = *state;
  gn_monitor_net_free(f->net);
  gn_store_close(f->st);
  gn_ctx_free(f->ctx);
  remove_db(f->path);
  free(f);
  return 0;
}

/* Sorted, comma-joined ids of the sites impact leaves without service. */
static void impact_down(gn_store *st, gn_ctx *ctx, const gn_impact_query *q,
                        char *buf, size_t n) {
  gn_impact *m = NULL;
  ASSERT_OK(ctx, gn_store_impact(st, q, &m));
  buf[0] = '\0';
  const char *ids[4096];
  size_t k = 0;
  for (size_t i = 0; i < m->nsites && k < 4096; i++)
    if (!m->sites[i].protected_) ids[k++] = m->sites[i].id;
  for (size_t i = 1; i < k; i++) /* insertion sort: small sets */
    for (size_t j = i; j > 0 && strcmp(ids[j], ids[j - 1]) < 0; j--) {
      const char *t = ids[j];
      ids[j] = ids[j - 1];
      ids[j - 1] = t;
    }
  size_t len = 0;
  for (size_t i = 0; i < k; i++)
    len += (size_t)snprintf(buf + len, len < n ? n - len : 0, "%s%s",
                            i ? "," : "", ids[i]);
  assert_true(len < n);
  gn_impact_free(ctx, m);
}

static void trench_down(gn_store *st, gn_ctx *ctx, const int64_t *t, size_t n,
                        char *buf, size_t cap) {
  gn_impact_query q;
  memset(&q, 0, sizeof(q));
  q.kind = GN_CUT_TRENCHES;
  q.ids = t;
  q.nids = n;
  impact_down(st, ctx, &q, buf, cap);
}

/* Split a comma list (in place) into v. */
static size_t split(char *s, const char **v, size_t cap) {
  size_t n = 0;
  for (char *tok = s, *next; tok && *tok && n < cap; tok = next) {
    next = strchr(tok, ',');
    if (next) *next++ = '\0';
    v[n++] = tok;
  }
  return n;
}

static gn_diagnosis *diag(fx *f, const char *down_csv) {
  char buf[256];
  const char *v[16];
  snprintf(buf, sizeof(buf), "%s", down_csv);
  size_t n = split(buf, v, 16);
  gn_diagnosis *d = NULL;
  ASSERT_OK(f->ctx, gn_monitor_diagnose(f->ctx, f->net, v, n, NULL, 0, NULL, &d));
  return d;
}

static int has_trench(const gn_diag_candidate *c, int64_t t) {
  for (size_t i = 0; i < c->ntrenches; i++)
    if (c->trenches[i] == t) return 1;
  return 0;
}

static void shared_cut_names_both_and_protection(void **state) {
  fx *f = *state;
  gn_diagnosis *d = diag(f, "E,S");
  assert_true(d->minimal);
  assert_true(d->ncandidates >= 2);
  const gn_diag_candidate *c = &d->candidates[0];
  assert_int_equal(GN_DIAG_CUT, c->kind);
  assert_int_equal(1, c->ntrenches); /* T12 (150 m) before T10 (100 m) */
  assert_int_equal(12, c->trenches[0]);
  assert_int_equal(2, c->explains);
  int t10 = 0;
  for (size_t i = 0; i < d->ncandidates; i++)
    if (has_trench(&d->candidates[i], 10)) {
      t10 = 1; /* cutting T10 keeps A and H up through their rings */
      assert_int_equal(2, d->candidates[i].nprotected);
    }
  assert_true(t10);
  gn_diagnosis_free(f->ctx, d);
}

static void leaf_cut_before_device(void **state) {
  fx *f = *state;
  gn_diagnosis *d = diag(f, "S");
  assert_true(d->ncandidates >= 2);
  assert_int_equal(GN_DIAG_CUT, d->candidates[0].kind);
  assert_int_equal(15, d->candidates[0].trenches[0]);
  int dev = 0;
  for (size_t i = 0; i < d->ncandidates; i++)
    dev |= d->candidates[i].kind == GN_DIAG_DEVICE;
  assert_true(dev);
  gn_diagnosis_free(f->ctx, d);
}

static void shared_path_alone_is_device(void **state) {
  fx *f = *state;
  gn_diagnosis *d = diag(f, "E"); /* E's path also serves S, which is up */
  assert_int_equal(1, d->ncandidates);
  assert_int_equal(GN_DIAG_DEVICE, d->candidates[0].kind);
  assert_int_equal(1, d->candidates[0].ndevices);
  assert_string_equal("E", d->candidates[0].devices[0]);
  gn_diagnosis_free(f->ctx, d);
  d = diag(f, "H"); /* a protected site alone: one device, not two cuts */
  assert_int_equal(GN_DIAG_DEVICE, d->candidates[0].kind);
  gn_diagnosis_free(f->ctx, d);
}

static void double_cut_through_ring(void **state) {
  fx *f = *state;
  gn_diagnosis *d = diag(f, "A,H,E,S");
  assert_true(d->minimal);
  const gn_diag_candidate *c = &d->candidates[0];
  assert_int_equal(GN_DIAG_CUT, c->kind);
  assert_int_equal(2, c->ntrenches);
  char got[256];
  trench_down(f->st, f->ctx, c->trenches, 2, got, sizeof(got));
  assert_string_equal("A,E,H,S", got);
  char *json = NULL;
  ASSERT_OK(f->ctx, gn_diagnosis_json(f->ctx, d, &json));
  assert_non_null(strstr(json, "\"kind\":\"cut\",\"trenches\":[10,"));
  gn_free(f->ctx, json);
  gn_diagnosis_free(f->ctx, d);
}

/* Out of memory: every allocation of a diagnosis (on a shared model) and
 * of a model load fails in turn; each failure is GN_ENOMEM, no leak. */
static const gn_monitor_net *oom_net;
static const char *oom_path;

static gn_status oom_diagnose(gn_ctx *ctx) {
  const char *down[] = {"A", "H", "E", "S"}, *one[] = {"E"};
  gn_diagnosis *d = NULL;
  char *json = NULL;
  gn_status s = gn_monitor_diagnose(ctx, oom_net, down, 4, NULL, 0, NULL, &d);
  if (s == GN_OK) s = gn_diagnosis_json(ctx, d, &json);
  gn_free(ctx, json);
  gn_diagnosis_free(ctx, d);
  d = NULL;
  if (s == GN_OK) s = gn_monitor_diagnose(ctx, oom_net, one, 1, NULL, 0, NULL, &d);
  gn_diagnosis_free(ctx, d);
  return s;
}

static gn_status oom_load(gn_ctx *ctx) {
  gn_store *st = NULL;
  gn_monitor_net *net = NULL;
  gn_status s = gn_store_open(ctx, oom_path, GN_STORE_READONLY, 0, &st);
  if (s == GN_OK) s = gn_monitor_net_load(st, &net);
  gn_monitor_net_free(net);
  gn_store_close(st);
  return s;
}

static gn_status oom_alerts(gn_ctx *ctx) {
  const char *body =
      "{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"g\","
      "\"groupKey\":\"k\",\"alerts\":[{\"status\":\"firing\",\"labels\":"
      "{\"alertname\":\"A\",\"site\":\"S\",\"device\":\"CPE\"},"
      "\"fingerprint\":\"f\",\"startsAt\":\"2026-01-01T00:00:00Z\"}]}";
  gn_alert_batch *b = NULL;
  gn_status s = gn_monitor_alerts_parse(ctx, body, strlen(body), &b);
  gn_alert_batch_free(ctx, b);
  return s;
}

static void survives_allocation_failures(void **state) {
  fx *f = *state;
  oom_net = f->net;
  oom_path = f->path;
  assert_true(gn_test_each_failed_alloc(oom_diagnose) > 20);
  assert_true(gn_test_each_failed_alloc(oom_load) > 20);
  assert_true(gn_test_each_failed_alloc(oom_alerts) > 5);
}

static void bad_names(void **state) {
  fx *f = *state;
  const char *down[] = {"A"}, *nope[] = {"nope"};
  gn_diagnosis *d = NULL;
  assert_int_equal(GN_ENOTFOUND, gn_monitor_diagnose(f->ctx, f->net, nope, 1,
                                                     NULL, 0, NULL, &d));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "nope"));
  assert_int_equal(GN_EINVAL, gn_monitor_diagnose(f->ctx, f->net, down, 1,
                                                  down, 1, NULL, &d));
  assert_null(d);
  ASSERT_OK(f->ctx, gn_monitor_diagnose(f->ctx, f->net, NULL, 0, NULL, 0,
                                        NULL, &d));
  assert_int_equal(0, d->ncandidates);
  gn_diagnosis_free(f->ctx, d);
}

/* ---- Alertmanager webhook --------------------------------------------- */

static void alerts_parse_firing_and_resolved(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  const char *body =
      "{\"receiver\":\"govnet\",\"status\":\"firing\",\"alerts\":["
      "{\"status\":\"firing\",\"labels\":{\"alertname\":\"GovnetSiteDown\","
      "\"site\":\"12\",\"device\":\"CPE 12\"},\"annotations\":{},"
      "\"startsAt\":\"2026-12-06T02:40:15.123456789Z\","
      "\"endsAt\":\"0001-01-01T00:00:00Z\",\"fingerprint\":\"ab\","
      "\"generatorURL\":\"x\"},"
      "{\"status\":\"resolved\",\"labels\":{\"alertname\":\"GovnetPopDeviceDown\"},"
      "\"startsAt\":\"2024-02-29T23:00:00+01:00\","
      "\"endsAt\":\"2024-03-01T00:30:00-00:30\"}],"
      "\"groupLabels\":{},\"version\":\"4\",\"groupKey\":\"g\",\"new\":1}";
  gn_alert_batch *b = NULL;
  ASSERT_OK(ctx, gn_monitor_alerts_parse(ctx, body, strlen(body), &b));
  assert_int_equal(GN_ALERT_FIRING, b->status);
  assert_string_equal("govnet", b->receiver);
  assert_int_equal(2, b->nalerts);
  assert_string_equal("12", b->alerts[0].site);
  assert_string_equal("CPE 12", b->alerts[0].device);
  assert_int_equal(1796524815, b->alerts[0].starts_at); /* date -d ... +%s */
  assert_int_equal(0, b->alerts[0].ends_at);
  assert_int_equal(GN_ALERT_RESOLVED, b->alerts[1].status);
  assert_null(b->alerts[1].site);
  assert_int_equal(1709244000, b->alerts[1].starts_at);
  assert_int_equal(1709254800, b->alerts[1].ends_at);
  gn_alert_batch_free(ctx, b);
  gn_ctx_free(ctx);
}

static void alerts_errors_name_the_member(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  static const char *const cases[][2] = {
      {"{\"version\":\"3\"}", "version"},
      {"{\"version\":\"4\",\"status\":\"on\"}", "status: want"},
      {"{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"r\"}",
       "alerts: missing"},
      {"{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"r\","
       "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
       "\"startsAt\":\"2026-02-30T00:00:00Z\"}]}",
       "alerts[0].startsAt"},
      {"{\"version\":\"4\",\"status\":\"firing\",\"receiver\":\"r\","
       "\"alerts\":[{\"status\":\"firing\",\"labels\":{\"alertname\":\"A\"},"
       "\"startsAt\":\"2026-01-01T00:00:00Z\"},{\"status\":\"firing\","
       "\"labels\":{\"alertname\":\"A\",\"site\":7}}]}",
       "alerts[1].labels.site"},
      {"{\"version\":\"4\",\"version\":\"4\"}", "line 1"},
      {"[1,", "line 1"},
  };
  for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    gn_alert_batch *b = NULL;
    assert_int_equal(GN_EFORMAT, gn_monitor_alerts_parse(ctx, cases[i][0],
                                                         strlen(cases[i][0]), &b));
    assert_null(b);
    if (!strstr(gn_ctx_errmsg(ctx), cases[i][1]))
      fail_msg("case %zu: '%s' lacks '%s'", i, gn_ctx_errmsg(ctx), cases[i][1]);
  }
  gn_alert_batch *b = NULL;
  assert_int_equal(GN_ELIMIT, gn_monitor_alerts_parse(ctx, "{}",
                                                      GN_ALERTS_MAX_BYTES + 1, &b));
  gn_ctx_free(ctx);
}

/* ---- incidents from alerts ------------------------------------------- */

/* A webhook body with GovnetSiteDown alerts for the comma list sites. */
static void ingest(fx *f, const char *status, const char *sites, int64_t t,
                   gn_monitor_ingest *res) {
  char body[4096], list[256];
  snprintf(list, sizeof(list), "%s", sites);
  const char *v[16];
  size_t n = split(list, v, 16), len = 0;
  len += (size_t)snprintf(body + len, sizeof(body) - len,
                          "{\"version\":\"4\",\"status\":\"%s\","
                          "\"receiver\":\"govnet\",\"alerts\":[", status);
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(
        body + len, sizeof(body) - len,
        "%s{\"status\":\"%s\",\"labels\":{\"alertname\":\"GovnetSiteDown\","
        "\"site\":\"%s\"},\"startsAt\":\"1970-01-01T00:16:40Z\"}",
        i ? "," : "", status, v[i]);
  snprintf(body + len, sizeof(body) - len, "]}");
  gn_alert_batch *b = NULL;
  ASSERT_OK(f->ctx, gn_monitor_alerts_parse(f->ctx, body, strlen(body), &b));
  ASSERT_OK(f->ctx, gn_monitor_alerts_ingest(f->st, b, "am", t, res));
  gn_alert_batch_free(f->ctx, b);
}

/* noinline: GCC 12 at -O2/-O3 sees the caller use the returned pointer
 * after the inlined `json` local's scope and reports a dangling pointer
 * (a false positive: the pointer is the library's heap copy). */
__attribute__((noinline)) static char *incidents(fx *f, int open_only) {
  char *json = NULL;
  ASSERT_OK(f->ctx, gn_monitor_incidents_json(f->st, open_only, &json));
  return json;
}

static void incidents_follow_alerts(void **state) {
  fx *f = *state;
  gn_monitor_ingest r;
  ingest(f, "firing", "E,S", 1010, &r); /* startsAt = 1000 */
  assert_int_equal(2, r.down);
  assert_int_equal(1, r.opened);
  char *j = incidents(f, 1);
  assert_non_null(strstr(j, "\"key\":\"trench:12\",\"kind\":\"cut\""));
  assert_non_null(strstr(j, "\"opened_at\":\"1970-01-01T00:16:40Z\""));
  assert_non_null(strstr(j, "\"sites\":[\"E\",\"S\"]"));
  gn_free(f->ctx, j);
  ingest(f, "firing", "E,S", 1020, &r); /* resent: same incident */
  assert_int_equal(0, r.opened);
  assert_int_equal(1, r.updated);
  ingest(f, "resolved", "E,S", 1100, &r);
  assert_int_equal(0, r.down);
  assert_int_equal(1, r.resolved);
  j = incidents(f, 0);
  assert_non_null(strstr(j, "\"resolution\":\"recovered\""));
  assert_non_null(strstr(j, "\"ttr_s\":100}"));
  assert_non_null(strstr(j, "\"mttr_s\":100"));
  gn_free(f->ctx, j);
  j = incidents(f, 1);
  assert_string_equal("{\"incidents\":[],\"mttr_s\":null,\"resolved\":0}", j);
  gn_free(f->ctx, j);
  /* two cuts at once: two incidents, one per trench */
  ingest(f, "firing", "A,H,E,S", 2000, &r);
  assert_int_equal(2, r.opened);
  j = incidents(f, 1);
  assert_non_null(strstr(j, "\"key\":\"trench:10\""));
  gn_free(f->ctx, j);
  ingest(f, "resolved", "A,H,E,S", 2100, &r);
  assert_int_equal(2, r.resolved);
  /* a power fault: a device incident, acknowledged, noted, resolved */
  ingest(f, "firing", "E", 3000, &r);
  assert_int_equal(1, r.opened);
  j = incidents(f, 1);
  assert_non_null(strstr(j, "\"key\":\"device:E\",\"kind\":\"device\""));
  long id = strtol(strstr(j, "\"id\":") + 5, NULL, 10);
  gn_free(f->ctx, j);
  gn_incident_update u = {"acknowledged", "Kofi", NULL, "on the way"};
  ASSERT_OK(f->ctx, gn_monitor_incident_update(f->st, id, &u, "noc", 3060));
  gn_incident_update u2 = {"resolved", NULL, "power supply", NULL};
  ASSERT_OK(f->ctx, gn_monitor_incident_update(f->st, id, &u2, "noc", 3600));
  j = incidents(f, 0);
  assert_non_null(strstr(j, "\"acknowledged_at\":\"1970-01-01T00:51:00Z\""));
  assert_non_null(strstr(j, "\"assignee\":\"Kofi\",\"cause\":\"power supply\""));
  assert_non_null(strstr(j, "noc: on the way"));
  gn_free(f->ctx, j);
  assert_int_equal(GN_ECONFLICT, gn_monitor_incident_update(f->st, id, &u, "noc", 3700));
  gn_incident_update bad = {"open", NULL, NULL, NULL};
  assert_int_equal(GN_EINVAL, gn_monitor_incident_update(f->st, id, &bad, "noc", 3700));
  assert_int_equal(GN_ENOTFOUND, gn_monitor_incident_update(f->st, 999, &u, "noc", 3700));
  ingest(f, "resolved", "E", 3700, &r); /* resolved by hand already */
  assert_int_equal(0, r.resolved);
}

/* After incidents_follow_alerts: E down [1000, 3600) (three incidents,
 * counted once), S, A, H [1000, 2100). */
static void sla_from_incident_intervals(void **state) {
  fx *f = *state;
  int64_t from = 0, to = 0;
  ASSERT_OK(f->ctx, gn_monitor_parse_time(f->ctx, "1970-01-01", &from));
  ASSERT_OK(f->ctx, gn_monitor_parse_time(f->ctx, "1970-01-02T00:00:00Z", &to));
  assert_int_equal(86400, to - from);
  char *j = NULL;
  ASSERT_OK(f->ctx, gn_monitor_sla_json(f->st, from, to, NULL, &j));
  assert_non_null(strstr(j, "\"overall\":{\"sites\":4,\"down_s\":5900,"));
  assert_non_null(strstr(j, "{\"id\":\"E\",\"name\":\"E\",\"category\":"
                            "\"admin\",\"critical\":false,\"down_s\":2600,"));
  assert_non_null(strstr(j, "\"budget_s\":864,\"met\":false}"));
  assert_non_null(strstr(j, "\"months\":[{\"month\":\"1970-01\",\"down_s\":5900,"));
  /* one day: the same down time over 4 sites x 86400 s */
  assert_non_null(strstr(j, "\"days\":[{\"day\":\"1970-01-01\",\"down_s\":5900,"
                            "\"nodata_s\":0,\"availability\":0.98292"));
  assert_non_null(strstr(j, "\"source\":\"incidents\""));
  assert_non_null(strstr(j, "\"leases\":[]"));
  assert_non_null(strstr(j, "\"worst\":[\"E\",\"A\",\"H\",\"S\"]"));
  gn_free(f->ctx, j);
  /* a period after everything: all up; two months split at 1 Feb */
  ASSERT_OK(f->ctx, gn_monitor_parse_time(f->ctx, "1970-01-31", &from));
  ASSERT_OK(f->ctx, gn_monitor_parse_time(f->ctx, "1970-02-02", &to));
  ASSERT_OK(f->ctx, gn_monitor_sla_json(f->st, from, to, NULL, &j));
  assert_non_null(strstr(j, "{\"month\":\"1970-01\",\"down_s\":0,"
                            "\"nodata_s\":0,\"availability\":1}"));
  assert_non_null(strstr(j, "\"month\":\"1970-02\""));
  assert_non_null(strstr(j, "\"days\":[{\"day\":\"1970-01-31\",\"down_s\":0,"
                            "\"nodata_s\":0,\"availability\":1},{\"day\":"
                            "\"1970-02-01\""));
  assert_non_null(strstr(j, "\"worst\":[]"));
  gn_free(f->ctx, j);
  assert_int_equal(GN_EINVAL, gn_monitor_sla_json(f->st, to, from, NULL, &j));
  assert_int_equal(GN_EINVAL, gn_monitor_parse_time(f->ctx, "1970-02-30", &to));
}

static size_t dead_circuits(const gn_monitor_net *net) {
  size_t n = 0;
  for (size_t i = 0; i < net->ncirc; i++) n += net->circ_dead[i];
  return n;
}

/* The connection keeps the fiber model across alert batches (they write
 * only the monitor's tables) and reloads it when the records change. */
static void model_kept_until_records_change(void **state) {
  fx *f = *state;
  const gn_monitor_net *a = NULL, *b = NULL;
  ASSERT_OK(f->ctx, gn__mon_net_get(f->st, &a));
  ASSERT_OK(f->ctx, gn__mon_net_get(f->st, &b));
  assert_ptr_equal(a, b);
  size_t dead = dead_circuits(a);
  gn_monitor_ingest r;
  ingest(f, "firing", "E,S", 5000, &r);
  ingest(f, "resolved", "E,S", 5100, &r);
  ASSERT_OK(f->ctx, gn__mon_net_get(f->st, &b));
  assert_ptr_equal(a, b); /* kept over the batches' own writes */
  int64_t fiber = 0;
  int found = 0;
  ASSERT_OK(f->ctx, gn__st_int(f->st, "SELECT cf.fiber FROM circuit_fibers cf"
                               " JOIN circuits c ON c.fid=cf.circuit JOIN sites"
                               " s ON s.fid=c.site WHERE s.site_id='S' LIMIT 1",
                               0, &fiber, &found));
  assert_true(found);
  ASSERT_OK(f->ctx, gn_store_fiber_set_broken(f->st, fiber, 1, "dig", "t"));
  ASSERT_OK(f->ctx, gn__mon_net_get(f->st, &b));
  assert_int_equal(dead + 1, dead_circuits(b)); /* reloaded */
  ASSERT_OK(f->ctx, gn_store_fiber_set_broken(f->st, fiber, 0, NULL, "t"));
  ASSERT_OK(f->ctx, gn__mon_net_get(f->st, &b));
  assert_int_equal(dead, dead_circuits(b));
}

/* ---- the real store (GN_MONITOR_DB) ----------------------------------- */

typedef struct real {
  gn_ctx *ctx;
  gn_store *st;
  gn_monitor_net *net;
  int64_t *trenches;
  size_t ntrenches;
} real;

/* Diagnose the down set of cut; the first candidate must be trenches
 * only, no bigger than the cut, and cut exactly the same sites. */
static int check_cut(real *r, const int64_t *cut, size_t n, double *ms) {
  static char want[1 << 16], got[1 << 16], tmp[1 << 16];
  trench_down(r->st, r->ctx, cut, n, want, sizeof(want));
  if (!want[0]) return 0;
  const char *v[4096];
  snprintf(tmp, sizeof(tmp), "%s", want);
  size_t nd = split(tmp, v, 4096);
  gn_diagnosis *d = NULL;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  ASSERT_OK(r->ctx, gn_monitor_diagnose(r->ctx, r->net, v, nd, NULL, 0, NULL, &d));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double t = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  if (t > *ms) *ms = t;
  assert_true(d->ncandidates > 0);
  const gn_diag_candidate *c = &d->candidates[0];
  if (n > 1 && c->kind == GN_DIAG_DEVICE && c->ndevices < n) {
    /* e.g. working and protect path of one site cut: one device fault
     * at that site is the smaller explanation */
    gn_diagnosis_free(r->ctx, d);
    return 0;
  }
  if (c->kind != GN_DIAG_CUT || c->ncables || c->nclosures || c->ndevices ||
      c->ntrenches > n || c->ntrenches == 0)
    fail_msg("cut %lld(+%zu) down %s: first candidate is not a trench cut",
             (long long)cut[0], n - 1, want);
  trench_down(r->st, r->ctx, c->trenches, c->ntrenches, got, sizeof(got));
  if (strcmp(want, got) != 0)
    fail_msg("cut %lld(+%zu): candidate %lld takes down %s, not %s",
             (long long)cut[0], n - 1, (long long)c->trenches[0], got, want);
  gn_diagnosis_free(r->ctx, d);
  return 1;
}

static void every_single_and_double_cut(void **state) {
  (void)state;
  const char *db = getenv("GN_MONITOR_DB");
  if (!db) {
    print_message("GN_MONITOR_DB not set: real-store check skipped\n");
    return;
  }
  real r;
  memset(&r, 0, sizeof(r));
  assert_int_equal(GN_OK, gn_ctx_create(&r.ctx));
  ASSERT_OK(r.ctx, gn_store_open(r.ctx, db, GN_STORE_READONLY, 0, &r.st));
  ASSERT_OK(r.ctx, gn_monitor_net_load(r.st, &r.net));
  int64_t ids[1 << 14];
  size_t nt = 0, checked = 0, pairs = 0;
  gn_impact_query q;
  memset(&q, 0, sizeof(q));
  q.kind = GN_CUT_TRENCHES;
  q.nids = 1;
  for (int64_t t = 1; t < (1 << 14) && nt < (1 << 14); t++) {
    gn_impact *m = NULL;
    q.ids = &t;
    if (gn_store_impact(r.st, &q, &m) != GN_OK) continue; /* no such id */
    gn_impact_free(r.ctx, m);
    ids[nt++] = t;
  }
  assert_true(nt > 10);
  double worst = 0;
  for (size_t i = 0; i < nt; i++) checked += check_cut(&r, &ids[i], 1, &worst);
  unsigned seed = 12345;
  for (int k = 0; k < 150; k++) {
    seed = seed * 1103515245u + 12345u;
    int64_t cut[2] = {ids[(seed >> 8) % nt], 0};
    seed = seed * 1103515245u + 12345u;
    cut[1] = ids[(seed >> 8) % nt];
    if (cut[0] != cut[1]) pairs += check_cut(&r, cut, 2, &worst);
  }
  print_message("%zu trenches, %zu single cuts with a down site checked, "
                "%zu double cuts; slowest diagnosis %.2f ms\n",
                nt, checked, pairs, worst);
  assert_true(checked > 0 && pairs > 0);
  gn_monitor_net_free(r.net);
  gn_store_close(r.st);
  gn_ctx_free(r.ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(shared_cut_names_both_and_protection),
      cmocka_unit_test(leaf_cut_before_device),
      cmocka_unit_test(shared_path_alone_is_device),
      cmocka_unit_test(double_cut_through_ring),
      cmocka_unit_test(bad_names),
      cmocka_unit_test(survives_allocation_failures),
      cmocka_unit_test(incidents_follow_alerts),
      cmocka_unit_test(sla_from_incident_intervals),
      cmocka_unit_test(model_kept_until_records_change),
  };
  const struct CMUnitTest alert_tests[] = {
      cmocka_unit_test(alerts_parse_firing_and_resolved),
      cmocka_unit_test(alerts_errors_name_the_member),
  };
  const struct CMUnitTest real_tests[] = {
      cmocka_unit_test(every_single_and_double_cut),
  };
  int rc = cmocka_run_group_tests_name("monitor", tests, fx_setup, fx_teardown);
  rc |= cmocka_run_group_tests_name("alerts", alert_tests, NULL, NULL);
  return rc | cmocka_run_group_tests_name("monitor_real", real_tests, NULL, NULL);
}
