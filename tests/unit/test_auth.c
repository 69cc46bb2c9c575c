/*
 * test_auth.c - The auth library on a real store: users and roles, tokens
 * (check, expiry, revocation, disabled users), logins (wrong, unknown,
 * lockout), CSRF derivation, own-role changes, tenant scope in lists and
 * gets, the audit actor, migration idempotence, and the server's refusal
 * of plain HTTP off loopback.
 */
#include <unistd.h>

#include "gn_test.h"

#define OK(ctx, call)                                                  \
  do {                                                                 \
    gn_status s_ = (call);                                             \
    if (s_ != GN_OK) fail_msg("%s: %s", #call, gn_ctx_errmsg(ctx));    \
  } while (0)

typedef struct fx {
  gn_ctx *ctx;
  gn_store *st;
  char path[128];
} fx;

static int fx_setup(void **state) {
  fx *f = calloc(1, sizeof(*f));
  snprintf(f->path, sizeof(f->path), "/tmp/gn_test_auth_%d.db", (int)getpid());
  remove(f->path);
  if (gn_ctx_create(&f->ctx) != GN_OK) return -1;
  if (gn_store_open(f->ctx, f->path, GN_STORE_CREATE, 0, &f->st) != GN_OK) return -1;
  if (gn_auth_migrate(f->st) != GN_OK || gn_auth_migrate(f->st) != GN_OK) return -1;
  gn_auth_set_actor(f->st, NULL, "tester", "test_auth");
  *state = f;
  return 0;
}

static int fx_teardown(void **state) {
  fx *f = *state;
  gn_store_close(f->st);
  gn_ctx_free(f->ctx);
  char aux[160];
  remove(f->path);
  snprintf(aux, sizeof(aux), "%s-wal", f->path);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", f->path);
  remove(aux);
  free(f);
  return 0;
}

static void roles_round_trip(void **state) {
  (void)state;
  for (int r = 0; r < GN_ROLE_COUNT; r++)
    assert_int_equal(r, gn_role_parse(gn_role_name((gn_role)r)));
  assert_int_equal(GN_ROLE_COUNT, gn_role_parse("root"));
  assert_int_equal(GN_ORG_OPERATOR, gn_org_kind_parse("operator"));
  assert_int_equal(GN_ORG_KIND_COUNT, gn_org_kind_parse("isp"));
  gn_principal p = {.role = GN_ROLE_OPERATOR, .org_id = 4};
  assert_int_equal(4, gn_auth_scope_org(&p));
  p.org_id = 0;
  assert_int_equal(-1, gn_auth_scope_org(&p)); /* tenant without org: nothing */
  p.role = GN_ROLE_AUDITOR;
  assert_int_equal(0, gn_auth_scope_org(&p));
}

static void users_tokens_and_scope(void **state) {
  fx *f = *state;
  int64_t moov = 0, togo = 0, a = 0, b = 0, c = 0;
  OK(f->ctx, gn_auth_org_add(f->st, "Moov", GN_ORG_OPERATOR, &moov));
  OK(f->ctx, gn_auth_org_add(f->st, "Togocom", GN_ORG_OPERATOR, &togo));
  assert_int_equal(GN_ECONFLICT, gn_auth_org_add(f->st, "Moov", GN_ORG_OPERATOR, NULL));
  assert_int_equal(GN_EINVAL, gn_auth_org_add(f->st, " padded", GN_ORG_OPERATOR, NULL));
  OK(f->ctx, gn_auth_user_add(f->st, "op-a", GN_ROLE_OPERATOR, "Moov", "password-a-1", &a));
  OK(f->ctx, gn_auth_user_add(f->st, "op-b", GN_ROLE_OPERATOR, "Togocom", "password-b-1", &b));
  OK(f->ctx, gn_auth_user_add(f->st, "boss", GN_ROLE_ADMIN, NULL, "password-c-1", &c));
  assert_int_equal(GN_EINVAL, gn_auth_user_add(f->st, "op-c", GN_ROLE_OPERATOR, NULL,
                                               "password-c-1", NULL));
  assert_int_equal(GN_ENOTFOUND, gn_auth_user_add(f->st, "op-d", GN_ROLE_OPERATOR,
                                                  "Nowhere", "password-d-1", NULL));
  assert_int_equal(GN_ECONFLICT, gn_auth_user_add(f->st, "boss", GN_ROLE_NOC, NULL,
                                                  "password-c-1", NULL));

  /* scope: op-a's organisation sees itself only, b is "not found" */
  char *json = NULL;
  OK(f->ctx, gn_auth_users_json(f->st, moov, 0, 0, &json));
  assert_non_null(strstr(json, "\"total\":1"));
  assert_null(strstr(json, "op-b"));
  gn_free(f->ctx, json);
  assert_int_equal(GN_ENOTFOUND, gn_auth_user_json(f->st, moov, b, &json));
  OK(f->ctx, gn_auth_user_json(f->st, 0, b, &json));
  assert_null(strstr(json, "argon2")); /* never the hash */
  gn_free(f->ctx, json);
  OK(f->ctx, gn_auth_users_json(f->st, -1, 0, 0, &json));
  assert_non_null(strstr(json, "\"total\":0"));
  gn_free(f->ctx, json);

  /* tokens */
  char tok[GN_AUTH_SECRET_BUF];
  int64_t tid = 0;
  gn_principal p;
  OK(f->ctx, gn_auth_token_create(f->st, "op-a", 1, tok, &tid));
  OK(f->ctx, gn_auth_token_check(f->st, tok, &p));
  assert_string_equal("op-a", p.name);
  assert_string_equal("Moov", p.org);
  assert_int_equal(GN_ROLE_OPERATOR, p.role);
  assert_int_equal(moov, p.org_id);
  tok[10] ^= 1;
  assert_int_equal(GN_EAUTH, gn_auth_token_check(f->st, tok, &p));
  tok[10] ^= 1;
  assert_int_equal(GN_EAUTH, gn_auth_token_check(f->st, "gnt_short", &p));
  gn_auth_user_patch off = {.disabled = 1};
  OK(f->ctx, gn_auth_user_update(f->st, NULL, a, &off));
  assert_int_equal(GN_EAUTH, gn_auth_token_check(f->st, tok, &p));
  off.disabled = 0;
  OK(f->ctx, gn_auth_user_update(f->st, NULL, a, &off));
  OK(f->ctx, gn_auth_token_check(f->st, tok, &p));
  OK(f->ctx, gn_auth_token_revoke(f->st, tid));
  assert_int_equal(GN_EAUTH, gn_auth_token_check(f->st, tok, &p));
  assert_int_equal(GN_ENOTFOUND, gn_auth_token_revoke(f->st, tid));

  /* own role / organisation */
  gn_principal boss;
  OK(f->ctx, gn_auth_token_create(f->st, "boss", 0, tok, NULL));
  OK(f->ctx, gn_auth_token_check(f->st, tok, &boss));
  gn_auth_user_patch demote = {.role = "planner", .disabled = -1};
  assert_int_equal(GN_EFORBIDDEN, gn_auth_user_update(f->st, &boss, c, &demote));
  gn_auth_user_patch move = {.org = "Moov", .disabled = -1};
  assert_int_equal(GN_EFORBIDDEN, gn_auth_user_update(f->st, &boss, c, &move));
  gn_auth_user_patch to_togo = {.org = "Togocom", .disabled = -1};
  OK(f->ctx, gn_auth_user_update(f->st, &boss, a, &to_togo));
  OK(f->ctx, gn_auth_users_json(f->st, togo, 0, 0, &json));
  assert_non_null(strstr(json, "\"total\":2"));
  gn_free(f->ctx, json);

  /* the audit rows name the actor; the chain verifies */
  OK(f->ctx, gn_store_audit_json(f->st, 1, 0, &json));
  assert_non_null(strstr(json, "\"user\":\"tester\""));
  assert_non_null(strstr(json, "\"via\":\"test_auth\""));
  gn_free(f->ctx, json);
  size_t nprob = 9;
  OK(f->ctx, gn_store_check(f->st, NULL, NULL, &nprob));
  assert_int_equal(0, nprob);
}

static void logins_and_lockout(void **state) {
  fx *f = *state;
  OK(f->ctx, gn_auth_user_add(f->st, "nina", GN_ROLE_NOC, NULL, "password-nina", NULL));
  char sid[GN_AUTH_SECRET_BUF], csrf[GN_AUTH_SECRET_BUF], again[GN_AUTH_SECRET_BUF];
  gn_principal p;
  OK(f->ctx, gn_auth_login(f->st, "nina", "password-nina", "10.0.0.1", sid, csrf, &p));
  assert_int_equal(1, p.session);
  gn_principal q;
  OK(f->ctx, gn_auth_session_check(f->st, sid, &q));
  assert_string_equal("nina", q.name);
  gn_auth_csrf(sid, again);
  assert_string_equal(csrf, again);
  assert_true(gn_auth_csrf_ok(sid, csrf));
  csrf[5] ^= 1;
  assert_false(gn_auth_csrf_ok(sid, csrf));
  assert_false(gn_auth_csrf_ok(sid, NULL));
  OK(f->ctx, gn_auth_logout(f->st, sid));
  assert_int_equal(GN_EAUTH, gn_auth_session_check(f->st, sid, &q));

  /* wrong and unknown: one message */
  assert_int_equal(GN_EAUTH, gn_auth_login(f->st, "nina", "wrong-pass", "10.0.0.2",
                                           sid, csrf, &p));
  char m1[128];
  snprintf(m1, sizeof(m1), "%s", gn_ctx_errmsg(f->ctx));
  assert_int_equal(GN_EAUTH, gn_auth_login(f->st, "nobody", "wrong-pass", "10.0.0.2",
                                           sid, csrf, &p));
  assert_string_equal(m1, gn_ctx_errmsg(f->ctx));
  assert_string_equal("", sid);
  char big[GN_AUTH_PASSWORD_MAX + 8];
  memset(big, 'x', sizeof(big) - 1);
  big[sizeof(big) - 1] = '\0';
  assert_int_equal(GN_EINVAL, gn_auth_login(f->st, "nina", big, NULL, sid, csrf, &p));
  /* lockout: GN_AUTH_LOCK_FAILS failures (one already) lock the name */
  for (int i = 1; i < GN_AUTH_LOCK_FAILS; i++)
    assert_int_equal(GN_EAUTH, gn_auth_login(f->st, "nina", "wrong-pass", "10.0.0.3",
                                             sid, csrf, &p));
  assert_int_equal(GN_ETOOMANY, gn_auth_login(f->st, "nina", "password-nina",
                                               "10.0.0.4", sid, csrf, &p));
}

/* Plain HTTP off loopback is refused at create (before any bind) unless
 * insecure_http; TLS needs both files. Nothing here listens. */
static void plain_http_only_on_loopback(void **state) {
  fx *f = *state;
  gn_server_opts o = {.db_path = f->path, .listen_addr = "0.0.0.0", .threads = 1};
  gn_server *srv = NULL;
  assert_int_equal(GN_EINVAL, gn_server_create(f->ctx, &o, &srv));
  assert_non_null(strstr(gn_ctx_errmsg(f->ctx), "refusing plain HTTP"));
  assert_null(srv);
  o.listen_addr = "127.0.0.2";
  OK(f->ctx, gn_server_create(f->ctx, &o, &srv));
  gn_server_free(srv);
  o.listen_addr = "10.1.2.3";
  o.insecure_http = 1;
  OK(f->ctx, gn_server_create(f->ctx, &o, &srv));
  gn_server_free(srv);
  o.tls_cert = "/nonexistent/cert.pem";
  assert_int_equal(GN_EINVAL, gn_server_create(f->ctx, &o, &srv)); /* no key */
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(roles_round_trip),
      cmocka_unit_test_setup_teardown(users_tokens_and_scope, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(logins_and_lockout, fx_setup, fx_teardown),
      cmocka_unit_test_setup_teardown(plain_http_only_on_loopback, fx_setup, fx_teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
