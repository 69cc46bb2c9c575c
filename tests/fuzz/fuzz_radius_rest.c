/*
 * fuzz_radius_rest.c - The body FreeRADIUS's rlm_rest posts to POST
 * /api/hotspot/aaa (body = json) through the whole decision: the JSON
 * parser (rlm_rest's {"Attr":{"type","value":[...]}} form, \u00XX bytes),
 * account lookup, quotas, accounting writes, the JSON reply.
 * Input: first byte picks auth (even) or accounting (odd); the rest is the
 * body. Contract: GN_OK with a verdict and a JSON object reply (a reject
 * always carries reply:Reply-Message), or GN_EINVAL / GN_ELIMIT with a
 * message for a body no FreeRADIUS sends; never a crash or another error.
 * The store (in memory, one per process) holds vouchers and one student
 * whose login the seeds use, so the Argon2id path is reached (the
 * credential cache keeps it from stalling the fuzzer).
 */
#include <time.h>

#include "fuzz_common.h"

static gn_store *fuzz_store(gn_ctx **ctx) {
  static gn_ctx *c; /* the harness's one store, kept across inputs */
  static gn_store *st;
  if (st) {
    *ctx = c;
    return st;
  }
  char *codes = NULL;
  gn_hotspot_user u = {"kofi", NULL, 1, 0, 0};
  if (gn_ctx_create(&c) != GN_OK ||
      gn_store_open(c, ":memory:", GN_STORE_CREATE, 0, &st) != GN_OK ||
      gn_hotspot_vouchers_create(st, 2, 60, 1, (int64_t)time(NULL) + 86400,
                                 NULL, "fuzz", &codes) != GN_OK ||
      gn_hotspot_user_add(st, &u, "motdepasse1", "fuzz") != GN_OK)
    abort();
  gn_free(c, codes);
  *ctx = c;
  return st;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 16384) return 0;
  gn_ctx *ctx = NULL;
  gn_store *st = fuzz_store(&ctx);
  gn_hotspot_verdict vd;
  char *reply = NULL;
  gn_hotspot_op op = (data[0] & 1) ? GN_HOTSPOT_ACCT : GN_HOTSPOT_AUTH;
  gn_status s = gn_hotspot_aaa_rest(st, op, (const char *)data + 1, size - 1,
                                    "127.0.0.1", 1800000000, &vd, &reply);
  if (s == GN_EINVAL || s == GN_ELIMIT) {
    if (reply || !gn_ctx_errmsg(ctx)[0]) abort(); /* a clear error, no reply */
    return 0;
  }
  if (s != GN_OK || !reply || reply[0] != '{')
    abort(); /* an in-memory store cannot fail: any other error is a bug */
  if (vd == GN_HOTSPOT_REJECT && !strstr(reply, "\"reply:Reply-Message\":\""))
    abort();
  gn_free(ctx, reply);
  return 0;
}
