/*
 * replay_main.c - Runs a fuzz target without libFuzzer: every file of the
 * corpus directories given on the command line, then a fixed number of
 * deterministic mutations of each (byte flips, truncations, insertions,
 * splices), so CI exercises the parsers on hostile input on every build.
 * Usage: fuzz_X_replay [-n MUTATIONS] DIR...
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t rng_next(uint64_t *s) {
  uint64_t x = *s;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  *s = x;
  return x;
}

static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, len = 0;
  unsigned char *buf = malloc(cap);
  size_t r;
  while (buf && (r = fread(buf + len, 1, cap - len, f)) > 0) {
    len += r;
    if (len == cap) {
      unsigned char *nb = realloc(buf, cap *= 2);
      if (!nb) {
        free(buf);
        buf = NULL;
      }
      buf = nb;
    }
  }
  fclose(f);
  *n = len;
  return buf;
}

static void mutate_and_run(const unsigned char *in, size_t n, uint64_t *rng) {
  size_t cap = n + 64;
  unsigned char *m = malloc(cap);
  if (!m) return;
  memcpy(m, in, n);
  size_t len = n;
  int edits = 1 + (int)(rng_next(rng) % 4);
  for (int e = 0; e < edits; e++) {
    uint64_t r = rng_next(rng);
    size_t pos = len ? (size_t)(r >> 8) % len : 0;
    switch (r % 4) {
      case 0: if (len) m[pos] ^= (unsigned char)(1u << ((r >> 4) % 8)); break;
      case 1: len = pos; break; /* truncate */
      case 2:
        if (len < cap) {
          memmove(m + pos + 1, m + pos, len - pos);
          m[pos] = "\0\n -9e\"<>{},;"[(r >> 16) % 13];
          len++;
        }
        break;
      default: if (len) m[pos] = (unsigned char)(r >> 24); break;
    }
  }
  LLVMFuzzerTestOneInput(m, len);
  free(m);
}

int main(int argc, char **argv) {
  long mutations = 200;
  int first = 1, files = 0;
  if (argc > 2 && strcmp(argv[1], "-n") == 0) {
    mutations = strtol(argv[2], NULL, 10);
    first = 3;
  }
  uint64_t rng = 0x9e3779b97f4a7c15ull;
  for (int a = first; a < argc; a++) {
    DIR *d = opendir(argv[a]);
    if (!d) {
      fprintf(stderr, "replay: cannot open corpus %s\n", argv[a]);
      return 1;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
      if (de->d_name[0] == '.') continue;
      char path[4096];
      snprintf(path, sizeof(path), "%s/%s", argv[a], de->d_name);
      size_t n = 0;
      unsigned char *buf = slurp(path, &n);
      if (!buf) continue;
      LLVMFuzzerTestOneInput(buf, n);
      for (long i = 0; i < mutations; i++) mutate_and_run(buf, n, &rng);
      free(buf);
      files++;
    }
    closedir(d);
  }
  printf("replay: %d corpus files, %ld mutations each: no crash\n", files,
         mutations);
  return files > 0 ? 0 : 1;
}
