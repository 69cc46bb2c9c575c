/*
 * fuzz_radius.c - The RADIUS attributes govnet-aaa receives from
 * FreeRADIUS (rlm_exec environment, FreeRADIUS quoting) through the whole
 * decision: parse, account lookup, quotas, accounting writes.
 * Input: first byte picks auth (even) or accounting (odd); the rest is
 * split on '\n' into environment entries. Contract: GN_OK with a verdict
 * and a reply, never a crash; a reject always carries a Reply-Message.
 * The store (in memory, one per process) holds vouchers only, so no input
 * reaches Argon2id (0.1 s each would stall the fuzzer).
 */
#include <time.h>

#include "fuzz_common.h"

#define MAX_ENV 64

static gn_store *fuzz_store(gn_ctx **ctx) {
  static gn_ctx *c; /* the harness's one store, kept across inputs */
  static gn_store *st;
  if (st) {
    *ctx = c;
    return st;
  }
  char *codes = NULL;
  if (gn_ctx_create(&c) != GN_OK ||
      gn_store_open(c, ":memory:", GN_STORE_CREATE, 0, &st) != GN_OK ||
      gn_hotspot_vouchers_create(st, 2, 60, 1, (int64_t)time(NULL) + 86400,
                                 NULL, "fuzz", &codes) != GN_OK)
    abort();
  gn_free(c, codes);
  *ctx = c;
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 8192) return 0;
  gn_ctx *ctx = NULL;
  gn_store *st = fuzz_store(&ctx);
  char *buf = malloc(size);
  if (!buf) return 0;
  memcpy(buf, data + 1, size - 1);
  buf[size - 1] = 0;
  const char *env[MAX_ENV + 1];
  size_t n = 0;
  for (char *p = buf; n < MAX_ENV && p < buf + size - 1;) {
    env[n++] = p;
    char *nl = memchr(p, '\n', (size_t)(buf + size - 1 - p));
    if (!nl) break;
    *nl = 0;
    p = nl + 1;
  }
  env[n] = NULL;
  gn_hotspot_verdict vd;
  char *reply = NULL;
  gn_hotspot_op op = (data[0] & 1) ? GN_HOTSPOT_ACCT : GN_HOTSPOT_AUTH;
  if (gn_hotspot_aaa(st, op, env, "127.0.0.1", 1800000000, &vd, &reply) !=
      GN_OK)
    abort(); /* an in-memory store cannot fail: any error is a bug */
  if (vd == GN_HOTSPOT_REJECT && !strstr(reply, "Reply-Message := \""))
    abort();
  gn_free(ctx, reply);
  free(buf);
  return 0;
}
