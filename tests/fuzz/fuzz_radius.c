/*
 * fuzz_radius.c - The RADIUS attributes govnet-aaa receives from
 * FreeRADIUS (rlm_exec environment, FreeRADIUS quoting) through the whole
 * decision: parse, account lookup, quotas, accounting writes.
 * Input: first byte picks auth (even) or accounting (odd); the rest is
 * split on '\n' into environment entries. Contract: GN_OK with a verdict
 * and a reply, never a crash; a reject always carries a Reply-Message.
 * The store is fuzz_hotspot.h's (vouchers only). fuzz_radius_rest covers
 * the same decision behind rlm_rest's JSON body.
 */
#include "fuzz_hotspot.h"

#define MAX_ENV 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 8192) return 0;
  gn_ctx *ctx = NULL;
  gn_store *st = fuzz_hotspot_store(&ctx);
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
