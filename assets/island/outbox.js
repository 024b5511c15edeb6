// The tablet's outbox: sealed entries waiting to be sent, problems the server refused, and
// receipts of what was sent, in IndexedDB. Several officers share one tablet, so every read
// is scoped to one officer: nothing of one officer (not even a count) is returned for another.
// Only sealed JWE strings are stored, never the facts in plaintext; a receipt keeps the
// summary (time, wing, categories, flag) and no sealed blob. Each entry carries the tag its
// officer's vault made (vault.js); sync sends only entries whose tag verifies. The cached
// bootstrap is kept encrypted by that vault.

import { openDB } from "idb";

// How long a receipt, a problem and an officer's cached data stay: the retention schedule's
// period for tablet receipts, which each bootstrap brings (this is its default until one has).
export const RECEIPT_DAYS = 7;
const DAY_MS = 24 * 60 * 60 * 1000;
const ENTRIES = "entries";
const META = "meta";
const LO = -Infinity; // valid IndexedDB number keys: open ends of a compound range
const HI = Infinity;

export const VERSION = 3;
const REFUSED = { code: "refused" }; // not made by this officer on this tablet, so not sent

// Version 1 had no tags and kept the bootstrap in clear. Its waiting entries are marked v1,
// to be tagged at their officer's next unlock (adoptV1); its clear rosters go at once.
// Version 2 did not say when cached data was saved: its age counts from the upgrade.
async function upgrade(db, oldVersion, _newVersion, tx) {
  if (oldVersion < 1) createStores(db);
  if (oldVersion === 1) {
    for (let c = await tx.objectStore(ENTRIES).openCursor(); c; c = await c.continue()) {
      if (c.value.state === "waiting") await c.update({ ...c.value, v1: true });
    }
    for (let c = await tx.objectStore(META).openCursor(); c; c = await c.continue()) {
      if (c.value.key === "bootstrap") await c.delete();
    }
  }
  if (oldVersion >= 1 && oldVersion < 3) {
    const now = Date.now();
    for (let c = await tx.objectStore(META).openCursor(); c; c = await c.continue()) {
      await c.update({ ...c.value, savedAt: now });
    }
  }
}

function createStores(db) {
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

// Why the server did not take an entry, kept as codes so the page words it in the language of
// whoever reads it later: the server's own error ({code, field, message}: the message is
// already in the officer's language) or one of the island's codes ("conflict", "rejected").
function problemReason(result) {
  const error = result.error;
  if (error && error.message) {
    return { code: String(error.code ?? "invalid"), field: String(error.field ?? ""),
             message: String(error.message) };
  }
  return { code: result.status === "conflict" ? "conflict" : "rejected" };
}

// A BCP 47 tag such as "sr-Cyrl": the language the entry was written in, sent beside it.
function cleanLocale(locale) {
  return typeof locale === "string" && /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/.test(locale)
    ? locale : undefined;
}

export async function openOutbox(name = "wingwatch") {
  const db = await openDB(name, VERSION, { upgrade });
  const stateRange = (officerId, state) =>
    IDBKeyRange.bound([officerId, state, LO], [officerId, state, HI]);
  // "strict": the transaction completes only once the data is flushed to disk. Chrome's
  // default is "relaxed", where "complete" may come before the write survives a power cut.
  const write = (stores) => db.transaction(stores, "readwrite", { durability: "strict" });

  async function pruneMeta(cutoff) {
    const waiting = new Set(await outbox.officersWithWaiting());
    const newest = new Map();
    for (const row of await db.getAll(META)) {
      newest.set(row.officerId, Math.max(newest.get(row.officerId) ?? -Infinity, row.savedAt ?? 0));
    }
    const stale = [...newest].filter(([id, at]) => at < cutoff && !waiting.has(id)).map(([id]) => id);
    if (stale.length) await outbox.forget(stale);
  }

  const outbox = {
    db,
    close: () => db.close(),

    // Resolves only when the transaction has committed: only then may the UI say "Saved".
    // `locale`: the language the officer wrote in; entries queued before it existed have none,
    // and are sent without one.
    async add(officerId, { id, sealed, summary, tag, locale }, now = Date.now()) {
      requireOfficer(officerId);
      if (typeof id !== "string" || !id) throw new Error("id is required");
      if (!isJwe(sealed)) throw new Error("Only sealed entries (JWE) go into the outbox.");
      const tx = write(ENTRIES);
      // add, not put: a reused id fails instead of overwriting an entry.
      await Promise.all([
        tx.store.add({ id, officerId, sealed, tag, summary: cleanSummary(summary),
                       createdAt: now, state: "waiting", attempts: 0,
                       ...(cleanLocale(locale) ? { locale } : {}) }),
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
                               createdAt: row.createdAt, state: "problem", problemAt: now,
                               status: result.status, reason: problemReason(result),
                               attempts: row.attempts });
        }
      }
      await tx.done;
    },

    // Entries whose tag did not verify: problems at once, their blob dropped, never sent.
    async refuse(officerId, ids, now = Date.now()) {
      requireOfficer(officerId);
      const tx = write(ENTRIES);
      for (const id of ids) {
        const row = await tx.store.get(id);
        if (row && row.officerId === officerId && row.state === "waiting") {
          await tx.store.put({ id, officerId, summary: cleanSummary(row.summary),
                               createdAt: row.createdAt, state: "problem", problemAt: now,
                               status: "refused", reason: REFUSED, attempts: row.attempts || 0 });
        }
      }
      await tx.done;
    },

    // Tags this officer's waiting entries from before version 2 with their vault.
    async adoptV1(vault) {
      const old = (await outbox.waiting(vault.officerId, Infinity)).filter((e) => e.v1 && !e.tag);
      const tags = await Promise.all(old.map((entry) => vault.tag(entry)));
      const tx = write(ENTRIES);
      for (const [i, entry] of old.entries()) {
        const { v1: _v1, ...rest } = entry;
        await tx.store.put({ ...rest, tag: tags[i] });
      }
      await tx.done;
    },

    // The bootstrap is replaced whole on every online start, encrypted; the officer's name
    // and wings stay readable for the lock screen and the status bar.
    async cacheBootstrap(vault, bootstrap) {
      const { id, username, display_name: displayName, wings } = bootstrap.user;
      await outbox.setMeta(vault.officerId, "bootstrap", await vault.seal(bootstrap));
      await outbox.setMeta(vault.officerId, "officer",
                           { id, username, display_name: displayName, wings });
    },

    async cachedBootstrap(vault) {
      const box = await outbox.getMeta(vault.officerId, "bootstrap");
      return box ? vault.open(box) : null;
    },

    // Everything kept for these officers (bootstrap, verifier, counters), unless something of
    // theirs waits to be sent; receipts and problems carry no prisoner and stay their 7 days.
    async forget(officerIds) {
      const waiting = new Set(await outbox.officersWithWaiting());
      const tx = write(META);
      for (let c = await tx.store.openCursor(); c; c = await c.continue()) {
        if (officerIds.includes(c.value.officerId) && !waiting.has(c.value.officerId)) {
          await c.delete();
        }
      }
      await tx.done;
    },

    // Whose data this tablet keeps (ids only), e.g. to forget all but the officer signed in.
    async officersKept() {
      const keys = await db.getAllKeys(META);
      return [...new Set(keys.map(([officerId]) => officerId))];
    },

    async receipts(officerId, now = Date.now(), days = RECEIPT_DAYS) {
      requireOfficer(officerId);
      const rows = await db.getAllFromIndex(ENTRIES, "officerSent", IDBKeyRange.bound(
        [officerId, now - days * DAY_MS], [officerId, HI]));
      return rows.filter((row) => row.state === "sent")
        .map(({ id, summary, createdAt, sentAt }) => ({ id, summary, createdAt, sentAt }));
    },

    // Housekeeping across officers, at every start and daily: receipts and problems past the
    // period, and the cached data (roster, verifier) of officers who renewed none of it within
    // the period and have nothing waiting. Returns nothing, so no count leaks.
    async prune(now = Date.now(), days = RECEIPT_DAYS) {
      const cutoff = now - days * DAY_MS;
      const tx = write(ENTRIES);
      const range = IDBKeyRange.upperBound(cutoff, true);
      for (let cursor = await tx.store.index("sentAt").openCursor(range); cursor;
        cursor = await cursor.continue()) {
        if (cursor.value.state === "sent") await cursor.delete();
      }
      const problems = IDBKeyRange.bound(["problem", ""], ["problem", []]);
      for (let cursor = await tx.store.index("stateOfficer").openCursor(problems); cursor;
        cursor = await cursor.continue()) {
        if ((cursor.value.problemAt ?? cursor.value.createdAt) < cutoff) await cursor.delete();
      }
      await tx.done;
      await pruneMeta(cutoff);
    },

    async setMeta(officerId, key, value, now = Date.now()) {
      requireOfficer(officerId);
      const tx = write(META);
      await Promise.all([tx.store.put({ officerId, key, value, savedAt: now }), tx.done]);
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
