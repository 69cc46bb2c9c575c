/*
 * fuzz_radius_rest.c - The body FreeRADIUS's rlm_rest posts to POST
 * /api/hotspot/aaa (body = json) through the whole decision: the JSON
 * parser (rlm_rest's {"Attr":{"type","value":[...]}} form, \u00XX bytes),
 * account lookup, quotas, accounting writes, the JSON reply.
 * Input: first byte picks auth (even) or accounting (odd); the rest is the
 * body. Contract: GN_OK with a verdict and a JSON object reply (a reject
 * always carries reply:Reply-Message), or GN_EINVAL / GN_ELIMIT with a
 * message for a body no FreeRADIUS sends; never a crash or another error.
 * The store is fuzz_hotspot.h's (vouchers only, so no Argon2id).
 */
#include "fuzz_hotspot.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < 1 || size > 16384) return 0;
  gn_ctx *ctx = NULL;
  gn_store *st = fuzz_hotspot_store(&ctx);
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
