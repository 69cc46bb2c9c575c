/* fuzz_auth.c - the credential parsers, chosen by the first byte:
 * 0 an Authorization header value (bearer scheme, blanks, length limit),
 * 1 "session\ncsrf" through the CSRF check, 2 a sign-in body (JSON object
 * with only name/password). Each gives GN_OK or a clean error with a
 * message, never a crash; an accepted token is non-empty, within the
 * limit and without surrounding blanks; a CSRF token is accepted only
 * when it is the one derived from the session. */
#include <jansson.h>

#include "fuzz_common.h"
#include "server/srv.h"

static void fuzz_bearer(gn_ctx *ctx, const char *s) {
  char tok[GN_AUTH_SECRET_MAX + 1];
  if (gn__auth_bearer(ctx, s, tok) != GN_OK) {
    if (gn_ctx_errmsg(ctx)[0] == '\0') abort();
    return;
  }
  size_t n = strlen(tok);
  if (n == 0 || n > GN_AUTH_SECRET_MAX || tok[0] == ' ' || tok[n - 1] == ' ') abort();
}

static void fuzz_csrf(const char *s) {
  const char *nl = strchr(s, '\n');
  if (!nl) return;
  char session[256];
  size_t n = (size_t)(nl - s);
  if (n >= sizeof(session)) return;
  memcpy(session, s, n);
  session[n] = '\0';
  char want[GN_AUTH_SECRET_BUF];
  gn_auth_csrf(session, want);
  int ok = gn_auth_csrf_ok(session, nl + 1);
  if (ok && (!want[0] || strcmp(want, nl + 1) != 0)) abort();
  if (want[0] && !gn_auth_csrf_ok(session, want)) abort();
}

static void fuzz_login_body(gn_ctx *ctx, const char *s, size_t n) {
  static const char *const allowed[] = {"name", "password", NULL};
  void *o = NULL;
  if (gn__json_body(ctx, s, n, allowed, &o) != GN_OK) {
    if (o || gn_ctx_errmsg(ctx)[0] == '\0') abort();
    return;
  }
  if (!json_is_object((json_t *)o) || json_object_size(o) > 2) abort();
  json_decref(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 65536) return 0;
  char *s = malloc(size);
  if (!s) return 0;
  memcpy(s, data + 1, size - 1);
  s[size - 1] = '\0';
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  switch (data[0] % 3) {
    case 0: fuzz_bearer(ctx, s); break;
    case 1: fuzz_csrf(s); break;
    default: fuzz_login_body(ctx, s, size - 1); break;
  }
  gn_ctx_free(ctx);
  free(s);
  return 0;
}
