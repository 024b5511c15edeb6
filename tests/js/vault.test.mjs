// vault.js and the outbox's use of it: the officer's key, the encrypted bootstrap, entry tags,
// and the outbox's upgrade from version 1 (no tags, roster in clear).
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { before, test } from "node:test";

import { openDB } from "idb";

import { openOutbox } from "../../assets/island/outbox.js";
import { ITERATIONS, deriveKey, dropKey, heldKey, holdKey, openVault }
  from "../../assets/island/vault.js";
import { T0, addEntries, fakeSealed, freshOutbox, summary } from "./helpers.mjs";

const A = "officer-a";
const B = "officer-b";
const PASSWORD = "Correct horse, wing C ✓";

function memoryStorage() {
  const map = new Map();
  return { getItem: (k) => (map.has(k) ? map.get(k) : null), setItem: (k, v) => map.set(k, String(v)),
           removeItem: (k) => map.delete(k), map };
}

function bootstrap(officerId, names) {
  return { user: { id: officerId, username: "officer1", display_name: "Officer Ana", wings: ["A"] },
           roster: names.map((name, i) => ({ id: `p${i}`, name, number: `N-${i}`, wing: "A" })),
           catalogue: { version: 1 }, locations: [] };
}

function rawRows(outbox, store) {
  return outbox.db.getAll(store);
}

let tablet;
let key;
before(async () => {
  tablet = memoryStorage();
  key = await deriveKey(PASSWORD, "Officer1", tablet);
});

test("the key comes from the password, the username and this tablet's salt", async () => {
  assert.equal(ITERATIONS, 600_000);
  assert.equal(key.length, 32);
  assert.deepEqual(await deriveKey(PASSWORD, " officer1 ", tablet), key, "same officer, same key");
  assert.notDeepEqual(await deriveKey("correct horse, wing C ✓", "officer1", tablet), key);
  assert.notDeepEqual(await deriveKey(PASSWORD, "officer2", tablet), key);
  assert.notDeepEqual(await deriveKey(PASSWORD, "officer1", memoryStorage()), key,
                      "another tablet, another salt");
  assert.ok(![...tablet.map.values()].some((v) => v.includes("horse")));
});

test("the tab holds the raw key for one officer only, until it is dropped", () => {
  const tab = memoryStorage();
  holdKey(A, key, tab);
  assert.deepEqual(heldKey(A, tab), key);
  assert.equal(heldKey(B, tab), null);
  dropKey(tab);
  assert.equal(heldKey(A, tab), null);
});

test("the cached bootstrap is encrypted at rest and replaced whole", async () => {
  const outbox = await freshOutbox();
  const vault = await openVault(A, key);
  await outbox.cacheBootstrap(vault, bootstrap(A, ["Marko Petrović", "Ilir Gashi"]));
  const stored = JSON.stringify(await rawRows(outbox, "meta"));
  assert.ok(!stored.includes("Petrović") && !stored.includes("N-0"), "no roster in clear");
  assert.ok(stored.includes("Officer Ana"), "the officer's own name stays for the lock screen");
  assert.deepEqual((await outbox.cachedBootstrap(vault)).roster.map((p) => p.name),
                   ["Marko Petrović", "Ilir Gashi"]);
  // Postings changed: the next online start brings another roster, and only it is kept.
  await outbox.cacheBootstrap(vault, bootstrap(A, ["Dritan Hoxha"]));
  assert.deepEqual((await outbox.cachedBootstrap(vault)).roster.map((p) => p.name),
                   ["Dritan Hoxha"]);
  assert.ok(!JSON.stringify(await rawRows(outbox, "meta")).includes("Ilir"));
});

test("the bootstrap opens only with the right password and for its own officer", async () => {
  const outbox = await freshOutbox();
  await outbox.cacheBootstrap(await openVault(A, key), bootstrap(A, ["Marko Petrović"]));
  const wrong = await openVault(A, await deriveKey("guess", "officer1", tablet));
  assert.equal(await outbox.cachedBootstrap(wrong), null);
  // B's row holding A's box (copied across by a script) does not open under B's id.
  await outbox.setMeta(B, "bootstrap", await outbox.getMeta(A, "bootstrap"));
  assert.equal(await outbox.cachedBootstrap(await openVault(B, key)), null);
});

test("a tag binds id, officer and sealed blob to the officer's key", async () => {
  const vault = await openVault(A, key);
  const entry = { id: randomUUID(), officerId: A, sealed: fakeSealed("x") };
  const tag = await vault.tag(entry);
  assert.equal(await vault.verify({ ...entry, tag }), true);
  assert.equal(await vault.verify({ ...entry, tag, sealed: fakeSealed("y") }), false);
  assert.equal(await vault.verify({ ...entry, tag, id: randomUUID() }), false);
  assert.equal(await vault.verify({ ...entry, tag, officerId: B }), false);
  assert.equal(await vault.verify({ ...entry, tag: "not base64 !" }), false);
  assert.equal(await vault.verify({ ...entry }), false);
  const other = await openVault(A, await deriveKey(PASSWORD, "officer2", tablet));
  assert.equal(await other.verify({ ...entry, tag }), false, "another officer's key");
});

test("forget wipes an officer's cache only when nothing of theirs waits", async () => {
  const outbox = await freshOutbox();
  await outbox.cacheBootstrap(await openVault(A, key), bootstrap(A, ["Marko Petrović"]));
  await outbox.cacheBootstrap(await openVault(B, key), bootstrap(B, ["Ilir Gashi"]));
  await outbox.setMeta(A, "verifier", { salt: "s" });
  await addEntries(outbox, B, 1);
  await outbox.forget([A, B]);
  assert.deepEqual(await outbox.officersKept(), [B]);
  assert.equal(await outbox.getMeta(A, "verifier"), undefined);
  assert.ok(await outbox.getMeta(B, "bootstrap"), "B's entry waits: B can still unlock offline");
});

test("version 1 outboxes: waiting entries are tagged at their officer's unlock, rosters go",
     async () => {
  const name = `wingwatch-v1-${randomUUID()}`;
  const v1 = await openDB(name, 1, { upgrade(db) {
    db.createObjectStore("entries", { keyPath: "id" })
      .createIndex("officerState", ["officerId", "state", "createdAt"]);
    db.createObjectStore("meta", { keyPath: ["officerId", "key"] });
  } });
  const old = { id: randomUUID(), officerId: A, sealed: fakeSealed("old"), summary: summary(),
                createdAt: T0, state: "waiting", attempts: 0 };
  await v1.put("entries", old);
  await v1.put("entries", { ...old, id: randomUUID(), officerId: B });
  await v1.put("meta", { officerId: A, key: "bootstrap", value: bootstrap(A, ["Marko Petrović"]) });
  v1.close();

  const outbox = await openOutbox(name);
  assert.equal(outbox.db.version, 3);
  assert.equal(await outbox.getMeta(A, "bootstrap"), undefined, "the clear roster is gone");
  const vault = await openVault(A, key);
  const [before] = await outbox.waiting(A);
  assert.equal(await vault.verify(before), false, "untagged until A unlocks");
  // An untagged entry written after the upgrade is not from version 1: it is never adopted.
  await outbox.add(A, { id: randomUUID(), sealed: fakeSealed("late"), summary: summary() }, T0 + 1);
  await outbox.adoptV1(vault);
  const verdicts = await Promise.all((await outbox.waiting(A)).map((e) => vault.verify(e)));
  assert.deepEqual(verdicts, [true, false]);
  assert.ok((await outbox.waiting(A)).every((e) => !("v1" in e)));
  assert.equal((await outbox.waiting(B))[0].v1, true, "B's wait for B's own unlock");
});
