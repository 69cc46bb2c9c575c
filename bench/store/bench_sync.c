/*
 * bench_sync.c - Write throughput of acknowledged edits with
 * synchronous=FULL (the default) against synchronous=NORMAL, in the same
 * run: N site patches, each its own transaction (as one API PATCH),
 * alternating the two modes for R rounds; prints commits per second per
 * round and the median ratio. Public API only.
 * Usage: bench_sync DB SITE_ID [N] [ROUNDS]   (DB: a store holding SITE_ID)
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "govnet/govnet.h"

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + t.tv_nsec / 1e9;
}

static gn_status bump(void *ud, gn_ctx *ctx, gn_store_site *s) {
  (void)ctx;
  s->priority = (int)(*(long *)ud % 101);
  return GN_OK;
}

/* Commits per second of n patches with the given open flags. */
static double run(const char *db, const char *id, long n, int flags) {
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  if (gn_ctx_create(&ctx) != GN_OK || gn_store_open(ctx, db, flags, 0, &st) != GN_OK) {
    fprintf(stderr, "bench_sync: %s: %s\n", db, ctx ? gn_ctx_errmsg(ctx) : "no ctx");
    exit(1);
  }
  double t0 = now_s();
  for (long i = 0; i < n; i++) {
    if (gn_store_site_patch(st, id, NULL, bump, &i, "bench", NULL) != GN_OK) {
      fprintf(stderr, "bench_sync: %s\n", gn_ctx_errmsg(ctx));
      exit(1);
    }
  }
  double dt = now_s() - t0;
  gn_store_close(st);
  gn_ctx_free(ctx);
  return n / dt;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_sync DB SITE_ID [N] [ROUNDS]\n");
    return 2;
  }
  long n = argc > 3 ? strtol(argv[3], NULL, 10) : 300;
  int rounds = argc > 4 ? (int)strtol(argv[4], NULL, 10) : 3;
  double full[16], normal[16], ratio[16];
  if (rounds < 1 || rounds > 16 || n < 1) return 2;
  for (int r = 0; r < rounds; r++) {
    full[r] = run(argv[1], argv[2], n, 0);
    normal[r] = run(argv[1], argv[2], n, GN_STORE_SYNC_NORMAL);
    ratio[r] = normal[r] / full[r];
    printf("round %d: FULL %.0f commits/s, NORMAL %.0f commits/s\n", r + 1,
           full[r], normal[r]);
  }
  qsort(full, (size_t)rounds, sizeof(double), cmp);
  qsort(normal, (size_t)rounds, sizeof(double), cmp);
  qsort(ratio, (size_t)rounds, sizeof(double), cmp);
  printf("median: FULL %.0f commits/s, NORMAL %.0f commits/s, NORMAL/FULL %.2fx\n",
         full[rounds / 2], normal[rounds / 2], ratio[rounds / 2]);
  return 0;
}
