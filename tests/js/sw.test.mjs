// The service worker (assets/sw.js) in a sandbox: a fake worker scope, Cache Storage and network.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import vm from "node:vm";

const SOURCE = readFileSync(new URL("../../assets/sw.js", import.meta.url), "utf8");
const ORIGIN = "https://wingwatch.example";

function worker(answer) {
  const stored = new Map();
  const cache = { put: async (key, response) => stored.set(String(key), response) };
  const listeners = {};
  const scope = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type, listener) => { listeners[type] = listener; },
    caches: { open: async () => cache, match: async (key) => stored.get(String(key)) },
    fetch: async () => answer(),
    URL, Response,
  };
  scope.self = scope;
  vm.runInNewContext(SOURCE, scope);
  const fetchPage = async (path) => {
    let answered;
    listeners.fetch({ request: new Request(ORIGIN + path), respondWith: (p) => { answered = p; } });
    await answered;
    await new Promise((resolve) => setImmediate(resolve)); // the cache write after answering
  };
  const keep = (urls) => new Promise((resolve) => {
    listeners.message({ data: { type: "keep", urls }, waitUntil: resolve });
  });
  return { stored, fetchPage, keep };
}

for (const control of ["no-store", "private, max-age=60", "No-Store"]) {
  test(`a response marked ${control} is never kept`, async () => {
    const sw = worker(() => new Response("personal", { headers: { "Cache-Control": control } }));
    await sw.fetchPage("/screening");
    await sw.fetchPage("/assets/chunk-1.js");
    await sw.keep([`${ORIGIN}/trends`]);
    assert.equal(sw.stored.size, 0);
  });
}

test("the app shell is still kept for offline use", async () => {
  const sw = worker(() => new Response("<html>", { headers: { "Cache-Control": "no-cache" } }));
  await sw.fetchPage("/capture");
  await sw.keep([`${ORIGIN}/entries`]);
  assert.deepEqual([...sw.stored.keys()].sort(), [`${ORIGIN}/capture`, `${ORIGIN}/entries`]);
});

// A navigation to a page never kept here, with no network: the offline page, in the language the
// island told the worker (kept in the cache, so a restarted worker still has it).
function offlineWorker(stored = new Map()) {
  const cache = { put: async (key, response) => stored.set(String(key), response.clone()) };
  const listeners = {};
  const scope = {
    location: new URL(`${ORIGIN}/sw.js`),
    addEventListener: (type, listener) => { listeners[type] = listener; },
    caches: { open: async () => cache, match: async (key) => stored.get(String(key))?.clone() },
    fetch: async () => { throw new TypeError("Failed to fetch"); },
    URL, Response,
  };
  scope.self = scope;
  vm.runInNewContext(SOURCE, scope);
  const navigate = async (path, mode = "navigate") => {
    let answered;
    const request = { method: "GET", url: ORIGIN + path, mode };
    listeners.fetch({ request, respondWith: (p) => { answered = p; } });
    return answered;
  };
  const tell = (data) => new Promise((resolve) => {
    listeners.message({ data, waitUntil: resolve });
  });
  return { stored, navigate, tell };
}

test("offline, a page never kept shows the offline page, in English before any words came", async () => {
  const sw = offlineWorker();
  const page = await sw.navigate("/trends");
  assert.equal(page.status, 503);
  const html = await page.text();
  assert.match(html, /<html lang="en">/);
  assert.match(html, /No network/);
  assert.match(html, /href="\/capture"/);
  await assert.rejects(sw.navigate("/assets/chunk-9.js", "no-cors"), TypeError);
});

test("the offline page speaks the language the island posted, even after a restart", async () => {
  const sw = offlineWorker();
  await sw.tell({ type: "words", lang: "sr-Cyrl",
                  messages: { "No network": "Нема мреже", "Try again": "<b>Поново</b>",
                              "{count} waiting to send": { one: "x", other: "y" } } });
  const again = offlineWorker(sw.stored); // a new worker, the same cache
  const html = await (await again.navigate("/screening")).text();
  assert.match(html, /<html lang="sr-Cyrl">/);
  assert.match(html, /Нема мреже/);
  assert.match(html, /&lt;b&gt;Поново&lt;\/b&gt;/);
});

test("words that are not a locale's are ignored", async () => {
  const sw = offlineWorker();
  await sw.tell({ type: "words", lang: "\"><script>", messages: { "No network": "x" } });
  await sw.tell({ type: "words", lang: "sq", messages: null });
  assert.match(await (await sw.navigate("/x")).text(), /<html lang="en">[\s\S]*No network/);
});
