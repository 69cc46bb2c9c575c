/*
 * osm_xml.c - Streaming reader of OpenStreetMap XML (.osm) with expat.
 *
 * Why not readosm for XML: readosm leaks its expat parser when the XML is
 * malformed or truncated, and cannot say where the error is. Here the
 * parser is ours: errors name the line, the root element must be <osm>,
 * and everything is freed on every path. Only what the street graph
 * needs is kept: node id/lon/lat, way id/refs/highway/access/area tags.
 * This is the only file that includes expat.h.
 * Threads: reentrant; all state is in a struct on the caller's stack.
 */
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/osm_build.h"
#include "io/osm_xml.h"
#include "io/ogr_util.h"
#include "util/internal.h"

typedef struct xml_state {
  gn__osm_build *b;
  XML_Parser p;
  const char *path;
  gn_status err;
  int depth, saw_root;
  int in_way;
  int64_t way_id;
  int64_t *refs;
  size_t nrefs, cap_refs;
  char highway[32];
  int excluded; /* area=yes or access=private|no */
} xml_state;

static const char *attr(const char **a, const char *name) {
  for (; a[0]; a += 2)
    if (strcmp(a[0], name) == 0) return a[1];
  return NULL;
}

static void stop(xml_state *s, gn_status st, const char *what) {
  if (s->err != GN_OK) return;
  s->err = gn__fail(s->b->ctx, st, "%s line %lu: %s", s->path,
                    (unsigned long)XML_GetCurrentLineNumber(s->p), what);
  XML_StopParser(s->p, XML_FALSE);
}

static int parse_i64(const char *v, int64_t *out) {
  char *end = NULL;
  if (!v) return 0;
  errno = 0;
  long long x = strtoll(v, &end, 10);
  if (errno || end == v || *end) return 0;
  *out = x;
  return 1;
}

static int parse_f(const char *v, double *out) {
  char *end = NULL;
  if (!v) return 0;
  errno = 0;
  *out = strtod(v, &end);
  return !errno && end != v && !*end;
}

static void on_node(xml_state *s, const char **a) {
  int64_t id;
  double lon, lat;
  if (!parse_i64(attr(a, "id"), &id) || !parse_f(attr(a, "lon"), &lon) ||
      !parse_f(attr(a, "lat"), &lat))
    return stop(s, GN_EFORMAT, "<node> without a valid id, lon and lat");
  if (gn__osm_build_node(s->b, id, lon, lat) != GN_OK)
    stop(s, GN_ENOMEM, "out of memory");
}

static void on_tag(xml_state *s, const char **a) {
  const char *k = attr(a, "k"), *v = attr(a, "v");
  if (!s->in_way || !k || !v) return;
  const gn_osm_profile *p = s->b->prof;
  if (strcmp(k, "highway") == 0 && strlen(v) < sizeof(s->highway))
    memcpy(s->highway, v, strlen(v) + 1);
  else if (strcmp(k, "area") == 0 && strcmp(v, "yes") == 0)
    s->excluded = 1;
  else if (p->skip_private && strcmp(k, "access") == 0 &&
           (strcmp(v, "private") == 0 || strcmp(v, "no") == 0))
    s->excluded = 1;
}

static void on_nd(xml_state *s, const char **a) {
  int64_t ref;
  if (!s->in_way) return;
  if (!parse_i64(attr(a, "ref"), &ref))
    return stop(s, GN_EFORMAT, "<nd> without a valid ref");
  if (GN__GROW(s->b->ctx, s->refs, s->cap_refs, s->nrefs + 1) != GN_OK)
    return stop(s, GN_ENOMEM, "out of memory");
  s->refs[s->nrefs++] = ref;
}

static void XMLCALL on_start(void *ud, const char *el, const char **a) {
  xml_state *s = ud;
  if (s->depth++ == 0) {
    s->saw_root = 1;
    if (strcmp(el, "osm") != 0)
      stop(s, GN_EFORMAT, "not an OpenStreetMap file (root element is not "
           "<osm>)");
    return;
  }
  if (strcmp(el, "node") == 0) {
    on_node(s, a);
  } else if (strcmp(el, "way") == 0) {
    s->b->ways_seen++;
    s->in_way = parse_i64(attr(a, "id"), &s->way_id);
    s->nrefs = 0;
    s->highway[0] = '\0';
    s->excluded = 0;
  } else if (strcmp(el, "nd") == 0) {
    on_nd(s, a);
  } else if (strcmp(el, "tag") == 0) {
    on_tag(s, a);
  }
}

static void end_way(xml_state *s) {
  s->in_way = 0;
  gn_road_class c = gn__osm_class(s->b->prof, s->highway, s->excluded);
  if (c == GN_ROAD_CLASS_COUNT || s->nrefs < 2) return;
  if (gn__osm_build_way(s->b, s->way_id, s->refs, s->nrefs, c) != GN_OK)
    stop(s, GN_ENOMEM, "out of memory");
}

static void XMLCALL on_end(void *ud, const char *el) {
  xml_state *s = ud;
  s->depth--;
  if (s->in_way && strcmp(el, "way") == 0) end_way(s);
}

static gn_status feed(xml_state *s, FILE *f) {
  char buf[1 << 16];
  for (;;) {
    size_t n = fread(buf, 1, sizeof(buf), f);
    int last = n < sizeof(buf);
    if (ferror(f))
      return gn__fail(s->b->ctx, GN_EIO, "%s: read error", s->path);
    if (XML_Parse(s->p, buf, (int)n, last) == XML_STATUS_ERROR) {
      if (s->err != GN_OK) return s->err;
      return gn__fail(s->b->ctx, GN_EFORMAT, "%s line %lu: malformed XML "
                      "(%s)", s->path,
                      (unsigned long)XML_GetCurrentLineNumber(s->p),
                      XML_ErrorString(XML_GetErrorCode(s->p)));
    }
    if (last) break;
  }
  if (!s->saw_root)
    return gn__fail(s->b->ctx, GN_EFORMAT, "%s: empty XML file", s->path);
  return s->err;
}

gn_status gn__osm_xml_read(gn__osm_build *b, const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return gn__io_cannot_open(b->ctx, path, errno);
  xml_state s;
  memset(&s, 0, sizeof(s));
  s.b = b;
  s.path = path;
  s.p = XML_ParserCreate(NULL);
  gn_status rc = GN_ENOMEM;
  if (s.p) {
    XML_SetUserData(s.p, &s);
    XML_SetElementHandler(s.p, on_start, on_end);
    rc = feed(&s, f);
    XML_ParserFree(s.p);
  } else {
    gn__fail(b->ctx, rc, "%s: out of memory", path);
  }
  fclose(f);
  gn_free(b->ctx, s.refs);
  return rc;
}
