/*
 * test_store_modules.c - Capability tables: gn__st_module_migrate applies a
 * module's steps once each, in order, each in its own transaction; a
 * failing step leaves nothing behind; read-only stores are refused by name.
 */
#include <unistd.h>

#include "gn_test.h"
#include "store/store_int.h"

static const gn__st_migration two[] = {
    {"widgets", "CREATE TABLE demo_widgets(id INTEGER PRIMARY KEY, name TEXT)",
     NULL},
    {"widget colour", "ALTER TABLE demo_widgets ADD COLUMN colour TEXT", NULL},
};

static const gn__st_migration bad_third[] = {
    two[0], two[1],
    {"broken", "CREATE TABLE demo_half(x); THIS IS NOT SQL", NULL},
};

static int64_t count(gn_store *st, const char *sql) {
  int64_t v = -1;
  int found = 0;
  assert_int_equal(gn__st_int(st, sql, 0, &v, &found), GN_OK);
  return v;
}

static void steps_apply_once_and_fail_cleanly(void **state) {
  (void)state;
  char path[128];
  snprintf(path, sizeof path, "/tmp/gn_test_modules_%d.db", (int)getpid());
  remove(path);
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  assert_int_equal(gn_store_open(ctx, path, GN_STORE_CREATE, 0, &st), GN_OK);
  assert_int_equal(gn__st_module_migrate(st, "demo", two, 1), GN_OK);
  assert_int_equal(gn__st_module_migrate(st, "demo", two, 2), GN_OK);
  assert_int_equal(gn__st_module_migrate(st, "demo", two, 2), GN_OK);
  assert_int_equal(count(st, "SELECT count(*) FROM gn_module_migrations"), 2);
  assert_int_equal(count(st, "SELECT count(*) FROM pragma_table_info("
                             "'demo_widgets') WHERE name='colour'"), 1);
  /* another module has its own versions */
  assert_int_equal(gn__st_module_migrate(st, "other", two, 0), GN_OK);
  /* a failing step: error, no half table, version unchanged */
  assert_int_not_equal(gn__st_module_migrate(st, "demo", bad_third, 3), GN_OK);
  assert_int_equal(count(st, "SELECT count(*) FROM sqlite_master WHERE "
                             "name='demo_half'"), 0);
  assert_int_equal(count(st, "SELECT max(version) FROM gn_module_migrations"
                             " WHERE module='demo'"), 2);
  gn_store_close(st);
  /* read-only: up to date is fine, missing steps are refused by name */
  assert_int_equal(gn_store_open(ctx, path, GN_STORE_READONLY, 0, &st), GN_OK);
  assert_int_equal(gn__st_module_migrate(st, "demo", two, 2), GN_OK);
  assert_int_equal(gn__st_module_migrate(st, "fresh", two, 2), GN_EINVAL);
  assert_non_null(strstr(gn_ctx_errmsg(ctx), "fresh"));
  gn_store_close(st);
  gn_ctx_free(ctx);
  remove(path);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(steps_apply_once_and_fail_cleanly),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
