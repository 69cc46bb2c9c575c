/*
 * gn_test.h - Common includes and helpers for cmocka unit tests.
 */
#ifndef GN_TEST_H
#define GN_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "govnet/govnet.h"

/* Path of a file under the shared data dir, or NULL (and a skip message)
 * when the data is absent: tests using real data skip, never fail. */
static inline const char *gn_test_data(char *buf, size_t n, const char *rel) {
  const char *dir = getenv("GN_DATA_DIR");
  if (!dir) dir = "../shared/data";
  snprintf(buf, n, "%s/%s", dir, rel);
  FILE *f = fopen(buf, "rb");
  if (!f) {
    print_message("shared data %s absent: skipping\n", buf);
    return NULL;
  }
  fclose(f);
  return buf;
}

/* A private temporary directory per test group: pass gn_test_tmpdir_make
 * and gn_test_tmpdir_remove as group setup/teardown; gn_test_write puts a
 * file in it and returns its path (static buffer, valid until the next
 * call). */
static char gn_test_tmpdir[64];

static inline int gn_test_tmpdir_make(void **state) {
  (void)state;
  snprintf(gn_test_tmpdir, sizeof(gn_test_tmpdir), "/tmp/gn_test_XXXXXX");
  return mkdtemp(gn_test_tmpdir) ? 0 : -1;
}

static inline int gn_test_tmpdir_remove(void **state) {
  char cmd[128];
  (void)state;
  snprintf(cmd, sizeof(cmd), "rm -rf '%s'", gn_test_tmpdir);
  return system(cmd);
}

static inline const char *gn_test_write(const char *name, const char *text) {
  static char path[160];
  snprintf(path, sizeof(path), "%s/%s", gn_test_tmpdir, name);
  FILE *f = fopen(path, "wb");
  if (!f) return NULL;
  fputs(text, f);
  fclose(f);
  return path;
}

#define ASSERT_OK(ctx, expr)                                               \
  do {                                                                     \
    gn_status s_ = (expr);                                                 \
    if (s_ != GN_OK) fail_msg("%s -> %s: %s", #expr, gn_status_name(s_),  \
                              gn_ctx_errmsg(ctx));                         \
  } while (0)

/* A ctx allocator for OOM tests: after `left` allocations every further
 * one fails (left < 0: never). Use with gn_ctx_create_with(). */
typedef struct gn_test_failing {
  long left;
} gn_test_failing;

static inline void *gn_test_failing_realloc(void *ud, void *ptr, size_t size) {
  gn_test_failing *f = ud;
  if (size == 0) {
    free(ptr);
    return NULL;
  }
  if (f->left == 0) return NULL;
  if (f->left > 0) f->left--;
  return realloc(ptr, size);
}

/* Run fn on a fresh ctx whose n-th allocation fails, n = 0, 1, ... until
 * fn succeeds; every failure must be GN_ENOMEM (leaks: ASan at exit).
 * Returns the number of failure points checked. */
static inline long gn_test_each_failed_alloc(gn_status (*fn)(gn_ctx *)) {
  long n = 0;
  for (;; n++) {
    gn_test_failing f = {-1};
    gn_ctx *ctx = NULL;
    assert_int_equal(GN_OK, gn_ctx_create_with(gn_test_failing_realloc, &f, &ctx));
    f.left = n;
    gn_status s = fn(ctx);
    if (s != GN_OK && s != GN_ENOMEM)
      fail_msg("allocation %ld: %s: %s", n, gn_status_name(s),
               gn_ctx_errmsg(ctx));
    gn_ctx_free(ctx);
    if (s == GN_OK) return n;
    assert_true(n < 100000);
  }
}

#endif
