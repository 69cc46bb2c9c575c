/*
 * fuzz_common.h - Shared helper for fuzz targets whose parser reads a
 * path: the input bytes go to a private temp file with the suffix the
 * parser dispatches on. Each target defines LLVMFuzzerTestOneInput.
 */
#ifndef GN_FUZZ_COMMON_H
#define GN_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "govnet/govnet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Write data to a fresh temp file ending in suffix; path into buf.
 * Returns 0 on success. */
static inline int fuzz_temp_file(const uint8_t *data, size_t size,
                                 const char *suffix, char *buf, size_t n) {
  const char *tmp = getenv("TMPDIR");
  char base[480];
  snprintf(base, sizeof(base), "%s/gnfuzzXXXXXX", tmp ? tmp : "/tmp");
  int fd = mkstemp(base); /* POSIX has no mkstemps: rename to add suffix */
  if (fd < 0) return -1;
  snprintf(buf, n, "%s%s", base, suffix);
  if (rename(base, buf) != 0) {
    close(fd);
    unlink(base);
    return -1;
  }
  size_t off = 0;
  while (off < size) {
    ssize_t w = write(fd, data + off, size - off);
    if (w <= 0) {
      close(fd);
      unlink(buf);
      return -1;
    }
    off += (size_t)w;
  }
  close(fd);
  return 0;
}

#endif
