/*
 * store_edit.c - Edits with integrity, and the integrity check.
 *
 * Design: every edit is BEGIN IMMEDIATE; validate with queries that name
 * the offending object in the message; write; one audit row with
 * before/after JSON; COMMIT. A refused edit rolls back and returns
 * GN_ECONFLICT (or GN_ENOTFOUND / GN_EINVAL) with a one-line reason.
 * The check is a list of SQL queries, each returning one text message per
 * problem, so a new rule is one more query.
 * Invariants enforced: a fiber end holds at most one splice or port; a
 * splice joins two fiber ends located at its closure's node; a circuit's
 * consecutive fibers are spliced, it starts on its ODF port and ends on
 * its CPE port, and it never runs over a broken fiber after an edit.
 */
#include <stdio.h>
#include <string.h>

#include "store/store_int.h"

/* Run body inside a transaction; roll back on failure. */
typedef gn_status (*edit_fn)(gn_store *st, void *arg);

static gn_status in_tx(gn_store *st, edit_fn fn, void *arg) {
  gn_ctx_clear(st->ctx);
  gn_status rs = gn__st_begin(st);
  if (rs != GN_OK) return rs;
  rs = fn(st, arg);
  if (rs == GN_OK) rs = gn__st_commit(st);
  if (rs != GN_OK) gn__st_rollback(st);
  return rs;
}

static int valid_end(char e) { return e == 'a' || e == 'b'; }

/* Node where fiber f's end e lies; GN_ENOTFOUND if no such fiber. */
/* Where fiber f's end e is: its lit stretch's end (express fibers), or
 * the cable's end. */
static gn_status end_node(gn_store *st, int64_t f, char e, int64_t *node) {
  int found;
  gn_status rs = gn__st_int(
      st,
      e == 'a' ? "SELECT coalesce(f.span_a_node, c.a_node) FROM fibers f JOIN"
                 " cables c ON c.fid=f.cable WHERE f.fid=?"
               : "SELECT coalesce(f.span_b_node, c.b_node) FROM fibers f JOIN"
                 " cables c ON c.fid=f.cable WHERE f.fid=?",
      f, node, &found);
  if (rs == GN_OK && !found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "fiber %lld not found",
                    (long long)f);
  return rs;
}

/* GN_ECONFLICT if fiber f's end e already holds a splice or a port. */
static gn_status end_free(gn_store *st, int64_t f, char e) {
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT 'splice', fid FROM splices WHERE (fiber_a=?1 AND end_a=?2) OR"
      " (fiber_b=?1 AND end_b=?2) UNION ALL SELECT 'port', fid FROM ports"
      " WHERE fiber=?1 AND fiber_end=?2", &s);
  if (rs != GN_OK) return rs;
  gn__bind_id_end(s, f, e);
  if (sqlite3_step(s) == SQLITE_ROW)
    rs = gn__fail(st->ctx, GN_ECONFLICT,
                  "fiber %lld end %c is already on %s %lld", (long long)f, e,
                  gn__col_text(s, 0), (long long)sqlite3_column_int64(s, 1));
  sqlite3_finalize(s);
  return rs;
}

typedef struct splice_arg {
  int64_t closure, fa, fb;
  char ea, eb;
  const char *user;
  int64_t *out;
} splice_arg;

static gn_status do_splice_add(gn_store *st, void *arg) {
  splice_arg *a = arg;
  int64_t cnode = 0, na = 0, nb = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT node FROM closures WHERE fid=?",
                            a->closure, &cnode, &found);
  if (rs == GN_OK && !found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "closure %lld not found",
                    (long long)a->closure);
  if (rs == GN_OK) rs = end_node(st, a->fa, a->ea, &na);
  if (rs == GN_OK) rs = end_node(st, a->fb, a->eb, &nb);
  if (rs != GN_OK) return rs;
  if (na != cnode || nb != cnode)
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "fiber %lld end %c is at node %lld, not at closure %lld"
                    " (node %lld)", (long long)(na != cnode ? a->fa : a->fb),
                    na != cnode ? a->ea : a->eb,
                    (long long)(na != cnode ? na : nb), (long long)a->closure,
                    (long long)cnode);
  rs = end_free(st, a->fa, a->ea);
  if (rs == GN_OK) rs = end_free(st, a->fb, a->eb);
  if (rs != GN_OK) return rs;
  char sql[256];
  snprintf(sql, sizeof(sql),
           "INSERT INTO splices(closure,fiber_a,end_a,fiber_b,end_b) VALUES"
           "(%lld,%lld,'%c',%lld,'%c')", (long long)a->closure,
           (long long)a->fa, a->ea, (long long)a->fb, a->eb);
  rs = gn__st_exec(st, sql);
  int64_t id = sqlite3_last_insert_rowid(st->db);
  char obj[64], after[200];
  snprintf(obj, sizeof(obj), "splice %lld", (long long)id);
  snprintf(after, sizeof(after),
           "{\"closure\":%lld,\"fiber_a\":%lld,\"end_a\":\"%c\",\"fiber_b\":"
           "%lld,\"end_b\":\"%c\"}", (long long)a->closure, (long long)a->fa,
           a->ea, (long long)a->fb, a->eb);
  if (rs == GN_OK) rs = gn__st_audit(st, a->user, "splice-add", obj, NULL, after);
  if (a->out) *a->out = id;
  return rs;
}

gn_status gn_store_splice_add(gn_store *st, int64_t closure, int64_t fa,
                              char ea, int64_t fb, char eb, const char *user,
                              int64_t *splice_id) {
  gn_ctx_clear(st->ctx);
  if (!valid_end(ea) || !valid_end(eb))
    return gn__fail(st->ctx, GN_EINVAL, "fiber end must be 'a' or 'b'");
  if (fa == fb)
    return gn__fail(st->ctx, GN_ECONFLICT, "fiber %lld spliced to itself",
                    (long long)fa);
  splice_arg a = {closure, fa, fb, ea, eb, user, splice_id};
  return in_tx(st, do_splice_add, &a);
}

typedef struct id_arg {
  int64_t id, id2, id3;
  int flag;
  const char *note, *user;
} id_arg;

static gn_status do_splice_remove(gn_store *st, void *arg) {
  id_arg *a = arg;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT s.closure, s.fiber_a, s.end_a, s.fiber_b, s.end_b, (SELECT"
      " x.circuit FROM circuit_fibers x JOIN circuit_fibers y ON"
      " y.circuit=x.circuit AND y.strand=x.strand AND y.seq=x.seq+1 WHERE"
      " (x.fiber=s.fiber_a AND y.fiber=s.fiber_b) OR (x.fiber=s.fiber_b AND"
      " y.fiber=s.fiber_a)) FROM splices s WHERE s.fid=?", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, a->id);
  char before[256] = "";
  if (sqlite3_step(s) != SQLITE_ROW) {
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "splice %lld not found",
                  (long long)a->id);
  } else if (sqlite3_column_type(s, 5) != SQLITE_NULL) {
    rs = gn__fail(st->ctx, GN_ECONFLICT,
                  "splice %lld carries circuit %lld; move the circuit first",
                  (long long)a->id, (long long)sqlite3_column_int64(s, 5));
  } else {
    snprintf(before, sizeof(before),
             "{\"closure\":%lld,\"fiber_a\":%lld,\"end_a\":\"%s\","
             "\"fiber_b\":%lld,\"end_b\":\"%s\"}",
             (long long)sqlite3_column_int64(s, 0),
             (long long)sqlite3_column_int64(s, 1), gn__col_text(s, 2),
             (long long)sqlite3_column_int64(s, 3), gn__col_text(s, 4));
  }
  sqlite3_finalize(s);
  if (rs != GN_OK) return rs;
  char sql[96], obj[64];
  snprintf(sql, sizeof(sql), "DELETE FROM splices WHERE fid=%lld",
           (long long)a->id);
  snprintf(obj, sizeof(obj), "splice %lld", (long long)a->id);
  rs = gn__st_exec(st, sql);
  if (rs == GN_OK)
    rs = gn__st_audit(st, a->user, "splice-remove", obj, before, NULL);
  return rs;
}

gn_status gn_store_splice_remove(gn_store *st, int64_t splice,
                                 const char *user) {
  id_arg a = {splice, 0, 0, 0, NULL, user};
  return in_tx(st, do_splice_remove, &a);
}

static gn_status do_fiber_broken(gn_store *st, void *arg) {
  id_arg *a = arg;
  int64_t was = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT broken FROM fibers WHERE fid=?", a->id,
                            &was, &found);
  if (rs == GN_OK && !found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "fiber %lld not found",
                    (long long)a->id);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK)
    rs = gn__st_prep(st, "UPDATE fibers SET broken=?, note=? WHERE fid=?", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int(s, 1, a->flag ? 1 : 0);
  sqlite3_bind_text(s, 2, a->note, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64(s, 3, a->id);
  int rc = sqlite3_step(s);
  sqlite3_finalize(s);
  if (rc != SQLITE_DONE) return gn__st_err(st, rc, "update fiber");
  char obj[64], before[64], after[64];
  snprintf(obj, sizeof(obj), "fiber %lld", (long long)a->id);
  snprintf(before, sizeof(before), "{\"broken\":%d}", (int)was);
  snprintf(after, sizeof(after), "{\"broken\":%d}", a->flag ? 1 : 0);
  return gn__st_audit(st, a->user, a->flag ? "fiber-break" : "fiber-repair",
                      obj, before, after);
}

gn_status gn_store_fiber_set_broken(gn_store *st, int64_t fiber, int broken,
                                    const char *note, const char *user) {
  id_arg a = {fiber, 0, 0, broken, note, user};
  return in_tx(st, do_fiber_broken, &a);
}

gn_status gn__st_index_circuit(gn_store *st, int64_t circuit) {
  char sql[600];
  snprintf(sql, sizeof(sql),
           "DELETE FROM circuit_trenches WHERE circuit=%lld;"
           "INSERT OR IGNORE INTO circuit_trenches SELECT ct.trench, %lld"
           " FROM circuit_fibers x JOIN fibers f ON f.fid=x.fiber JOIN"
           " cable_trenches ct ON ct.cable=f.cable AND ct.seq BETWEEN"
           " coalesce(f.span_from,0) AND coalesce(f.span_to,1e18)"
           " WHERE x.circuit=%lld",
           (long long)circuit, (long long)circuit, (long long)circuit);
  return gn__st_exec(st, sql);
}

/* Why fiber `to` cannot take over from `from` (NULL if it can). */
static const char move_refusal[] =
    "SELECT CASE"
    " WHEN t.fid IS NULL THEN 'fiber ' || ?2 || ' not found'"
    " WHEN t.cable <> f.cable THEN 'fiber ' || ?2 || ' is in cable ' ||"
    "  t.cable || ', not in cable ' || f.cable || ' of fiber ' || ?1"
    " WHEN t.broken THEN 'fiber ' || ?2 || ' is broken'"
    " WHEN EXISTS(SELECT 1 FROM circuit_fibers WHERE fiber=?2) THEN"
    "  'fiber ' || ?2 || ' already carries a circuit'"
    " WHEN EXISTS(SELECT 1 FROM splices WHERE fiber_a=?2 OR fiber_b=?2) THEN"
    "  'fiber ' || ?2 || ' is spliced'"
    " WHEN EXISTS(SELECT 1 FROM ports p WHERE p.fiber=?2 AND (EXISTS(SELECT 1"
    "  FROM ports q WHERE q.peer=p.fid) OR NOT EXISTS(SELECT 1 FROM ports r"
    "  WHERE r.fiber=?1 AND r.fiber_end=p.fiber_end))) THEN"
    "  'fiber ' || ?2 || ' is patched'"
    " ELSE NULL END FROM fibers f LEFT JOIN fibers t ON t.fid=?2"
    " WHERE f.fid=?1";

/* Re-home ends: splices follow; a CPE-type port follows; at an end where
 * `to` already has its own (ODF) port, the strand and patch cords move to
 * that port instead. */
static const char move_sql[] =
    "UPDATE circuit_strands SET odf_port=(SELECT p2.fid FROM ports p1 JOIN"
    " ports p2 ON p2.fiber=?2 AND p2.fiber_end=p1.fiber_end WHERE"
    " p1.fid=circuit_strands.odf_port) WHERE odf_port IN (SELECT p1.fid FROM"
    " ports p1 JOIN ports p2 ON p2.fiber=?2 AND p2.fiber_end=p1.fiber_end"
    " WHERE p1.fiber=?1);"
    "UPDATE ports SET peer=(SELECT p2.fid FROM ports p1 JOIN ports p2 ON"
    " p2.fiber=?2 AND p2.fiber_end=p1.fiber_end WHERE p1.fid=ports.peer)"
    " WHERE peer IN (SELECT p1.fid FROM ports p1 JOIN ports p2 ON"
    " p2.fiber=?2 AND p2.fiber_end=p1.fiber_end WHERE p1.fiber=?1);"
    "UPDATE ports SET fiber=?2 WHERE fiber=?1 AND NOT EXISTS(SELECT 1 FROM"
    " ports q WHERE q.fiber=?2 AND q.fiber_end=ports.fiber_end);"
    "UPDATE splices SET fiber_a=?2 WHERE fiber_a=?1;"
    "UPDATE splices SET fiber_b=?2 WHERE fiber_b=?1;"
    "UPDATE circuit_fibers SET fiber=?2 WHERE fiber=?1;"
    "UPDATE fibers SET (span_from,span_to,span_m,span_a_node,span_b_node)="
    " (SELECT span_from,span_to,span_m,span_a_node,span_b_node FROM fibers"
    " WHERE fid=?1) WHERE fid=?2;"
    "UPDATE fibers SET span_from=NULL,span_to=NULL,span_m=NULL,"
    " span_a_node=NULL,span_b_node=NULL WHERE fid=?1";

static gn_status run_multi(gn_store *st, const char *sql, int64_t p1,
                           int64_t p2) {
  const char *tail = sql;
  gn_status rs = GN_OK;
  while (rs == GN_OK && tail && *tail) {
    sqlite3_stmt *s = NULL;
    int rc = sqlite3_prepare_v2(st->db, tail, -1, &s, &tail);
    if (rc != SQLITE_OK) return gn__st_err(st, rc, "prepare");
    if (!s) break;
    sqlite3_bind_int64(s, 1, p1);
    sqlite3_bind_int64(s, 2, p2);
    rc = sqlite3_step(s);
    if (rc != SQLITE_DONE) rs = gn__st_err(st, rc, "update");
    sqlite3_finalize(s);
  }
  return rs;
}

static gn_status do_circuit_move(gn_store *st, void *arg) {
  id_arg *a = arg; /* id circuit, id2 from, id3 to */
  int64_t x = 0;
  int found;
  gn_status rs = gn__st_int(st, "SELECT fid FROM circuits WHERE fid=?", a->id,
                            &x, &found);
  if (rs == GN_OK && !found)
    return gn__fail(st->ctx, GN_ENOTFOUND, "circuit %lld not found",
                    (long long)a->id);
  rs = gn__st_int(st, "SELECT circuit FROM circuit_fibers WHERE fiber=?",
                  a->id2, &x, &found);
  if (rs == GN_OK && (!found || x != a->id))
    return gn__fail(st->ctx, GN_ECONFLICT,
                    "fiber %lld is not part of circuit %lld",
                    (long long)a->id2, (long long)a->id);
  sqlite3_stmt *s = NULL;
  if (rs == GN_OK) rs = gn__st_prep(st, move_refusal, &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, a->id2);
  sqlite3_bind_int64(s, 2, a->id3);
  if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL)
    rs = gn__fail(st->ctx, GN_ECONFLICT, "cannot move circuit %lld: %s",
                  (long long)a->id, gn__col_text(s, 0));
  sqlite3_finalize(s);
  if (rs == GN_OK) rs = run_multi(st, move_sql, a->id2, a->id3);
  if (rs == GN_OK) rs = gn__st_index_circuit(st, a->id);
  char obj[64], before[64], after[64];
  snprintf(obj, sizeof(obj), "circuit %lld", (long long)a->id);
  snprintf(before, sizeof(before), "{\"fiber\":%lld}", (long long)a->id2);
  snprintf(after, sizeof(after), "{\"fiber\":%lld}", (long long)a->id3);
  if (rs == GN_OK)
    rs = gn__st_audit(st, a->user, "circuit-move", obj, before, after);
  return rs;
}

gn_status gn_store_circuit_move(gn_store *st, int64_t circuit, int64_t from,
                                int64_t to, const char *user) {
  id_arg a = {circuit, from, to, 0, NULL, user};
  return in_tx(st, do_circuit_move, &a);
}

static gn_status do_cable_delete(gn_store *st, void *arg) {
  id_arg *a = arg;
  sqlite3_stmt *s = NULL;
  gn_status rs = gn__st_prep(
      st,
      "SELECT c.name, c.trench, c.fiber_count, (SELECT x.circuit FROM"
      " circuit_fibers x JOIN fibers f ON f.fid=x.fiber WHERE f.cable=c.fid"
      " LIMIT 1), (SELECT count(DISTINCT x.circuit) FROM circuit_fibers x"
      " JOIN fibers f ON f.fid=x.fiber WHERE f.cable=c.fid) FROM cables c"
      " WHERE c.fid=?", &s);
  if (rs != GN_OK) return rs;
  sqlite3_bind_int64(s, 1, a->id);
  char before[300] = "";
  if (sqlite3_step(s) != SQLITE_ROW)
    rs = gn__fail(st->ctx, GN_ENOTFOUND, "cable %lld not found",
                  (long long)a->id);
  else if (sqlite3_column_type(s, 3) != SQLITE_NULL)
    rs = gn__fail(st->ctx, GN_ECONFLICT,
                  "cable %lld carries %lld circuits (e.g. circuit %lld);"
                  " move them first", (long long)a->id,
                  (long long)sqlite3_column_int64(s, 4),
                  (long long)sqlite3_column_int64(s, 3));
  else
    snprintf(before, sizeof(before),
             "{\"name\":\"%s\",\"trench\":%lld,\"fiber_count\":%d}",
             gn__col_text(s, 0), (long long)sqlite3_column_int64(s, 1),
             sqlite3_column_int(s, 2));
  sqlite3_finalize(s);
  if (rs != GN_OK) return rs;
  static const char del[] =
      "UPDATE ports SET peer=NULL WHERE peer IN (SELECT p.fid FROM ports p"
      " JOIN fibers f ON f.fid=p.fiber WHERE f.cable=?1);"
      "UPDATE ports SET fiber=NULL, fiber_end=NULL WHERE fiber IN (SELECT fid"
      " FROM fibers WHERE cable=?1);"
      "DELETE FROM equipment WHERE kind='odf' AND cable=?1;"
      "DELETE FROM cables WHERE fid=?1";
  rs = run_multi(st, del, a->id, 0);
  char obj[64];
  snprintf(obj, sizeof(obj), "cable %lld", (long long)a->id);
  if (rs == GN_OK) rs = gn__st_audit(st, a->user, "cable-delete", obj, before, NULL);
  return rs;
}

gn_status gn_store_cable_delete(gn_store *st, int64_t cable, const char *user) {
  id_arg a = {cable, 0, 0, 0, NULL, user};
  return in_tx(st, do_cable_delete, &a);
}

/* ---- check ---------------------------------------------------------- */

/* The cable trenches (alias c) a fiber (alias f) is lit over. */
#define GN__LIT \
  " AND c.seq BETWEEN coalesce(f.span_from,0) AND coalesce(f.span_to,1e18)"

static const char *const checks[] = {
    "SELECT 'fiber ' || fiber || ' end ' || e || ' is used ' || count(*) ||"
    " ' times (splices/ports)' FROM (SELECT fiber_a fiber, end_a e FROM"
    " splices UNION ALL SELECT fiber_b, end_b FROM splices UNION ALL SELECT"
    " fiber, fiber_end FROM ports WHERE fiber IS NOT NULL) GROUP BY fiber, e"
    " HAVING count(*) > 1",
    "SELECT 'splice ' || fid || ' joins fiber ' || fiber_a || ' to itself'"
    " FROM splices WHERE fiber_a=fiber_b",
    "SELECT 'splice ' || s.fid || ': fiber ' || f.fid || ' end ' || s.end_a ||"
    " ' is not at closure ' || k.fid || ' node' FROM splices s JOIN closures"
    " k ON k.fid=s.closure JOIN fibers f ON f.fid=s.fiber_a JOIN cables c ON"
    " c.fid=f.cable WHERE k.node <> CASE s.end_a WHEN 'a' THEN"
    " coalesce(f.span_a_node, c.a_node) ELSE coalesce(f.span_b_node,"
    " c.b_node) END",
    "SELECT 'splice ' || s.fid || ': fiber ' || f.fid || ' end ' || s.end_b ||"
    " ' is not at closure ' || k.fid || ' node' FROM splices s JOIN closures"
    " k ON k.fid=s.closure JOIN fibers f ON f.fid=s.fiber_b JOIN cables c ON"
    " c.fid=f.cable WHERE k.node <> CASE s.end_b WHEN 'a' THEN"
    " coalesce(f.span_a_node, c.a_node) ELSE coalesce(f.span_b_node,"
    " c.b_node) END",
    "SELECT 'circuit ' || x.circuit || ' runs over broken fiber ' || x.fiber"
    " FROM circuit_fibers x JOIN fibers f ON f.fid=x.fiber WHERE f.broken",
    "SELECT 'circuit ' || x.circuit || ' strand ' || x.strand || ': fibers '"
    " || x.fiber || ' and ' || y.fiber || ' are not spliced' FROM"
    " circuit_fibers x JOIN circuit_fibers y ON y.circuit=x.circuit AND"
    " y.strand=x.strand AND y.seq=x.seq+1 WHERE NOT EXISTS(SELECT 1 FROM"
    " splices s WHERE s.fiber_a=x.fiber AND s.fiber_b=y.fiber) AND NOT"
    " EXISTS(SELECT 1 FROM splices s WHERE s.fiber_a=y.fiber AND"
    " s.fiber_b=x.fiber)",
    "SELECT 'circuit ' || cs.circuit || ' strand ' || cs.strand ||"
    " ': does not start on its ODF port' FROM circuit_strands cs JOIN"
    " circuit_fibers x ON x.circuit=cs.circuit AND x.strand=cs.strand AND"
    " x.seq=0 LEFT JOIN ports p ON p.fid=cs.odf_port WHERE p.fiber IS NOT"
    " x.fiber",
    "SELECT 'circuit ' || cs.circuit || ' strand ' || cs.strand ||"
    " ': does not end on its CPE port' FROM circuit_strands cs JOIN"
    " circuit_fibers x ON x.circuit=cs.circuit AND x.strand=cs.strand AND"
    " x.seq=(SELECT max(seq) FROM circuit_fibers y WHERE"
    " y.circuit=cs.circuit AND y.strand=cs.strand) LEFT JOIN ports p ON"
    " p.fid=cs.cpe_port WHERE p.fiber IS NOT x.fiber",
    "SELECT 'fiber ' || f.fid || ' number ' || f.number || ' exceeds cable '"
    " || c.fid || ' count ' || c.fiber_count FROM fibers f JOIN cables c ON"
    " c.fid=f.cable WHERE f.number > c.fiber_count OR f.number < 1",
    "SELECT 'circuit ' || circuit || ': trench index out of date' FROM"
    " (SELECT DISTINCT x.circuit, c.trench FROM circuit_fibers x JOIN fibers"
    " f ON f.fid=x.fiber JOIN cable_trenches c ON c.cable=f.cable" GN__LIT
    " EXCEPT SELECT circuit, trench FROM circuit_trenches UNION SELECT"
    " circuit, trench FROM (SELECT circuit, trench FROM circuit_trenches"
    " EXCEPT SELECT DISTINCT x.circuit, c.trench FROM circuit_fibers x JOIN"
    " fibers f ON f.fid=x.fiber JOIN cable_trenches c ON c.cable=f.cable"
    GN__LIT ")) GROUP BY circuit",
    "SELECT 'cable ' || fid || ': no trench' FROM cables c WHERE NOT"
    " EXISTS(SELECT 1 FROM cable_trenches t WHERE t.cable=c.fid)",
    "SELECT 'foreign key: ' || \"table\" || ' row ' || rowid || ' -> ' ||"
    " parent FROM pragma_foreign_key_check",
    "SELECT 'sqlite: ' || quick_check FROM pragma_quick_check WHERE"
    " quick_check <> 'ok'"};

gn_status gn_store_check(gn_store *st, gn_store_problem_fn cb, void *ud,
                         size_t *nproblems) {
  gn_ctx_clear(st->ctx);
  size_t n = 0;
  for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
    sqlite3_stmt *s = NULL;
    gn_status rs = gn__st_prep(st, checks[i], &s);
    if (rs != GN_OK) return rs;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
      n++;
      if (cb) cb(ud, gn__col_text(s, 0));
    }
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) return gn__st_err(st, rc, "check");
  }
  gn_status rs = gn__st_audit_verify(st, cb, ud, &n);
  if (nproblems) *nproblems = n;
  return rs;
}
