// The officer's key on this tablet, derived from their password, and what it protects: the
// cached bootstrap (roster names and numbers) is AES-GCM encrypted at rest, and every outbox
// entry carries an HMAC tag over id, officer and sealed blob, so an entry another officer (or
// a script) drops into this officer's outbox is never sent under their token.
// WebCrypto only and no imports: wingwatch.js loads this file on the sign-in page.

export const ITERATIONS = 600_000; // PBKDF2-SHA256, as the offline unlock verifier
const TABLET_SALT = "wingwatch.keySalt"; // localStorage: this tablet's random salt
const TAB_KEY = "wingwatch.tabKey"; // sessionStorage: the unlocked officer's raw key
const utf8 = new TextEncoder();

export function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

export function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

// One random salt per tablet, joined with the username, so each officer's key differs from
// every other officer's and from the same officer's on another tablet. It must stay stable:
// the offline unlock derives the same key again from the password.
function saltFor(username, storage) {
  let salt = storage.getItem(TABLET_SALT);
  if (!salt) storage.setItem(TABLET_SALT, (salt = toBase64(crypto.getRandomValues(new Uint8Array(16)))));
  return utf8.encode(`${salt}\u0000${String(username).trim().toLowerCase()}`);
}

export async function deriveKey(password, username, storage = globalThis.localStorage) {
  const material = await crypto.subtle.importKey(
    "raw", utf8.encode(String(password).normalize("NFC")), "PBKDF2", false, ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: saltFor(username, storage), iterations: ITERATIONS },
    material, 256));
}

// While a tab is unlocked its raw key sits in that tab's session storage, so a reload keeps
// working; a lock, a sign-out or closing the tab drops it.
export function holdKey(officerId, raw, storage = globalThis.sessionStorage) {
  storage.setItem(TAB_KEY, JSON.stringify({ officerId, key: toBase64(raw) }));
}

export function heldKey(officerId, storage = globalThis.sessionStorage) {
  try {
    const held = JSON.parse(storage.getItem(TAB_KEY) || "null");
    return held && held.officerId === officerId ? fromBase64(held.key) : null;
  } catch {
    return null;
  }
}

export function dropKey(storage = globalThis.sessionStorage) {
  storage.removeItem(TAB_KEY);
}

async function subkey(base, info, algorithm, usages) {
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: utf8.encode(info) },
    base, algorithm, false, usages);
}

// Non-extractable keys for one officer: what the page holds in memory while unlocked.
export async function openVault(officerId, raw) {
  const base = await crypto.subtle.importKey("raw", raw, "HKDF", false, ["deriveKey"]);
  const box = await subkey(base, "wingwatch bootstrap v1", { name: "AES-GCM", length: 256 },
                           ["encrypt", "decrypt"]);
  const mac = await subkey(base, "wingwatch outbox tag v1", { name: "HMAC", hash: "SHA-256" },
                           ["sign", "verify"]);
  const aad = utf8.encode(officerId); // a box moved to another officer's row does not open
  const tagged = (entry) => utf8.encode(JSON.stringify([entry.id, officerId, entry.sealed]));
  return {
    officerId,
    async seal(value) {
      const iv = crypto.getRandomValues(new Uint8Array(12));
      const data = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: aad }, box,
                                               utf8.encode(JSON.stringify(value)));
      return { iv: toBase64(iv), data: toBase64(new Uint8Array(data)) };
    },
    // null for anything that is not this officer's box under this key (a wrong password too).
    async open(sealedBox) {
      try {
        const plain = await crypto.subtle.decrypt(
          { name: "AES-GCM", iv: fromBase64(sealedBox.iv), additionalData: aad }, box,
          fromBase64(sealedBox.data));
        return JSON.parse(new TextDecoder().decode(plain));
      } catch {
        return null;
      }
    },
    async tag(entry) {
      return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", mac, tagged(entry))));
    },
    async verify(entry) {
      if (entry.officerId !== officerId || typeof entry.tag !== "string") return false;
      try {
        return await crypto.subtle.verify("HMAC", mac, fromBase64(entry.tag), tagged(entry));
      } catch {
        return false;
      }
    },
  };
}
