// local_unlock.js: the PBKDF2 verifier and the offline lockout after 5 wrong tries.
import assert from "node:assert/strict";
import { before, test } from "node:test";

import { ITERATIONS, checkPassword, isLockedOut, makeVerifier, recordFailure, reset }
  from "../../assets/island/local_unlock.js";

const PASSWORD = "Correct horse, wing C ✓";
let verifier;

before(async () => {
  verifier = await makeVerifier(PASSWORD);
});

test("the verifier holds salt, iterations and hash, never the password", async () => {
  assert.deepEqual(Object.keys(verifier).sort(), ["hash", "iterations", "salt"]);
  assert.equal(verifier.iterations, 600_000);
  assert.equal(ITERATIONS, 600_000);
  assert.equal(Buffer.from(verifier.salt, "base64").length, 16);
  assert.equal(Buffer.from(verifier.hash, "base64").length, 32);
  assert.ok(!JSON.stringify(verifier).includes("horse"));
  const again = await makeVerifier(PASSWORD);
  assert.notEqual(again.salt, verifier.salt, "a fresh salt each time");
  assert.notEqual(again.hash, verifier.hash);
});

test("the right password unlocks, a wrong one does not", async () => {
  assert.equal(await checkPassword(verifier, PASSWORD), true);
  assert.equal(await checkPassword(verifier, "correct horse, wing C ✓"), false);
  assert.equal(await checkPassword(verifier, ""), false);
});

test("a tampered or malformed verifier never unlocks", async () => {
  assert.equal(await checkPassword({ ...verifier, iterations: 1 }, PASSWORD), false);
  assert.equal(await checkPassword({ ...verifier, iterations: 1e12 }, PASSWORD), false);
  assert.equal(await checkPassword({ ...verifier, hash: "AAAA" }, PASSWORD), false);
  assert.equal(await checkPassword({ ...verifier, salt: "%%%" }, PASSWORD), false);
  assert.equal(await checkPassword(null, PASSWORD), false);
});

test("5 wrong tries offline lock the officer's local data until reset", () => {
  let state = reset();
  assert.deepEqual(state, { failures: 0 });
  for (let i = 1; i < 5; i += 1) {
    state = recordFailure(state);
    assert.equal(isLockedOut(state), false, `${i} failures`);
  }
  const before5 = state;
  state = recordFailure(state);
  assert.deepEqual(before5, { failures: 4 }, "pure: the old state is not changed");
  assert.equal(isLockedOut(state), true);
  assert.equal(isLockedOut(recordFailure(state)), true);
  assert.equal(isLockedOut(undefined), false);
  assert.deepEqual(recordFailure(undefined), { failures: 1 });
  assert.equal(isLockedOut(reset()), false);
});
