/*
 * plan.c - The plan container: growable record arrays that own their
 * strings and polylines (see plan.h for the model).
 * Invariant: every trench's a/b and every attached site/POP node index is
 * < node count (checked on add).
 */
#include <string.h>

#include "govnet/plan.h"
#include "util/internal.h"

typedef struct meta_kv {
  char *key, *value;
} meta_kv;

struct gn_plan {
  gn_ctx *ctx;
  gn_plan_node *nodes;
  size_t nnodes, cap_nodes;
  gn_plan_site *sites;
  size_t nsites, cap_sites;
  gn_plan_pop *pops;
  size_t npops, cap_pops;
  gn_plan_trench *trenches;
  size_t ntrenches, cap_trenches;
  meta_kv *meta;
  size_t nmeta, cap_meta;
};

static const char *const cat_names[] = {
#define GN__CAT_STR(name, str) str,
    GN_CATEGORY_MAP(GN__CAT_STR)
#undef GN__CAT_STR
};

const char *gn_category_name(gn_category c) {
  if ((unsigned)c >= GN_CAT_COUNT) return "other";
  return cat_names[c];
}

gn_category gn_category_parse(const char *name) {
  for (int i = 0; i < GN_CAT_COUNT; i++) {
    const char *a = cat_names[i], *b = name;
    while (*a && *b && (*a == (*b | 0x20))) {
      a++;
      b++;
    }
    if (!*a && !*b) return (gn_category)i;
  }
  return GN_CAT_COUNT;
}

gn_status gn_plan_create(gn_ctx *ctx, gn_plan **out) {
  *out = gn_malloc(ctx, sizeof(gn_plan));
  if (!*out) return gn__fail(ctx, GN_ENOMEM, "out of memory creating a plan");
  memset(*out, 0, sizeof(gn_plan));
  (*out)->ctx = ctx;
  return GN_OK;
}

static void free_site(gn_ctx *ctx, gn_plan_site *s) {
  gn_free(ctx, s->id);
  gn_free(ctx, s->name);
  gn_free(ctx, s->reason);
  gn_free(ctx, s->phase);
}

void gn_plan_free(gn_plan *p) {
  if (!p) return;
  gn_ctx *ctx = p->ctx;
  for (size_t i = 0; i < p->nsites; i++) free_site(ctx, &p->sites[i]);
  for (size_t i = 0; i < p->npops; i++) {
    gn_free(ctx, p->pops[i].id);
    gn_free(ctx, p->pops[i].name);
  }
  for (size_t i = 0; i < p->ntrenches; i++) {
    gn_free(ctx, p->trenches[i].coords);
    gn_free(ctx, p->trenches[i].phase);
  }
  for (size_t i = 0; i < p->nmeta; i++) {
    gn_free(ctx, p->meta[i].key);
    gn_free(ctx, p->meta[i].value);
  }
  gn_free(ctx, p->nodes);
  gn_free(ctx, p->sites);
  gn_free(ctx, p->pops);
  gn_free(ctx, p->trenches);
  gn_free(ctx, p->meta);
  gn_free(ctx, p);
}

gn_ctx *gn_plan_ctx(const gn_plan *p) { return p->ctx; }

gn_status gn_plan_add_node(gn_plan *p, double lon, double lat,
                           gn_id *idx_out) {
  if (GN__GROW(p->ctx, p->nodes, p->cap_nodes, p->nnodes + 1) != GN_OK)
    return GN_ENOMEM;
  p->nodes[p->nnodes].lon = lon;
  p->nodes[p->nnodes].lat = lat;
  if (idx_out) *idx_out = (gn_id)p->nnodes;
  p->nnodes++;
  return GN_OK;
}

static int dup_ok(gn_ctx *ctx, char **dst, const char *src) {
  *dst = NULL;
  if (!src) return 1;
  *dst = gn__strdup(ctx, src);
  return *dst != NULL;
}

gn_status gn_plan_add_site(gn_plan *p, const gn_plan_site *s,
                           size_t *idx_out) {
  gn_ctx *ctx = p->ctx;
  if (!s->id) return gn__fail(ctx, GN_EINVAL, "site without id");
  if (s->node != GN_NONE && s->node >= p->nnodes)
    return gn__fail(ctx, GN_EINVAL, "site %s: node %u out of range", s->id,
                    s->node);
  if (GN__GROW(ctx, p->sites, p->cap_sites, p->nsites + 1) != GN_OK)
    return GN_ENOMEM;
  gn_plan_site c = *s;
  int ok = dup_ok(ctx, &c.id, s->id) & dup_ok(ctx, &c.name, s->name) &
           dup_ok(ctx, &c.reason, s->reason) & dup_ok(ctx, &c.phase, s->phase);
  if (!ok) {
    free_site(ctx, &c);
    return gn__fail(ctx, GN_ENOMEM, "out of memory adding a site");
  }
  p->sites[p->nsites] = c;
  if (idx_out) *idx_out = p->nsites;
  p->nsites++;
  return GN_OK;
}

gn_status gn_plan_add_pop(gn_plan *p, const gn_plan_pop *pop,
                          size_t *idx_out) {
  gn_ctx *ctx = p->ctx;
  if (!pop->id) return gn__fail(ctx, GN_EINVAL, "POP without id");
  if (pop->node != GN_NONE && pop->node >= p->nnodes)
    return gn__fail(ctx, GN_EINVAL, "POP %s: node out of range", pop->id);
  if (GN__GROW(ctx, p->pops, p->cap_pops, p->npops + 1) != GN_OK)
    return GN_ENOMEM;
  gn_plan_pop c = *pop;
  if (!dup_ok(ctx, &c.id, pop->id) || !dup_ok(ctx, &c.name, pop->name)) {
    gn_free(ctx, c.id);
    return gn__fail(ctx, GN_ENOMEM, "out of memory adding a POP");
  }
  p->pops[p->npops] = c;
  if (idx_out) *idx_out = p->npops;
  p->npops++;
  return GN_OK;
}

gn_status gn_plan_add_trench(gn_plan *p, const gn_plan_trench *t,
                             size_t *idx_out) {
  gn_ctx *ctx = p->ctx;
  if (t->a >= p->nnodes || t->b >= p->nnodes)
    return gn__fail(ctx, GN_EINVAL, "trench %lld: end node out of range",
                    (long long)t->id);
  if (t->ncoords < 2)
    return gn__fail(ctx, GN_EGEOM, "trench %lld: fewer than 2 points",
                    (long long)t->id);
  if (GN__GROW(ctx, p->trenches, p->cap_trenches, p->ntrenches + 1) != GN_OK)
    return GN_ENOMEM;
  gn_plan_trench c = *t;
  c.coords = gn_malloc(ctx, 2 * t->ncoords * sizeof(double));
  if (!c.coords || !dup_ok(ctx, &c.phase, t->phase)) {
    gn_free(ctx, c.coords);
    return gn__fail(ctx, GN_ENOMEM, "out of memory adding a trench");
  }
  memcpy(c.coords, t->coords, 2 * t->ncoords * sizeof(double));
  p->trenches[p->ntrenches] = c;
  if (idx_out) *idx_out = p->ntrenches;
  p->ntrenches++;
  return GN_OK;
}

size_t gn_plan_node_count(const gn_plan *p) { return p->nnodes; }
size_t gn_plan_site_count(const gn_plan *p) { return p->nsites; }
size_t gn_plan_pop_count(const gn_plan *p) { return p->npops; }
size_t gn_plan_trench_count(const gn_plan *p) { return p->ntrenches; }

const gn_plan_node *gn_plan_node_get(const gn_plan *p, gn_id i) {
  return i < p->nnodes ? &p->nodes[i] : NULL;
}
const gn_plan_site *gn_plan_site_get(const gn_plan *p, size_t i) {
  return i < p->nsites ? &p->sites[i] : NULL;
}
const gn_plan_pop *gn_plan_pop_get(const gn_plan *p, size_t i) {
  return i < p->npops ? &p->pops[i] : NULL;
}
const gn_plan_trench *gn_plan_trench_get(const gn_plan *p, size_t i) {
  return i < p->ntrenches ? &p->trenches[i] : NULL;
}
gn_plan_site *gn_plan_site_mut(gn_plan *p, size_t i) {
  return i < p->nsites ? &p->sites[i] : NULL;
}
gn_plan_trench *gn_plan_trench_mut(gn_plan *p, size_t i) {
  return i < p->ntrenches ? &p->trenches[i] : NULL;
}
gn_plan_pop *gn_plan_pop_mut(gn_plan *p, size_t i) {
  return i < p->npops ? &p->pops[i] : NULL;
}

gn_status gn_plan_set_str(gn_plan *p, char **field, const char *value) {
  char *c = NULL;
  if (value && !(c = gn__strdup(p->ctx, value)))
    return gn__fail(p->ctx, GN_ENOMEM, "out of memory");
  gn_free(p->ctx, *field);
  *field = c;
  return GN_OK;
}

gn_status gn_plan_set_meta(gn_plan *p, const char *key, const char *value) {
  for (size_t i = 0; i < p->nmeta; i++) {
    if (strcmp(p->meta[i].key, key) == 0)
      return gn_plan_set_str(p, &p->meta[i].value, value);
  }
  if (GN__GROW(p->ctx, p->meta, p->cap_meta, p->nmeta + 1) != GN_OK)
    return GN_ENOMEM;
  meta_kv kv = {gn__strdup(p->ctx, key), gn__strdup(p->ctx, value)};
  if (!kv.key || (value && !kv.value)) {
    gn_free(p->ctx, kv.key);
    gn_free(p->ctx, kv.value);
    return gn__fail(p->ctx, GN_ENOMEM, "out of memory");
  }
  p->meta[p->nmeta++] = kv;
  return GN_OK;
}

const char *gn_plan_get_meta(const gn_plan *p, const char *key) {
  for (size_t i = 0; i < p->nmeta; i++)
    if (strcmp(p->meta[i].key, key) == 0) return p->meta[i].value;
  return NULL;
}

size_t gn_plan_meta_count(const gn_plan *p) { return p->nmeta; }

void gn_plan_meta_at(const gn_plan *p, size_t i, const char **key,
                     const char **value) {
  *key = p->meta[i].key;
  *value = p->meta[i].value;
}
