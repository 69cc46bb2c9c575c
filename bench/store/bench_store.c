/*
 * bench_store.c - Store benchmark: import-plan time, store size, trace
 * latency over every fiber and single-cut impact latency over every
 * trench (median, p99, max), through the public API only.
 * Usage: bench_store DB (--synthetic N [--seed S] [--ring PCT] | --plan P)
 * Traces: every fiber up to 20,000 fibers, else a uniform sample of every
 * k-th fiber (about 20,000 traces). Impact: every trench, single cut.
 * The synthetic generator is the one `govnet db import-plan --synthetic`
 * uses (tools/govnet/cmd_db_synth.c, compiled in by run.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cli_store.h"
#include "govnet/io.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void stats(const char *what, double *v, size_t n) {
  if (n == 0) return;
  qsort(v, n, sizeof(double), cmp_d);
  printf("%-7s n=%zu median=%.3f ms p99=%.3f ms max=%.3f ms\n", what, n,
         v[n / 2], v[(size_t)(n * 0.99)], v[n - 1]);
}

static long long fsize(const char *p) {
  struct stat s;
  return stat(p, &s) == 0 ? (long long)s.st_size : 0;
}

/* Fiber ids are dense from 1 after an import into an empty store;
 * trenches keep the plan's ids, so the plan gives them. */
int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: bench_store DB --synthetic N | --plan P\n");
    return 2;
  }
  gn_ctx *ctx;
  gn_ctx_create(&ctx);
  gn_plan *plan = NULL;
  if (strcmp(argv[2], "--plan") == 0) {
    if (gn_plan_read_gpkg(ctx, argv[3], &plan) != GN_OK) {
      fprintf(stderr, "%s\n", gn_ctx_errmsg(ctx));
      return 1;
    }
  } else {
    const char *seed = NULL, *ring = NULL;
    for (int i = 4; i + 1 < argc; i++) {
      if (strcmp(argv[i], "--seed") == 0) seed = argv[i + 1];
      if (strcmp(argv[i], "--ring") == 0) ring = argv[i + 1];
    }
    cli_synthetic_plan(ctx, (int)strtol(argv[3], NULL, 10),
                       seed ? (unsigned)strtoul(seed, NULL, 10) : 1,
                       ring ? (int)strtol(ring, NULL, 10) : 15, &plan);
  }
  gn_store *st = NULL;
  if (gn_store_open(ctx, argv[1], GN_STORE_CREATE, 0, &st) != GN_OK) {
    fprintf(stderr, "%s\n", gn_ctx_errmsg(ctx));
    return 1;
  }
  gn_store_import_stats x;
  double t0 = now_ms();
  if (gn_store_import_plan(st, plan, "bench", &x) != GN_OK) {
    fprintf(stderr, "%s\n", gn_ctx_errmsg(ctx));
    return 1;
  }
  double t_imp = now_ms() - t0;
  gn_store_close(st);
  printf("import  %.0f ms: %zu sites, %zu trenches, %zu fibers, %zu splices,"
         " %zu circuits, %zu protected\n", t_imp, x.sites, x.trenches,
         x.fibers, x.splices, x.circuits, x.protected_sites);
  printf("size    %.1f MB\n", fsize(argv[1]) / 1048576.0);
  gn_store_open(ctx, argv[1], GN_STORE_READONLY, 0, &st);
  double *lat = malloc(sizeof(double) * (x.fibers + x.trenches + 1));
  size_t n = 0;
  /* every fiber up to 20,000 traces, else every k-th (uniform sample) */
  int64_t step = x.fibers > 20000 ? (int64_t)(x.fibers / 20000) + 1 : 1;
  for (int64_t f = 1; f <= (int64_t)x.fibers; f += step) {
    gn_trace *t = NULL;
    double a = now_ms();
    gn_status rs = gn_store_trace_fiber(st, f, NULL, &t);
    lat[n++] = now_ms() - a;
    gn_trace_free(ctx, t);
    if (rs != GN_OK) fprintf(stderr, "trace %lld: %s\n", (long long)f,
                             gn_ctx_errmsg(ctx));
  }
  stats("trace", lat, n);
  n = 0;
  for (size_t i = 0; i < gn_plan_trench_count(plan); i++) {
    int64_t id = gn_plan_trench_get(plan, i)->id;
    gn_impact_query q = {GN_CUT_TRENCHES, &id, 1, 0, 0, 0, 0, 0};
    gn_impact *m = NULL;
    double a = now_ms();
    gn_status rs = gn_store_impact(st, &q, &m);
    lat[n++] = now_ms() - a;
    gn_impact_free(ctx, m);
    if (rs != GN_OK) fprintf(stderr, "impact: %s\n", gn_ctx_errmsg(ctx));
  }
  stats("impact", lat, n);
  free(lat);
  gn_store_close(st);
  gn_plan_free(plan);
  gn_ctx_free(ctx);
  return 0;
}
