// field-sw.js - Service worker of the field page: keeps the page's shell
// so it opens without a network (network first, cache as fallback). API
// calls are not cached here: the page keeps its own data (packages, the
// outbox of reports) in IndexedDB and syncs it when the network is back.
const CACHE = 'govnet-field-v1';
const SHELL = ['/field.html', '/field.js', '/field.css'];

self.addEventListener('install', (e) => {
  e.waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (e) => {
  e.waitUntil(caches.keys()
    .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
    .then(() => self.clients.claim()));
});

self.addEventListener('fetch', (e) => {
  const u = new URL(e.request.url);
  if (e.request.method !== 'GET' || u.origin !== self.location.origin) return;
  if (u.pathname.startsWith('/api/')) return;
  e.respondWith(fetch(e.request).then((r) => {
    if (r.ok) {
      const copy = r.clone();
      caches.open(CACHE).then((c) => c.put(e.request, copy));
    }
    return r;
  }).catch(() => caches.match(e.request, { ignoreSearch: true })
    .then((hit) => hit || caches.match('/field.html'))));
});
