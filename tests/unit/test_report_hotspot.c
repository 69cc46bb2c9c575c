/*
 * test_report_hotspot.c - The hotspot usage summary and the monthly
 * report through the library, with accounting recorded by the real
 * decision function at chosen times (a session across UTC midnight, two
 * access points, a month boundary): the summary's figures per day and per
 * access point, the report's month bounds, and every allocation failure
 * of the report (GN_ENOMEM, no file or temporary left behind).
 * The command-line path is tests/cli/test_hotspot_report.sh.
 */
#include <dirent.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gn_test.h"
#include "govnet/hotspot.h"
#include "govnet/report.h"

#define DAY0 1800000000LL /* 2027-01-15T08:00:00Z */

/* One Accounting-Request of user on access point ap at now. */
static void acct(gn_store *st, const char *user, const char *ap,
                 const char *status, const char *sid, long long in,
                 long long out, long long secs, int64_t now) {
  char e[7][128], *reply = NULL;
  snprintf(e[0], 128, "USER_NAME=\"%s\"", user);
  snprintf(e[1], 128, "NAS_IDENTIFIER=\"%s\"", ap);
  snprintf(e[2], 128, "ACCT_STATUS_TYPE=%s", status);
  snprintf(e[3], 128, "ACCT_SESSION_ID=\"%s\"", sid);
  snprintf(e[4], 128, "ACCT_INPUT_OCTETS=%lld", in);
  snprintf(e[5], 128, "ACCT_OUTPUT_OCTETS=%lld", out);
  snprintf(e[6], 128, "ACCT_SESSION_TIME=%lld", secs);
  const char *env[] = {e[0], e[1], e[2], e[3], e[4], e[5], e[6],
                       "NAS_IP_ADDRESS=10.0.0.1", NULL};
  gn_hotspot_verdict vd;
  ASSERT_OK(gn_store_ctx(st), gn_hotspot_aaa(st, GN_HOTSPOT_ACCT, env, NULL,
                                             now, &vd, &reply));
  assert_int_equal(GN_HOTSPOT_OK, vd);
  gn_free(gn_store_ctx(st), reply);
}

/* kofi on ap-a from the 15th over midnight into the 16th, ama and a
 * second kofi session on ap-b on the 15th, ama again on 1 February. */
static void record(gn_store *st) {
  acct(st, "kofi", "ap-a", "Start", "k1", 0, 0, 0, DAY0);
  acct(st, "kofi", "ap-a", "Interim-Update", "k1", 1000, 2000, 300, DAY0 + 300);
  acct(st, "kofi", "ap-a", "Stop", "k1", 1010, 2020, 400, DAY0 + 86400);
  acct(st, "ama", "ap-b", "Start", "a1", 0, 0, 0, DAY0 + 600);
  acct(st, "ama", "ap-b", "Stop", "a1", 5000, 7000, 300, DAY0 + 900);
  acct(st, "kofi", "ap-b", "Stop", "k2", 1, 1, 10, DAY0 + 1000);
  acct(st, "ama", "ap-c", "Stop", "a2", 9, 9, 9, DAY0 + 17 * 86400);
}

static void summary_counts_users_per_day_and_access_point(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  char *json = NULL;
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  ASSERT_OK(ctx, gn_store_open(ctx, ":memory:", GN_STORE_CREATE, 0, &st));
  record(st);
  ASSERT_OK(ctx, gn_hotspot_usage_summary_json(st, "2027-01-01", "2027-01-31",
                                               &json));
  assert_non_null(strstr(json, "\"total\": {\"users\": 2, \"sessions\": 3, "
                               "\"bytes_in\": 6011, \"bytes_out\": 9021, "
                               "\"seconds\": 710, \"hotspots\": 2}"));
  /* kofi's session counts on both days it used; per-day deltas */
  assert_non_null(strstr(json, "{\"day\": \"2027-01-15\", \"users\": 2, "
                               "\"sessions\": 3, \"bytes_in\": 6001, "
                               "\"bytes_out\": 9001, \"seconds\": 610}"));
  assert_non_null(strstr(json, "{\"day\": \"2027-01-16\", \"users\": 1, "
                               "\"sessions\": 1, \"bytes_in\": 10, "
                               "\"bytes_out\": 20, \"seconds\": 100}"));
  /* ap-b (12,002 bytes) before ap-a (3,030): by data, largest first */
  const char *b = strstr(json, "{\"hotspot\": \"ap-b\", \"users\": 2, "
                               "\"sessions\": 2, \"bytes_in\": 5001, "
                               "\"bytes_out\": 7001, \"seconds\": 310}");
  const char *a = strstr(json, "{\"hotspot\": \"ap-a\", \"users\": 1, "
                               "\"sessions\": 1, \"bytes_in\": 1010, "
                               "\"bytes_out\": 2020, \"seconds\": 400}");
  assert_non_null(b);
  assert_non_null(a);
  assert_true(b < a);
  assert_null(strstr(json, "ap-c"));
  gn_free(ctx, json);
  ASSERT_OK(ctx, gn_hotspot_usage_summary_json(st, "2027-03-01", "2027-03-31",
                                               &json));
  assert_non_null(strstr(json, "\"total\": {\"users\": 0, \"sessions\": 0, "
                               "\"bytes_in\": 0, \"bytes_out\": 0, "
                               "\"seconds\": 0, \"hotspots\": 0}"));
  assert_non_null(strstr(json, "\"days\": [],"));
  gn_free(ctx, json);
  assert_int_equal(GN_EINVAL, gn_hotspot_usage_summary_json(st, "2027-01-32",
                                                            NULL, &json));
  assert_null(json);
  gn_store_close(st);
  gn_ctx_free(ctx);
}

static char *slurp(const char *path) {
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  static char buf[1 << 20];
  size_t n = fread(buf, 1, sizeof(buf) - 1, f);
  buf[n] = '\0';
  fclose(f);
  return buf;
}

static int temporaries_in(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL) n += strstr(e->d_name, ".tmp-") != NULL;
  closedir(d);
  return n;
}

static void month_report_bounds_and_language(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  char dir[64], html[96];
  snprintf(dir, sizeof dir, "/tmp/gn_test_hsr_%d", (int)getpid());
  mkdir(dir, 0700);
  snprintf(html, sizeof html, "%s/m.html", dir);
  assert_int_equal(GN_OK, gn_ctx_create(&ctx));
  ASSERT_OK(ctx, gn_store_open(ctx, ":memory:", GN_STORE_CREATE, 0, &st));
  record(st);
  ASSERT_OK(ctx, gn_report_hotspot_month(st, "2027-01", "en", html, NULL));
  const char *h = slurp(html);
  assert_non_null(strstr(h, "January 2027 (31 days)"));
  assert_non_null(strstr(h, "<td>ap-b</td>"));
  assert_null(strstr(h, "ap-c")); /* February's */
  assert_null(strstr(h, "kofi"));
  ASSERT_OK(ctx, gn_report_hotspot_month(st, "2027-02", NULL, html, NULL));
  h = slurp(html);
  assert_non_null(strstr(h, "février 2027 (28 jours)"));
  assert_non_null(strstr(h, "<td>ap-c</td>"));
  ASSERT_OK(ctx, gn_report_hotspot_month(st, "2028-02", NULL, html, NULL));
  assert_non_null(strstr(slurp(html), "(29 jours)")); /* leap year */
  assert_int_equal(GN_EINVAL, gn_report_hotspot_month(st, "2027-13", NULL, html, NULL));
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "'2027-13'"));
  assert_int_equal(GN_EINVAL, gn_report_hotspot_month(st, "2027-1", NULL, html, NULL));
  assert_int_equal(GN_EINVAL, gn_report_hotspot_month(st, NULL, NULL, html, NULL));
  assert_int_equal(GN_EINVAL, gn_report_hotspot_month(st, "2027-01", "de", html, NULL));
  assert_int_equal(0, temporaries_in(dir));
  unlink(html);
  rmdir(dir);
  gn_store_close(st);
  gn_ctx_free(ctx);
}

static void month_report_survives_every_allocation_failure(void **state) {
  (void)state;
  char dir[64], html[96], pdf[96];
  snprintf(dir, sizeof dir, "/tmp/gn_test_hsr_oom_%d", (int)getpid());
  mkdir(dir, 0700);
  snprintf(html, sizeof html, "%s/m.html", dir);
  snprintf(pdf, sizeof pdf, "%s/m.pdf", dir);
  long k = 0;
  for (;; k++) {
    gn_test_failing fl = {-1};
    gn_ctx *ctx = NULL;
    gn_store *st = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &fl, &ctx));
    ASSERT_OK(ctx, gn_store_open(ctx, ":memory:", GN_STORE_CREATE, 0, &st));
    record(st);
    fl.left = k;
    gn_status s = gn_report_hotspot_month(st, "2027-01", "fr", html, pdf);
    fl.left = -1;
    gn_store_close(st);
    gn_ctx_free(ctx);
    assert_int_equal(0, temporaries_in(dir));
    if (s == GN_OK) break;
    assert_int_equal(GN_ENOMEM, s);
    assert_int_equal(-1, access(pdf, F_OK)); /* the PDF comes last */
    unlink(html);
  }
  assert_true(k > 5);
  assert_int_equal(0, access(html, F_OK));
  assert_int_equal(0, access(pdf, F_OK));
  unlink(html);
  unlink(pdf);
  rmdir(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(summary_counts_users_per_day_and_access_point),
      cmocka_unit_test(month_report_bounds_and_language),
      cmocka_unit_test(month_report_survives_every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
