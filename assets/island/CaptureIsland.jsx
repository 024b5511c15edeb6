// The capture island: the officer's form and outbox, working with or without network.
// Data comes from the REST API and is cached in IndexedDB per officer; nothing here talks to
// Reflex's websocket (design.md §2). Entries are sealed to the server's key before they are
// stored, so the tablet never holds their text in the clear.
// Every word comes from i18n.js in the officer's language (useWords), dates in the prisons' zone.
import React, { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { CONCERNS, DEFAULT_CONCERN, DEFAULT_SOURCE, SOURCES } from "./choices.js";
import { findPrisoners } from "./fold.js";
import { browserLocale, DEFAULT_ZONE, instantOf, offlineWordsOf, pickLocale, speak, wallClock } from "./i18n.js";
import "./island.css";
import { RECEIPT_DAYS, openOutbox } from "./outbox.js";
import { seal } from "./seal.js";
import { TokenRefused, createScheduler, reportDevice } from "./sync.js";
import { checkPassword, isLockedOut, recordFailure } from "./local_unlock.js";
import { deriveKey, dropKey, fromBase64, heldKey, holdKey, openVault } from "./vault.js";

const CURRENT_OFFICER = "wingwatch.currentOfficer"; // localStorage: whose data this tablet shows
const LOCKED = "wingwatch.lockedOfficer"; // localStorage: this officer locked here, password needed
const PENDING_VERIFIER = "wingwatch.pendingVerifier"; // sessionStorage, set by the sign-in page
const DEVICE = "wingwatch.device";
const DEVICE_LOCALE = "wingwatch.deviceLocale"; // localStorage, the sign-in page's language choice
const OFFICER_LOCALE = "wingwatch.locale."; // + officer id: their language, for offline starts
const RECEIPT_PERIOD = "wingwatch.receiptDays"; // localStorage: the schedule's period, from bootstrap

// The retention schedule's period for what the tablet keeps, as the last bootstrap said.
function receiptDays() {
  const days = Number(localStorage.getItem(RECEIPT_PERIOD));
  return Number.isInteger(days) && days > 0 ? days : RECEIPT_DAYS;
}
const DAY_MS = 24 * 3600 * 1000;
const ENTRIES_PAGE = 20;

const deviceId = () => {
  let id = localStorage.getItem(DEVICE);
  if (!id) localStorage.setItem(DEVICE, (id = `tablet-${crypto.randomUUID()}`));
  return id;
};

// --- Language: the signed-in officer's, remembered per officer on this tablet (not a secret) ---

const Words = createContext(speak("en"));
const useWords = () => useContext(Words);

const rememberedLocale = (officerId) => (officerId ? localStorage.getItem(OFFICER_LOCALE + officerId) : null);

function rememberLocale(officerId, locale) {
  if (officerId && locale) localStorage.setItem(OFFICER_LOCALE + officerId, locale);
}

// The page's language (the Reflex state's, online) wins; then the officer's as this tablet last
// heard it; then the device's choice on the sign-in page; then the browser's; then English.
function useSpoken(pageLocale, officerId, zone) {
  const locale = pickLocale(pageLocale, rememberedLocale(officerId || localStorage.getItem(CURRENT_OFFICER)),
                            localStorage.getItem(DEVICE_LOCALE), browserLocale());
  useEffect(() => { if (pageLocale) rememberLocale(officerId, pickLocale(pageLocale)); }, [pageLocale, officerId]);
  useEffect(() => { document.documentElement.lang = locale; }, [locale]);
  useEffect(() => { tellWorker(pickLocale(localStorage.getItem(DEVICE_LOCALE), locale)); }, [locale]);
  return useMemo(() => speak(locale, zone || DEFAULT_ZONE), [locale, zone]);
}

// The service worker's offline page speaks the device's language (the sign-in page's choice, else
// the officer's): the worker cannot import this bundle, so it is given the texts (assets/sw.js).
function tellWorker(locale) {
  navigator.serviceWorker?.ready.then((registration) => {
    registration.active?.postMessage({ type: "words", ...offlineWordsOf(locale) });
  });
}

// Rendered by the island, not the Reflex frame, so it shows offline in the officer's language.
function DemoBanner({ show }) {
  const { t } = useWords();
  if (!show) return null;
  return (
    <div className="ww-demo" role="status" aria-label={t("Demo mode")}>
      <strong>{t("DEMO")}</strong> — {t("made-up people and accounts, not for real records.")}
    </div>
  );
}

// --- Session: a bearer token from the signed-in browser, the officer's cached bootstrap --------

async function tokenFromSession() {
  const response = await fetch("/api/v1/auth/session-token", {
    method: "POST", credentials: "same-origin", headers: { "X-Wingwatch": "capture" },
  });
  if (!response.ok) return { status: response.status };
  const body = await response.json();
  return { status: 200, token: body.access_token, role: body.role,
           expiresAt: Date.now() + body.expires_in * 1000 };
}

function capturePost(path, body) {
  return fetch(path, { method: "POST", credentials: "same-origin",
                       headers: { "X-Wingwatch": "capture", "content-type": "application/json" },
                       body: body === undefined ? undefined : JSON.stringify(body) });
}

// Best effort: offline, the local mark holds the lock and the next online start repeats this.
function lockServer() {
  capturePost("/api/v1/auth/session/lock").catch(() => {});
}

// 204 unlocked, 423 wrong password, 401 no session; 0 when the server cannot be reached.
async function unlockServer(password) {
  try {
    const { status } = await capturePost("/api/v1/auth/session/unlock", { password });
    return [204, 401, 423].includes(status) ? status : 0;
  } catch (_) {
    return 0;
  }
}

async function fetchBootstrap(token) {
  const response = await fetch("/api/v1/bootstrap", { headers: { Authorization: `Bearer ${token}` } });
  if (!response.ok) throw new Error(`bootstrap ${response.status}`);
  return response.json();
}

function useOfficerSession(outbox) {
  const [state, setState] = useState({ phase: "loading" });
  const tokenRef = useRef(null);

  // A network error propagates (the sender retries with backoff); only the server's own
  // answer (401 signed out, 423 locked) stops the sender until the officer acts.
  const getToken = useCallback(async () => {
    const held = tokenRef.current;
    if (held && held.expiresAt - Date.now() > 30000) return held.token;
    tokenRef.current = null;
    const fresh = await tokenFromSession();
    if (fresh.status === 401) throw new TokenRefused("reauth");
    if (fresh.status === 423) throw new TokenRefused("locked");
    if (fresh.status !== 200) throw new Error(`session-token ${fresh.status}`);
    tokenRef.current = fresh;
    return fresh.token;
  }, []);

  // The tab is unlocked only while it holds the officer's key (vault.js); a lock drops it and
  // leaves a mark in localStorage, so a reload, a new tab or a restart shows the lock screen too.
  const ready = useCallback(async (officer, bootstrap, raw) => {
    const vault = await openVault(officer.id, raw);
    const data = bootstrap || (await outbox.cachedBootstrap(vault));
    if (!data) return setState({ phase: "needs-online" });
    if (bootstrap) await outbox.cacheBootstrap(vault, bootstrap); // replaces the old one whole
    await outbox.adoptV1(vault);
    holdKey(officer.id, raw);
    localStorage.removeItem(LOCKED);
    setState({ phase: "ready", officer, bootstrap: data, vault });
    return null;
  }, [outbox]);

  const lockedScreen = useCallback((officer, bootstrap = null) => {
    dropKey();
    setState({ phase: "locked", officer, bootstrap });
  }, []);

  const offline = useCallback(async () => {
    const officerId = localStorage.getItem(CURRENT_OFFICER);
    const officer = officerId && (await outbox.getMeta(officerId, "officer"));
    if (!officer) return setState({ phase: "needs-online" });
    const failures = (await outbox.getMeta(officerId, "unlock")) || { failures: 0 };
    if (isLockedOut(failures)) return setState({ phase: "locked-out", officer });
    const raw = localStorage.getItem(LOCKED) === officerId ? null : heldKey(officerId);
    return raw ? ready(officer, null, raw) : lockedScreen(officer);
  }, [outbox, ready, lockedScreen]);

  const start = useCallback(async () => {
    let session;
    try { session = await tokenFromSession(); } catch (_) { return offline(); }
    if (session.status === 401) return setState({ phase: "signed-out" });
    if (session.status === 423) { // the server session is locked: only the password helps
      const officerId = localStorage.getItem(CURRENT_OFFICER);
      const officer = officerId && (await outbox.getMeta(officerId, "officer"));
      return officer ? lockedScreen(officer) : setState({ phase: "signed-out" });
    }
    if (session.status !== 200) return offline();
    if (session.role !== "officer") return setState({ phase: "not-officer" });
    tokenRef.current = session;
    const bootstrap = await fetchBootstrap(session.token);
    const officer = bootstrap.user;
    localStorage.setItem(CURRENT_OFFICER, officer.id);
    rememberLocale(officer.id, officer.locale);
    if (bootstrap.retention) localStorage.setItem(RECEIPT_PERIOD, String(bootstrap.retention.receipt_days));
    await outbox.forget((await outbox.officersKept()).filter((id) => id !== officer.id));
    const pending = JSON.parse(sessionStorage.getItem(PENDING_VERIFIER) || "null");
    if (pending?.username === officer.username && pending.key) { // the password was just typed
      await outbox.setMeta(officer.id, "verifier", pending.verifier);
      await outbox.setMeta(officer.id, "unlock", { failures: 0 });
      // Dropped only once the tab holds the key: a second start or a reload in between (seen
      // once on a loaded CI machine) must find one or the other, not lock the officer just in.
      await ready(officer, bootstrap, fromBase64(pending.key));
      sessionStorage.removeItem(PENDING_VERIFIER);
      return null;
    }
    sessionStorage.removeItem(PENDING_VERIFIER);
    if (localStorage.getItem(LOCKED) === officer.id) { // locked while the lock could not reach the server
      lockServer();
      return lockedScreen(officer, bootstrap);
    }
    const raw = heldKey(officer.id);
    return raw ? ready(officer, bootstrap, raw) : lockedScreen(officer, bootstrap);
  }, [outbox, offline, ready, lockedScreen]);

  const lock = useCallback(() => {
    setState((s) => {
      if (s.phase !== "ready") return s;
      localStorage.setItem(LOCKED, s.officer.id);
      lockServer();
      dropKey();
      return { ...s, phase: "locked", vault: null };
    });
  }, []);

  // Online, the server checks the password and unlocks its session too (five wrong ones end
  // it); offline, the verifier does, and the server asks again once the network is back.
  const unlock = useCallback(async (password) => {
    const { officer } = state;
    const [raw, answer] = await Promise.all([deriveKey(password, officer.username),
                                             unlockServer(password)]);
    if (answer === 401) { setState({ phase: "signed-out" }); return null; }
    if (answer === 423) return "wrong";
    const verifier = await outbox.getMeta(officer.id, "verifier");
    if (answer === 204 || (verifier && (await checkPassword(verifier, password)))) {
      await outbox.setMeta(officer.id, "unlock", { failures: 0 });
      if (answer === 204 && !state.bootstrap) { // locked since the page loaded: start afresh
        holdKey(officer.id, raw);
        localStorage.removeItem(LOCKED);
        return start();
      }
      return ready(officer, state.bootstrap, raw);
    }
    const failures = recordFailure((await outbox.getMeta(officer.id, "unlock")) || { failures: 0 });
    await outbox.setMeta(officer.id, "unlock", failures);
    if (isLockedOut(failures)) setState((s) => ({ ...s, phase: "locked-out" }));
    return verifier ? "wrong" : "not-set-up";
  }, [outbox, state, ready, start]);

  useEffect(() => { start(); }, [start]);
  return { ...state, getToken, lock, unlock, restart: start };
}

// --- The page ---------------------------------------------------------------------------------

// locale: the page's language from the Reflex state ("" offline or before it answers);
// zone: the prisons' time zone (WINGWATCH_TIMEZONE); appVersion: the build this page came with.
export function CaptureIsland({ idleLockMs = 5 * 60 * 1000, demo = false, locale = "", zone = DEFAULT_ZONE, appVersion = "unknown" }) {
  const outbox = useOutbox();
  const words = useSpoken(locale, null, zone);
  if (!outbox) {
    return (
      <Words.Provider value={words}>
        <DemoBanner show={demo} />
        <p className="ww-muted">{words.t("Opening this tablet's storage…")}</p>
      </Words.Provider>
    );
  }
  return <Capture outbox={outbox} idleLockMs={idleLockMs} demo={demo} locale={locale} zone={zone} appVersion={appVersion} />;
}

function useOutbox() {
  const [outbox, setOutbox] = useState(null);
  useEffect(() => {
    let daily;
    openOutbox().then(async (opened) => {
      await opened.prune(Date.now(), receiptDays()); // at every start, and then every day
      daily = setInterval(() => opened.prune(Date.now(), receiptDays()), DAY_MS);
      setOutbox(opened);
    });
    return () => clearInterval(daily);
  }, []);
  return outbox;
}

function Capture({ outbox, idleLockMs, demo, locale, zone, appVersion }) {
  const session = useOfficerSession(outbox);
  const words = useSpoken(locale, session.officer?.id, zone);
  const status = useSyncStatus(outbox, session, appVersion);
  useIdleLock(session.phase === "ready", idleLockMs, session.lock);
  const { t } = words;
  // Offline the page's Reflex title has no words: the tab says where it is in the officer's.
  // (Not a template literal: Babel's extractor does not look inside one.)
  useEffect(() => { document.title = t("Record") + " — Wingwatch"; }, [t]);

  const gate = {
    "loading": <p className="ww-muted">{t("Loading…")}</p>,
    "needs-online": <Notice title={t("Sign in online first")}>{t("This tablet has no data for you yet. Sign in once with network, then it works offline for the rest of the shift.")}</Notice>,
    "signed-out": <Notice title={t("Signed out")}>{t("Your session has ended.")} <a href="/login">{t("Sign in again")}</a>{" "}{t("Entries waiting on this tablet are kept and sent afterwards.")}</Notice>,
    "not-officer": <Notice title={t("Not allowed")}>{t("Only officers record observations.")}</Notice>,
    "locked-out": <Notice title={t("Locked")}>{t("Too many wrong passwords.")} <a href="/login">{t("Sign in online to unlock this tablet.")}</a></Notice>,
  }[session.phase];

  return (
    <Words.Provider value={words}>
      <DemoBanner show={demo} />
      <div className="ww-capture">
        {session.officer && <StatusBar officer={session.officer} status={status} outbox={outbox} lock={session.lock} />}
        {gate}
        {session.phase === "locked" && <LockScreen officer={session.officer} unlock={session.unlock} />}
        {session.phase === "ready" && (
          <>
            <Problems items={status.problems} onDismiss={(id) => status.dismiss(id)} />
            <ObservationForm bootstrap={session.bootstrap} onSave={status.save} />
            <StorageDetails />
          </>
        )}
      </div>
    </Words.Provider>
  );
}

function Notice({ title, children }) {
  return (
    <section className="ww-card" role="status">
      <h1 className="ww-h1">{title}</h1>
      <p>{children}</p>
    </section>
  );
}

function useIdleLock(active, idleMs, lock) {
  useEffect(() => {
    if (!active) return undefined;
    let last = Date.now();
    const touch = () => { last = Date.now(); };
    const events = ["pointerdown", "keydown", "touchstart", "wheel"];
    events.forEach((e) => window.addEventListener(e, touch, { passive: true, capture: true }));
    const timer = setInterval(() => { if (Date.now() - last >= idleMs) lock(); }, 1000);
    return () => {
      clearInterval(timer);
      events.forEach((e) => window.removeEventListener(e, touch, { capture: true }));
    };
  }, [active, idleMs, lock]);
}

// --- Outbox and sync status -------------------------------------------------------------------

function useSyncStatus(outbox, session, appVersion) {
  const vault = session.phase === "ready" ? session.vault : null;
  const officerId = vault?.officerId ?? null;
  // null until the outbox has been read: a "0" before that would be a guess.
  const [view, setView] = useState({ waitingCount: null, problems: [] });
  const scheduler = useRef(null);

  useEffect(() => {
    if (!officerId) return undefined;
    const onChange = async (next) => {
      const oldestWaitingAt = await outbox.oldestWaitingAt(officerId);
      setView((v) => ({ ...v, ...next, oldestWaitingAt }));
    };
    const common = { outbox, officerId, deviceId: deviceId(), getToken: session.getToken };
    // After each round, what waits here (a count, no content) for the administrators' list.
    const afterRound = () => reportDevice({ ...common, appVersion });
    const s = createScheduler({ ...common, verify: vault.verify, onChange, afterRound });
    scheduler.current = s;
    s.start();
    return () => s.stop();
  }, [outbox, officerId, vault, session.getToken, appVersion]);

  const save = useCallback(async (entry) => {
    const tag = await vault.tag({ ...entry, officerId }); // binds the entry to this officer
    await outbox.add(officerId, { ...entry, tag }, Date.now()); // entry.locale goes beside it
    scheduler.current?.saved();
  }, [outbox, officerId, vault]);

  return { ...view, save,
           sendNow: () => scheduler.current?.sendNow(),
           dismiss: async (id) => { await outbox.dismiss(officerId, id); scheduler.current?.saved(); } };
}

function StatusBar({ officer, status, outbox, lock }) {
  const { t, tn, moment } = useWords();
  const stale = status.oldestWaitingAt && Date.now() - status.oldestWaitingAt > DAY_MS;
  const offline = ["offline", "retry"].includes(status.outcome);
  const checking = status.outcome == null;
  const signOut = async () => {
    if (status.waitingCount > 0 && !window.confirm(tn(
      "{count} waiting to send. They stay on this tablet and are sent when you next sign in here. Sign out?",
      "{count} waiting to send. They stay on this tablet and are sent when you next sign in here. Sign out?",
      status.waitingCount))) return;
    await outbox.forget([officer.id]); // the roster goes unless entries wait for the next sign-in
    window.wingwatch.signOut(); // clears this tab's storage and its page states on the server
  };
  return (
    <header className="ww-statusbar">
      <div className="ww-who"><strong>{officer.display_name}</strong><span className="ww-muted"> · {tn("Wing {wings}", "Wings {wings}", officer.wings.length, { wings: officer.wings.join(", ") })}</span></div>
      <div className="ww-sync" aria-live="polite">
        <span className={offline || checking ? "ww-pill ww-pill-off" : "ww-pill ww-pill-on"}>{checking ? t("Checking network…") : offline ? t("Offline") : t("Online")}</span>
        {status.waitingCount != null && <span data-testid="waiting-count">{tn("{count} waiting to send", "{count} waiting to send", status.waitingCount)}</span>}
        <span className="ww-muted">{status.lastSuccessAt ? t("Last sent {when}", { when: moment(status.lastSuccessAt) }) : t("Nothing sent yet")}</span>
        {status.outcome === "reauth" && <a href="/login">{t("Sign in again to send")}</a>}
        {status.outcome === "locked" && <button type="button" className="ww-button ww-soft" onClick={lock}>{t("Enter your password to send")}</button>}
      </div>
      <div className="ww-actions">
        <button type="button" className="ww-button" onClick={status.sendNow}>{t("Send now")}</button>
        <a className="ww-button ww-soft" href="/entries">{t("My entries")}</a>
        <button type="button" className="ww-button ww-soft" onClick={signOut}>{t("Sign out")}</button>
      </div>
      {stale && <p className="ww-warning" role="alert">{t("An entry has waited more than 24 hours. Find a network and press Send now.")}</p>}
    </header>
  );
}

// Why the server (or this tablet) did not take an entry, in the reader's language. The server's
// messages come in the officer's language already; the island's own reasons are codes.
function reasonText({ t }, reason) {
  if (typeof reason === "string") return reason; // stored before reasons were codes
  if (reason?.message) return reason.field ? t("{field}: {problem}", { field: reason.field, problem: reason.message }) : reason.message;
  if (reason?.code === "refused") return t("Not made by you on this tablet, so it was not sent.");
  if (reason?.code === "conflict") return t("This entry was sent before with different content.");
  return t("The server refused this entry.");
}

function Problems({ items, onDismiss }) {
  const words = useWords();
  const { t, moment } = words;
  if (!items?.length) return null;
  return (
    <section className="ww-card ww-problems" aria-label={t("Entries the server did not accept")}>
      <h2 className="ww-h2">{t("Not accepted by the server")}</h2>
      {items.map((item) => (
        <div key={item.id} className="ww-problem">
          <span>{t("{when} · wing {wing}: {reason}", { when: moment(item.createdAt), wing: item.summary.wing, reason: reasonText(words, item.reason) })}</span>
          <button type="button" className="ww-button ww-soft" onClick={() => onDismiss(item.id)}>{t("Dismiss")}</button>
        </div>
      ))}
    </section>
  );
}

function LockScreen({ officer, unlock }) {
  const { t } = useWords();
  const [error, setError] = useState(null);
  const submit = async (event) => {
    event.preventDefault();
    const field = event.currentTarget.elements.password;
    const problem = await unlock(field.value);
    field.value = "";
    setError(problem || null);
  };
  const errors = { "wrong": t("That password is not right."),
                   "not-set-up": t("Offline unlock is not set up: sign in online.") };
  return (
    <section className="ww-card" role="dialog" aria-modal="true" aria-label={t("Locked")}>
      <h1 className="ww-h1">{t("Locked")}</h1>
      <p>{t("{name}, enter your password to carry on. This works without network.", { name: officer.display_name })}</p>
      <form onSubmit={submit} className="ww-unlock">
        <div className="ww-field">
          <label className="ww-label" htmlFor="unlock-password">{t("Password")}</label>
          <input id="unlock-password" name="password" type="password" className="ww-input" autoComplete="current-password" autoFocus />
        </div>
        {error && <p className="ww-error" role="alert">{errors[error]}</p>}
        <button type="submit" className="ww-button">{t("Unlock")}</button>
      </form>
    </section>
  );
}

function StorageDetails() {
  const { t, number } = useWords();
  const [info, setInfo] = useState(null);
  const load = async () => {
    const persisted = navigator.storage?.persist ? await navigator.storage.persist() : false;
    const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
    setInfo({ persisted, usage: estimate.usage || 0, quota: estimate.quota || 0 });
  };
  useEffect(() => { load(); }, []);
  const mb = (bytes) => number(Math.round(bytes / 104857.6) / 10);
  return (
    <details className="ww-details">
      <summary>{t("Storage on this tablet")}</summary>
      {info && <p>{t("{used} MB used of {quota} MB.", { used: mb(info.usage), quota: mb(info.quota) })}{" "}{info.persisted ? t("Kept by the browser even when space runs low.") : t("The browser may clear it when space runs low.")}</p>}
    </details>
  );
}

// --- The form ---------------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, "0");
const isoDay = ({ year, month, day }) => `${year}-${pad(month)}-${pad(day)}`;
const fromIsoDay = (text) => { const [year, month, day] = text.split("-").map(Number); return { year, month, day }; };

// "When", as the prisons' clock shows it now: a day, an hour and a minute.
function nowInZone(zone) {
  const { hour, minute, ...date } = wallClock(Date.now(), zone);
  return { day: isoDay(date), hour, minute };
}

const whenInstant = (when, zone) => instantOf({ ...fromIsoDay(when.day), hour: when.hour, minute: when.minute }, zone);

function emptyDraft(bootstrap, zone) {
  return { prisoner: null, query: "", indicators: [], when: nowInZone(zone),
           where: bootstrap.locations.find((l) => l.code === "landing")?.code || bootstrap.locations[0].code,
           source: DEFAULT_SOURCE, concern: DEFAULT_CONCERN, facts: "", assessment: "", flag: false, reason: "" };
}

function ObservationForm({ bootstrap, onSave }) {
  const words = useWords();
  const { t, tn, label, zone } = words;
  const [draft, setDraft] = useState(() => emptyDraft(bootstrap, zone));
  const [message, setMessage] = useState(null);
  const [recent, setRecent] = useState([]);
  const set = (patch) => { setDraft((d) => ({ ...d, ...patch })); setMessage(null); };
  const catalogue = bootstrap.catalogue;
  const maxAgeDays = catalogue.max_age_days;

  useEffect(() => {
    const clean = JSON.stringify(draft) === JSON.stringify({ ...emptyDraft(bootstrap, zone), when: draft.when });
    window.wingwatchFormDirty = !clean; // a service-worker update waits while this is true
    return () => { window.wingwatchFormDirty = false; };
  }, [draft, bootstrap, zone]);

  const problem = () => {
    if (!draft.prisoner) return t("Choose the prisoner.");
    if (!draft.indicators.length) return t("Tick at least one thing you observed.");
    if (!draft.facts.trim()) return t("Write what you saw or heard.");
    const at = whenInstant(draft.when, zone);
    if (at > Date.now() + 60000) return t("\"When\" cannot be in the future.");
    if (at < Date.now() - maxAgeDays * DAY_MS) return tn("\"When\" cannot be more than {count} day ago.", "\"When\" cannot be more than {count} days ago.", maxAgeDays);
    if (draft.flag && !draft.reason.trim()) return t("Give a reason for the flag.");
    return null;
  };

  const save = async (event) => {
    event.preventDefault();
    const wrong = problem();
    if (wrong) return setMessage({ error: wrong });
    const byCode = Object.fromEntries(catalogue.categories.flatMap((c) => c.indicators.map((i) => [i.code, c.code])));
    const payload = {
      prisoner_id: draft.prisoner.id, occurred_at: new Date(whenInstant(draft.when, zone)).toISOString(),
      recorded_at: new Date().toISOString(), location: draft.where,
      catalogue_version: catalogue.version, indicators: draft.indicators, facts: draft.facts.trim(),
      assessment: draft.assessment.trim() || null, source: draft.source, concern: draft.concern,
      flag: draft.flag, flag_reason: draft.flag ? draft.reason.trim() : null,
    };
    const id = crypto.randomUUID();
    const sealed = await seal(payload, bootstrap.sealing_key);
    const summary = { occurred_at: payload.occurred_at, wing: draft.prisoner.wing, flag: draft.flag,
                      categories: [...new Set(draft.indicators.map((code) => byCode[code]))] };
    await onSave({ id, sealed, summary, locale: words.locale }); // the language it was written in
    setRecent((r) => [draft.prisoner, ...r.filter((p) => p.id !== draft.prisoner.id)].slice(0, 5));
    setDraft(emptyDraft(bootstrap, zone));
    setMessage({ saved: t("Saved on this tablet") });
  };

  return (
    <form className="ww-form" onSubmit={save} noValidate>
      <h1 className="ww-h1">{t("Record an observation")}</h1>
      <p className="ww-reminder">{t("Record behaviour, not faith or origin: religious practice, conversion, ethnicity, nationality, language or appearance are never indicators by themselves.")}</p>
      <PrisonerPicker roster={bootstrap.roster} recent={recent} draft={draft} set={set} />
      <Indicators catalogue={catalogue} chosen={draft.indicators} set={set} />
      <WhenPicker when={draft.when} maxAgeDays={maxAgeDays} onChange={(when) => set({ when })} />
      <div className="ww-row">
        <Field label={t("Where")} id="ww-where"><select id="ww-where" className="ww-input" value={draft.where} onChange={(e) => set({ where: e.target.value })}>{bootstrap.locations.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}</select></Field>
        <Field label={t("Source")} id="ww-source"><select id="ww-source" className="ww-input" value={draft.source} onChange={(e) => set({ source: e.target.value })}>{SOURCES.map((code) => <option key={code} value={code}>{label("source", code)}</option>)}</select></Field>
      </div>
      <fieldset className="ww-field ww-concern"><legend className="ww-label">{t("Concern")}</legend>
        {CONCERNS.map((code) => <label key={code} className="ww-choice"><input type="radio" name="concern" value={code} checked={draft.concern === code} onChange={() => set({ concern: code })} />{label("concern", code)}</label>)}
      </fieldset>
      <Field label={t("What you saw or heard")} id="ww-facts" hint={t("Facts only: what happened, who was there, the person's own words in quotes. No labels, no opinions.")}>
        <textarea id="ww-facts" className="ww-input ww-text" maxLength={4000} value={draft.facts} onChange={(e) => set({ facts: e.target.value })} />
      </Field>
      <Field label={t("Your assessment (optional)")} id="ww-assessment" hint={t("Your own interpretation, kept apart from the facts.")}>
        <textarea id="ww-assessment" className="ww-input ww-text ww-assessment" maxLength={4000} value={draft.assessment} onChange={(e) => set({ assessment: e.target.value })} />
      </Field>
      <label className="ww-switch"><input type="checkbox" role="switch" checked={draft.flag} onChange={(e) => set({ flag: e.target.checked })} />{t("Flag for screening")}</label>
      {draft.flag && <Field label={t("Reason for flag")} id="ww-reason"><textarea id="ww-reason" className="ww-input" maxLength={1000} value={draft.reason} onChange={(e) => set({ reason: e.target.value })} /></Field>}
      {message?.error && <p className="ww-error" role="alert">{message.error}</p>}
      {message?.saved && <p className="ww-saved" role="status">{message.saved}</p>}
      <button type="submit" className="ww-button ww-save">{t("Save")}</button>
    </form>
  );
}

// Not the browser's datetime-local, which writes the browser's own (often US) format: a day
// among the catalogue's last max_age_days, written by Intl in the officer's language with its
// weekday, and the hour and minute in 24-hour form, all on the prisons' clock.
function WhenPicker({ when, maxAgeDays, onChange }) {
  const words = useWords();
  const { t, zone } = words;
  const days = useMemo(() => {
    const today = fromIsoDay(nowInZone(zone).day);
    const noon = instantOf({ ...today, hour: 12 }, zone);
    return Array.from({ length: maxAgeDays + 1 }, (_, back) => {
      const at = noon - back * DAY_MS; // noon, so a daylight-saving hour never changes the date
      const { hour: _h, minute: _m, ...date } = wallClock(at, zone);
      const name = words.weekday(at);
      const text = back === 0 ? t("Today, {day}", { day: name }) : back === 1 ? t("Yesterday, {day}", { day: name }) : name;
      return [isoDay(date), text];
    });
  }, [words, zone, maxAgeDays, t]);
  const numbers = (count) => Array.from({ length: count }, (_, n) => <option key={n} value={n}>{words.twoDigits(n)}</option>);
  return (
    <fieldset className="ww-field ww-when"><legend className="ww-label">{t("When")}</legend>
      <div className="ww-when-parts">
        <div><label className="ww-muted" htmlFor="ww-when-day">{t("Day")}</label>
          <select id="ww-when-day" className="ww-input" value={when.day} onChange={(e) => onChange({ ...when, day: e.target.value })}>
            {days.map(([value, text]) => <option key={value} value={value}>{text}</option>)}
          </select></div>
        <div><label className="ww-muted" htmlFor="ww-when-hour">{t("Hour")}</label>
          <select id="ww-when-hour" className="ww-input" value={when.hour} onChange={(e) => onChange({ ...when, hour: Number(e.target.value) })}>{numbers(24)}</select></div>
        <div><label className="ww-muted" htmlFor="ww-when-minute">{t("Minute")}</label>
          <select id="ww-when-minute" className="ww-input" value={when.minute} onChange={(e) => onChange({ ...when, minute: Number(e.target.value) })}>{numbers(60)}</select></div>
      </div>
    </fieldset>
  );
}

function Field({ label, id, hint, children }) {
  return (
    <div className="ww-field">
      <label className="ww-label" htmlFor={id}>{label}</label>
      {hint && <small className="ww-muted">{hint}</small>}
      {children}
    </div>
  );
}

// A prisoner whose records are restricted (LED Art. 16(3)) is marked wherever the tablet lists
// them; the officer may still record what they see.
function RestrictedMark({ prisoner }) {
  const { t } = useWords();
  return prisoner.restricted ? <span className="ww-status ww-restricted">{t("Restricted")}</span> : null;
}

function PrisonerPicker({ roster, recent, draft, set }) {
  const { t } = useWords();
  const query = draft.query.trim();
  const matches = useMemo(() => (query ? findPrisoners(roster, query) : recent), [query, roster, recent]);
  if (draft.prisoner) {
    return (
      <div className="ww-field">
        <span className="ww-label">{t("Prisoner")}</span>
        <div className="ww-chosen"><strong>{draft.prisoner.name}</strong> {draft.prisoner.number} · {t("wing {wing}", { wing: draft.prisoner.wing })}
          <RestrictedMark prisoner={draft.prisoner} />
          <button type="button" className="ww-button ww-soft" onClick={() => set({ prisoner: null, query: "" })}>{t("Change prisoner")}</button></div>
        {draft.prisoner.restricted && <p className="ww-muted">{t("This prisoner's records are restricted: what you record is kept, and read only on a recorded request.")}</p>}
      </div>
    );
  }
  return (
    <div className="ww-field">
      <label className="ww-label" htmlFor="ww-prisoner">{t("Prisoner")}</label>
      <input id="ww-prisoner" type="search" role="searchbox" aria-label={t("Prisoner")} className="ww-input" placeholder={t("Name or number")} autoComplete="off" value={draft.query} onChange={(e) => set({ query: e.target.value })} />
      <ul className="ww-options" role="listbox" aria-label={t("Matching prisoners")}>
        {matches.map((p) => (
          <li key={p.id}><button type="button" role="option" aria-selected="false" className="ww-option" onClick={() => set({ prisoner: p, query: "" })}>{p.name} · {p.number} · {t("wing {wing}", { wing: p.wing })} <RestrictedMark prisoner={p} /></button></li>
        ))}
      </ul>
    </div>
  );
}

function Indicators({ catalogue, chosen, set }) {
  const { t, number } = useWords();
  const toggle = (code) => set({ indicators: chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code] });
  return (
    <fieldset className="ww-field ww-indicators">
      <legend className="ww-label">{t("What you observed")}</legend>
      <details className="ww-details"><summary>{t("What counts, and what never does")}</summary><p className="ww-muted">{catalogue.guidance}</p></details>
      {catalogue.categories.map((category) => {
        const ticked = category.indicators.filter((i) => chosen.includes(i.code)).length;
        return (
          <details key={category.code} className="ww-category" open={ticked > 0 || undefined}>
            <summary>{category.label}{ticked ? ` (${number(ticked)})` : ""}</summary>
            {category.indicators.map((indicator) => (
              <label key={indicator.code} className="ww-indicator">
                <input type="checkbox" checked={chosen.includes(indicator.code)} onChange={() => toggle(indicator.code)} />
                <span>{indicator.label}<small className="ww-muted">{indicator.guidance}</small></span>
              </label>
            ))}
          </details>
        );
      })}
    </fieldset>
  );
}

// --- /entries: the officer's own entries, on the tablet and on the server ---------------------

// Whose entries: the signed-in officer's (asked of the server), or offline the officer this tab
// was unlocked for. Never just "the last officer on this tablet".
async function entriesOwner() {
  const session = await tokenFromSession().catch(() => null);
  const bearer = session?.status === 200 ? { Authorization: `Bearer ${session.token}` } : null;
  if (bearer) {
    const me = await (await fetch("/api/v1/auth/me", { headers: bearer })).json();
    rememberLocale(me.user_id, me.locale);
    return { officerId: me.user_id, bearer };
  }
  const current = localStorage.getItem(CURRENT_OFFICER);
  const unlocked = !session && localStorage.getItem(LOCKED) !== current && heldKey(current);
  return { officerId: unlocked ? current : null, bearer: null };
}

// Category names in the officer's language: from the catalogue kept beside the officer's data,
// else (a tablet that never cached it, online) from a fresh bootstrap.
async function categoryNames(outbox, officerId, bearer) {
  let catalogue = null;
  const raw = officerId && heldKey(officerId);
  if (raw) catalogue = (await outbox.cachedBootstrap(await openVault(officerId, raw)))?.catalogue;
  if (!catalogue && bearer) {
    const response = await fetch("/api/v1/bootstrap", { headers: bearer });
    if (response.ok) catalogue = (await response.json()).catalogue;
  }
  return Object.fromEntries((catalogue?.categories || []).map((c) => [c.code, c.label]));
}

async function entryRows(outbox, officerId, bearer) {
  const local = officerId ? [
    ...(await outbox.waiting(officerId, Infinity)).map((e) => ({ ...e.summary, id: e.id, status: "on_tablet" })),
    ...(await outbox.problems(officerId)).map((e) => ({ ...e.summary, id: e.id, status: "not_accepted" })),
  ] : [];
  let server = [];
  if (bearer) {
    const response = await fetch("/api/v1/observations/mine", { headers: bearer });
    if (response.ok) server = (await response.json()).observations;
  }
  const rows = [...local, ...server.filter((o) => !local.some((l) => l.id === o.id))];
  return rows.sort((a, b) => Date.parse(b.occurred_at) - Date.parse(a.occurred_at));
}

export function EntriesIsland({ demo = false, locale = "", zone = DEFAULT_ZONE }) {
  const outbox = useOutbox();
  const [owner, setOwner] = useState(null);
  const [data, setData] = useState(null);
  const [shown, setShown] = useState(ENTRIES_PAGE);
  const words = useSpoken(locale, owner?.officerId, zone);
  useEffect(() => {
    if (!outbox) return;
    (async () => {
      const found = await entriesOwner();
      setOwner(found);
      const [names, rows] = await Promise.all([categoryNames(outbox, found.officerId, found.bearer),
                                               entryRows(outbox, found.officerId, found.bearer)]);
      setData({ names, rows });
    })();
  }, [outbox]);
  return (
    <Words.Provider value={words}>
      <DemoBanner show={demo} />
      <EntriesTable data={data} shown={shown} more={() => setShown((n) => n + ENTRIES_PAGE)} />
    </Words.Provider>
  );
}

function EntriesTable({ data, shown, more }) {
  const { t, tn, label, moment, day, number } = useWords();
  if (!data) return <p className="ww-muted">{t("Loading…")}</p>;
  if (!data.rows.length) return <p>{t("No entries yet.")}</p>;
  const status = (row) => {
    if (row.status === "on_tablet") return t("On this tablet");
    if (row.status === "not_accepted") return t("Not accepted");
    if (row.status === "screened" && row.reviewed_at) return t("Reviewed on {day}", { day: day(Date.parse(row.reviewed_at)) });
    return label("status", row.status);
  };
  const rows = data.rows.slice(0, shown);
  return (
    <>
      <table className="ww-table">
        <thead><tr><th>{t("When")}</th><th>{t("Wing")}</th><th>{t("Categories")}</th><th>{t("Status")}</th></tr></thead>
        <tbody>{rows.map((r) => (
          <tr key={r.id}>
            <td>{moment(Date.parse(r.occurred_at))}</td><td>{r.wing}</td>
            <td>{(r.categories || []).map((code) => data.names[code] || code).join("; ")}</td>
            <td><span className={`ww-status ww-status-${r.status}`}>{status(r)}</span></td>
          </tr>
        ))}</tbody>
      </table>
      <p className="ww-muted" role="status">{tn("Showing {count} of {total}", "Showing {count} of {total}", rows.length, { total: number(data.rows.length) })}</p>
      {rows.length < data.rows.length && <button type="button" className="ww-button ww-soft" onClick={more}>{t("Older")}</button>}
    </>
  );
}
