/* fuzz_idlist.c - id list reader (--hub-candidates): any bytes give
 * GN_OK with non-empty ids, or a clean error with a message. */
#include <string.h>

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".txt", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  char **ids = NULL;
  size_t n = 0;
  gn_status s = gn_io_read_ids(ctx, path, &ids, &n);
  if (s == GN_OK) {
    if (n == 0) abort(); /* contract: at least one id */
    for (size_t i = 0; i < n; i++) {
      if (!ids[i][0] || strlen(ids[i]) > 255) abort();
      gn_free(ctx, ids[i]);
    }
    gn_free(ctx, ids);
  } else if (gn_ctx_errmsg(ctx)[0] == '\0') {
    abort(); /* every failure must say why */
  }
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
