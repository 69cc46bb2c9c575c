/*
 * test_hotspot.c - The hotspot AAA decisions without FreeRADIUS: the
 * rlm_exec environment parser, vouchers (form, uses, duration, expiry),
 * students (Argon2id), quotas per day and month with time passing through
 * the `now` argument, accounting deltas (retransmission, counter reset,
 * gigawords), simultaneous use with stale sessions, Accounting-On, the
 * usage report, and every allocation failure of a decision; rlm_rest's
 * JSON body (the resident backend) decoded to the same bytes and decided
 * alike, the verified-credential cache and the write-lock hook.
 * The real-server path is tests/cli/test_hotspot_radius.sh.
 */
#include <unistd.h>

#include "gn_test.h"
#include "hotspot/hs_int.h"

#define DAY0 1800000000LL /* 2027-01-15T08:00:00Z */

typedef struct fx {
  gn_ctx *ctx;
  gn_store *st;
} fx;

static void fx_open(fx *f) {
  assert_int_equal(GN_OK, gn_ctx_create(&f->ctx));
  ASSERT_OK(f->ctx, gn_store_open(f->ctx, ":memory:", GN_STORE_CREATE, 0,
                                  &f->st));
}

static void fx_close(fx *f) {
  gn_store_close(f->st);
  gn_ctx_free(f->ctx);
}

/* One decision; returns the verdict, reply copied into out. */
static gn_hotspot_verdict run(fx *f, gn_hotspot_op op, const char *const *env,
                              int64_t now, char *out, size_t n) {
  gn_hotspot_verdict vd;
  char *reply = NULL;
  ASSERT_OK(f->ctx, gn_hotspot_aaa(f->st, op, env, "10.1.2.3", now, &vd,
                                   &reply));
  snprintf(out, n, "%s", reply);
  gn_free(f->ctx, reply);
  return vd;
}

static gn_hotspot_verdict login(fx *f, const char *name, const char *pw,
                                int64_t now, char *out) {
  char u[300], p[300];
  snprintf(u, sizeof(u), "USER_NAME=\"%s\"", name);
  snprintf(p, sizeof(p), "USER_PASSWORD=\"%s\"", pw);
  const char *env[] = {u, p, "NAS_IP_ADDRESS=10.0.0.1", NULL};
  return run(f, GN_HOTSPOT_AUTH, env, now, out, 1024);
}

static void acct(fx *f, const char *name, const char *status, const char *sid,
                 long long in, long long out, long long secs, int64_t now,
                 char *reply) {
  char e[6][128];
  snprintf(e[0], 128, "USER_NAME=\"%s\"", name);
  snprintf(e[1], 128, "ACCT_STATUS_TYPE=%s", status);
  snprintf(e[2], 128, "ACCT_SESSION_ID=\"%s\"", sid);
  snprintf(e[3], 128, "ACCT_INPUT_OCTETS=%lld", in);
  snprintf(e[4], 128, "ACCT_OUTPUT_OCTETS=%lld", out);
  snprintf(e[5], 128, "ACCT_SESSION_TIME=%lld", secs);
  const char *env[] = {e[0], e[1], e[2], e[3], e[4], e[5],
                       "NAS_IP_ADDRESS=10.0.0.1", NULL};
  assert_int_equal(GN_HOTSPOT_OK,
                   run(f, GN_HOTSPOT_ACCT, env, now, reply, 1024));
}

static void env_parser_decodes_freeradius_quoting(void **state) {
  (void)state;
  gn__hs_req r;
  const char *env[] = {"USER_NAME=\"b\\000o\\377b\\303\\251 \\\"q\\\" \\\\\"",
                       "NAS_IP_ADDRESS=127.0.0.1", "IGNORED=\"x", "NOEQUALS",
                       NULL};
  gn__hs_req_parse(&r, env);
  assert_null(r.bad);
  assert_int_equal(13, r.v[GN__HS_USER_NAME].n);
  assert_memory_equal("b\0o\377b\303\251 \"q\" \\", r.v[GN__HS_USER_NAME].s, 13);
  assert_false(gn__hs_val_text(&r.v[GN__HS_USER_NAME])); /* NUL, bad UTF-8 */
  assert_string_equal("127.0.0.1", r.v[GN__HS_NAS_IP].s);
  const char *twice[] = {"USER_NAME=\"a\"", "USER_NAME=\"b\"", NULL};
  gn__hs_req_parse(&r, twice);
  assert_string_equal("attribute given twice", r.bad);
  const char *badesc[] = {"USER_PASSWORD=\"a\\9\"", NULL};
  gn__hs_req_parse(&r, badesc);
  assert_string_equal("malformed escape", r.bad);
  const char *inner[] = {"USER_PASSWORD=\"a\"b\"", NULL};
  gn__hs_req_parse(&r, inner);
  assert_string_equal("malformed quoting", r.bad);
  char big[600];
  memset(big, 'x', sizeof(big));
  memcpy(big, "USER_NAME=", 10);
  big[sizeof(big) - 1] = 0;
  const char *lng[] = {big, NULL};
  gn__hs_req_parse(&r, lng);
  assert_string_equal("attribute too long", r.bad);
  uint64_t v = 0;
  gn__hs_val n = {.s = "18446744073709551616", .n = 20, .set = 1};
  assert_false(gn__hs_val_u64(&n, &v)); /* overflow */
  gn__hs_val m = {.s = "4294967295", .n = 10, .set = 1};
  assert_true(gn__hs_val_u64(&m, &v));
  assert_true(v == 4294967295ULL);
}

static void vouchers_have_the_documented_form(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  char *codes = NULL;
  ASSERT_OK(f.ctx, gn_hotspot_vouchers_create(f.st, 200, 60, 1, DAY0 + 86400,
                                               NULL, "t", &codes));
  for (int i = 0; i < 200; i++) {
    const char *c = codes + i * 13;
    assert_int_equal(12, strlen(c));
    assert_int_equal(12, strspn(c, "23456789ABCDEFGHJKMNPQRSTUVWXYZ"));
    for (int j = 0; j < i; j++) assert_string_not_equal(c, codes + j * 13);
  }
  gn_free(f.ctx, codes);
  assert_int_equal(GN_EINVAL, gn_hotspot_vouchers_create(f.st, 0, 60, 1, DAY0,
                                                         NULL, "t", &codes));
  assert_int_equal(GN_EINVAL, gn_hotspot_vouchers_create(f.st, 1, 0, 1, DAY0,
                                                         NULL, "t", &codes));
  assert_null(codes);
  fx_close(&f);
}

static void voucher_uses_duration_and_expiry(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  char *codes = NULL, r[1024];
  ASSERT_OK(f.ctx, gn_hotspot_vouchers_create(f.st, 2, 30, 2, DAY0 + 86400,
                                               NULL, "t", &codes));
  const char *c = codes, *c2 = codes + 13;
  assert_int_equal(GN_HOTSPOT_OK, login(&f, c, c, DAY0, r));
  assert_non_null(strstr(r, "Session-Timeout := 1800\n"));
  /* second use, 10 minutes later: 20 minutes left */
  assert_int_equal(GN_HOTSPOT_OK, login(&f, c, c, DAY0 + 600, r));
  assert_non_null(strstr(r, "Session-Timeout := 1200\n"));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, c, c, DAY0 + 700, r));
  assert_non_null(strstr(r, "déjà été utilisé"));
  /* the other voucher: unused, tried after its expiry date */
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, c2, c2, DAY0 + 86400, r));
  assert_non_null(strstr(r, "expiré"));
  /* its code as the password of another name is no login */
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "alice", c2, DAY0, r));
  gn_free(f.ctx, codes);
  ASSERT_OK(f.ctx, gn_hotspot_vouchers_create(f.st, 1, 30, 0, DAY0 + 86400,
                                               NULL, "t", &codes));
  assert_int_equal(GN_HOTSPOT_OK, login(&f, codes, codes, DAY0, r));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, codes, codes, DAY0 + 1800, r));
  assert_non_null(strstr(r, "durée est épuisée"));
  gn_free(f.ctx, codes);
  fx_close(&f);
}

static void student_quotas_per_day_and_month(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  gn_hotspot_group g;
  gn_hotspot_group_defaults(&g);
  g.name = "etudiants";
  g.day_minutes = 60;
  g.day_mb = 100;
  g.month_mb = 150;
  g.simultaneous = 0;
  ASSERT_OK(f.ctx, gn_hotspot_group_put(f.st, &g, "t"));
  gn_hotspot_user u = {.name = "kofi", .group = "etudiants"};
  ASSERT_OK(f.ctx, gn_hotspot_user_add(f.st, &u, "mot de passe", "t"));
  assert_int_equal(GN_ECONFLICT, gn_hotspot_user_add(f.st, &u, "another pw",
                                                     "t"));
  char r[1024];
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "kofi", "mot de passX", DAY0, r));
  assert_non_null(strstr(r, "Identifiant ou mot de passe incorrect."));
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "kofi", "mot de passe", DAY0, r));
  assert_non_null(strstr(r, "Session-Timeout := 3600\n"));
  assert_non_null(strstr(r, "ChilliSpot-Max-Total-Octets := 100000000\n"));
  /* 40 minutes and 60 MB today */
  acct(&f, "kofi", "Stop", "k1", 10000000, 50000000, 2400, DAY0 + 2400, r);
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "kofi", "mot de passe", DAY0 + 2500, r));
  assert_non_null(strstr(r, "Session-Timeout := 1200\n"));
  assert_non_null(strstr(r, "ChilliSpot-Max-Total-Octets := 40000000\n"));
  /* an open session passes the day's data quota: disconnect */
  acct(&f, "kofi", "Start", "k2", 0, 0, 0, DAY0 + 2600, r);
  assert_string_equal("", r);
  acct(&f, "kofi", "Interim-Update", "k2", 1000, 45000000, 300, DAY0 + 2900, r);
  assert_string_equal("Tmp-String-0 := \"disconnect\"\n", r);
  acct(&f, "kofi", "Stop", "k2", 1000, 45000000, 310, DAY0 + 2910, r);
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "kofi", "mot de passe", DAY0 + 3000, r));
  assert_non_null(strstr(r, "Quota de données du jour atteint."));
  /* next day: the day's quota is back, the month's 150 MB is not */
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "kofi", "mot de passe", DAY0 + 86400, r));
  assert_non_null(strstr(r, "ChilliSpot-Max-Total-Octets := 44999000\n"));
  acct(&f, "kofi", "Stop", "k3", 0, 50000000, 60, DAY0 + 86500, r);
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "kofi", "mot de passe", DAY0 + 86600, r));
  assert_non_null(strstr(r, "Quota de données du mois atteint."));
  fx_close(&f);
}

static void accounting_counts_deltas_once(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  char r[1024], *json = NULL;
  acct(&f, "walkin", "Start", "s", 0, 0, 0, DAY0, r);
  acct(&f, "walkin", "Interim-Update", "s", 1000, 2000, 300, DAY0 + 300, r);
  acct(&f, "walkin", "Interim-Update", "s", 1000, 2000, 300, DAY0 + 301, r);
  /* counters restarted by the NAS: the new values are all new traffic */
  acct(&f, "walkin", "Interim-Update", "s", 10, 20, 30, DAY0 + 600, r);
  /* gigawords: 2^32 + 5 bytes in */
  const char *env[] = {"USER_NAME=\"walkin\"", "ACCT_STATUS_TYPE=Stop",
                       "ACCT_SESSION_ID=\"s\"", "ACCT_INPUT_OCTETS=15",
                       "ACCT_INPUT_GIGAWORDS=1", "ACCT_OUTPUT_OCTETS=20",
                       "ACCT_SESSION_TIME=40", "NAS_IP_ADDRESS=10.0.0.1",
                       NULL};
  assert_int_equal(GN_HOTSPOT_OK, run(&f, GN_HOTSPOT_ACCT, env, DAY0 + 86400,
                                      r, sizeof(r)));
  ASSERT_OK(f.ctx, gn_hotspot_usage_json(f.st, NULL, NULL, &json));
  assert_non_null(strstr(json, "{\"user\": \"walkin\", \"sessions\": 1, "
                               "\"bytes_in\": 4294968311, \"bytes_out\": 2020,"
                               " \"seconds\": 340}"));
  gn_free(f.ctx, json);
  ASSERT_OK(f.ctx, gn_hotspot_usage_json(f.st, "2027-01-16", "2027-01-16", &json));
  assert_non_null(strstr(json, "\"bytes_in\": 4294967301, \"bytes_out\": 0,"
                               " \"seconds\": 10}"));
  gn_free(f.ctx, json);
  assert_int_equal(GN_EINVAL, gn_hotspot_usage_json(f.st, "2027-02-30", NULL, &json));
  assert_int_equal(GN_EINVAL, gn_hotspot_usage_json(f.st, "2027-02-02", "2027-02-01", &json));
  fx_close(&f);
}

static void simultaneous_use_ignores_stale_and_reset_sessions(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  gn_hotspot_user u = {.name = "ama"};
  ASSERT_OK(f.ctx, gn_hotspot_user_add(f.st, &u, "12345678", "t"));
  char r[1024];
  acct(&f, "ama", "Start", "a1", 0, 0, 0, DAY0, r);
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "ama", "12345678", DAY0 + 10, r));
  assert_non_null(strstr(r, "simultanées"));
  /* silent for more than two interim periods (+2 min): presumed dead */
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "ama", "12345678", DAY0 + 721, r));
  acct(&f, "ama", "Start", "a2", 0, 0, 0, DAY0 + 730, r);
  const char *on[] = {"ACCT_STATUS_TYPE=Accounting-On",
                      "NAS_IP_ADDRESS=10.0.0.1", NULL};
  assert_int_equal(GN_HOTSPOT_OK, run(&f, GN_HOTSPOT_ACCT, on, DAY0 + 740, r,
                                      sizeof(r)));
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "ama", "12345678", DAY0 + 750, r));
  fx_close(&f);
}

static void hostile_requests_are_rejects(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  char r[1024], name[400];
  memset(name, 'u', 253);
  name[253] = 0;
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, name, "x", DAY0, r));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "b\\377ob", "x", DAY0, r));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "b\\000ob", "x", DAY0, r));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "bob", "", DAY0, r));
  assert_non_null(strstr(r, "Mot de passe requis"));
  const char *none[] = {NULL};
  assert_int_equal(GN_HOTSPOT_REJECT, run(&f, GN_HOTSPOT_AUTH, none, DAY0, r,
                                          sizeof(r)));
  assert_int_equal(GN_HOTSPOT_OK, run(&f, GN_HOTSPOT_ACCT, none, DAY0, r,
                                      sizeof(r)));
  fx_close(&f);
}

/* govnet-aaa opens the store once per request: with GN_STORE_BRIEF its
 * close leaves the WAL to the automatic checkpoint (no fdatasync/unlink
 * per request); without it the last close checkpoints and removes it. */
static void brief_connections_leave_the_wal(void **state) {
  (void)state;
  char path[64], wal[80];
  snprintf(path, sizeof(path), "/tmp/gn_hs_brief_%d.gpkg", (int)getpid());
  snprintf(wal, sizeof(wal), "%s-wal", path);
  for (int brief = 0; brief <= 1; brief++) {
    gn_ctx *ctx = NULL;
    gn_store *st = NULL;
    char *codes = NULL;
    assert_int_equal(GN_OK, gn_ctx_create(&ctx));
    ASSERT_OK(ctx, gn_store_open(ctx, path, GN_STORE_CREATE | (brief ? GN_STORE_BRIEF : 0),
                                 0, &st));
    ASSERT_OK(ctx, gn_hotspot_vouchers_create(st, 1, 10, 1, DAY0, NULL, "t", &codes));
    gn_free(ctx, codes);
    gn_store_close(st);
    gn_ctx_free(ctx);
    FILE *f = fopen(wal, "rb");
    if (brief) assert_non_null(f);
    else assert_null(f);
    if (f) fclose(f);
  }
  remove(wal);
  char shm[80];
  snprintf(shm, sizeof(shm), "%s-shm", path);
  remove(shm);
  remove(path);
}


/* ---- the resident backend: rlm_rest's JSON body (hs_rest.c) ---- */

static gn_status rest_run(fx *f, gn_hotspot_op op, const char *body,
                          int64_t now, gn_hotspot_verdict *vd, char *out,
                          size_t n) {
  char *reply = NULL;
  gn_status s = gn_hotspot_aaa_rest(f->st, op, body, strlen(body), "10.1.2.3",
                                    now, vd, &reply);
  snprintf(out, n, "%s", reply ? reply : "");
  gn_free(f->ctx, reply);
  return s;
}

static void rest_parser_gives_the_bytes_freeradius_received(void **state) {
  (void)state;
  gn__hs_req r;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  /* what rlm_rest sends for User-Name "bo\0b" + UTF-8 e-acute and an
   * enumerated and a plain integer (seen on FreeRADIUS 3.2.1) */
  const char *body =
      "{\"User-Name\":{\"type\":\"string\",\"value\":[\"bo\\u0000b\\u00C3\\u00A9"
      "\\/\\\"\"]},\"Acct-Status-Type\":{\"type\":\"integer\",\"value\":"
      "[\"Start\"]},\"Acct-Input-Octets\":{\"type\":\"integer\",\"value\":[5]},"
      "\"Framed-MTU\":{\"type\":\"integer\",\"value\":[1500,1400]}}";
  ASSERT_OK(ctx, gn__hs_req_json(ctx, &r, body, strlen(body)));
  assert_null(r.bad);
  assert_int_equal(8, r.v[GN__HS_USER_NAME].n);
  assert_memory_equal("bo\0b\xC3\xA9/\"", r.v[GN__HS_USER_NAME].s, 8);
  assert_string_equal("Start", r.v[GN__HS_STATUS].s);
  assert_string_equal("5", r.v[GN__HS_IN_OCTETS].s);
  /* the same bytes through rlm_exec's environment: the same request */
  gn__hs_req e;
  const char *env[] = {"USER_NAME=\"bo\\000b\xC3\xA9/\\\"\"",
                       "ACCT_STATUS_TYPE=Start", "ACCT_INPUT_OCTETS=5", NULL};
  gn__hs_req_parse(&e, env);
  for (int a = 0; a < GN__HS_NATTR; a++) {
    assert_int_equal(e.v[a].set, r.v[a].set);
    assert_int_equal(e.v[a].n, r.v[a].n);
    assert_memory_equal(e.v[a].s, r.v[a].s, e.v[a].n);
  }
  /* FreeRADIUS may send several values: the decision refuses them */
  body = "{\"User-Name\":{\"type\":\"string\",\"value\":[\"a\",\"b\"]}}";
  ASSERT_OK(ctx, gn__hs_req_json(ctx, &r, body, strlen(body)));
  assert_string_equal("attribute given twice", r.bad);
  char big[1400];
  int k = snprintf(big, sizeof(big), "{\"User-Name\":{\"value\":[\"");
  for (int i = 0; i < 300; i++) big[k++] = 'u';
  snprintf(big + k, sizeof(big) - (size_t)k, "\"]}}");
  ASSERT_OK(ctx, gn__hs_req_json(ctx, &r, big, strlen(big)));
  assert_string_equal("attribute too long", r.bad);
  /* what no FreeRADIUS sends: an error naming the attribute */
  static const struct { const char *body, *msg; gn_status s; } bad[] = {
      {"{\"User-Name\":\"kofi\"}", "User-Name: expected an object", GN_EINVAL},
      {"{\"User-Name\":{\"value\":[\"\\u0100\"]}}", "U+0100", GN_EINVAL},
      {"{\"User-Name\":{\"value\":[]}}", "non-empty array", GN_EINVAL},
      {"{\"User-Name\":{\"value\":[true]}}", "string or an integer", GN_EINVAL},
      {"{\"User-Name\":{\"value\":[1.5]}}", "string or an integer", GN_EINVAL},
      {"{\"User-Name\":{\"value\":[\"a\"],\"op\":\":=\"}}", "unknown member 'op'",
       GN_EINVAL},
      {"{\"User-Name\":{\"value\":[\"a\"]},\"User-Name\":{\"value\":[\"b\"]}}",
       "duplicate", GN_EINVAL},
      {"[1]", "expected the JSON object", GN_EINVAL},
      {"{\"User-Name\":", "body line 1", GN_EINVAL},
      {"\xff", "body line 1", GN_EINVAL}};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
    gn_ctx_clear(ctx); /* first message wins: one per case */
    assert_int_equal(bad[i].s, gn__hs_req_json(ctx, &r, bad[i].body,
                                               strlen(bad[i].body)));
    if (!strstr(gn_ctx_errmsg(ctx), bad[i].msg))
      fail_msg("%s: message '%s' lacks '%s'", bad[i].body, gn_ctx_errmsg(ctx),
               bad[i].msg);
  }
  gn__sb sb;
  gn__sb_init(&sb, ctx);
  gn__sb_puts(&sb, "{");
  for (int i = 0; i < 300; i++)
    gn__sb_printf(&sb, "%s\"A%d\":{\"value\":[1]}", i ? "," : "", i);
  gn__sb_puts(&sb, "}");
  char *many = NULL;
  ASSERT_OK(ctx, gn__sb_finish(&sb, &many));
  gn__sb_cleanup(&sb);
  assert_int_equal(GN_ELIMIT, gn__hs_req_json(ctx, &r, many, strlen(many)));
  gn_free(ctx, many);
  gn_ctx_free(ctx);
}

/* The rest and exec doors decide alike: a student with a non-ASCII
 * password, a voucher's uses, quotas and the disconnect request, on two
 * stores built the same way. */
static void rest_and_exec_decide_alike(void **state) {
  (void)state;
  fx f[2];
  char *codes[2];
  for (int i = 0; i < 2; i++) {
    fx_open(&f[i]);
    gn_hotspot_user u = {"kofi", "etudiants", 1, 0, 0};
    ASSERT_OK(f[i].ctx, gn_hotspot_user_add(f[i].st, &u, "mot de passé", "t"));
    ASSERT_OK(f[i].ctx, gn_hotspot_vouchers_create(f[i].st, 1, 60, 1,
                                                   DAY0 + 86400, NULL, "t",
                                                   &codes[i]));
  }
  char a[1024], b[1024], body[600];
  gn_hotspot_verdict v1, v2;
  /* exec: UTF-8 as is; rest: each byte as \u00XX */
  v1 = login(&f[0], "kofi", "mot de pass\xC3\xA9", DAY0, a);
  ASSERT_OK(f[1].ctx, rest_run(&f[1], GN_HOTSPOT_AUTH,
                               "{\"User-Name\":{\"type\":\"string\",\"value\":"
                               "[\"kofi\"]},\"User-Password\":{\"type\":"
                               "\"string\",\"value\":[\"mot de pass\\u00C3"
                               "\\u00A9\"]}}", DAY0, &v2, b, sizeof(b)));
  assert_int_equal(GN_HOTSPOT_OK, v1);
  assert_int_equal(v1, v2);
  assert_non_null(strstr(a, "Session-Timeout := 14400\n"));
  assert_non_null(strstr(a, "ChilliSpot-Max-Total-Octets := 1000000\n"));
  assert_string_equal("{\"reply:Session-Timeout\":14400,\"reply:Acct-Interim"
                      "-Interval\":300,\"reply:ChilliSpot-Max-Total-Octets\":"
                      "1000000}", b);
  for (int k = 0; k < 2; k++) { /* a voucher with one use: accept, reject */
    v1 = login(&f[0], codes[0], codes[0], DAY0 + k, a);
    snprintf(body, sizeof(body), "{\"User-Name\":{\"value\":[\"%s\"]},"
             "\"User-Password\":{\"value\":[\"%s\"]}}", codes[1], codes[1]);
    ASSERT_OK(f[1].ctx, rest_run(&f[1], GN_HOTSPOT_AUTH, body, DAY0 + k, &v2,
                                 b, sizeof(b)));
    assert_int_equal(k ? GN_HOTSPOT_REJECT : GN_HOTSPOT_OK, v1);
    assert_int_equal(v1, v2);
  }
  assert_non_null(strstr(a, "Reply-Message := \"Ce ticket a déjà été utilisé.\"\n"));
  assert_string_equal("{\"reply:Reply-Message\":\"Ce ticket a déjà été utilisé.\"}", b);
  /* 2 MB against kofi's 1 MB: both ask for a Disconnect-Request */
  acct(&f[0], "kofi", "Start", "s1", 0, 0, 0, DAY0, a);
  acct(&f[0], "kofi", "Interim-Update", "s1", 500000, 1500000, 60, DAY0 + 60, a);
  const char *acct_body[] = {
      "{\"User-Name\":{\"value\":[\"kofi\"]},\"Acct-Status-Type\":{\"type\":"
      "\"integer\",\"value\":[\"Start\"]},\"Acct-Session-Id\":{\"value\":"
      "[\"s1\"]},\"NAS-IP-Address\":{\"type\":\"ipaddr\",\"value\":"
      "[\"10.0.0.1\"]}}",
      "{\"User-Name\":{\"value\":[\"kofi\"]},\"Acct-Status-Type\":{\"value\":"
      "[\"Interim-Update\"]},\"Acct-Session-Id\":{\"value\":[\"s1\"]},"
      "\"NAS-IP-Address\":{\"value\":[\"10.0.0.1\"]},\"Acct-Input-Octets\":"
      "{\"value\":[500000]},\"Acct-Output-Octets\":{\"value\":[1500000]},"
      "\"Acct-Session-Time\":{\"value\":[60]}}"};
  for (int k = 0; k < 2; k++) {
    ASSERT_OK(f[1].ctx, rest_run(&f[1], GN_HOTSPOT_ACCT, acct_body[k],
                                 DAY0 + 60 * k, &v2, b, sizeof(b)));
    assert_int_equal(GN_HOTSPOT_OK, v2);
  }
  assert_string_equal("Tmp-String-0 := \"disconnect\"\n", a);
  assert_string_equal("{\"control:Tmp-String-0\":\"disconnect\"}", b);
  char *u1 = NULL, *u2 = NULL;
  ASSERT_OK(f[0].ctx, gn_hotspot_usage_json(f[0].st, NULL, NULL, &u1));
  ASSERT_OK(f[1].ctx, gn_hotspot_usage_json(f[1].st, NULL, NULL, &u2));
  assert_string_equal(u1, u2);
  v1 = login(&f[0], "kofi", "mot de pass\xC3\xA9", DAY0 + 120, a);
  ASSERT_OK(f[1].ctx, rest_run(&f[1], GN_HOTSPOT_AUTH,
                               "{\"User-Name\":{\"value\":[\"kofi\"]},"
                               "\"User-Password\":{\"value\":[\"mot de pass"
                               "\\u00C3\\u00A9\"]}}", DAY0 + 120, &v2, b,
                               sizeof(b)));
  assert_int_equal(GN_HOTSPOT_REJECT, v1);
  assert_int_equal(v1, v2);
  assert_non_null(strstr(b, "Quota de données du mois atteint."));
  for (int i = 0; i < 2; i++) {
    gn_free(f[i].ctx, u1 && i == 0 ? u1 : u2);
    gn_free(f[i].ctx, codes[i]);
    fx_close(&f[i]);
  }
}

static int locks, unlocks;
static void count_lock(void *ud, int acquire) {
  (void)ud;
  if (acquire)
    locks++;
  else
    unlocks++;
}

/* The verified-credential cache skips Argon2id only for the same login,
 * password and stored hash within its TTL; the write-lock hook brackets
 * each transaction exactly once. */
static void credential_cache_and_write_lock(void **state) {
  (void)state;
  fx f;
  fx_open(&f);
  gn_hotspot_user u = {"ama", NULL, 0, 0, 0};
  ASSERT_OK(f.ctx, gn_hotspot_user_add(f.st, &u, "first-pass-1", "t"));
  char out[1024];
  gn__hs_cred c = {0, "ama", 3, "first-pass-1", 12, NULL, DAY0};
  int64_t id = 0;
  char stored[128];
  sqlite3_stmt *s = NULL;
  ASSERT_OK(f.ctx, gn__st_prep(f.st, "SELECT id,secret FROM hs_users WHERE"
                               " name='ama'", &s));
  assert_int_equal(SQLITE_ROW, sqlite3_step(s));
  id = sqlite3_column_int64(s, 0);
  snprintf(stored, sizeof(stored), "%s", (const char *)sqlite3_column_text(s, 1));
  sqlite3_finalize(s);
  c.uid = id;
  c.stored = stored;
  assert_false(gn__hs_cred_hit(f.st, &c)); /* nothing cached yet */
  gn_store_set_write_lock(f.st, count_lock, NULL);
  locks = unlocks = 0;
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "ama", "first-pass-1", DAY0, out));
  assert_int_equal(0, locks); /* a student's login writes nothing */
  assert_true(gn__hs_cred_hit(f.st, &c));
  gn__hs_cred other = c;
  other.pw = "first-pass-2";
  assert_false(gn__hs_cred_hit(f.st, &other)); /* another password */
  other = c;
  other.now = DAY0 + GN__HS_CRED_TTL_S;
  assert_false(gn__hs_cred_hit(f.st, &other)); /* expired */
  other = c;
  other.stored = "$argon2id$v=19$m=65536,t=2,p=1$changed";
  assert_false(gn__hs_cred_hit(f.st, &other)); /* the password changed */
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "ama", "first-pass-2", DAY0, out));
  assert_int_equal(GN_HOTSPOT_OK, login(&f, "ama", "first-pass-1", DAY0 + 1, out));
  /* a disabled account is refused even while its password is cached */
  ASSERT_OK(f.ctx, gn__st_exec(f.st, "UPDATE hs_users SET disabled=1"));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, "ama", "first-pass-1", DAY0 + 2, out));
  assert_non_null(strstr(out, "désactivé"));
  assert_int_equal(0, locks + unlocks);
  /* a voucher with limited uses: the writer lock brackets the counting
   * transaction once per login, accepted or refused */
  char *code = NULL;
  ASSERT_OK(f.ctx, gn_hotspot_vouchers_create(f.st, 1, 60, 1, DAY0 + 86400,
                                              NULL, "t", &code));
  assert_int_equal(locks, unlocks); /* creating it was one transaction */
  locks = unlocks = 0;
  assert_int_equal(GN_HOTSPOT_OK, login(&f, code, code, DAY0, out));
  assert_int_equal(GN_HOTSPOT_REJECT, login(&f, code, code, DAY0 + 1, out));
  assert_int_equal(2, locks);
  assert_int_equal(2, unlocks);
  gn_free(f.ctx, code);
  gn_store_set_write_lock(f.st, NULL, NULL);
  fx_close(&f);
}

static void decisions_survive_every_allocation_failure(void **state) {
  (void)state;
  for (long k = 0;; k++) {
    gn_test_failing fl = {-1};
    gn_ctx *ctx = NULL;
    gn_store *st = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &fl, &ctx));
    ASSERT_OK(ctx, gn_store_open(ctx, ":memory:", GN_STORE_CREATE, 0, &st));
    char *json = NULL; /* creates the hs_* tables before failures start */
    ASSERT_OK(ctx, gn_hotspot_usage_json(st, NULL, NULL, &json));
    gn_free(ctx, json);
    fl.left = k;
    gn_hotspot_verdict vd;
    char *reply = NULL;
    const char *env[] = {"USER_NAME=\"x\"", "ACCT_STATUS_TYPE=Start",
                         "ACCT_SESSION_ID=\"s\"", NULL};
    gn_status s = gn_hotspot_aaa(st, GN_HOTSPOT_ACCT, env, NULL, DAY0, &vd, &reply);
    fl.left = -1;
    gn_store_close(st);
    if (s == GN_OK) {
      gn_free(ctx, reply);
      gn_ctx_free(ctx);
      break;
    }
    assert_int_equal(GN_ENOMEM, s);
    assert_null(reply);
    gn_ctx_free(ctx);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(env_parser_decodes_freeradius_quoting),
      cmocka_unit_test(vouchers_have_the_documented_form),
      cmocka_unit_test(voucher_uses_duration_and_expiry),
      cmocka_unit_test(student_quotas_per_day_and_month),
      cmocka_unit_test(accounting_counts_deltas_once),
      cmocka_unit_test(simultaneous_use_ignores_stale_and_reset_sessions),
      cmocka_unit_test(hostile_requests_are_rejects),
      cmocka_unit_test(brief_connections_leave_the_wal),
      cmocka_unit_test(decisions_survive_every_allocation_failure),
      cmocka_unit_test(rest_parser_gives_the_bytes_freeradius_received),
      cmocka_unit_test(rest_and_exec_decide_alike),
      cmocka_unit_test(credential_cache_and_write_lock),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
