/*
 * reduce_stats.c - Measure the Steiner reductions on STP files: nodes and
 * edges before, after the degree tests alone, and after the full
 * reduction (degree + special-distance rounds), with the times; checks
 * that every reduced edge's ancestry sums to its weight.
 *
 * Built and run by bench/steiner/reduce.sh (links the library's internals,
 * so it is a benchmark tool, not a client of the public API).
 * Output: one CSV row per file (header first).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "steiner/steiner_sd.h"
#include "govnet/govnet.h"

static int check_ancestry(const gn__sg *base, const gn__sg *red,
                          const uint32_t *aoff, const uint32_t *ae) {
  for (uint32_t e = 0; e < red->m; e++) {
    double s = 0;
    for (uint32_t k = aoff[e]; k < aoff[e + 1]; k++) s += base->w[ae[k]];
    if (fabs(s - red->w[e]) > 1e-9 * (1 + s)) return -1;
  }
  return 0;
}

/* Exact optimum by Dreyfus-Wagner (Dijkstra per terminal subset), for
 * instances with at most DW_MAXK terminals; -1 when skipped. */
#define DW_MAXK 10
static double dreyfus_wagner(const gn__sg *g) {
  uint32_t n = g->n, k = g->nterm;
  if (k > DW_MAXK || k < 2) return k < 2 ? 0 : -1;
  double *f = malloc(((size_t)1 << k) * n * sizeof(double));
  gn__heap h;
  if (!f || gn__heap_init(g->ctx, &h, n) != GN_OK) exit(1);
  for (uint32_t s = 1; s < (1u << k); s++) {
    double *fs = f + (size_t)s * n;
    for (uint32_t v = 0; v < n; v++) {
      fs[v] = INFINITY;
      if (!(s & (s - 1))) continue;
      for (uint32_t a = (s - 1) & s; a; a = (a - 1) & s) {
        double c = f[(size_t)a * n + v] + f[(size_t)(s ^ a) * n + v];
        if (c < fs[v]) fs[v] = c;
      }
    }
    if (!(s & (s - 1))) fs[g->terms[__builtin_ctz(s)]] = 0;
    for (uint32_t v = 0; v < n; v++)
      if (fs[v] < INFINITY) gn__heap_update(&h, v, fs[v]);
    while (!gn__heap_empty(&h)) {
      uint32_t v = gn__heap_pop(&h);
      for (uint32_t q = g->off[v]; q < g->off[v + 1]; q++) {
        double c = fs[v] + g->adj_w[q];
        if (c < fs[g->adj_v[q]]) {
          fs[g->adj_v[q]] = c;
          gn__heap_update(&h, g->adj_v[q], c);
        }
      }
    }
  }
  double opt = f[(size_t)((1u << k) - 1) * n + g->terms[0]];
  gn__heap_cleanup(&h);
  free(f);
  return opt;
}

/* Tuning overrides: SD_ROUNDS, SD_SETTLE, SD_ARCS, SD_DEG2. */
static void env_opts(gn__reduce_opts *o) {
  const char *v;
  if ((v = getenv("SD_ROUNDS"))) o->sd_rounds = (int)strtol(v, NULL, 10);
  if ((v = getenv("SD_SETTLE")))
    o->sd.max_settle = (uint32_t)strtoul(v, NULL, 10);
  if ((v = getenv("SD_DEG2"))) o->sd.max_deg2 = (uint32_t)strtoul(v, NULL, 10);
  if ((v = getenv("SD_ARCS"))) o->sd.max_arcs = (uint32_t)strtoul(v, NULL, 10);
}

/* Reduce with the given rounds; prints "n,m,seconds" and checks. */
static int run(const gn__sg *base, int rounds, const char *file) {
  gn__reduce_opts o;
  gn__reduce_stats st;
  gn__sg red;
  uint32_t *aoff, *ae;
  gn__reduce_opts_init(&o);
  if (rounds >= 0) o.sd_rounds = rounds;
  else env_opts(&o);
  double t0 = gn__now();
  gn_status s = gn__sg_reduce_ex(base, &red, &aoff, &ae, &o, &st);
  double t = gn__now() - t0;
  int rc = s == GN_OK ? check_ancestry(base, &red, aoff, ae) : -1;
  if (rc) fprintf(stderr, "%s: reduction failed or bad ancestry\n", file);
  printf(",%u,%u,%.4f", red.n, red.m, t);
  if (rounds < 0) printf(",%d,%u", st.rounds, st.sd_deleted);
  if (rounds < 0 && getenv("DW") && s == GN_OK) {
    double a = dreyfus_wagner(base), b = dreyfus_wagner(&red);
    printf(",%.6g,%.6g", a, b);
    if (a != b) {
      fprintf(stderr, "%s: optimum %g before reduction, %g after\n", file, a,
              b);
      rc = -1;
    }
  }
  gn__sg_cleanup(&red);
  gn_free(base->ctx, aoff);
  gn_free(base->ctx, ae);
  return rc;
}

int main(int argc, char **argv) {
  int bad = 0;
  printf("file,n,m,nterm,n_deg,m_deg,s_deg,n_red,m_red,s_red,rounds,"
         "sd_deleted%s\n", getenv("DW") ? ",opt_base,opt_red" : "");
  for (int i = 1; i < argc; i++) {
    gn_ctx *ctx = NULL;
    if (gn_ctx_create(&ctx) != GN_OK) return 1;
    gn_graph *g = NULL;
    gn_id *terms = NULL;
    size_t nt = 0;
    gn__sg base;
    if (gn_stp_read(ctx, argv[i], &g, &terms, &nt) != GN_OK ||
        gn__sg_from_graph(ctx, g, terms, nt, &base) != GN_OK) {
      fprintf(stderr, "%s: %s\n", argv[i], gn_ctx_errmsg(ctx));
      return 1;
    }
    const char *name = strrchr(argv[i], '/');
    printf("%s,%u,%u,%u", name ? name + 1 : argv[i], base.n, base.m,
           base.nterm);
    bad |= run(&base, 0, argv[i]);
    bad |= run(&base, -1, argv[i]);
    printf("\n");
    fflush(stdout);
    gn__sg_cleanup(&base);
    gn_free(ctx, terms);
    gn_graph_free(g);
    gn_ctx_free(ctx);
  }
  return bad;
}
