/*
 * cache.c - Per-worker cache of GET answers, dropped whenever the store
 * file changes.
 *
 * Design: a small chained hash table from the request key (path plus
 * query arguments in order) to the answer bytes. Each daemon thread owns
 * one (no lock). Before every lookup the worker stats the store file and
 * its WAL (size, mtime, ctime, inode): any commit, by this server or by
 * another process (`govnet db ...`), changes the WAL or the main file, and
 * the whole cache is dropped, so an answer is never older than the
 * store's last commit. Bounded by max_bytes: when full, it is cleared
 * (answers are cheap to rebuild; the simple policy keeps the code small).
 * Entries hold a reference to a gn__blob (compress.c), so an answer in
 * flight survives a clear.
 * Threads: one cache per worker thread.
 */
#include <string.h>
#include <sys/stat.h>

#include "server/srv.h"
#include "util/internal.h"

typedef struct gn__cache_entry {
  struct gn__cache_entry *next;
  uint64_t hash;
  gn__blob *blob;    /* one reference */
  size_t bytes;      /* accounted size */
  char key[];
} gn__cache_entry;

#define NBUCKETS 1024u

static uint64_t fnv1a(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

gn_status gn__cache_init(gn__cache *c, gn_ctx *ctx, const char *db_path,
                         size_t max_bytes) {
  memset(c, 0, sizeof(*c));
  c->ctx = ctx;
  c->max_bytes = max_bytes;
  c->buckets = gn_malloc(ctx, NBUCKETS * sizeof(*c->buckets));
  size_t n = strlen(db_path);
  c->db_path = gn_malloc(ctx, n + 1);
  c->wal_path = gn_malloc(ctx, n + 5);
  if (!c->buckets || !c->db_path || !c->wal_path) {
    gn__cache_cleanup(c);
    return gn__fail(ctx, GN_ENOMEM, "out of memory (answer cache)");
  }
  memset(c->buckets, 0, NBUCKETS * sizeof(*c->buckets));
  memcpy(c->db_path, db_path, n + 1);
  memcpy(c->wal_path, db_path, n);
  memcpy(c->wal_path + n, "-wal", 5);
  return GN_OK;
}

static void cache_clear(gn__cache *c) {
  for (size_t i = 0; c->buckets && i < NBUCKETS; i++) {
    gn__cache_entry *e = c->buckets[i];
    while (e) {
      gn__cache_entry *next = e->next;
      gn__blob_unref(e->blob);
      gn_free(c->ctx, e);
      e = next;
    }
    c->buckets[i] = NULL;
  }
  c->bytes = 0;
}

void gn__cache_cleanup(gn__cache *c) {
  cache_clear(c);
  gn_free(c->ctx, c->buckets);
  gn_free(c->ctx, c->db_path);
  gn_free(c->ctx, c->wal_path);
  c->buckets = NULL;
  c->db_path = c->wal_path = NULL;
}

static void stamp_file(const char *path, int64_t out[4]) {
  struct stat st;
  if (stat(path, &st) != 0) {
    memset(out, 0, 4 * sizeof(*out));
    return;
  }
  out[0] = (int64_t)st.st_size;
  out[1] = (int64_t)st.st_mtim.tv_sec * 1000000000 + st.st_mtim.tv_nsec;
  out[2] = (int64_t)st.st_ctim.tv_sec * 1000000000 + st.st_ctim.tv_nsec;
  out[3] = (int64_t)st.st_ino;
}

void gn__store_stamp(const char *db_path, const char *wal_path, int64_t out[8]) {
  stamp_file(db_path, out);
  stamp_file(wal_path, out + 4);
}

void gn__cache_sync(gn__cache *c) {
  int64_t now[8];
  gn__store_stamp(c->db_path, c->wal_path, now);
  if (memcmp(now, c->stamp, sizeof(now)) != 0) {
    cache_clear(c);
    memcpy(c->stamp, now, sizeof(now));
    c->gen++;
  }
}

gn__blob *gn__cache_get(const gn__cache *c, const char *key) {
  uint64_t h = fnv1a(key);
  for (gn__cache_entry *e = c->buckets[h % NBUCKETS]; e; e = e->next)
    if (e->hash == h && strcmp(e->key, key) == 0) return e->blob;
  return NULL;
}

void gn__cache_put(gn__cache *c, const char *key, gn__blob *blob) {
  size_t klen = strlen(key) + 1;
  size_t need = sizeof(gn__cache_entry) + klen + sizeof(gn__blob) + blob->len;
  if (need > c->max_bytes / 4) return; /* one answer never fills it */
  if (c->bytes + need > c->max_bytes) cache_clear(c);
  gn__cache_entry *e = gn_malloc(c->ctx, sizeof(*e) + klen);
  if (!e) return; /* a cache miss is not an error */
  uint64_t h = fnv1a(key);
  e->hash = h;
  e->blob = gn__blob_ref(blob);
  e->bytes = need;
  memcpy(e->key, key, klen);
  e->next = c->buckets[h % NBUCKETS];
  c->buckets[h % NBUCKETS] = e;
  c->bytes += need;
}
