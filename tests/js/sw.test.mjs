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
