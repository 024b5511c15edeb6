// Wingwatch service worker: keeps the app shell so the capture page loads and reloads with no
// network. It never caches /api/, the Reflex websocket or a no-store response, and it never
// syncs: entries are sent by the page (a service worker's fetches escape the page's offline
// state and its locks).
"use strict";

const SHELL = "wingwatch-shell-v1";
const NEVER = [/^\/api\//, /^\/_event/, /^\/_upload/, /^\/ping/, /^\/_health/];
// The words of the offline page. A worker cannot import the island's bundle, and it cannot read
// the device's language (local storage, a cookie) either, so the capture island posts them here:
// {type: "words", lang, messages}, the exported catalogue of the device's language
// (assets/island/messages/, which holds this file's texts too: t() below is the extraction
// keyword). They are kept in the shell cache, so a restarted worker still has them; before any
// page posted them the page is in English, the message ids' language.
const WORDS_KEY = new URL("/__wingwatch/offline-words.json", self.location.origin).href;
let words = null;

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
  if (message.type === "words") event.waitUntil(remember(message));
});

async function remember({ lang, messages }) {
  if (typeof lang !== "string" || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(lang) ||
      !messages || typeof messages !== "object") return;
  const texts = Object.fromEntries(Object.entries(messages).filter(([, v]) => typeof v === "string"));
  words = { lang, messages: texts };
  await (await caches.open(SHELL)).put(WORDS_KEY, new Response(JSON.stringify(words)));
}

async function offlineWords() {
  if (!words) {
    const kept = await caches.match(WORDS_KEY);
    words = kept ? await kept.json() : { lang: "en", messages: {} };
  }
  return words;
}

const ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);

// What a page that was never kept here shows with no network: a way back to the capture page,
// which works offline.
async function offlinePage() {
  const { lang, messages } = await offlineWords();
  const t = (msgid) => escape(messages[msgid] || msgid);
  // Outside the template literal, where the extractor finds them.
  const title = t("No network");
  const why = t("This page is not kept on this tablet, so it cannot open without network. The capture page works offline.");
  const capture = t("Record an observation");
  const again = t("Try again");
  const html = `<!doctype html><html lang="${escape(lang)}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Wingwatch</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:24px 16px;line-height:1.5}
a{display:inline-flex;align-items:center;min-height:48px;padding:0 18px;margin:8px 8px 0 0;border-radius:8px;background:#3e63dd;color:#fff;font-weight:600;text-decoration:none}
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}}</style></head><body>
<h1>${title}</h1>
<p>${why}</p>
<p><a href="/capture">${capture}</a><a href="">${again}</a></p>
</body></html>`;
  return new Response(html, { status: 503, headers: {
    "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'" } });
}

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
    if (request.mode === "navigate") return offlinePage();
    throw error;
  }
}
