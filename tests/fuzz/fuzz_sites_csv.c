/* fuzz_sites_csv.c - site import from CSV (see fuzz_sites_common.h). */
#include "fuzz_sites_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_sites_run(data, size, ".csv");
  return 0;
}
