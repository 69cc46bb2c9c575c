/*
 * test_messages.c - The message catalogue (src/base/messages.c): every
 * French format has its English key's printf conversions in the same
 * order (a mismatch would be undefined behaviour at vsnprintf), keys are
 * unique, texts are UTF-8; lookups, language parsing, and a real failing
 * call whose message comes out in French.
 */
#include "base/messages.h"
#include "gn_test.h"

/* The printf conversions of fmt, each as its text, joined by '|'. */
static void conversions(const char *fmt, char *out, size_t cap) {
  size_t n = 0;
  out[0] = '\0';
  for (const char *p = fmt; *p; p++) {
    if (*p != '%') continue;
    const char *q = p + 1;
    while (*q && strchr("-+ #0", *q)) q++;
    while (*q && (*q == '*' || (*q >= '0' && *q <= '9'))) q++;
    if (*q == '.') {
      q++;
      while (*q && (*q == '*' || (*q >= '0' && *q <= '9'))) q++;
    }
    while (*q && strchr("hljztL", *q)) q++;
    assert_non_null(strchr("diouxXfFeEgGaAcsp%", *q)); /* no $ or stray % */
    assert_true(*q != '\0');
    size_t len = (size_t)(q - p) + 1;
    assert_true(n + len + 2 < cap);
    memcpy(out + n, p, len);
    n += len;
    out[n++] = '|';
    out[n] = '\0';
    p = q;
  }
}

static int valid_utf8(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    int k = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2
            : (*p & 0xF8) == 0xF0 ? 3 : -1;
    if (k < 0) return 0;
    for (p++; k > 0; k--, p++)
      if ((*p & 0xC0) != 0x80) return 0;
  }
  return 1;
}

static void catalogue_is_safe(void **state) {
  (void)state;
  size_t n = gn__msg_count();
  assert_true(n > 500);
  char a[512], b[512];
  for (size_t i = 0; i < n; i++) {
    const char *en = gn__msg_at(i, 0), *fr = gn__msg_at(i, 1);
    conversions(en, a, sizeof a);
    conversions(fr, b, sizeof b);
    if (strcmp(a, b) != 0)
      fail_msg("entry %zu: \"%s\" has %s, its French %s", i, en, a, b);
    assert_true(fr[0] != '\0');
    assert_true(valid_utf8(en) && valid_utf8(fr));
    for (size_t j = 0; j < i; j++)
      if (strcmp(gn__msg_at(j, 0), en) == 0)
        fail_msg("entries %zu and %zu have the same key \"%s\"", j, i, en);
  }
}

static void lookup_and_parse(void **state) {
  (void)state;
  const char *k = "unknown command '%s'";
  assert_string_equal(gn_tr(GN_LANG_FR, k), "commande inconnue '%s'");
  assert_ptr_equal(gn_tr(GN_LANG_EN, k), k);
  const char *none = "no entry for this text %d";
  assert_ptr_equal(gn_tr(GN_LANG_FR, none), none);
  gn_lang l = GN_LANG_EN;
  const char *fr[] = {"fr", "FR", "fr_FR.UTF-8", "fr_CA", "fr-BE"};
  for (size_t i = 0; i < 5; i++) {
    l = GN_LANG_EN;
    assert_int_equal(gn_lang_parse(fr[i], &l), 0);
    assert_int_equal(l, GN_LANG_FR);
  }
  const char *en[] = {"en", "en_GB.UTF-8", "C", "C.UTF-8", "POSIX"};
  for (size_t i = 0; i < 5; i++) {
    l = GN_LANG_FR;
    assert_int_equal(gn_lang_parse(en[i], &l), 0);
    assert_int_equal(l, GN_LANG_EN);
  }
  const char *bad[] = {"", "de_DE.UTF-8", "french", "f", "english"};
  for (size_t i = 0; i < 5; i++) {
    l = GN_LANG_FR;
    assert_int_equal(gn_lang_parse(bad[i], &l), -1);
    assert_int_equal(l, GN_LANG_FR); /* untouched */
  }
  assert_int_equal(gn_lang_parse(NULL, &l), -1);
}

/* A real failure recorded on a French ctx comes out in French, with the
 * arguments in place; the same call on an English ctx does not. */
static void failing_call_speaks_french(void **state) {
  (void)state;
  gn_ctx *ctx = NULL;
  assert_int_equal(gn_ctx_create(&ctx), GN_OK);
  assert_int_equal(gn_ctx_lang(ctx), GN_LANG_EN);
  gn_graph *g = NULL;
  gn_id *t = NULL;
  size_t nt = 0;
  const char *path = "/nonexistent/dir/instance.stp";
  assert_int_not_equal(gn_stp_read(ctx, path, &g, &t, &nt), GN_OK);
  char en[512];
  snprintf(en, sizeof en, "%s", gn_ctx_errmsg(ctx));
  gn_ctx_set_lang(ctx, GN_LANG_FR);
  assert_int_equal(gn_ctx_lang(ctx), GN_LANG_FR);
  assert_int_not_equal(gn_stp_read(ctx, path, &g, &t, &nt), GN_OK);
  const char *fr = gn_ctx_errmsg(ctx);
  assert_non_null(strstr(en, path));
  assert_non_null(strstr(fr, path));
  assert_string_not_equal(en, fr);
  gn_ctx_set_lang(ctx, (gn_lang)7); /* anything else is English */
  assert_int_equal(gn_ctx_lang(ctx), GN_LANG_EN);
  gn_ctx_free(ctx);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(catalogue_is_safe),
      cmocka_unit_test(lookup_and_parse),
      cmocka_unit_test(failing_call_speaks_french),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
