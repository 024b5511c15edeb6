// seal.js: the envelope opens the way app/services/sealing.py opens it.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { before, test } from "node:test";

import { seal } from "../../assets/island/seal.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PYTHON = `${ROOT}.venv/bin/python`;
const PAYLOAD = { prisoner_id: "p-1", facts: 'Said "ništa" to the visitor 🙂', indicators: ["2.1"],
                  flag: false };
const KID = "0123456789abcdef";

const unb64 = (text) => new Uint8Array(Buffer.from(text, "base64url"));
let keys;
let publicJwk; // shaped like SealingRing.public_jwk(): kty, n, e, kid, alg, use

before(async () => {
  keys = await crypto.subtle.generateKey(
    { name: "RSA-OAEP", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]),
      hash: "SHA-256" }, true, ["encrypt", "decrypt"]);
  const { n, e } = await crypto.subtle.exportKey("jwk", keys.publicKey);
  publicJwk = { kty: "RSA", n, e, kid: KID, alg: "RSA-OAEP-256", use: "enc" };
});

// What the server does: RSA-OAEP-256 unwrap of the CEK, then AES-256-GCM with the protected
// header (as sent, base64url ASCII) as additional data.
async function open(token, privateKey) {
  const parts = token.split(".");
  assert.equal(parts.length, 5);
  const [header, encryptedKey, iv, ciphertext, tag] = parts;
  const cek = await crypto.subtle.decrypt({ name: "RSA-OAEP" }, privateKey, unb64(encryptedKey));
  const aesKey = await crypto.subtle.importKey("raw", cek, "AES-GCM", false, ["decrypt"]);
  const plaintext = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: unb64(iv), additionalData: new TextEncoder().encode(header),
      tagLength: 128 },
    aesKey, Buffer.concat([unb64(ciphertext), unb64(tag)]));
  return {
    header: JSON.parse(Buffer.from(header, "base64url").toString("utf8")),
    payload: JSON.parse(new TextDecoder().decode(plaintext)),
    sizes: { cek: new Uint8Array(cek).length, iv: unb64(iv).length, tag: unb64(tag).length },
  };
}

test("a sealed entry opens with the private key, as the server opens it", async () => {
  const token = await seal(PAYLOAD, publicJwk);
  assert.match(token, /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+){4}$/); // base64url, no padding
  const opened = await open(token, keys.privateKey);
  assert.deepEqual(opened.header, { alg: "RSA-OAEP-256", enc: "A256GCM", kid: KID });
  assert.deepEqual(Object.keys(opened.header), ["alg", "enc", "kid"]);
  assert.deepEqual(opened.payload, PAYLOAD);
  assert.deepEqual(opened.sizes, { cek: 32, iv: 12, tag: 16 });
  assert.ok(!token.includes("visitor") && !token.includes(Buffer.from("visitor").toString("base64url")));
});

test("every seal has its own content key and IV", async () => {
  const [a, b] = [await seal(PAYLOAD, publicJwk), await seal(PAYLOAD, publicJwk)];
  const [pa, pb] = [a.split("."), b.split(".")];
  assert.equal(pa[0], pb[0]);
  assert.notEqual(pa[1], pb[1]);
  assert.notEqual(pa[2], pb[2]);
  assert.notEqual(pa[3], pb[3]);
});

test("the header is authenticated: another kid in it makes the envelope fail", async () => {
  const token = await seal(PAYLOAD, publicJwk);
  const header = Buffer.from(JSON.stringify({ alg: "RSA-OAEP-256", enc: "A256GCM", kid: "other" }))
    .toString("base64url");
  await assert.rejects(open([header, ...token.split(".").slice(1)].join("."), keys.privateKey));
});

test("a key without kid, or for another algorithm, is refused", async () => {
  const { kid, ...noKid } = publicJwk;
  await assert.rejects(seal(PAYLOAD, noKid), /kid/);
  await assert.rejects(seal(PAYLOAD, { ...publicJwk, alg: "RSA1_5" }), /RSA1_5/);
  await assert.rejects(seal(PAYLOAD, { kty: "EC", kid: KID }), /RSA/);
});

// The real server code, when the project's Python environment is there (scripts/test makes it).
test("the server's SealingRing.unseal opens it", { skip: !existsSync(PYTHON) && "no .venv" },
  async () => {
    const token = await seal(PAYLOAD, publicJwk);
    const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey));
    const pem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64")}\n-----END PRIVATE KEY-----\n`;
    const script = [
      "import json, sys",
      "from joserfc.jwk import RSAKey",
      "from app.services.sealing import SealingRing",
      "data = json.load(sys.stdin)",
      "key = RSAKey.import_key(data['pem'], parameters={'kid': data['kid']})",
      "print(json.dumps(SealingRing(data['kid'], {data['kid']: key}).unseal(data['token'])))",
    ].join("\n");
    const out = execFileSync(PYTHON, ["-c", script], {
      cwd: ROOT, input: JSON.stringify({ pem, kid: KID, token }), encoding: "utf8" });
    assert.deepEqual(JSON.parse(out), PAYLOAD);
  });
