/* steiner_local.c - local search (placeholder: roots the tree). */
#include "core/steiner_int.h"
#include "util/internal.h"

gn_status gn__local_search(gn__ls *ls) {
  if (gn__st_tree_build(ls->sg, ls->in_edge, ls->t) != 0)
    return gn__fail(ls->sg->ctx, GN_EINTERNAL, "solution is not a tree");
  return GN_OK;
}
