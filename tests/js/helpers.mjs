// Fakes shared by the capture-island tests: an in-memory IndexedDB, the server's two
// endpoints, Web Locks, and timers.
import "fake-indexeddb/auto";
import { randomUUID } from "node:crypto";

import { openOutbox } from "../../assets/island/outbox.js";

export const DAY = 24 * 60 * 60 * 1000;
export const T0 = Date.UTC(2026, 2, 2, 9, 0);

let dbCount = 0;
export function freshOutbox() {
  dbCount += 1;
  return openOutbox(`wingwatch-test-${process.pid}-${dbCount}`);
}

// Not a real envelope (the outbox never opens one), but shaped like a JWE compact string.
export function fakeSealed(tag = "x") {
  return `hdr.key.iv.${tag}.tag`;
}

export function summary(overrides = {}) {
  return { occurred_at: "2026-03-02T08:30:00+00:00", wing: "A", categories: ["2"], flag: false,
           ...overrides };
}

export async function addEntries(outbox, officerId, count, start = T0) {
  const ids = [];
  for (let i = 0; i < count; i += 1) {
    const id = randomUUID();
    await outbox.add(officerId, { id, sealed: fakeSealed(id), summary: summary() }, start + i);
    ids.push(id);
  }
  return ids;
}

function jsonResponse(status, body) {
  return { status, ok: status >= 200 && status < 300, json: async () => body };
}

// The API as syncOnce sees it. `health`: a status, or "down" (the fetch throws). `sync`: a
// status, "throw", or a function (body) => {status, body} — by default every item "created".
// `onPost`: awaited before answering a POST (to hold a pass in flight).
export function fakeServer({ health = 200, sync = null, delayMs = 0 } = {}) {
  const server = {
    health, sync, posts: [], healthChecks: 0, onPost: null,
    fetch: async (url, init = {}) => {
      if (url.endsWith("/api/v1/health")) {
        server.healthChecks += 1;
        if (server.health === "down") throw new TypeError("Failed to fetch");
        return jsonResponse(server.health, server.health === 200
          ? { status: "ok", database: "ok" } : { status: "degraded", database: "unreachable" });
      }
      if (url.endsWith("/api/v1/observations/sync") && init.method === "POST") {
        const body = JSON.parse(init.body);
        server.posts.push({ body, headers: init.headers });
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
        if (server.onPost) await server.onPost();
        const answer = server.sync;
        if (answer === "throw") throw new TypeError("network changed");
        if (typeof answer === "number") {
          return jsonResponse(answer, { error: { code: "x", message: `status ${answer}` } });
        }
        if (typeof answer === "function") {
          const { status, body: out } = answer(body);
          return jsonResponse(status, out);
        }
        return jsonResponse(200, { results: body.items.map((it) => (
          { id: it.id, status: "created", error: null })) });
      }
      return jsonResponse(404, { error: { code: "not_found", message: "no route" } });
    },
  };
  return server;
}

// Resolves once check() is true (polling between macrotasks), or fails after ~2 s.
export async function until(check, what = "condition") {
  for (let i = 0; i < 2000; i += 1) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 1));
  }
  throw new Error(`timed out waiting for ${what}`);
}

// navigator.locks with the one mode syncOnce uses: exclusive, ifAvailable.
export function fakeLocks() {
  const held = new Set();
  return {
    held,
    async request(name, options, callback) {
      if (held.has(name)) {
        if (options?.ifAvailable) return callback(null);
        throw new Error("fakeLocks: only ifAvailable is implemented");
      }
      held.add(name);
      try {
        return await callback({ name, mode: "exclusive" });
      } finally {
        held.delete(name);
      }
    },
  };
}

// setTimeout/clearTimeout under test control: fire() runs the pending callbacks.
export function fakeTimers() {
  let next = 1;
  const pending = new Map();
  return {
    pending,
    setTimer: (fn, ms) => { const id = next++; pending.set(id, { fn, ms }); return id; },
    clearTimer: (id) => { pending.delete(id); },
    delays: () => [...pending.values()].map((t) => t.ms),
    async fire() {
      const due = [...pending.entries()];
      pending.clear();
      await Promise.all(due.map(([, t]) => t.fn()));
    },
  };
}
