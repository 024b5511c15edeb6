// Seals an observation to the server's public key before it is stored on the tablet, so a lost
// or shared tablet does not leak what was written (design §4 item 8). The output is what
// app/services/sealing.py opens: a JWE compact serialization, alg RSA-OAEP-256, enc A256GCM,
// with a `kid` header. WebCrypto only: no library sees the plaintext.

const ALG = "RSA-OAEP-256";
const ENC = "A256GCM";
const utf8 = new TextEncoder();

export function base64url(bytes) {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function importSealingKey(publicJwk) {
  if (!publicJwk || publicJwk.kty !== "RSA" || !publicJwk.n || !publicJwk.e) {
    throw new Error("The sealing key is not an RSA public JWK.");
  }
  if (typeof publicJwk.kid !== "string" || !publicJwk.kid) {
    throw new Error("The sealing key has no kid.");
  }
  if (publicJwk.alg && publicJwk.alg !== ALG) {
    throw new Error(`The sealing key is for ${publicJwk.alg}, not ${ALG}.`);
  }
  // Only the public members: WebCrypto refuses a JWK whose use/key_ops/alg disagree with the
  // requested usage, and "d" would make it a private key import.
  const jwk = { kty: "RSA", n: publicJwk.n, e: publicJwk.e, alg: ALG, ext: true };
  return crypto.subtle.importKey("jwk", jwk, { name: "RSA-OAEP", hash: "SHA-256" }, false,
                                 ["encrypt"]);
}

export async function seal(payload, publicJwk) {
  const rsaKey = await importSealingKey(publicJwk);
  const header = base64url(utf8.encode(JSON.stringify({ alg: ALG, enc: ENC, kid: publicJwk.kid })));
  const cekBytes = crypto.getRandomValues(new Uint8Array(32)); // 256-bit content key
  const iv = crypto.getRandomValues(new Uint8Array(12)); // 96-bit GCM nonce
  const plaintext = utf8.encode(JSON.stringify(payload));
  try {
    // The CEK is imported non-extractable; its raw bytes exist only until wiped below.
    const cek = await crypto.subtle.importKey("raw", cekBytes, "AES-GCM", false, ["encrypt"]);
    const encryptedKey = new Uint8Array(
      await crypto.subtle.encrypt({ name: "RSA-OAEP" }, rsaKey, cekBytes));
    // JWE: the AAD is the ASCII of the base64url protected header (RFC 7516 §5.1 step 14).
    const sealed = new Uint8Array(await crypto.subtle.encrypt(
      { name: "AES-GCM", iv, additionalData: utf8.encode(header), tagLength: 128 },
      cek, plaintext));
    // WebCrypto appends the 16-byte tag to the ciphertext; JWE carries them separately.
    const ciphertext = sealed.subarray(0, sealed.length - 16);
    const tag = sealed.subarray(sealed.length - 16);
    return [header, base64url(encryptedKey), base64url(iv), base64url(ciphertext),
            base64url(tag)].join(".");
  } finally {
    // Best effort: the JSON string itself cannot be wiped in JS, but no byte copy lingers.
    cekBytes.fill(0);
    plaintext.fill(0);
  }
}
