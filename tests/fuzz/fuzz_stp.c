/* fuzz_stp.c - STP reader: any bytes give GN_OK or a clean error. */
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char path[512];
  if (fuzz_temp_file(data, size, ".stp", path, sizeof(path)) != 0) return 0;
  gn_ctx *ctx = NULL;
  if (gn_ctx_create(&ctx) != GN_OK) abort();
  gn_graph *g = NULL;
  gn_id *terms = NULL;
  size_t nterm = 0;
  gn_status s = gn_stp_read(ctx, path, &g, &terms, &nterm);
  if (s == GN_OK) {
    if (gn_graph_node_count(g) > 0 && nterm == 0) abort(); /* contract */
    gn_graph_free(g);
    gn_free(ctx, terms);
  } else if (gn_ctx_errmsg(ctx)[0] == '\0') {
    abort(); /* every failure must say why */
  }
  gn_ctx_free(ctx);
  unlink(path);
  return 0;
}
