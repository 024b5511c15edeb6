// outbox.js: states of an entry, durability of add, receipts, and officers kept apart.
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import { test } from "node:test";

import { openDB } from "idb";

import { openOutbox } from "../../assets/island/outbox.js";
import { DAY, T0, addEntries, fakeSealed, freshOutbox, summary } from "./helpers.mjs";

const A = "officer-a";
const B = "officer-b";

test("an added entry waits, oldest first, with only the summary in clear", async () => {
  const outbox = await freshOutbox();
  const first = randomUUID();
  const second = randomUUID();
  await outbox.add(A, { id: second, sealed: fakeSealed(), summary: summary() }, T0 + 10);
  await outbox.add(A, { id: first, sealed: fakeSealed(), tag: "t",
                        summary: { ...summary(), facts: "must not be kept", prisoner_id: "p1" } },
                   T0);
  const waiting = await outbox.waiting(A);
  assert.deepEqual(waiting.map((e) => e.id), [first, second]);
  assert.deepEqual(waiting[0], { id: first, officerId: A, sealed: fakeSealed(), tag: "t",
                                 summary: summary(), createdAt: T0, state: "waiting",
                                 attempts: 0 });
  assert.equal(await outbox.waitingCount(A), 2);
  assert.equal(await outbox.oldestWaitingAt(A), T0);
  assert.deepEqual((await outbox.waiting(A, 1)).map((e) => e.id), [first]);
});

test("add refuses plaintext and never overwrites an entry with the same id", async () => {
  const outbox = await freshOutbox();
  const id = randomUUID();
  await assert.rejects(outbox.add(A, { id, sealed: { facts: "plain" }, summary: summary() }, T0),
                       /sealed/);
  await assert.rejects(outbox.add(A, { id, sealed: "plain words", summary: summary() }, T0));
  await outbox.add(A, { id, sealed: fakeSealed("one"), summary: summary() }, T0);
  await assert.rejects(outbox.add(A, { id, sealed: fakeSealed("two"), summary: summary() }, T0),
                       { name: "ConstraintError" });
  assert.equal((await outbox.waiting(A))[0].sealed, fakeSealed("one"));
});

test("add resolves only after its transaction has committed", async () => {
  const outbox = await freshOutbox();
  const order = [];
  const realAdd = IDBObjectStore.prototype.add;
  IDBObjectStore.prototype.add = function (...args) {
    this.transaction.addEventListener("complete", () => order.push("committed"));
    return realAdd.apply(this, args);
  };
  try {
    await outbox.add(A, { id: randomUUID(), sealed: fakeSealed(), summary: summary() }, T0);
    order.push("add resolved");
  } finally {
    IDBObjectStore.prototype.add = realAdd;
  }
  assert.deepEqual(order, ["committed", "add resolved"]);
  // and the entry is there for any other connection to the same database
  const other = await (await import("../../assets/island/outbox.js"))
    .openOutbox(outbox.db.name);
  assert.equal(await other.waitingCount(A), 1);
  other.close();
});

test("created/duplicate become receipts without the sealed blob; rejected/conflict problems",
  async () => {
    const outbox = await freshOutbox();
    const [created, duplicate, rejected, conflict, untouched] = await addEntries(outbox, A, 5);
    await outbox.applyResults(A, [
      { id: created, status: "created", error: null },
      { id: duplicate, status: "duplicate", error: null },
      { id: rejected, status: "rejected",
        error: { field: "prisoner_id", code: "not_on_wing", message: "Not on your wings." } },
      { id: conflict, status: "conflict",
        error: { field: "id", message: "This id was stored before with different content." } },
      { id: randomUUID(), status: "created", error: null }, // unknown: ignored
      { id: null, status: "rejected", error: { field: "id", message: "Must be a UUID." } },
    ], T0 + DAY);

    assert.deepEqual((await outbox.waiting(A)).map((e) => e.id), [untouched]);
    assert.equal(await outbox.waitingCount(A), 1);
    const receipts = await outbox.receipts(A, T0 + DAY);
    assert.deepEqual(receipts.map((r) => r.id).sort(), [created, duplicate].sort());
    for (const receipt of receipts) {
      assert.deepEqual(Object.keys(receipt).sort(), ["createdAt", "id", "sentAt", "summary"]);
      assert.equal(receipt.sentAt, T0 + DAY);
    }
    for (const id of [created, duplicate, rejected, conflict]) {
      const stored = await outbox.db.get("entries", id);
      assert.equal(stored.sealed, undefined, "no sealed blob once the server has answered");
    }
    const problems = await outbox.problems(A);
    assert.deepEqual(problems.map(({ id, status, reason }) => ({ id, status, reason })), [
      { id: rejected, status: "rejected",
        reason: { code: "not_on_wing", field: "prisoner_id", message: "Not on your wings." } },
      { id: conflict, status: "conflict",
        reason: { code: "invalid", field: "id",
                  message: "This id was stored before with different content." } },
    ]);
    // applying again changes nothing (a sent entry never goes back)
    await outbox.applyResults(A, [{ id: created, status: "rejected", error: null }], T0 + 2 * DAY);
    assert.equal((await outbox.db.get("entries", created)).state, "sent");
  });

test("only problems can be dismissed, and problems are never waiting again", async () => {
  const outbox = await freshOutbox();
  const [problem, waiting] = await addEntries(outbox, A, 2);
  await outbox.applyResults(A, [{ id: problem, status: "rejected", error: null }], T0);
  assert.deepEqual((await outbox.waiting(A)).map((e) => e.id), [waiting]);
  assert.deepEqual((await outbox.problems(A))[0].reason, { code: "rejected" });
  assert.equal(await outbox.dismiss(A, waiting), false);
  assert.equal(await outbox.waitingCount(A), 1);
  assert.equal(await outbox.dismiss(A, problem), true);
  assert.deepEqual(await outbox.problems(A), []);
  assert.equal(await outbox.dismiss(A, problem), false);
});

test("receipts are kept 7 days, then pruned", async () => {
  const outbox = await freshOutbox();
  const [old, recent, waiting] = await addEntries(outbox, A, 3);
  await outbox.applyResults(A, [{ id: old, status: "created", error: null }], T0);
  await outbox.applyResults(A, [{ id: recent, status: "created", error: null }], T0 + 3 * DAY);
  const now = T0 + 7 * DAY + 1;
  assert.deepEqual((await outbox.receipts(A, now)).map((r) => r.id), [recent]);
  assert.deepEqual((await outbox.receipts(A, T0 + 7 * DAY)).map((r) => r.id), [old, recent]);
  assert.equal(await outbox.prune(now), undefined);
  assert.equal(await outbox.db.get("entries", old), undefined);
  assert.ok(await outbox.db.get("entries", recent));
  await outbox.prune(T0 + 100 * DAY);
  assert.deepEqual(await outbox.receipts(A, T0), []);
  assert.deepEqual((await outbox.waiting(A)).map((e) => e.id), [waiting], "waiting never pruned");
});

test("the server's retention period for receipts applies, shorter or longer", async () => {
  const outbox = await freshOutbox();
  const [sent] = await addEntries(outbox, A, 1);
  await outbox.applyResults(A, [{ id: sent, status: "created", error: null }], T0);
  assert.deepEqual((await outbox.receipts(A, T0 + 2 * DAY, 1)), []);
  await outbox.prune(T0 + 8 * DAY, 10);
  assert.deepEqual((await outbox.receipts(A, T0 + 8 * DAY, 10)).map((r) => r.id), [sent]);
  await outbox.prune(T0 + 2 * DAY, 1);
  assert.equal(await outbox.db.get("entries", sent), undefined);
});

test("problems go after the period too, counted from when the server refused them", async () => {
  const outbox = await freshOutbox();
  const [problem] = await addEntries(outbox, A, 1);
  await outbox.applyResults(A, [{ id: problem, status: "rejected", error: null }], T0 + 5 * DAY);
  await outbox.prune(T0 + 11 * DAY);
  assert.equal((await outbox.problems(A)).length, 1, "refused 6 days ago: kept");
  await outbox.prune(T0 + 12 * DAY + 1);
  assert.deepEqual(await outbox.problems(A), []);
});

test("an officer's cached data goes once nothing of it was renewed within the period",
     async () => {
  const outbox = await freshOutbox();
  await outbox.setMeta(A, "bootstrap", "sealed-roster", T0);
  await outbox.setMeta(A, "verifier", { salt: "s" }, T0 + 3 * DAY);
  await outbox.setMeta(B, "bootstrap", "sealed-roster", T0);
  await addEntries(outbox, B, 1);
  await outbox.prune(T0 + 9 * DAY);
  assert.ok(await outbox.getMeta(A, "bootstrap"), "A's verifier is 6 days old: A is kept");
  await outbox.prune(T0 + 10 * DAY + 1);
  assert.deepEqual(await outbox.officersKept(), [B], "B's entry waits: B can still unlock");
  assert.equal(await outbox.getMeta(A, "verifier"), undefined);
});

test("officer B sees nothing of officer A's, not even counts, and cannot change it", async () => {
  const outbox = await freshOutbox();
  const [sent, problem] = await addEntries(outbox, A, 4);
  await outbox.applyResults(A, [{ id: sent, status: "created", error: null },
                                { id: problem, status: "conflict", error: null }], T0);
  await outbox.setMeta(A, "lastSuccessAt", T0);

  assert.deepEqual(await outbox.waiting(B), []);
  assert.equal(await outbox.waitingCount(B), 0);
  assert.equal(await outbox.oldestWaitingAt(B), null);
  assert.deepEqual(await outbox.problems(B), []);
  assert.deepEqual(await outbox.receipts(B, T0), []);
  assert.equal(await outbox.getMeta(B, "lastSuccessAt"), undefined);

  // B's results or dismissals about A's ids do nothing
  const waitingIds = (await outbox.waiting(A)).map((e) => e.id);
  await outbox.applyResults(B, waitingIds.map((id) => ({ id, status: "created", error: null })),
                            T0);
  assert.equal(await outbox.dismiss(B, problem), false);
  await outbox.noteAttempt(B, waitingIds);
  assert.equal(await outbox.waitingCount(A), 2);
  assert.equal((await outbox.waiting(A))[0].attempts, 0);
  assert.equal((await outbox.problems(A)).length, 1);

  await addEntries(outbox, B, 1);
  assert.equal(await outbox.waitingCount(B), 1);
  assert.equal(await outbox.waitingCount(A), 2);
  assert.deepEqual((await outbox.officersWithWaiting()).sort(), [A, B]);
  await assert.rejects(outbox.waiting(undefined), /officerId/);
});

test("meta is per officer", async () => {
  const outbox = await freshOutbox();
  await outbox.setMeta(A, "bootstrap", { roster: [1] });
  await outbox.setMeta(B, "bootstrap", { roster: [2] });
  assert.deepEqual(await outbox.getMeta(A, "bootstrap"), { roster: [1] });
  assert.deepEqual(await outbox.getMeta(B, "bootstrap"), { roster: [2] });
  assert.equal(await outbox.getMeta(A, "unlock"), undefined);
});

test("version 2 outboxes: cached data from before the stamp counts from the upgrade", async () => {
  const name = `wingwatch-v2-${randomUUID()}`;
  const v2 = await openDB(name, 2, { upgrade(db) {
    const entries = db.createObjectStore("entries", { keyPath: "id" });
    entries.createIndex("officerState", ["officerId", "state", "createdAt"]);
    entries.createIndex("stateOfficer", ["state", "officerId"]);
    entries.createIndex("officerSent", ["officerId", "sentAt"]);
    entries.createIndex("sentAt", "sentAt");
    db.createObjectStore("meta", { keyPath: ["officerId", "key"] });
  } });
  await v2.put("meta", { officerId: A, key: "bootstrap", value: "sealed-roster" });
  v2.close();
  const before = Date.now();
  const outbox = await openOutbox(name);
  assert.equal(outbox.db.version, 3);
  await outbox.prune(before + 6 * DAY);
  assert.ok(await outbox.getMeta(A, "bootstrap"), "not thrown away at the upgrade");
  await outbox.prune(Date.now() + 8 * DAY);
  assert.equal(await outbox.getMeta(A, "bootstrap"), undefined);
});
