/*
 * test_store_patch.c - Issue 11's store defects, deterministically:
 * gn_store_site_patch holds the write lock from read to write (a writer
 * on another connection cannot slip in between, so no update is lost),
 * If-Match against the ETag, and the text rules every writer shares
 * (site id alphabet, UTF-8 names, control characters).
 */
#include <unistd.h>

#include "gn_test.h"

typedef struct two {
  gn_ctx *c1, *c2;
  gn_store *s1, *s2;
  char path[256];
} two;

static void open_two(two *t) {
  snprintf(t->path, sizeof(t->path), "/tmp/gn_test_patch_%d.db", (int)getpid());
  remove(t->path);
  assert_int_equal(GN_OK, gn_ctx_create(&t->c1));
  assert_int_equal(GN_OK, gn_ctx_create(&t->c2));
  ASSERT_OK(t->c1, gn_store_open(t->c1, t->path, GN_STORE_CREATE, 0, &t->s1));
  ASSERT_OK(t->c2, gn_store_open(t->c2, t->path, 0, 50, &t->s2));
  gn_store_site s = {(char *)"osm:1", (char *)"H\xc3\xb4pital", GN_CAT_HEALTH,
                     10, 0, 1.23, 6.13, NULL};
  ASSERT_OK(t->c1, gn_store_site_create(t->s1, &s, "tester"));
}

static void close_two(two *t) {
  gn_store_close(t->s1);
  gn_store_close(t->s2);
  gn_ctx_free(t->c1);
  gn_ctx_free(t->c2);
  char aux[300];
  remove(t->path);
  snprintf(aux, sizeof(aux), "%s-wal", t->path);
  remove(aux);
  snprintf(aux, sizeof(aux), "%s-shm", t->path);
  remove(aux);
}

typedef struct race {
  two *t;
  gn_status other; /* what the other connection's write got */
} race;

/* Runs between the read and the write of the patch: another connection
 * tries to change the priority. */
static gn_status merge_name(void *ud, gn_ctx *ctx, gn_store_site *s) {
  (void)ctx;
  race *r = ud;
  gn_store_site other = *s;
  other.priority = 99;
  r->other = gn_store_site_update(r->t->s2, &other, "other");
  s->name = (char *)"Mairie";
  return GN_OK;
}

static void get_site(gn_store *st, gn_ctx *ctx, gn_store_site *out) {
  gn_store_site *arr = NULL;
  size_t n = 0;
  ASSERT_OK(ctx, gn_store_list_sites(st, NULL, &arr, &n));
  assert_int_equal(1, n);
  *out = arr[0];
  arr[0].id = arr[0].name = arr[0].phase = NULL;
  gn_store_sites_free(ctx, arr, n);
}

static void patch_holds_the_write_lock(void **state) {
  (void)state;
  two t;
  open_two(&t);
  race r = {&t, GN_OK};
  char etag[GN_STORE_ETAG_SIZE] = "";
  ASSERT_OK(t.c1, gn_store_site_patch(t.s1, "osm:1", NULL, merge_name, &r,
                                      "tester", etag));
  /* the interloper waited for the lock and gave up: it did not write in
   * the middle (the defect: it did, and the patch then undid it) */
  assert_int_equal(GN_EBUSY, r.other);
  gn_store_site s;
  get_site(t.s1, t.c1, &s);
  assert_string_equal("Mairie", s.name);
  assert_int_equal(10, s.priority);
  gn_free(t.c1, s.id);
  gn_free(t.c1, s.name);
  /* once the patch committed, the other writer goes through, and the
   * name stays */
  gn_store_site other = {(char *)"osm:1", (char *)"Mairie", GN_CAT_HEALTH,
                         99, 0, 1.23, 6.13, NULL};
  ASSERT_OK(t.c2, gn_store_site_update(t.s2, &other, "other"));
  assert_int_equal('"', etag[0]);
  close_two(&t);
}

static gn_status set_priority(void *ud, gn_ctx *ctx, gn_store_site *s) {
  (void)ctx;
  s->priority = *(int *)ud;
  return GN_OK;
}

static void if_match(void **state) {
  (void)state;
  two t;
  open_two(&t);
  char *json = NULL, tag[GN_STORE_ETAG_SIZE] = "", tag2[GN_STORE_ETAG_SIZE] = "";
  ASSERT_OK(t.c1, gn_store_site_get(t.s1, "osm:1", &json, tag));
  gn_free(t.c1, json);
  int p = 20;
  assert_int_equal(GN_EPRECOND, gn_store_site_patch(t.s1, "osm:1", "\"0000000000000000\"",
                                                   set_priority, &p, "t", NULL));
  assert_int_equal(412, gn_status_http(GN_EPRECOND));
  gn_store_site s;
  get_site(t.s1, t.c1, &s);
  assert_int_equal(10, s.priority); /* refused: unchanged */
  gn_free(t.c1, s.id);
  gn_free(t.c1, s.name);
  char list[80];
  snprintf(list, sizeof(list), "\"aaaaaaaaaaaaaaaa\", %s", tag);
  ASSERT_OK(t.c1, gn_store_site_patch(t.s1, "osm:1", list, set_priority, &p, "t", tag2));
  assert_string_not_equal(tag, tag2);
  assert_int_equal(GN_EPRECOND, gn_store_site_patch(t.s1, "osm:1", tag, set_priority,
                                                   &p, "t", NULL));
  char weak[40];
  snprintf(weak, sizeof(weak), "W/%s", tag2);
  assert_int_equal(GN_EPRECOND, gn_store_site_patch(t.s1, "osm:1", weak, set_priority,
                                                   &p, "t", NULL));
  ASSERT_OK(t.c1, gn_store_site_patch(t.s1, "osm:1", "*", set_priority, &p, "t", NULL));
  assert_int_equal(GN_ENOTFOUND, gn_store_site_patch(t.s1, "nope", "*", set_priority,
                                                    &p, "t", NULL));
  close_two(&t);
}

static void text_rules(void **state) {
  (void)state;
  two t;
  open_two(&t);
  static const char *const bad_ids[] = {"", "a/b", "a b", "a?b", "a#b", "a%b", "a&b",
                                        "a\"b", "a\r\nb", "nul\x01", "\xff", "\xc3\x28"};
  for (size_t i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
    gn_store_site s = {(char *)bad_ids[i], NULL, GN_CAT_OTHER, 0, 0, 1.2, 6.1, NULL};
    if (gn_store_site_create(t.s1, &s, "t") != GN_EINVAL)
      fail_msg("site id #%zu accepted", i);
  }
  static const char *const bad_names[] = {"H\xf4pital", "bell\x07", "a\nb", "\xed\xa0\x80"};
  for (size_t i = 0; i < sizeof(bad_names) / sizeof(bad_names[0]); i++) {
    gn_store_site s = {(char *)"ok:1", (char *)bad_names[i], GN_CAT_OTHER, 0, 0, 1.2, 6.1, NULL};
    if (gn_store_site_create(t.s1, &s, "t") != GN_EINVAL)
      fail_msg("name #%zu accepted", i);
  }
  gn_store_site good = {(char *)"\xc3\xa9" "cole:1-A_b.c~d@e+f=g,h", (char *)"\xc3\x89" "cole",
                        GN_CAT_EDUCATION, 0, 0, 1.2, 6.1, (char *)"phase 1"};
  ASSERT_OK(t.c1, gn_store_site_create(t.s1, &good, "t"));
  close_two(&t);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(patch_holds_the_write_lock),
      cmocka_unit_test(if_match),
      cmocka_unit_test(text_rules),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
