// sync.js: classification, backoff, one sync pass against a fake server, and the scheduler.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { describe, test } from "node:test";

import { MAX_BODY_BYTES, TokenRefused, backoffDelay, classify, createScheduler, reportDevice,
         syncOnce } from "../../assets/island/sync.js";
import { openVault } from "../../assets/island/vault.js";
import { T0, addEntries, fakeSealed, summary, fakeLocks, fakeServer, fakeTimers, freshOutbox, until }
  from "./helpers.mjs";

const A = "officer-a";
const B = "officer-b";

function run(outbox, server, extra = {}) {
  return syncOnce({ outbox, officerId: A, getToken: async () => "tok-a", fetch: server.fetch,
                    verify: async () => true,
                    deviceId: "tablet-7", now: () => T0 + 1000, locks: fakeLocks(), ...extra });
}

describe("classify", () => {
  const table = {
    ok: [200],
    reauth: [401],
    retry: [0, 408, 409, 425, 429, 500, 502, 503, 504, 599],
    stop: [400, 403, 404, 405, 413, 415, 422, 423],
  };
  for (const [verdict, statuses] of Object.entries(table)) {
    test(`${verdict}: ${statuses.join(", ")}`, () => {
      for (const status of statuses) assert.equal(classify(status), verdict, `status ${status}`);
    });
  }
});

describe("backoffDelay", () => {
  test("attempt 0 waits 1–2 s, and each attempt doubles the window", () => {
    assert.equal(backoffDelay(0, () => 0), 1000);
    assert.ok(backoffDelay(0, () => 0.999999) < 2000);
    for (let attempt = 0; attempt < 8; attempt += 1) {
      const low = 2 ** attempt * 1000;
      for (const r of [0, 0.25, 0.5, 0.999999]) {
        const delay = backoffDelay(attempt, () => r);
        assert.ok(delay >= low && delay < 2 * low, `attempt ${attempt}: ${delay}`);
      }
    }
  });

  test("caps at 300 s, with jitter over its upper half", () => {
    for (const attempt of [8, 9, 20, 1024, 1e9]) {
      assert.equal(backoffDelay(attempt, () => 0), 150_000);
      assert.ok(backoffDelay(attempt, () => 0.999999) <= 300_000);
    }
    const seen = new Set(Array.from({ length: 50 }, () => backoffDelay(10)));
    assert.ok(seen.size > 40, "random jitter, not a fixed delay");
    for (const delay of seen) assert.ok(delay >= 150_000 && delay <= 300_000);
    assert.equal(backoffDelay(-3, () => 0), 1000);
  });
});

describe("syncOnce", () => {
  test("nothing waiting: no request at all", async () => {
    const outbox = await freshOutbox();
    const server = fakeServer();
    assert.equal((await run(outbox, server)).outcome, "nothing");
    assert.equal(server.healthChecks + server.posts.length, 0);
  });

  test("server unreachable (health fails): offline, nothing posted", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    for (const health of ["down", 404]) {
      const server = fakeServer({ health });
      assert.equal((await run(outbox, server)).outcome, "offline");
      assert.equal(server.posts.length, 0);
    }
    const degraded = fakeServer({ health: 503 });
    assert.equal((await run(outbox, degraded)).outcome, "retry");
    assert.equal(degraded.posts.length, 0);
    assert.equal(await outbox.waitingCount(A), 2);
  });

  test("401: reauth, entries kept", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    const result = await run(outbox, fakeServer({ sync: 401 }));
    assert.equal(result.outcome, "reauth");
    assert.equal(await outbox.waitingCount(A), 2);
    const refused = fakeServer();
    const getToken = async () => { throw new TokenRefused("reauth"); };
    assert.equal((await run(outbox, refused, { getToken })).outcome, "reauth");
    assert.equal(refused.posts.length, 0);
  });

  test("no token because of the network (a blip at the token request): retry, not reauth",
       async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer();
    const blip = async () => { throw new TypeError("Failed to fetch"); };
    for (const getToken of [blip, async () => null]) {
      assert.equal((await run(outbox, server, { getToken })).outcome, "retry");
    }
    assert.equal(server.posts.length, 0);
    assert.equal(await outbox.waitingCount(A), 1);
  });

  test("the server session is locked (423 at the token request): locked, entries kept",
       async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer();
    const getToken = async () => { throw new TokenRefused("locked"); };
    assert.equal((await run(outbox, server, { getToken })).outcome, "locked");
    assert.equal(server.posts.length, 0);
  });

  test("500, 429, 409 busy or a lost answer: retry, entries kept", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    for (const sync of [500, 429, 409, "throw"]) {
      assert.equal((await run(outbox, fakeServer({ sync }))).outcome, "retry", String(sync));
    }
    assert.equal(await outbox.waitingCount(A), 2);
    assert.deepEqual((await outbox.waiting(A)).map((e) => e.attempts), [4, 4]);
    assert.equal(await outbox.getMeta(A, "lastSuccessAt"), undefined);
  });

  test("another 4xx: stop with the server's message, entries kept", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const result = await run(outbox, fakeServer({ sync: 422 }));
    assert.deepEqual([result.outcome, result.error], ["stop", "status 422"]);
    assert.equal(await outbox.waitingCount(A), 1);
  });

  test("200 with mixed results: applied, counted, lastSuccessAt set", async () => {
    const outbox = await freshOutbox();
    const ids = await addEntries(outbox, A, 4);
    await addEntries(outbox, B, 1);
    const statuses = ["created", "duplicate", "rejected", "conflict"];
    const server = fakeServer({ sync: (body) => ({ status: 200, body: { results: body.items.map(
      (it, i) => ({ id: it.id, status: statuses[i],
                    error: i < 2 ? null : { field: "facts", message: `no ${i}` } })) } }) });
    const result = await run(outbox, server);
    assert.deepEqual(result, { outcome: "sent", created: 1, duplicate: 1, problems: 2 });
    assert.equal(server.posts.length, 1);
    const { body, headers } = server.posts[0];
    assert.equal(headers.authorization, "Bearer tok-a");
    assert.equal(body.device_id, "tablet-7");
    assert.deepEqual(body.items.map((it) => it.id), ids, "only A's entries, oldest first");
    assert.deepEqual(Object.keys(body.items[0]).sort(), ["id", "sealed"]);
    assert.equal(await outbox.waitingCount(A), 0);
    assert.equal((await outbox.receipts(A, T0 + 1000)).length, 2);
    assert.deepEqual((await outbox.problems(A)).map((p) => p.reason.message), ["no 2", "no 3"]);
    assert.equal(await outbox.getMeta(A, "lastSuccessAt"), T0 + 1000);
    assert.equal(await outbox.waitingCount(B), 1);
    // problems are never sent again
    assert.equal((await run(outbox, server)).outcome, "nothing");
    assert.equal(server.posts.length, 1);
  });

  test("each entry goes with the language it was written in; older entries with none", async () => {
    const outbox = await freshOutbox();
    const [old] = await addEntries(outbox, A, 1);
    const fresh = randomUUID();
    await outbox.add(A, { id: fresh, sealed: fakeSealed("sq"), summary: summary(), locale: "sr-Cyrl" },
                     T0 + 1);
    const forged = randomUUID();
    await outbox.add(A, { id: forged, sealed: fakeSealed("f"), summary: summary(),
                          locale: "en\"},{\"x" }, T0 + 2);
    const server = fakeServer();
    await run(outbox, server);
    const items = server.posts[0].body.items;
    assert.deepEqual(items.map((it) => [it.id, it.locale]),
                     [[old, undefined], [fresh, "sr-Cyrl"], [forged, undefined]]);
    assert.deepEqual(Object.keys(items[0]).sort(), ["id", "sealed"]);
    assert.deepEqual(Object.keys(items[1]).sort(), ["id", "locale", "sealed"]);
  });

  test("an entry whose tag does not verify becomes a problem and is never sent", async () => {
    const outbox = await freshOutbox();
    const vault = await openVault(A, new Uint8Array(32).fill(7));
    const mine = randomUUID();
    const entry = { id: mine, sealed: fakeSealed("mine"), summary: summary() };
    await outbox.add(A, { ...entry, tag: await vault.tag({ ...entry, officerId: A }) }, T0);
    // Dropped in by a script (or by officer B) with no tag, a guessed one, or A's tag of another
    // blob: none of them verifies under A's key.
    const foreign = [undefined, "AAAA", await vault.tag({ ...entry, officerId: A })];
    for (const [i, tag] of foreign.entries()) {
      await outbox.add(A, { id: `foreign-${i}`, sealed: fakeSealed(`other-${i}`), summary: summary(),
                            tag }, T0 + 1 + i);
    }
    const server = fakeServer();
    const result = await run(outbox, server, { verify: vault.verify });
    assert.deepEqual([result.outcome, result.created, result.problems], ["sent", 1, 3]);
    assert.deepEqual(server.posts.flatMap((p) => p.body.items.map((it) => it.id)), [mine]);
    const problems = await outbox.problems(A);
    assert.deepEqual(problems.map((p) => p.id).sort(), ["foreign-0", "foreign-1", "foreign-2"]);
    assert.ok(problems.every((p) => p.status === "refused" && p.reason.code === "refused"));
    assert.equal(await outbox.waitingCount(A), 0);
  });

  test("only foreign entries: nothing is posted, not even a token is asked for", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    const server = fakeServer();
    let asked = 0;
    const result = await run(outbox, server, { verify: async () => false,
                                               getToken: async () => { asked += 1; return "t"; } });
    assert.deepEqual([result.outcome, result.problems, asked, server.posts.length],
                     ["nothing", 2, 0, 0]);
  });

  test("1201 entries go in chunks of at most 500, each entry once", async () => {
    const outbox = await freshOutbox();
    const ids = await addEntries(outbox, A, 1201);
    const server = fakeServer();
    const result = await run(outbox, server);
    assert.deepEqual([result.outcome, result.created], ["sent", 1201]);
    assert.deepEqual(server.posts.map((p) => p.body.items.length), [500, 500, 201]);
    assert.deepEqual(server.posts.flatMap((p) => p.body.items.map((it) => it.id)), ids);
  });

  test("long entries go in requests under the server's body limit, each entry once", async () => {
    const outbox = await freshOutbox();
    const ids = [];
    for (let i = 0; i < 5; i += 1) { // ~600 kB each: what 4000-character texts seal to, and more
      const id = randomUUID();
      await outbox.add(A, { id, sealed: fakeSealed("z".repeat(600_000) + i), summary: summary() },
                       T0 + i);
      ids.push(id);
    }
    const server = fakeServer();
    const result = await run(outbox, server);
    assert.deepEqual([result.outcome, result.created], ["sent", 5]);
    const sizes = server.posts.map((p) => JSON.stringify(p.body).length);
    assert.ok(sizes.every((size) => size <= MAX_BODY_BYTES), `bodies of ${sizes}`);
    assert.deepEqual(server.posts.flatMap((p) => p.body.items.map((it) => it.id)), ids);
  });

  test("a server that leaves items unanswered does not loop forever", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 3);
    const server = fakeServer({ sync: () => ({ status: 200, body: { results: [] } }) });
    assert.equal((await run(outbox, server)).outcome, "sent");
    assert.equal(server.posts.length, 1);
    assert.equal(await outbox.waitingCount(A), 3);
  });

  test("two concurrent passes (two tabs) never post the same entry twice", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 30);
    const server = fakeServer({ delayMs: 20 });
    const locks = fakeLocks();
    const results = await Promise.all([run(outbox, server, { locks }),
                                       run(outbox, server, { locks })]);
    assert.deepEqual(results.map((r) => r.outcome).sort(), ["busy", "sent"]);
    const posted = server.posts.flatMap((p) => p.body.items.map((it) => it.id));
    assert.equal(posted.length, 30);
    assert.equal(new Set(posted).size, 30);
    assert.equal(locks.held.size, 0, "the lock is released");
  });

  test("the lock is per officer: B's pass is not blocked by A's", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    await addEntries(outbox, B, 2);
    const server = fakeServer({ delayMs: 20 });
    const locks = fakeLocks();
    const results = await Promise.all([
      run(outbox, server, { locks }),
      run(outbox, server, { locks, officerId: B, getToken: async () => "tok-b" })]);
    assert.deepEqual(results.map((r) => r.outcome), ["sent", "sent"]);
    assert.deepEqual(server.posts.map((p) => p.headers.authorization).sort(),
                     ["Bearer tok-a", "Bearer tok-b"]);
  });
});

describe("scheduler", () => {
  function setup(server, outbox, extra = {}) {
    const timers = fakeTimers();
    const win = new EventTarget();
    const doc = Object.assign(new EventTarget(), { visibilityState: "visible" });
    const states = [];
    let clock = T0;
    const scheduler = createScheduler({
      outbox, officerId: A, getToken: async () => "tok-a", deviceId: "tablet-7",
      verify: async () => true, fetch: server.fetch, locks: fakeLocks(), now: () => clock, random: () => 0,
      setTimer: timers.setTimer, clearTimer: timers.clearTimer, win, doc,
      onChange: (state) => states.push(state), ...extra,
    });
    return { scheduler, timers, win, doc, states, tick: (ms) => { clock += ms; } };
  }

  test("retries with growing backoff; Send now resets it; success clears the timer", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2);
    const server = fakeServer({ sync: 500 });
    const { scheduler, timers, states } = setup(server, outbox);
    await scheduler.start();
    assert.deepEqual(timers.delays(), [1000]);
    assert.deepEqual(states.at(-1), { waitingCount: 2, lastSuccessAt: null, nextRetryAt: T0 + 1000,
                                      outcome: "retry", problems: [], paused: false, error: null });
    await timers.fire();
    assert.deepEqual(timers.delays(), [2000]);
    await timers.fire();
    assert.deepEqual(timers.delays(), [4000]);
    await scheduler.sendNow();
    assert.deepEqual(timers.delays(), [1000], "Send now resets the backoff");
    assert.equal(server.posts.length, 4);
    server.sync = null;
    await timers.fire();
    assert.deepEqual(timers.delays(), []);
    assert.deepEqual(states.at(-1), { waitingCount: 0, lastSuccessAt: T0, nextRetryAt: null,
                                      outcome: "sent", problems: [], paused: false, error: null });
    scheduler.stop();
  });

  test("reauth stops retries until resume() after a new sign-in", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer({ sync: 401 });
    const { scheduler, timers, win, states } = setup(server, outbox);
    await scheduler.start();
    assert.equal(states.at(-1).outcome, "reauth");
    assert.equal(states.at(-1).paused, true);
    assert.deepEqual(timers.delays(), [], "no retry timer");
    await addEntries(outbox, A, 1, T0 + 5);
    await scheduler.saved();
    win.dispatchEvent(new Event("online"));
    await new Promise((r) => setImmediate(r));
    assert.equal(server.posts.length, 1, "nothing sent by itself while paused");
    assert.equal(states.at(-1).waitingCount, 2, "the count still follows saves");
    await scheduler.sendNow();
    assert.equal(server.posts.length, 2, "Send now tries at once, even when paused");
    assert.equal(states.at(-1).paused, true, "a second real 401 pauses again");
    server.sync = null;
    await scheduler.resume();
    assert.equal(server.posts.length, 3);
    assert.deepEqual([states.at(-1).outcome, states.at(-1).waitingCount], ["sent", 0]);
    scheduler.stop();
  });

  test("a blip at the token request is retried with backoff, never paused", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer();
    const { scheduler, timers, states } = setup(server, outbox, {
      getToken: async () => {
        if (server.healthChecks === 1) throw new TypeError("Failed to fetch");
        return "tok-a";
      } });
    await scheduler.start();
    assert.deepEqual([states.at(-1).outcome, states.at(-1).paused], ["retry", false]);
    assert.deepEqual(timers.delays(), [1000]);
    await timers.fire();
    assert.deepEqual([states.at(-1).outcome, states.at(-1).waitingCount], ["sent", 0]);
    scheduler.stop();
  });

  test("runs on online, on becoming visible, and again after a save during a pass", async () => {
    const outbox = await freshOutbox();
    const server = fakeServer({ health: "down" });
    const { scheduler, timers, win, doc, states } = setup(server, outbox);
    await scheduler.start();
    assert.equal(states.at(-1).outcome, "nothing");
    await addEntries(outbox, A, 1);
    await scheduler.saved();
    assert.equal(states.at(-1).outcome, "offline");
    assert.deepEqual(timers.delays(), [1000]);

    server.health = 200;
    win.dispatchEvent(new Event("online"));
    await until(() => states.at(-1).outcome === "sent", "the run after online");
    assert.equal(server.posts.length, 1);
    assert.deepEqual(timers.delays(), [], "the pending retry was replaced by the run");

    await addEntries(outbox, A, 1, T0 + 5);
    doc.visibilityState = "hidden";
    doc.dispatchEvent(new Event("visibilitychange"));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.posts.length, 1, "hidden: no run");

    // visible again: a pass starts; a save while it is posting goes in a second pass after it
    let release;
    server.onPost = () => new Promise((r) => { release = r; });
    doc.visibilityState = "visible";
    doc.dispatchEvent(new Event("visibilitychange"));
    await until(() => server.posts.length === 2, "the run after visibilitychange");
    await addEntries(outbox, A, 1, T0 + 6);
    const saved = scheduler.saved();
    server.onPost = null;
    release();
    await saved;
    assert.equal(server.posts.length, 3);
    assert.equal(states.at(-1).waitingCount, 0);

    scheduler.stop();
    await addEntries(outbox, A, 1, T0 + 7);
    win.dispatchEvent(new Event("online"));
    await new Promise((r) => setTimeout(r, 20));
    assert.equal(server.posts.length, 3, "stopped: listeners removed");
  });

  test("stop (a client bug) and busy (another tab): no hammering", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer({ sync: 422 });
    const { scheduler, timers, states } = setup(server, outbox);
    await scheduler.start();
    assert.deepEqual([states.at(-1).outcome, states.at(-1).error], ["stop", "status 422"]);
    assert.deepEqual(timers.delays(), [], "no automatic retry after stop");
    scheduler.stop();

    const locks = fakeLocks();
    locks.held.add(`wingwatch-sync-${A}`); // the other tab is sending
    const timers2 = fakeTimers();
    const busy = createScheduler({
      outbox, officerId: A, getToken: async () => "tok-a", deviceId: "t", fetch: server.fetch,
      verify: async () => true,
      locks, random: () => 0, setTimer: timers2.setTimer, clearTimer: timers2.clearTimer,
      win: null, doc: null, onChange: (s) => states.push(s) });
    await busy.start();
    assert.equal(states.at(-1).outcome, "busy");
    assert.deepEqual(timers2.delays(), [1000], "checks again later");
    busy.stop();
  });
});

describe("reportDevice", () => {
  function reporter() {
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url, headers: init.headers, body: JSON.parse(init.body) });
      return { status: 204 };
    };
    return { calls, fetch };
  }

  test("sends the officer's waiting count and oldest time, no content, with the bearer token", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 2, T0);
    await addEntries(outbox, B, 5, T0 - 1000); // another officer's: never counted for A
    const { calls, fetch } = reporter();
    const status = await reportDevice({ outbox, officerId: A, getToken: async () => "tok-a",
                                        deviceId: "tablet-7", appVersion: "0.1.0", fetch });
    assert.equal(status, 204);
    assert.equal(calls.length, 1);
    assert.ok(calls[0].url.endsWith("/api/v1/devices/report"));
    assert.equal(calls[0].headers.authorization, "Bearer tok-a");
    assert.deepEqual(calls[0].body, { device_id: "tablet-7", waiting: 2, app_version: "0.1.0",
                                      oldest_waiting_at: new Date(T0).toISOString() });
  });

  test("nothing waiting: no oldest time; a failure is quiet", async () => {
    const outbox = await freshOutbox();
    const { calls, fetch } = reporter();
    await reportDevice({ outbox, officerId: A, getToken: async () => "tok-a", deviceId: "t",
                         appVersion: "1", fetch });
    assert.deepEqual([calls[0].body.waiting, calls[0].body.oldest_waiting_at], [0, null]);
    const failed = await reportDevice({ outbox, officerId: A, deviceId: "t", appVersion: "1",
                                        getToken: async () => { throw new TokenRefused("reauth"); },
                                        fetch });
    assert.equal(failed, 0);
  });

  test("the scheduler reports after each round the server may have heard, not when offline", async () => {
    const outbox = await freshOutbox();
    await addEntries(outbox, A, 1);
    const server = fakeServer({ health: "down" });
    const rounds = [];
    const scheduler = createScheduler({
      outbox, officerId: A, getToken: async () => "tok-a", deviceId: "tablet-7",
      verify: async () => true, fetch: server.fetch, locks: fakeLocks(), now: () => T0,
      random: () => 0, setTimer: () => 1, clearTimer: () => {}, win: new EventTarget(),
      doc: Object.assign(new EventTarget(), { visibilityState: "visible" }),
      afterRound: async (outcome) => { rounds.push(outcome); throw new Error("ignored"); },
    });
    await scheduler.start();
    assert.deepEqual(rounds, [], "offline: nothing to tell");
    server.health = 200;
    await scheduler.sendNow();
    assert.deepEqual(rounds, ["sent"]);
    await scheduler.saved();
    assert.deepEqual(rounds, ["sent", "nothing"], "a round with nothing to send still reports");
    scheduler.stop();
  });
});
