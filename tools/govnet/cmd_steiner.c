/*
 * cmd_steiner.c - 'govnet steiner FILE.stp': solve a Steiner tree instance
 * and print the solution in the PACE 2018 format.
 *
 * stdout gets exactly "VALUE <cost>" and one "u v" line per tree edge
 * (1-based STP node ids), nothing else; diagnostics go to stderr and any
 * error exits non-zero before anything is printed. VALUE is the sum of
 * the printed edges' weights, recomputed here, printed as an integer when
 * it is one.
 */
#include <math.h>
#include <string.h>

#include "cli.h"

static const char *const usage_text =
    "usage: govnet steiner FILE.stp [--time-limit S] [--seed N]\n"
    "                               [--quality fast|default|quality]\n"
    "                               [--threads 1..8] [--bound]\n"
    "Prints 'VALUE <cost>' and one 'u v' edge per line (PACE 2018).\n"
    "--bound: also 'lower bound L, certified gap G %' on stderr (a proven\n"
    "lower bound on the optimum, G = 100 (VALUE - L) / L).\n";

typedef struct steiner_args {
  const char *path;
  gn_steiner_opts opts;
  int bound;
} steiner_args;

static int parse_quality(const char *s, int *q) {
  static const char *const names[] = {"fast", "default", "quality"};
  for (int i = 0; i < 3; i++) {
    if (strcmp(s, names[i]) == 0) {
      *q = i;
      return 0;
    }
  }
  return -1;
}

static int parse_args(int argc, char **argv, steiner_args *a) {
  gn_steiner_opts_init(&a->opts);
  a->path = NULL;
  a->bound = 0;
  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];
    const char *val = i + 1 < argc ? argv[i + 1] : NULL;
    long l;
    if (strcmp(arg, "--bound") == 0) {
      a->bound = a->opts.bound = 1;
    } else if (strcmp(arg, "--time-limit") == 0) {
      if (!val || cli_parse_double(val, &a->opts.time_limit_s) != 0 ||
          !(a->opts.time_limit_s > 0))
        return cli_error(CLI_USAGE, "steiner: --time-limit needs seconds > 0");
      i++;
    } else if (strcmp(arg, "--seed") == 0) {
      if (!val || cli_parse_long(val, &l) != 0 || l < 0)
        return cli_error(CLI_USAGE, "steiner: --seed needs an integer >= 0");
      a->opts.seed = (uint64_t)l;
      i++;
    } else if (strcmp(arg, "--threads") == 0) {
      if (!val || cli_parse_long(val, &l) != 0 || l < 1 || l > 8)
        return cli_error(CLI_USAGE, "steiner: --threads needs 1..8");
      a->opts.threads = (int)l;
      i++;
    } else if (strcmp(arg, "--quality") == 0) {
      if (!val || parse_quality(val, &a->opts.quality) != 0)
        return cli_error(CLI_USAGE,
                         "steiner: --quality is fast, default or quality");
      i++;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      static const char *const known[] = {"--help", "--quality", "--seed", "--threads",
                                          "--time-limit", NULL};
      return cli_unknown("steiner: unknown option", arg, known);
    } else if (a->path) {
      return cli_error(CLI_USAGE, "steiner: only one input file");
    } else {
      a->path = arg;
    }
  }
  if (!a->path) {
    fputs(usage_text, stderr);
    return CLI_USAGE;
  }
  return CLI_OK;
}

/* Returns the printed VALUE. */
static double print_solution(const gn_graph *g, const gn_steiner_result *r) {
  size_t n = 0;
  const gn_id *edges = gn_steiner_result_edges(r, &n);
  double cost = 0;
  for (size_t i = 0; i < n; i++) cost += gn_graph_edge(g, edges[i])->weight;
  if (cost == nearbyint(cost) && fabs(cost) < 9e15)
    printf("VALUE %.0f\n", cost);
  else
    printf("VALUE %.17g\n", cost);
  for (size_t i = 0; i < n; i++) {
    const gn_edge *e = gn_graph_edge(g, edges[i]);
    printf("%u %u\n", e->u + 1, e->v + 1);
  }
  return cost;
}

static void print_bound(double cost, double lb) {
  double gap = cost <= lb ? 0 : lb > 0 ? 100 * (cost - lb) / lb : INFINITY;
  /* rounded up (a last 1e-7 % is within the bound's own 1e-9 margin) */
  gap = ceil(gap * 1e4 - 1e-3) / 1e4;
  if (!(gap > 0)) gap = 0;
  fprintf(stderr, "lower bound %.15g, certified gap %.4f %%\n", lb, gap);
}

static int solve_file(gn_ctx *ctx, const steiner_args *a) {
  gn_graph *g = NULL;
  gn_id *terms = NULL;
  size_t nterm = 0;
  gn_steiner_result *r = NULL;
  if (gn_stp_read(ctx, a->path, &g, &terms, &nterm) != GN_OK)
    return cli_fail(ctx, "steiner");
  int rc = CLI_OK;
  if (gn_steiner_solve(ctx, g, terms, nterm, &a->opts, &r) != GN_OK)
    rc = cli_fail(ctx, "steiner");
  else if (a->bound)
    print_bound(print_solution(g, r), gn_steiner_result_lower_bound(r));
  else
    print_solution(g, r);
  gn_steiner_result_free(r);
  gn_free(ctx, terms);
  gn_graph_free(g);
  return rc;
}

int cmd_steiner(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    fputs(usage_text, stdout);
    return CLI_OK;
  }
  steiner_args a;
  int rc = parse_args(argc, argv, &a);
  if (rc != CLI_OK) return rc;
  gn_ctx *ctx = NULL;
  if (cli_ctx_create(&ctx) != GN_OK)
    return cli_error(CLI_ERR, "steiner: out of memory");
  rc = solve_file(ctx, &a);
  gn_ctx_free(ctx);
  if (rc == CLI_OK && (fflush(stdout) != 0 || ferror(stdout)))
    return cli_error(CLI_ERR, "steiner: cannot write the solution");
  return rc;
}
