// Sync policy of the capture island, run in the page (not a service worker): send the
// officer's waiting entries to POST /api/v1/observations/sync, apply the per-item results,
// and retry with backoff. The server stores each id exactly once, so resending after a lost
// answer is safe (it comes back "duplicate").

export const BATCH = 500; // the API's maximum items per request
// Under the server's 2 MiB body limit (WINGWATCH_MAX_REQUEST_BYTES) with room to spare: 500 long
// entries seal to far more, and a 413 would stop sending for good.
export const MAX_BODY_BYTES = 1_500_000;
const CAP_MS = 300_000;
const HEALTH_TIMEOUT_MS = 10_000;
const SYNC_TIMEOUT_MS = 60_000;

// Equal jitter over a window of 2^(attempt+1) s capped at 300 s: the wait lies in
// [window/2, window), i.e. at least 2^attempt s (attempt 0 → 1–2 s) and never above 300 s.
// Unlike full jitter it never retries almost at once, yet still spreads the wing's tablets
// apart when the network comes back.
export function backoffDelay(attempt, random = Math.random) {
  const n = Math.max(0, Math.floor(Number(attempt) || 0));
  const window = Math.min(CAP_MS, 2 ** (n + 1) * 1000);
  return Math.floor(window / 2 + random() * (window / 2));
}

// What getToken throws when the server itself refused a token: "reauth" (401, the session is
// gone) or "locked" (423, the session waits for the password). Any other failure (a network
// error, a 5xx) is only a retry.
export class TokenRefused extends Error {
  constructor(outcome) {
    super(`token refused: ${outcome}`);
    this.outcome = outcome;
  }
}

export function classify(status) {
  if (status === 200) return "ok";
  if (status === 401) return "reauth";
  if (status === 0 || status === 408 || status === 409 || status === 425 || status === 429 ||
      (status >= 500 && status <= 599)) return "retry";
  return "stop"; // any other answer is a client bug: keep the entries, say so, don't hammer
}

function timeout(ms) {
  return typeof AbortSignal !== "undefined" && AbortSignal.timeout ? AbortSignal.timeout(ms)
                                                                   : undefined;
}

async function errorMessage(response) {
  try {
    const body = await response.json();
    return body?.error?.message || `HTTP ${response.status}`;
  } catch {
    return `HTTP ${response.status}`;
  }
}

// verify(entry): whether the entry's tag is this officer's (vault.js). An entry that fails is
// refused on the tablet and never goes out under the officer's token.
// The longest run of entries whose request stays under MAX_BODY_BYTES (always at least one:
// a single entry is far below it); the rest go in the next request.
function underBodyLimit(entries) {
  let size = 64; // {"device_id": …, "items": []}
  const batch = [];
  for (const { id, sealed, locale } of entries) {
    size += id.length + sealed.length + 24 + (locale ? locale.length + 12 : 0);
    if (batch.length && size > MAX_BODY_BYTES) break;
    batch.push(locale ? { id, sealed, locale } : { id, sealed }); // older entries have none
  }
  return batch;
}

export async function syncOnce({ outbox, officerId, getToken, verify, fetch = globalThis.fetch,
                                 deviceId, now = Date.now, baseUrl = "",
                                 locks = globalThis.navigator?.locks }) {
  if (typeof verify !== "function") throw new TypeError("syncOnce needs verify");
  const run = async () => {
    const tally = { created: 0, duplicate: 0, problems: 0 };
    const done = (outcome, extra = {}) => ({ outcome, ...tally, ...extra });
    if ((await outbox.waitingCount(officerId)) === 0) return done("nothing");

    // Reachability from the server itself: navigator.onLine only says a network exists.
    try {
      const health = await fetch(`${baseUrl}/api/v1/health`,
                                 { cache: "no-store", signal: timeout(HEALTH_TIMEOUT_MS) });
      if (!health.ok) return done(classify(health.status) === "retry" ? "retry" : "offline");
      // A captive portal answers 200 with a page of its own: demand the API's JSON.
      if ((await health.json())?.status !== "ok") return done("offline");
    } catch {
      return done("offline");
    }

    const posted = new Set(); // guards against a server that leaves an item unanswered
    let sentAny = false;
    for (;;) {
      const next = (await outbox.waiting(officerId, BATCH)).filter((e) => !posted.has(e.id));
      if (next.length === 0) break;
      const verified = await Promise.all(next.map((e) => verify(e)));
      const foreign = next.filter((_, i) => !verified[i]).map((e) => e.id);
      await outbox.refuse(officerId, foreign, now());
      tally.problems += foreign.length;
      const batch = underBodyLimit(next.filter((_, i) => verified[i]));
      if (batch.length === 0) continue;
      batch.forEach((e) => posted.add(e.id));
      let token;
      try {
        token = await getToken();
      } catch (e) {
        if (e instanceof TokenRefused) return done(e.outcome);
        token = null;
      }
      // Only the server's own refusal asks for the password; a blip is tried again later.
      if (typeof token !== "string" || !token) return done("retry");
      await outbox.noteAttempt(officerId, batch.map((e) => e.id));
      let response;
      try {
        response = await fetch(`${baseUrl}/api/v1/observations/sync`, {
          method: "POST",
          cache: "no-store",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ device_id: deviceId,
                                 items: batch }),
          signal: timeout(SYNC_TIMEOUT_MS),
        });
      } catch {
        return done("retry"); // reachable a moment ago: the answer may be lost, resend later
      }
      const verdict = classify(response.status);
      if (verdict === "reauth") return done("reauth");
      if (verdict === "retry") return done("retry");
      if (verdict === "stop") return done("stop", { error: await errorMessage(response) });
      let results;
      try {
        results = (await response.json()).results;
        if (!Array.isArray(results)) throw new Error("no results");
      } catch {
        return done("retry");
      }
      await outbox.applyResults(officerId, results, now());
      await outbox.setMeta(officerId, "lastSuccessAt", now());
      sentAny = true;
      for (const r of results) {
        if (r?.status === "created") tally.created += 1;
        else if (r?.status === "duplicate") tally.duplicate += 1;
        else if (r?.status === "rejected" || r?.status === "conflict") tally.problems += 1;
      }
    }
    return done(sentAny ? "sent" : "nothing");
  };

  // One sender per officer across tabs: the other tab would post the same entries.
  if (!locks) return run(); // no Web Locks (very old browser): single-tab use assumed
  return locks.request(`wingwatch-sync-${officerId}`, { ifAvailable: true },
                       (lock) => (lock ? run() : { outcome: "busy", created: 0, duplicate: 0,
                                                   problems: 0 }));
}

// Tells the server, when it can be reached, how many of the officer's entries wait on this
// tablet and since when, and which app runs here: counts and times, never content (the admin's
// tablet list; POST /api/v1/devices/report). Best effort: the status, or 0 when it failed.
export async function reportDevice({ outbox, officerId, getToken, deviceId, appVersion,
                                     fetch = globalThis.fetch, baseUrl = "" }) {
  try {
    const [waiting, oldest] = await Promise.all([outbox.waitingCount(officerId),
                                                 outbox.oldestWaitingAt(officerId)]);
    const token = await getToken();
    const response = await fetch(`${baseUrl}/api/v1/devices/report`, {
      method: "POST",
      cache: "no-store",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ device_id: deviceId, waiting, app_version: appVersion,
                             oldest_waiting_at: waiting && oldest ? new Date(oldest).toISOString()
                                                                  : null }),
      signal: timeout(HEALTH_TIMEOUT_MS),
    });
    return response.status;
  } catch {
    return 0;
  }
}

// Runs syncOnce after each save, when the network comes back, when the page becomes visible,
// at start and on "Send now"; retries with backoff; pauses on "reauth" or "locked" until
// resume(). "Send now" always tries at once, paused or not: the officer may know better.
export function createScheduler({
  outbox, officerId, getToken, verify, deviceId, fetch = globalThis.fetch, baseUrl = "",
  locks = globalThis.navigator?.locks, now = Date.now, random = Math.random,
  setTimer = (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimer = (handle) => globalThis.clearTimeout(handle),
  win = globalThis.window, doc = globalThis.document, onChange = () => {},
  afterRound = () => {}, // (outcome) after each round the server may have heard: reportDevice
}) {
  let attempt = 0;
  let timer = null;
  let nextRetryAt = null;
  let paused = false;
  let outcome = null;
  let error = null;
  let running = null; // the promise of the run in progress
  let again = false; // a trigger arrived while running: run once more afterwards
  let stopped = false;

  // problems here is the list (id, summary, reason…) for the UI, not syncOnce's count.
  async function emit() {
    if (stopped) return;
    try {
      const [waitingCount, lastSuccessAt, problems] = await Promise.all([
        outbox.waitingCount(officerId), outbox.getMeta(officerId, "lastSuccessAt"),
        outbox.problems(officerId)]);
      onChange({ waitingCount, lastSuccessAt: lastSuccessAt ?? null, nextRetryAt, outcome,
                 problems, paused, error });
    } catch (e) {
      // Triggers come from event listeners: a rejected promise would go unhandled there.
      onChange({ waitingCount: null, lastSuccessAt: null, nextRetryAt, outcome, problems: [],
                 paused, error: `The outbox cannot be read: ${e?.message || e}` });
    }
  }

  function schedule() {
    const delay = backoffDelay(attempt, random);
    attempt += 1;
    nextRetryAt = now() + delay;
    timer = setTimer(() => { timer = null; return trigger(); }, delay);
  }

  async function runLoop() {
    do {
      again = false;
      if (timer !== null) { clearTimer(timer); timer = null; }
      nextRetryAt = null;
      let result;
      try {
        result = await syncOnce({ outbox, officerId, getToken, verify, fetch, deviceId, now,
                                  baseUrl, locks });
      } catch (e) {
        result = { outcome: "retry", error: String(e?.message || e) };
      }
      outcome = result.outcome;
      error = result.error ?? null;
      if (!["offline", "reauth", "locked", "busy"].includes(outcome)) {
        try { await afterRound(outcome); } catch { /* best effort: the next round tells it */ }
      }
      if (outcome === "sent" || outcome === "nothing") {
        attempt = 0;
      } else if (outcome === "reauth" || outcome === "locked") {
        paused = true; // the server said no: nothing to gain before the password is given
        again = false;
      } else if (outcome === "stop") {
        again = false; // a client bug: wait for the next save/visibility/"Send now"
      } else if (!again) {
        schedule(); // offline, retry, busy (the other tab may fail: check again later)
      }
      await emit();
    } while (again && !paused && !stopped);
  }

  function trigger() {
    if (stopped) return Promise.resolve();
    if (paused) return emit();
    if (running) { again = true; return running; }
    running = runLoop().finally(() => { running = null; });
    return running;
  }

  function resume() {
    paused = false;
    attempt = 0;
    return trigger();
  }

  const onOnline = () => trigger();
  const onVisible = () => { if (doc?.visibilityState === "visible") trigger(); };

  return {
    start() {
      win?.addEventListener?.("online", onOnline);
      doc?.addEventListener?.("visibilitychange", onVisible);
      return trigger();
    },
    saved: () => trigger(),
    sendNow: () => resume(),
    resume,
    stop() {
      stopped = true;
      if (timer !== null) clearTimer(timer);
      timer = null;
      win?.removeEventListener?.("online", onOnline);
      doc?.removeEventListener?.("visibilitychange", onVisible);
    },
  };
}
