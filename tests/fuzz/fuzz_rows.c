/* fuzz_rows.c - CSV spreadsheets (progress sheets) through GDAL: every
 * row has the header's column count, or a clean error naming the file. */
#include "fuzz_common.h"

static gn_status count_row(void *ud, size_t line, const char *const *names,
                           const char *const *values, size_t ncols) {
  size_t *n = ud;
  if (line < 2 || ncols == 0) abort();
  for (size_t i = 0; i < ncols; i++)
    if (!names[i] || !values[i]) abort();
  (*n)++;
  return GN_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".csv", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  size_t n = 0;
  gn_status s = gn_io_read_rows(ctx, path, count_row, &n);
  if (s != GN_OK && !strstr(gn_ctx_errmsg(ctx), path)) abort();
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
