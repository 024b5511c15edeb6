// The capture island: the officer's form and outbox, working with or without network.
// Data comes from the REST API and is cached in IndexedDB per officer; nothing here talks to
// Reflex's websocket (design.md §2). Entries are sealed to the server's key before they are
// stored, so the tablet never holds their text in the clear.
import React, { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { CONCERNS, DEFAULT_CONCERN, DEFAULT_SOURCE, SOURCES } from "./choices.js";
import { findPrisoners } from "./fold.js";
import { openOutbox } from "./outbox.js";
import { seal } from "./seal.js";
import { TokenRefused, createScheduler } from "./sync.js";
import { checkPassword, isLockedOut, recordFailure } from "./local_unlock.js";
import { deriveKey, dropKey, fromBase64, heldKey, holdKey, openVault } from "./vault.js";

const CURRENT_OFFICER = "wingwatch.currentOfficer"; // localStorage: whose data this tablet shows
const LOCKED = "wingwatch.lockedOfficer"; // localStorage: this officer locked here, password needed
const PENDING_VERIFIER = "wingwatch.pendingVerifier"; // sessionStorage, set by the sign-in page
const DEVICE = "wingwatch.device";
const DAY_MS = 24 * 3600 * 1000;

const deviceId = () => {
  let id = localStorage.getItem(DEVICE);
  if (!id) localStorage.setItem(DEVICE, (id = `tablet-${crypto.randomUUID()}`));
  return id;
};

const clock = (ms) => (ms ? new Date(ms).toLocaleString([], { dateStyle: "short", timeStyle: "short" }) : "");
const localInputValue = (date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60000).toISOString().slice(0, 16);

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
    await outbox.forget((await outbox.officersKept()).filter((id) => id !== officer.id));
    const pending = JSON.parse(sessionStorage.getItem(PENDING_VERIFIER) || "null");
    sessionStorage.removeItem(PENDING_VERIFIER);
    if (pending?.username === officer.username && pending.key) { // the password was just typed
      await outbox.setMeta(officer.id, "verifier", pending.verifier);
      await outbox.setMeta(officer.id, "unlock", { failures: 0 });
      return ready(officer, bootstrap, fromBase64(pending.key));
    }
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
    if (answer === 423) return "That password is not right.";
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
    return verifier ? "That password is not right." : "Offline unlock is not set up: sign in online.";
  }, [outbox, state, ready, start]);

  useEffect(() => { start(); }, [start]);
  return { ...state, getToken, lock, unlock, restart: start };
}

// --- The page ---------------------------------------------------------------------------------

export function CaptureIsland({ idleLockMs = 5 * 60 * 1000 }) {
  const outbox = useOutbox();
  if (!outbox) return <p className="ww-muted">Opening this tablet's storage…</p>;
  return <Capture outbox={outbox} idleLockMs={idleLockMs} />;
}

function useOutbox() {
  const [outbox, setOutbox] = useState(null);
  useEffect(() => {
    openOutbox().then(async (opened) => {
      await opened.prune(Date.now()); // receipts older than 7 days go
      setOutbox(opened);
    });
  }, []);
  return outbox;
}

function Capture({ outbox, idleLockMs }) {
  const session = useOfficerSession(outbox);
  const status = useSyncStatus(outbox, session);
  useIdleLock(session.phase === "ready", idleLockMs, session.lock);

  const gate = {
    "loading": <p className="ww-muted">Loading…</p>,
    "needs-online": <Notice title="Sign in online first">This tablet has no data for you yet. Sign in once with network, then it works offline for the rest of the shift.</Notice>,
    "signed-out": <Notice title="Signed out">Your session has ended. <a href="/login">Sign in again</a>; entries waiting on this tablet are kept and sent afterwards.</Notice>,
    "not-officer": <Notice title="Not allowed">Only officers record observations.</Notice>,
    "locked-out": <Notice title="Locked">Too many wrong passwords. <a href="/login">Sign in online</a> to unlock this tablet.</Notice>,
  }[session.phase];

  return (
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

function useSyncStatus(outbox, session) {
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
    const s = createScheduler({ outbox, officerId, deviceId: deviceId(), getToken: session.getToken,
                                verify: vault.verify, onChange });
    scheduler.current = s;
    s.start();
    return () => s.stop();
  }, [outbox, officerId, vault, session.getToken]);

  const save = useCallback(async (entry) => {
    const tag = await vault.tag({ ...entry, officerId }); // binds the entry to this officer
    await outbox.add(officerId, { ...entry, tag }, Date.now());
    scheduler.current?.saved();
  }, [outbox, officerId, vault]);

  return { ...view, save,
           sendNow: () => scheduler.current?.sendNow(),
           dismiss: async (id) => { await outbox.dismiss(officerId, id); scheduler.current?.saved(); } };
}

function StatusBar({ officer, status, outbox, lock }) {
  const stale = status.oldestWaitingAt && Date.now() - status.oldestWaitingAt > DAY_MS;
  const offline = ["offline", "retry"].includes(status.outcome);
  const checking = status.outcome == null;
  const signOut = async () => {
    if (status.waitingCount > 0 && !window.confirm(
      `${status.waitingCount} waiting to send. They stay on this tablet and are sent when you next sign in here. Sign out?`)) return;
    await outbox.forget([officer.id]); // the roster goes unless entries wait for the next sign-in
    window.wingwatch.signOut(); // clears this tab's storage and its page states on the server
  };
  return (
    <header className="ww-statusbar">
      <div className="ww-who"><strong>{officer.display_name}</strong><span className="ww-muted"> · wing {officer.wings.join(", ")}</span></div>
      <div className="ww-sync" aria-live="polite">
        <span className={offline || checking ? "ww-pill ww-pill-off" : "ww-pill ww-pill-on"}>{checking ? "Checking network…" : offline ? "Offline" : "Online"}</span>
        {status.waitingCount != null && <span data-testid="waiting-count">{status.waitingCount} waiting to send</span>}
        <span className="ww-muted">{status.lastSuccessAt ? `Last sent ${clock(status.lastSuccessAt)}` : "Nothing sent yet"}</span>
        {status.outcome === "reauth" && <a href="/login">Sign in again to send</a>}
        {status.outcome === "locked" && <button type="button" className="ww-button ww-soft" onClick={lock}>Enter your password to send</button>}
      </div>
      <div className="ww-actions">
        <button type="button" className="ww-button" onClick={status.sendNow}>Send now</button>
        <a className="ww-button ww-soft" href="/entries">My entries</a>
        <button type="button" className="ww-button ww-soft" onClick={signOut}>Sign out</button>
      </div>
      {stale && <p className="ww-warning" role="alert">An entry has waited more than 24 hours. Find a network and press Send now.</p>}
    </header>
  );
}

function Problems({ items, onDismiss }) {
  if (!items?.length) return null;
  return (
    <section className="ww-card ww-problems" aria-label="Entries the server did not accept">
      <h2 className="ww-h2">Not accepted by the server</h2>
      {items.map((item) => (
        <div key={item.id} className="ww-problem">
          <span>{clock(item.createdAt)} · wing {item.summary.wing}: {item.reason}</span>
          <button type="button" className="ww-button ww-soft" onClick={() => onDismiss(item.id)}>Dismiss</button>
        </div>
      ))}
    </section>
  );
}

function LockScreen({ officer, unlock }) {
  const [error, setError] = useState("");
  const submit = async (event) => {
    event.preventDefault();
    const field = event.currentTarget.elements.password;
    const problem = await unlock(field.value);
    field.value = "";
    setError(problem || "");
  };
  return (
    <section className="ww-card" role="dialog" aria-modal="true" aria-label="Locked">
      <h1 className="ww-h1">Locked</h1>
      <p>{officer.display_name}, enter your password to carry on. This works without network.</p>
      <form onSubmit={submit} className="ww-unlock">
        <div className="ww-field">
          <label className="ww-label" htmlFor="unlock-password">Password</label>
          <input id="unlock-password" name="password" type="password" className="ww-input" autoComplete="current-password" autoFocus />
        </div>
        {error && <p className="ww-error" role="alert">{error}</p>}
        <button type="submit" className="ww-button">Unlock</button>
      </form>
    </section>
  );
}

function StorageDetails() {
  const [info, setInfo] = useState(null);
  const load = async () => {
    const persisted = navigator.storage?.persist ? await navigator.storage.persist() : false;
    const estimate = navigator.storage?.estimate ? await navigator.storage.estimate() : {};
    setInfo({ persisted, usage: estimate.usage || 0, quota: estimate.quota || 0 });
  };
  useEffect(() => { load(); }, []);
  const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
  return (
    <details className="ww-details">
      <summary>Storage on this tablet</summary>
      {info && <p>{mb(info.usage)} used of {mb(info.quota)}. {info.persisted ? "Kept by the browser even when space runs low." : "The browser may clear it when space runs low."}</p>}
    </details>
  );
}

// --- The form ---------------------------------------------------------------------------------

function emptyDraft(bootstrap) {
  return { prisoner: null, query: "", indicators: [], when: localInputValue(new Date()),
           where: bootstrap.locations.find((l) => l.code === "landing")?.code || bootstrap.locations[0].code,
           source: DEFAULT_SOURCE, concern: DEFAULT_CONCERN, facts: "", assessment: "", flag: false, reason: "" };
}

function ObservationForm({ bootstrap, onSave }) {
  const [draft, setDraft] = useState(() => emptyDraft(bootstrap));
  const [message, setMessage] = useState(null);
  const [recent, setRecent] = useState([]);
  const set = (patch) => { setDraft((d) => ({ ...d, ...patch })); setMessage(null); };
  const catalogue = bootstrap.catalogue;

  useEffect(() => {
    const clean = JSON.stringify(draft) === JSON.stringify({ ...emptyDraft(bootstrap), when: draft.when });
    window.wingwatchFormDirty = !clean; // a service-worker update waits while this is true
    return () => { window.wingwatchFormDirty = false; };
  }, [draft, bootstrap]);

  const problem = () => {
    if (!draft.prisoner) return "Choose the prisoner.";
    if (!draft.indicators.length) return "Tick at least one thing you observed.";
    if (!draft.facts.trim()) return "Write what you saw or heard.";
    if (new Date(draft.when).getTime() > Date.now() + 60000) return "\"When\" cannot be in the future.";
    if (draft.flag && !draft.reason.trim()) return "Give a reason for the flag.";
    return null;
  };

  const save = async (event) => {
    event.preventDefault();
    const wrong = problem();
    if (wrong) return setMessage({ error: wrong });
    const byCode = Object.fromEntries(catalogue.categories.flatMap((c) => c.indicators.map((i) => [i.code, c.code])));
    const payload = {
      prisoner_id: draft.prisoner.id, occurred_at: new Date(draft.when).toISOString(),
      recorded_at: new Date().toISOString(), location: draft.where,
      catalogue_version: catalogue.version, indicators: draft.indicators, facts: draft.facts.trim(),
      assessment: draft.assessment.trim() || null, source: draft.source, concern: draft.concern,
      flag: draft.flag, flag_reason: draft.flag ? draft.reason.trim() : null,
    };
    const id = crypto.randomUUID();
    const sealed = await seal(payload, bootstrap.sealing_key);
    const summary = { occurred_at: payload.occurred_at, wing: draft.prisoner.wing, flag: draft.flag,
                      categories: [...new Set(draft.indicators.map((code) => byCode[code]))] };
    await onSave({ id, sealed, summary });
    setRecent((r) => [draft.prisoner, ...r.filter((p) => p.id !== draft.prisoner.id)].slice(0, 5));
    setDraft(emptyDraft(bootstrap));
    setMessage({ saved: "Saved on this tablet" });
  };

  return (
    <form className="ww-form" onSubmit={save} noValidate>
      <h1 className="ww-h1">Record an observation</h1>
      <p className="ww-reminder">Record behaviour, not faith or origin: religious practice, conversion, ethnicity, nationality, language or appearance are never indicators by themselves.</p>
      <PrisonerPicker roster={bootstrap.roster} recent={recent} draft={draft} set={set} />
      <Indicators catalogue={catalogue} chosen={draft.indicators} set={set} />
      <div className="ww-row">
        <Field label="When" id="ww-when"><input id="ww-when" type="datetime-local" className="ww-input" value={draft.when} max={localInputValue(new Date())} onChange={(e) => set({ when: e.target.value })} /></Field>
        <Field label="Where" id="ww-where"><select id="ww-where" className="ww-input" value={draft.where} onChange={(e) => set({ where: e.target.value })}>{bootstrap.locations.map((l) => <option key={l.code} value={l.code}>{l.label}</option>)}</select></Field>
      </div>
      <div className="ww-row">
        <Field label="Source" id="ww-source"><select id="ww-source" className="ww-input" value={draft.source} onChange={(e) => set({ source: e.target.value })}>{SOURCES.map(([v, l]) => <option key={v} value={v}>{l}</option>)}</select></Field>
        <fieldset className="ww-field ww-concern"><legend className="ww-label">Concern</legend>
          {CONCERNS.map(([c, label]) => <label key={c} className="ww-choice"><input type="radio" name="concern" value={c} checked={draft.concern === c} onChange={() => set({ concern: c })} />{label}</label>)}
        </fieldset>
      </div>
      <Field label="What you saw or heard" id="ww-facts" hint="Facts only: what happened, who was there, the person's own words in quotes. No labels, no opinions.">
        <textarea id="ww-facts" className="ww-input ww-text" maxLength={4000} value={draft.facts} onChange={(e) => set({ facts: e.target.value })} />
      </Field>
      <Field label="Your assessment (optional)" id="ww-assessment" hint="Your own interpretation, kept apart from the facts.">
        <textarea id="ww-assessment" className="ww-input ww-text ww-assessment" maxLength={4000} value={draft.assessment} onChange={(e) => set({ assessment: e.target.value })} />
      </Field>
      <label className="ww-switch"><input type="checkbox" role="switch" checked={draft.flag} onChange={(e) => set({ flag: e.target.checked })} />Flag for screening</label>
      {draft.flag && <Field label="Reason for flag" id="ww-reason"><textarea id="ww-reason" className="ww-input" maxLength={1000} value={draft.reason} onChange={(e) => set({ reason: e.target.value })} /></Field>}
      {message?.error && <p className="ww-error" role="alert">{message.error}</p>}
      {message?.saved && <p className="ww-saved" role="status">{message.saved}</p>}
      <button type="submit" className="ww-button ww-save">Save</button>
    </form>
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

function PrisonerPicker({ roster, recent, draft, set }) {
  const query = draft.query.trim();
  const matches = useMemo(() => (query ? findPrisoners(roster, query) : recent), [query, roster, recent]);
  if (draft.prisoner) {
    return (
      <div className="ww-field">
        <span className="ww-label">Prisoner</span>
        <div className="ww-chosen"><strong>{draft.prisoner.name}</strong> {draft.prisoner.number} · wing {draft.prisoner.wing}
          <button type="button" className="ww-button ww-soft" onClick={() => set({ prisoner: null, query: "" })}>Change</button></div>
      </div>
    );
  }
  return (
    <div className="ww-field">
      <label className="ww-label" htmlFor="ww-prisoner">Prisoner</label>
      <input id="ww-prisoner" type="search" role="searchbox" aria-label="Prisoner" className="ww-input" placeholder="Name or number" autoComplete="off" value={draft.query} onChange={(e) => set({ query: e.target.value })} />
      <ul className="ww-options" role="listbox" aria-label="Matching prisoners">
        {matches.map((p) => (
          <li key={p.id}><button type="button" role="option" aria-selected="false" className="ww-option" onClick={() => set({ prisoner: p, query: "" })}>{p.name} · {p.number} · wing {p.wing}</button></li>
        ))}
      </ul>
    </div>
  );
}

function Indicators({ catalogue, chosen, set }) {
  const toggle = (code) => set({ indicators: chosen.includes(code) ? chosen.filter((c) => c !== code) : [...chosen, code] });
  return (
    <fieldset className="ww-field ww-indicators">
      <legend className="ww-label">What you observed</legend>
      <details className="ww-details"><summary>What counts, and what never does</summary><p className="ww-muted">{catalogue.guidance}</p></details>
      {catalogue.categories.map((category) => {
        const ticked = category.indicators.filter((i) => chosen.includes(i.code)).length;
        return (
          <details key={category.code} className="ww-category" open={ticked > 0 || undefined}>
            <summary>{category.label}{ticked ? ` (${ticked})` : ""}</summary>
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

export function EntriesIsland() {
  const outbox = useOutbox();
  const [rows, setRows] = useState(null);
  const [categoryNames, setCategoryNames] = useState({});
  useEffect(() => {
    if (!outbox) return;
    (async () => {
      // Whose entries: the signed-in officer's (asked of the server), or offline the officer
      // this tab was unlocked for. Never just "the last officer on this tablet".
      const session = await tokenFromSession().catch(() => null);
      const bearer = session?.status === 200 ? { Authorization: `Bearer ${session.token}` } : null;
      let officerId = null;
      if (bearer) officerId = (await (await fetch("/api/v1/auth/me", { headers: bearer })).json()).user_id;
      else if (!session && localStorage.getItem(LOCKED) !== localStorage.getItem(CURRENT_OFFICER)) officerId = localStorage.getItem(CURRENT_OFFICER);
      const raw = officerId && heldKey(officerId); // offline, only a tab unlocked for them
      if (!bearer && !raw) officerId = null;
      const cached = raw ? await outbox.cachedBootstrap(await openVault(officerId, raw)) : null;
      setCategoryNames(Object.fromEntries((cached?.catalogue.categories || []).map((c) => [c.code, c.label])));
      const local = officerId ? [
        ...(await outbox.waiting(officerId)).map((e) => ({ ...e.summary, id: e.id, status: "on tablet" })),
        ...(await outbox.problems(officerId)).map((e) => ({ ...e.summary, id: e.id, status: "not accepted" })),
      ] : [];
      let server = [];
      if (bearer) {
        const response = await fetch("/api/v1/observations/mine", { headers: bearer });
        if (response.ok) server = (await response.json()).observations.map((o) => ({ ...o, status: o.status === "received" ? "sent" : o.status === "screened" ? `Reviewed on ${new Date(o.reviewed_at).toLocaleDateString()}` : o.status }));
      }
      setRows([...local, ...server.filter((o) => !local.some((l) => l.id === o.id))]);
    })();
  }, [outbox]);
  if (!rows) return <p className="ww-muted">Loading…</p>;
  if (!rows.length) return <p>No entries yet.</p>;
  return (
    <table className="ww-table">
      <thead><tr><th>When</th><th>Wing</th><th>Categories</th><th>Status</th></tr></thead>
      <tbody>{rows.map((r) => (
        <tr key={r.id}><td>{clock(Date.parse(r.occurred_at))}</td><td>{r.wing}</td><td>{(r.categories || []).map((code) => categoryNames[code] || code).join("; ")}</td><td>{r.status}</td></tr>
      ))}</tbody>
    </table>
  );
}
