/*
 * test_screen.c - The strict parsers shared by every way in (io/text.h)
 * and the server's raw request checks (server/screen.c), case by case.
 */
#include "gn_test.h"
#include "io/text.h"
#include "server/srv.h"

static void decimals(void **state) {
  (void)state;
  static const char *const good[] = {"0", "-1", "1.5", "-0.25", ".5", "1.", "1e3",
                                     "1E-3", "6.1303000", "1e12"};
  static const char *const bad[] = {"", " 1", "1 ", "+1", "0x10", "0x1p0", "inf", "nan",
                                    "1e", "1e+", "--1", "1,5", ".", "-", "1e999", "1..2"};
  double v;
  for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
    if (gn__parse_decimal(good[i], &v) != 0) fail_msg("refused '%s'", good[i]);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (gn__parse_decimal(bad[i], &v) == 0) fail_msg("accepted '%s'", bad[i]);
  long long n;
  assert_int_equal(0, gn__parse_int("42", 0, 100, &n));
  assert_int_equal(42, n);
  assert_int_equal(-1, gn__parse_int(" 42", 0, 100, &n));
  assert_int_equal(-1, gn__parse_int("+42", 0, 100, &n));
  assert_int_equal(-1, gn__parse_int("101", 0, 100, &n));
  assert_int_equal(-1, gn__parse_int("99999999999999999999", 0, 100, &n));
}

static void text(void **state) {
  (void)state;
  assert_true(gn__text_valid("H\xc3\xb4pital \xe2\x82\xac \xf0\x9f\x98\x80", 0));
  assert_false(gn__text_valid("H\xf4pital", 0));     /* Latin-1 */
  assert_false(gn__text_valid("\xc0\xaf", 0));        /* overlong '/' */
  assert_false(gn__text_valid("\xed\xa0\x80", 0));    /* surrogate */
  assert_false(gn__text_valid("\xf4\x90\x80\x80", 0)); /* > U+10FFFF */
  assert_false(gn__text_valid("a\x7f", 0));
  assert_false(gn__text_valid("a\xc2\x85", 0));       /* C1 control */
  assert_false(gn__text_valid("a\nb", 0));
  assert_true(gn__text_valid("a\nb\t", 1));
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  char *u = gn__latin1_to_utf8(ctx, "H\xf4pital de B\xe8");
  assert_string_equal("H\xc3\xb4pital de B\xc3\xa8", u);
  gn_free(ctx, u);
  gn_ctx_free(ctx);
}

static void targets(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  assert_int_equal(GN_OK, gn__screen_target(ctx, "/api/sites?bbox=1,2,3,4&limit=5", 8192));
  assert_int_equal(GN_OK, gn__screen_target(ctx, "/api/sites/%C3%A9cole", 8192));
  static const char *const bad[] = {"/api/sites/nulltest%00junk", "/index.html%00.png",
                                    "/a%0d%0a", "/a%7F", "/a%zz", "/a%4", "http://h/x",
                                    "*", "/a b", "/a\x01"};
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (gn__screen_target(ctx, bad[i], 8192) != GN_EINVAL) fail_msg("accepted %s", bad[i]);
  char q[2048] = "/api/health?a";
  size_t qn = strlen(q);
  for (int i = 0; i < 512; i++, qn += 2) memcpy(q + qn, "&a", 3);
  assert_int_equal(GN_ELIMIT, gn__screen_target(ctx, q, 8192)); /* 513 */
  assert_int_equal(GN_ELIMIT, gn__screen_target(ctx, q, 100));
  assert_int_equal(GN_ENOTIMPL, gn__screen_te(ctx, "gzip"));
  assert_int_equal(GN_OK, gn__screen_te(ctx, "Chunked"));
  gn_ctx_free(ctx);
}

static void hosts(void **state) {
  (void)state;
  static const char *const ok[] = {"127.0.0.1", "127.0.0.1:8080", "10.1.2.3", "[::1]",
                                   "[::1]:80", "localhost", "LOCALHOST:1", "localhost.",
                                   "carte.gouv.tg", "Carte.Gouv.TG:443", NULL};
  static const char *const bad[] = {"evil.example", "evil.example:80", "localhost.evil.com",
                                    "127.0.0.1.nip.io", "carte.gouv.tg.evil", "", ":80",
                                    "127.0.0.1:", "127.0.0.1:99999x", "[::1", "gouv.tg"};
  for (size_t i = 0; ok[i]; i++)
    if (!gn__host_allowed(ok[i], "carte.gouv.tg,api.example")) fail_msg("refused %s", ok[i]);
  for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
    if (gn__host_allowed(bad[i], "carte.gouv.tg,api.example")) fail_msg("allowed %s", bad[i]);
  assert_true(gn__host_allowed(NULL, NULL)); /* HTTP/1.0 */
}

static void bearer(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  char tok[GN_AUTH_SECRET_MAX + 1];
  static const char *const ok[] = {"Bearer s3cret-T0ken_ok", "bearer s3cret-T0ken_ok",
                                   "BEARER   s3cret-T0ken_ok  "};
  for (size_t i = 0; i < 3; i++) {
    ASSERT_OK(ctx, gn__auth_bearer(ctx, ok[i], tok));
    assert_string_equal("s3cret-T0ken_ok", tok);
  }
  assert_int_not_equal(GN_OK, gn__auth_bearer(ctx, "Bearers3cret", tok));
  assert_int_not_equal(GN_OK, gn__auth_bearer(ctx, "Basic s3cret-T0ken_ok", tok));
  assert_int_not_equal(GN_OK, gn__auth_bearer(ctx, "Bearer          ", tok));
  gn_ctx_free(ctx);
  assert_false(gn__token_valid("         "));
  assert_false(gn__token_valid("short"));
  assert_false(gn__token_valid("has space in it"));
  assert_true(gn__token_valid("abc+/~._-XYZ09=="));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decimals), cmocka_unit_test(text), cmocka_unit_test(targets),
      cmocka_unit_test(hosts),    cmocka_unit_test(bearer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
