// Offline unlock on a shared tablet: after an online sign-in the island keeps a verifier of
// the officer's password (never the password), so the officer can unlock the capture page
// with no network. PBKDF2-SHA256 with a per-officer random salt and 600 000 iterations (OWASP
// 2023) makes each guess slow for whoever copies the tablet's storage. After 5 wrong tries
// offline, the officer's local data stays locked until an online sign-in.

export const ITERATIONS = 600_000;
export const MAX_OFFLINE_FAILURES = 5;
const BITS = 256;

function toBase64(bytes) {
  return btoa(String.fromCharCode(...bytes));
}

function fromBase64(text) {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

async function derive(password, salt, iterations) {
  // NFC: the same password typed on another tablet's keyboard gives the same bytes.
  const material = await crypto.subtle.importKey(
    "raw", new TextEncoder().encode(String(password).normalize("NFC")), "PBKDF2", false,
    ["deriveBits"]);
  return new Uint8Array(await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt, iterations }, material, BITS));
}

export async function makeVerifier(password) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const hash = await derive(password, salt, ITERATIONS);
  return { salt: toBase64(salt), iterations: ITERATIONS, hash: toBase64(hash) };
}

export async function checkPassword(verifier, password) {
  let salt;
  let expected;
  try {
    salt = fromBase64(verifier.salt);
    expected = fromBase64(verifier.hash);
  } catch {
    return false;
  }
  // A verifier weakened in storage (fewer iterations) is refused, as is an absurd count.
  const n = verifier.iterations;
  if (!(n >= ITERATIONS && n <= 10 * ITERATIONS) || expected.length !== BITS / 8) return false;
  const actual = await derive(password, salt, verifier.iterations);
  // Constant time: look at every byte whatever the first difference.
  let diff = 0;
  for (let i = 0; i < expected.length; i += 1) diff |= actual[i] ^ expected[i];
  return diff === 0;
}

// Pure helpers over the {failures} object kept in the officer's meta ("unlockState").
export function recordFailure(state) {
  return { failures: ((state && state.failures) || 0) + 1 };
}

export function isLockedOut(state) {
  return ((state && state.failures) || 0) >= MAX_OFFLINE_FAILURES;
}

export function reset() {
  return { failures: 0 };
}
