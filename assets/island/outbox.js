// The tablet's outbox: sealed entries waiting to be sent, problems the server refused, and
// receipts of what was sent, in IndexedDB. Several officers share one tablet, so every read
// is scoped to one officer: nothing of one officer (not even a count) is returned for another.
// Only sealed JWE strings are stored, never the facts in plaintext; a receipt keeps the
// summary (time, wing, categories, flag) and no sealed blob.

import { openDB } from "idb";

export const RECEIPT_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const ENTRIES = "entries";
const META = "meta";
const LO = -Infinity; // valid IndexedDB number keys: open ends of a compound range
const HI = Infinity;

function upgrade(db) {
  const entries = db.createObjectStore(ENTRIES, { keyPath: "id" });
  // Records lacking a member of an index's key path (sentAt on unsent entries) are simply
  // not in that index.
  entries.createIndex("officerState", ["officerId", "state", "createdAt"]);
  entries.createIndex("stateOfficer", ["state", "officerId"]);
  entries.createIndex("officerSent", ["officerId", "sentAt"]);
  entries.createIndex("sentAt", "sentAt");
  db.createObjectStore(META, { keyPath: ["officerId", "key"] });
}

function requireOfficer(officerId) {
  if (typeof officerId !== "string" || !officerId) throw new Error("officerId is required");
}

function isJwe(value) {
  return typeof value === "string" && value.split(".").length === 5;
}

// Only these summary fields are kept in clear: what a receipt shows, no prisoner, no facts.
function cleanSummary(summary = {}) {
  return {
    occurred_at: String(summary.occurred_at ?? ""),
    wing: String(summary.wing ?? ""),
    categories: Array.isArray(summary.categories) ? summary.categories.map(String) : [],
    flag: summary.flag === true,
  };
}

function problemReason(result) {
  const error = result.error;
  if (error && error.message) return error.field ? `${error.field}: ${error.message}` : error.message;
  return result.status === "conflict" ? "This entry was sent before with different content."
                                      : "The server refused this entry.";
}

export async function openOutbox(name = "wingwatch") {
  const db = await openDB(name, 1, { upgrade });
  const stateRange = (officerId, state) =>
    IDBKeyRange.bound([officerId, state, LO], [officerId, state, HI]);
  // "strict": the transaction completes only once the data is flushed to disk. Chrome's
  // default is "relaxed", where "complete" may come before the write survives a power cut.
  const write = (stores) => db.transaction(stores, "readwrite", { durability: "strict" });

  const outbox = {
    db,
    close: () => db.close(),

    // Resolves only when the transaction has committed: only then may the UI say "Saved".
    async add(officerId, { id, sealed, summary }, now = Date.now()) {
      requireOfficer(officerId);
      if (typeof id !== "string" || !id) throw new Error("id is required");
      if (!isJwe(sealed)) throw new Error("Only sealed entries (JWE) go into the outbox.");
      const tx = write(ENTRIES);
      // add, not put: a reused id fails instead of overwriting an entry.
      await Promise.all([
        tx.store.add({ id, officerId, sealed, summary: cleanSummary(summary), createdAt: now,
                       state: "waiting", attempts: 0 }),
        tx.done,
      ]);
    },

    async waiting(officerId, limit = 500) {
      requireOfficer(officerId);
      if (!(limit > 0)) return []; // IndexedDB reads a count of 0 as "all"
      return db.getAllFromIndex(ENTRIES, "officerState", stateRange(officerId, "waiting"),
                                limit === Infinity ? undefined : limit);
    },

    async waitingCount(officerId) {
      requireOfficer(officerId);
      return db.countFromIndex(ENTRIES, "officerState", stateRange(officerId, "waiting"));
    },

    async oldestWaitingAt(officerId) {
      const [oldest] = await outbox.waiting(officerId, 1);
      return oldest ? oldest.createdAt : null;
    },

    async problems(officerId) {
      requireOfficer(officerId);
      const rows = await db.getAllFromIndex(ENTRIES, "officerState",
                                            stateRange(officerId, "problem"));
      return rows.map(({ id, summary, createdAt, reason, status, attempts }) =>
        ({ id, summary, createdAt, reason, status, attempts }));
    },

    // Only a problem can be dismissed: a waiting entry is never thrown away from here.
    async dismiss(officerId, id) {
      requireOfficer(officerId);
      const tx = write(ENTRIES);
      const row = await tx.store.get(id);
      const ok = !!row && row.officerId === officerId && row.state === "problem";
      if (ok) await tx.store.delete(id);
      await tx.done;
      return ok;
    },

    // Counts one more send attempt for these (waiting, own) entries.
    async noteAttempt(officerId, ids) {
      requireOfficer(officerId);
      const tx = write(ENTRIES);
      for (const id of ids) {
        const row = await tx.store.get(id);
        if (row && row.officerId === officerId && row.state === "waiting") {
          row.attempts = (row.attempts || 0) + 1;
          await tx.store.put(row);
        }
      }
      await tx.done;
    },

    // The API's per-item results. Only this officer's waiting entries change; others ignored.
    async applyResults(officerId, results, now = Date.now()) {
      requireOfficer(officerId);
      const tx = write(ENTRIES);
      for (const result of results || []) {
        if (!result || typeof result.id !== "string") continue;
        const row = await tx.store.get(result.id);
        if (!row || row.officerId !== officerId || row.state !== "waiting") continue;
        if (result.status === "created" || result.status === "duplicate") {
          // A receipt: summary and times only; the sealed blob is gone for good.
          await tx.store.put({ id: row.id, officerId, summary: row.summary,
                               createdAt: row.createdAt, state: "sent", sentAt: now,
                               attempts: row.attempts });
        } else if (result.status === "rejected" || result.status === "conflict") {
          // The blob is dropped here too: it cannot be opened on the tablet, and a problem
          // is never re-sent (the officer records the entry again from the summary).
          await tx.store.put({ id: row.id, officerId, summary: row.summary,
                               createdAt: row.createdAt, state: "problem",
                               status: result.status, reason: problemReason(result),
                               attempts: row.attempts });
        }
      }
      await tx.done;
    },

    async receipts(officerId, now = Date.now()) {
      requireOfficer(officerId);
      const rows = await db.getAllFromIndex(ENTRIES, "officerSent", IDBKeyRange.bound(
        [officerId, now - RECEIPT_DAYS * DAY_MS], [officerId, HI]));
      return rows.filter((row) => row.state === "sent")
        .map(({ id, summary, createdAt, sentAt }) => ({ id, summary, createdAt, sentAt }));
    },

    // Housekeeping across officers; returns nothing, so no count leaks.
    async prune(now = Date.now()) {
      const tx = write(ENTRIES);
      const range = IDBKeyRange.upperBound(now - RECEIPT_DAYS * DAY_MS, true);
      for (let cursor = await tx.store.index("sentAt").openCursor(range); cursor;
        cursor = await cursor.continue()) {
        if (cursor.value.state === "sent") await cursor.delete();
      }
      await tx.done;
    },

    async setMeta(officerId, key, value) {
      requireOfficer(officerId);
      const tx = write(META);
      await Promise.all([tx.store.put({ officerId, key, value }), tx.done]);
    },

    async getMeta(officerId, key) {
      requireOfficer(officerId);
      const row = await db.get(META, [officerId, key]);
      return row ? row.value : undefined;
    },

    // Ids only, to know whose entries are waiting (e.g. before a sign-out); never shown to
    // another officer.
    async officersWithWaiting() {
      const ids = [];
      const range = IDBKeyRange.bound(["waiting", ""], ["waiting", []]); // any string officerId
      const tx = db.transaction(ENTRIES);
      for (let cursor = await tx.store.index("stateOfficer").openKeyCursor(range, "nextunique");
        cursor; cursor = await cursor.continue()) {
        ids.push(cursor.key[1]);
      }
      await tx.done;
      return ids;
    },
  };
  return outbox;
}
