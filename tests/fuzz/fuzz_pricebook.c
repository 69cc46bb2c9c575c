/* fuzz_pricebook.c - price book reader: GN_OK with every value in its
 * documented range, or a clean error leaving the caller's book as it
 * was. */
#include <math.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".txt", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_pricebook pb, def;
  gn_pricebook_init(&pb);
  gn_pricebook_init(&def);
  gn_status s = gn_pricebook_read(ctx, path, &pb);
  if (s != GN_OK) {
    if (gn_ctx_errmsg(ctx)[0] == '\0') abort();
    if (memcmp(&pb, &def, sizeof(pb)) != 0) abort(); /* untouched */
  } else {
    if (!(pb.drum_m >= 1) || !(pb.detour > 1) || !(pb.detour <= 10)) abort();
    if (!(pb.spare >= 0 && pb.spare <= 10)) abort();
    for (int c = 0; c < GN_ROAD_CLASS_COUNT; c++)
      if (!(pb.trench_per_m[c] >= 0 && pb.trench_per_m[c] <= 1e9)) abort();
  }
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
