/*
 * fuzz_hotspot.h - The store the hotspot targets (fuzz_radius,
 * fuzz_radius_rest) decide against: in memory, one per process, kept
 * across inputs, holding two vouchers only, so no input reaches Argon2id
 * (0.1 s per wrong password would stall the fuzzer).
 */
#ifndef GN_FUZZ_HOTSPOT_H
#define GN_FUZZ_HOTSPOT_H

#include <time.h>

#include "fuzz_common.h"

static gn_store *fuzz_hotspot_store(gn_ctx **ctx) {
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

#endif
