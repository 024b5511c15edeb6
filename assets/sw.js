// Wingwatch service worker: keeps the app shell so the capture page loads and reloads with no
// network. It never caches /api/, the Reflex websocket or a no-store response, and it never
// syncs: entries are sent by the page (a service worker's fetches escape the page's offline
// state and its locks).
"use strict";

const SHELL = "wingwatch-shell-v1";
const NEVER = [/^\/api\//, /^\/_event/, /^\/_upload/, /^\/ping/, /^\/_health/];

self.addEventListener("install", () => {
  // A new worker waits until the page says its form is clean (assets/wingwatch.js).
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name !== SHELL) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener("message", (event) => {
  const message = event.data || {};
  if (message.type === "activate-now") self.skipWaiting();
  if (message.type === "keep") event.waitUntil(keep(message.urls || []));
});

// The page lists what it loaded (including chunks loaded before this worker controlled it).
async function keep(urls) {
  const cache = await caches.open(SHELL);
  await Promise.all(urls.filter(cacheable).map(async (url) => {
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (storable(response)) await cache.put(key(url), await plain(response));
    } catch (_) { /* offline now: it will be kept on the next visit */ }
  }));
}

// The server marks what holds personal data or a token no-store (or private): never kept here,
// whatever its path.
function storable(response) {
  return response.ok && !/no-store|private/i.test(response.headers.get("Cache-Control") || "");
}

function cacheable(url) {
  const parsed = new URL(url, self.location.origin);
  return parsed.origin === self.location.origin && !NEVER.some((re) => re.test(parsed.pathname));
}

// One key per page whatever its spelling: /capture, /capture/ and /capture/?x are one page.
function key(url) {
  const parsed = new URL(url, self.location.origin);
  const path = parsed.pathname.length > 1 ? parsed.pathname.replace(/\/$/, "") : "/";
  return parsed.origin + path + (parsed.pathname.startsWith("/assets/") ? parsed.search : "");
}

// A followed redirect cannot answer a navigation: copy it into a plain response.
async function plain(response) {
  if (!response.redirected) return response;
  return new Response(await response.blob(), { status: 200, headers: response.headers });
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || !cacheable(request.url)) return;
  const immutable = new URL(request.url).pathname.startsWith("/assets/");
  event.respondWith(immutable ? cacheFirst(request) : networkFirst(request));
});

// Hashed build files never change: the cache answers, the network fills it.
async function cacheFirst(request) {
  const cached = await caches.match(key(request.url));
  if (cached) return cached;
  const response = await fetch(request);
  if (storable(response)) (await caches.open(SHELL)).put(key(request.url), response.clone());
  return response;
}

// Pages and the rest: the network when there is one (so a new release is never hidden behind an
// old page), the cache when there is none.
async function networkFirst(request) {
  try {
    const response = await fetch(request);
    if (storable(response)) (await caches.open(SHELL)).put(key(request.url), await plain(response.clone()));
    return response;
  } catch (error) {
    const cached = await caches.match(key(request.url));
    if (cached) return cached;
    throw error;
  }
}
