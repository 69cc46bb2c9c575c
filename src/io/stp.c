/*
 * stp.c - Reader for Steiner tree instances in the STP format (SteinLib,
 * PACE 2018).
 *
 * Design: the whole file is read into one buffer and parsed line by line
 * with a small state machine (outside any section / inside Graph /
 * inside Terminals / inside a section we skip). Accepted: the optional
 * "33D32945 STP File" header, `SECTION <name>` ... `END`, the keywords
 * Nodes, Edges, E u v w (A u v w is read as an undirected edge),
 * Terminals, T v, Root v, an optional `EOF`, `#` comments and blank
 * lines; keywords are case-insensitive. Unknown sections (Comment,
 * Coordinates, Presolve, ...) are skipped whole.
 * Checks, each failing with GN_EFORMAT and "file F line L: ...": section
 * missing, file ending inside a section, edge before Nodes, node out of
 * range, negative or non-finite weight, edge/terminal counts different
 * from the declared ones, no terminal.
 * gn_stp_write writes the same format back (weights with 17 digits, so
 * a graph read again is the same), through a temporary file renamed
 * over the target.
 * Ownership: the graph and terminal array go to the caller.
 * Threads: reentrant; one ctx per thread.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "govnet/steiner.h"
#include "io/atomic_file.h"
#include "util/internal.h"

#define STP_MAX_BYTES ((size_t)1 << 31)

typedef enum { ST_TOP, ST_GRAPH, ST_TERMS, ST_SKIP } stp_state;

typedef struct stp_parser {
  gn_ctx *ctx;
  const char *path;
  int line;
  stp_state state;
  int seen_graph, seen_terms;
  long nodes;           /* -1 until Nodes */
  long decl_edges;      /* -1 if not declared */
  long decl_terms;      /* -1 if not declared */
  size_t nedges;
  gn_graph *g;
  gn_id *terms;
  size_t nterm, cap_terms;
} stp_parser;

static gn_status perr(stp_parser *p, const char *fmt, const char *arg) {
  return gn__fail(p->ctx, GN_EFORMAT, "file %s line %d: %s%s", p->path,
                  p->line, fmt, arg ? arg : "");
}

static gn_status read_all(gn_ctx *ctx, const char *path, char **buf,
                          size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return gn__fail(ctx, GN_EIO, "file %s: cannot open: %s", path,
                    strerror(errno));
  size_t cap = 1 << 16, n = 0;
  char *b = gn_malloc(ctx, cap);
  while (b) {
    n += fread(b + n, 1, cap - 1 - n, f);
    if (n < cap - 1) break;
    if (cap >= STP_MAX_BYTES) {
      gn_free(ctx, b);
      fclose(f);
      return gn__fail(ctx, GN_ELIMIT, "file %s: larger than 2 GiB", path);
    }
    char *nb = gn_realloc(ctx, b, cap * 2);
    if (!nb) gn_free(ctx, b);
    b = nb;
    cap *= 2;
  }
  int bad = ferror(f);
  fclose(f);
  if (!b) return gn__fail(ctx, GN_ENOMEM, "file %s: out of memory", path);
  if (bad) {
    gn_free(ctx, b);
    return gn__fail(ctx, GN_EIO, "file %s: read error", path);
  }
  b[n] = '\0';
  *buf = b;
  *len = n;
  return GN_OK;
}

/* Split a line into at most 4 whitespace-separated tokens, in place. */
static int tokenize(char *s, char *tok[4]) {
  int nt = 0;
  char *hash = strchr(s, '#');
  if (hash) *hash = '\0';
  while (*s && nt < 4) {
    while (isspace((unsigned char)*s)) s++;
    if (!*s) break;
    tok[nt++] = s;
    while (*s && !isspace((unsigned char)*s)) s++;
    if (*s) *s++ = '\0';
  }
  while (isspace((unsigned char)*s)) s++;
  return *s ? 5 : nt; /* 5 = too many tokens */
}

static int parse_long(const char *s, long *out) {
  char *end = NULL;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end) return -1;
  *out = v;
  return 0;
}

static int parse_weight(const char *s, double *out) {
  char *end = NULL;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end) return -1;
  *out = v;
  return 0;
}

static gn_status node_id(stp_parser *p, const char *s, gn_id *out) {
  long v;
  if (parse_long(s, &v) != 0) return perr(p, "bad node id ", s);
  if (p->nodes < 0) return perr(p, "node named before 'Nodes'", NULL);
  if (v < 1 || v > p->nodes) {
    return gn__fail(p->ctx, GN_EFORMAT,
                    "file %s line %d: node %ld out of range 1..%ld", p->path,
                    p->line, v, p->nodes);
  }
  *out = (gn_id)(v - 1);
  return GN_OK;
}

static gn_status graph_nodes(stp_parser *p, char **tok, int nt) {
  long v;
  if (nt != 2 || parse_long(tok[1], &v) != 0 || v < 1 || v >= (long)GN_NONE)
    return perr(p, "'Nodes' needs a positive count", NULL);
  if (p->nodes >= 0) return perr(p, "'Nodes' given twice", NULL);
  p->nodes = v;
  if (gn_graph_add_nodes(p->g, (size_t)v) != GN_OK) return GN_ENOMEM;
  return GN_OK;
}

static gn_status graph_edge(stp_parser *p, char **tok, int nt) {
  gn_edge e = {0, 0, 0, 0, 0, GN_ROAD_NONE};
  if (nt != 4) return perr(p, "edge needs 'E u v weight'", NULL);
  gn_status s = node_id(p, tok[1], &e.u);
  if (s == GN_OK) s = node_id(p, tok[2], &e.v);
  if (s != GN_OK) return s;
  if (parse_weight(tok[3], &e.weight) != 0)
    return perr(p, "bad edge weight ", tok[3]);
  if (!(e.weight >= 0) || !isfinite(e.weight))
    return perr(p, "edge weight must be finite and >= 0, got ", tok[3]);
  e.length_m = e.weight;
  if (gn_graph_add_edge(p->g, &e, NULL) != GN_OK) return GN_ENOMEM;
  p->nedges++;
  return GN_OK;
}

static gn_status graph_line(stp_parser *p, char **tok, int nt) {
  long v;
  if (strcasecmp(tok[0], "E") == 0 || strcasecmp(tok[0], "A") == 0)
    return graph_edge(p, tok, nt);
  if (strcasecmp(tok[0], "Nodes") == 0) return graph_nodes(p, tok, nt);
  if (strcasecmp(tok[0], "Edges") == 0 || strcasecmp(tok[0], "Arcs") == 0) {
    if (nt != 2 || parse_long(tok[1], &v) != 0 || v < 0)
      return perr(p, "'Edges' needs a count >= 0", NULL);
    p->decl_edges = v;
    return GN_OK;
  }
  if (isalpha((unsigned char)tok[0][0])) return GN_OK; /* Obstacles, ... */
  return perr(p, "unexpected line in SECTION Graph: ", tok[0]);
}

static gn_status add_terminal(stp_parser *p, const char *s) {
  gn_id t;
  gn_status st = node_id(p, s, &t);
  if (st != GN_OK) return st;
  if (GN__GROW(p->ctx, p->terms, p->cap_terms, p->nterm + 1) != GN_OK)
    return GN_ENOMEM;
  p->terms[p->nterm++] = t;
  return GN_OK;
}

static gn_status terms_line(stp_parser *p, char **tok, int nt) {
  long v;
  if (strcasecmp(tok[0], "T") == 0 || strcasecmp(tok[0], "Root") == 0) {
    if (nt != 2) return perr(p, "terminal needs 'T v'", NULL);
    return add_terminal(p, tok[1]);
  }
  if (strcasecmp(tok[0], "Terminals") == 0) {
    if (nt != 2 || parse_long(tok[1], &v) != 0 || v < 0)
      return perr(p, "'Terminals' needs a count >= 0", NULL);
    p->decl_terms = v;
    return GN_OK;
  }
  if (isalpha((unsigned char)tok[0][0])) return GN_OK; /* TP, RootP, ... */
  return perr(p, "unexpected line in SECTION Terminals: ", tok[0]);
}

static gn_status end_section(stp_parser *p) {
  char buf[64];
  if (p->state == ST_GRAPH) {
    if (p->nodes < 0) return perr(p, "SECTION Graph has no 'Nodes' line", NULL);
    if (p->decl_edges >= 0 && (size_t)p->decl_edges != p->nedges) {
      snprintf(buf, sizeof(buf), "%ld declared, %zu found", p->decl_edges,
               p->nedges);
      return perr(p, "edge count differs from 'Edges': ", buf);
    }
  } else if (p->state == ST_TERMS) {
    if (p->decl_terms >= 0 && (size_t)p->decl_terms != p->nterm) {
      snprintf(buf, sizeof(buf), "%ld declared, %zu found", p->decl_terms,
               p->nterm);
      return perr(p, "terminal count differs from 'Terminals': ", buf);
    }
  }
  p->state = ST_TOP;
  return GN_OK;
}

static gn_status section_start(stp_parser *p, char **tok, int nt) {
  if (nt < 2) return perr(p, "SECTION without a name", NULL);
  if (strcasecmp(tok[1], "Graph") == 0) {
    if (p->seen_graph) return perr(p, "SECTION Graph given twice", NULL);
    p->seen_graph = 1;
    p->state = ST_GRAPH;
  } else if (strcasecmp(tok[1], "Terminals") == 0) {
    if (!p->seen_graph)
      return perr(p, "SECTION Terminals before SECTION Graph", NULL);
    if (p->seen_terms) return perr(p, "SECTION Terminals given twice", NULL);
    p->seen_terms = 1;
    p->state = ST_TERMS;
  } else {
    p->state = ST_SKIP;
  }
  return GN_OK;
}

/* One line; *done is set at EOF. */
static gn_status parse_line(stp_parser *p, char *s, int *done) {
  char *tok[4];
  int nt = tokenize(s, tok);
  if (nt == 0) return GN_OK;
  if (p->state == ST_SKIP) {
    if (strcasecmp(tok[0], "END") == 0) p->state = ST_TOP;
    return GN_OK;
  }
  if (p->state == ST_TOP && strcmp(tok[0], "33D32945") == 0) return GN_OK;
  if (nt > 4) return perr(p, "too many fields on line starting ", tok[0]);
  if (strcasecmp(tok[0], "END") == 0) {
    if (p->state == ST_TOP) return perr(p, "END outside a section", NULL);
    return end_section(p);
  }
  if (strcasecmp(tok[0], "SECTION") == 0) {
    if (p->state != ST_TOP) return perr(p, "SECTION inside a section (missing END)", NULL);
    return section_start(p, tok, nt);
  }
  if (p->state == ST_GRAPH) return graph_line(p, tok, nt);
  if (p->state == ST_TERMS) return terms_line(p, tok, nt);
  if (strcasecmp(tok[0], "EOF") == 0) {
    *done = 1;
    return GN_OK;
  }
  return perr(p, "unexpected line outside any section: ", tok[0]);
}

static gn_status parse_buffer(stp_parser *p, char *buf) {
  int done = 0;
  char *s = buf;
  while (*s && !done) {
    char *nl = strchr(s, '\n');
    if (nl) *nl = '\0';
    p->line++;
    gn_status st = parse_line(p, s, &done);
    if (st != GN_OK) return st;
    if (!nl) break;
    s = nl + 1;
  }
  if (p->state == ST_GRAPH || p->state == ST_TERMS || p->state == ST_SKIP)
    return perr(p, "file ends inside a SECTION (missing END)", NULL);
  if (!p->seen_graph) return perr(p, "no SECTION Graph in the file", NULL);
  if (!p->seen_terms) return perr(p, "no SECTION Terminals in the file", NULL);
  if (p->nterm == 0) return perr(p, "SECTION Terminals lists no terminal", NULL);
  return GN_OK;
}

gn_status gn_stp_read(gn_ctx *ctx, const char *path, gn_graph **g,
                      gn_id **terminals, size_t *nterm) {
  char *buf = NULL;
  size_t len = 0;
  *g = NULL;
  *terminals = NULL;
  *nterm = 0;
  gn_ctx_clear(ctx);
  gn_status s = read_all(ctx, path, &buf, &len);
  if (s != GN_OK) return s;
  stp_parser p;
  memset(&p, 0, sizeof(p));
  p.ctx = ctx;
  p.path = path;
  p.nodes = p.decl_edges = p.decl_terms = -1;
  s = gn_graph_create(ctx, 0, len / 16, &p.g);
  if (s == GN_OK) s = parse_buffer(&p, buf);
  if (s == GN_OK) s = gn_graph_finalize(p.g);
  gn_free(ctx, buf);
  if (s != GN_OK) {
    gn_graph_free(p.g);
    gn_free(ctx, p.terms);
    return s;
  }
  *g = p.g;
  *terminals = p.terms;
  *nterm = p.nterm;
  return GN_OK;
}

/* ---- writer ----------------------------------------------------------- */

static int write_body(FILE *f, const gn_graph *g, const gn_id *terms,
                      size_t nterm, const char *comment, uint8_t *seen) {
  size_t n = gn_graph_node_count(g), m = gn_graph_edge_count(g), nt = 0;
  for (size_t i = 0; i < nterm; i++) {
    nt += !seen[terms[i]];
    seen[terms[i]] = 1;
  }
  fprintf(f, "33D32945 STP File, STP Format Version 1.0\n\nSECTION Comment\n"
             "Name \"%s\"\nCreator \"govnet\"\nEND\n\n",
          comment ? comment : "govnet");
  fprintf(f, "SECTION Graph\nNodes %zu\nEdges %zu\n", n, m);
  for (gn_id e = 0; e < m; e++) {
    const gn_edge *ed = gn_graph_edge(g, e);
    fprintf(f, "E %u %u %.17g\n", ed->u + 1, ed->v + 1, ed->weight);
  }
  fprintf(f, "END\n\nSECTION Terminals\nTerminals %zu\n", nt);
  for (size_t i = 0; i < nterm; i++) {
    if (seen[terms[i]] != 1) continue;
    seen[terms[i]] = 2;
    fprintf(f, "T %u\n", terms[i] + 1);
  }
  return fprintf(f, "END\n\nEOF\n") > 0;
}

gn_status gn_stp_write(gn_ctx *ctx, const char *path, const gn_graph *g,
                       const gn_id *terms, size_t nterm, const char *name) {
  size_t n = gn_graph_node_count(g);
  if (nterm == 0)
    return gn__fail(ctx, GN_EINVAL, "file %s: no terminal to write", path);
  for (size_t i = 0; i < nterm; i++)
    if (terms[i] >= n)
      return gn__fail(ctx, GN_EINVAL, "file %s: terminal %u out of range "
                      "(%zu nodes)", path, terms[i], n);
  for (gn_id e = 0; e < gn_graph_edge_count(g); e++)
    if (!isfinite(gn_graph_edge(g, e)->weight) ||
        gn_graph_edge(g, e)->weight < 0)
      return gn__fail(ctx, GN_EINVAL, "file %s: edge %u has weight %g", path,
                      e, gn_graph_edge(g, e)->weight);
  uint8_t *seen = gn_malloc(ctx, n + 1);
  char *tmp = NULL;
  if (!seen) return gn__fail(ctx, GN_ENOMEM, "out of memory writing %s", path);
  memset(seen, 0, n + 1);
  gn_status st = gn__tmp_path(ctx, path, &tmp);
  FILE *f = st == GN_OK ? fopen(tmp, "w") : NULL;
  if (st == GN_OK && !f) {
    st = gn__fail(ctx, GN_EIO, "file %s: cannot create: %s", path,
                  strerror(errno));
    gn_free(ctx, tmp);
    tmp = NULL;
  }
  if (f) {
    int ok = write_body(f, g, terms, nterm, name, seen);
    ok = !ferror(f) && ok;
    ok = fclose(f) == 0 && ok;
    if (!ok)
      st = gn__fail(ctx, GN_EIO, "file %s: write failed: %s", path,
                    strerror(errno));
    gn_status c = gn__tmp_commit(ctx, tmp, path, ok);
    if (st == GN_OK) st = c;
  }
  gn_free(ctx, seen);
  return st;
}
