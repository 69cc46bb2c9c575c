/*
 * bench_quote.c - Quote latency: N quotes of 2 fibers from the first POP
 * to sites picked round-robin (every k-th site), on one store
 * connection, as the server's worker runs them. Prints p50, p99 and max
 * in ms and the share of quotes that found a route.
 * Usage: bench_quote STORE [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "govnet/govnet.h"

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: bench_quote STORE [N]\n");
    return 2;
  }
  int n = argc > 2 ? atoi(argv[2]) : 200;
  gn_ctx *ctx = NULL;
  gn_store *st = NULL;
  if (gn_ctx_create(&ctx) != GN_OK || gn_store_open(ctx, argv[1], 0, 0, &st) != GN_OK) {
    fprintf(stderr, "bench_quote: %s\n", ctx ? gn_ctx_errmsg(ctx) : "no ctx");
    return 1;
  }
  gn_store_query q = {0};
  gn_store_site *sites = NULL;
  size_t ns = 0;
  if (gn_store_list_sites(st, &q, &sites, &ns) != GN_OK || ns == 0) return 1;
  gn_lease_tariff t;
  gn_lease_tariff_init(&t);
  double *ms = malloc((size_t)n * sizeof(double));
  int routed = 0;
  char to[256];
  for (int i = 0; i < n; i++) {
    snprintf(to, sizeof to, "site:%s", sites[((size_t)i * 7919u) % ns].id);
    gn_lease_request r;
    gn_lease_request_init(&r);
    r.from = "pop:pop1";
    r.to = to;
    r.fibers = 2;
    char *json = NULL;
    double t0 = now_ms();
    gn_status s = gn_lease_quote(st, &t, &r, &json);
    ms[i] = now_ms() - t0;
    routed += s == GN_OK;
    gn_free(ctx, json);
  }
  qsort(ms, (size_t)n, sizeof(double), cmp);
  printf("quotes %d on %zu sites: p50 %.2f ms, p99 %.2f ms, max %.2f ms; "
         "routed %d\n",
         n, ns, ms[n / 2], ms[(n * 99) / 100], ms[n - 1], routed);
  free(ms);
  gn_store_sites_free(ctx, sites, ns);
  gn_store_close(st);
  gn_ctx_free(ctx);
  return 0;
}
