// fold.js: the island's name folding, and that it agrees with app/text/fold.py on the server.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

import { finds, findPrisoners, fold, searchKeys } from "../../assets/island/fold.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CORPUS = JSON.parse(readFileSync(new URL("./fold-corpus.json", import.meta.url), "utf-8"));
const PYTHON = `${ROOT}.venv/bin/python`; // scripts/lib.sh makes it before the JS tests run

// What the server makes of the same texts: its search keys, and its finds() for each pair.
function python(texts, pairs) {
  const script = [
    "import json, sys",
    "from app.text.fold import finds, search_keys",
    "data = json.load(sys.stdin)",
    "print(json.dumps({'keys': [search_keys(t) for t in data['texts']],",
    "                  'finds': [finds(q, n) for q, n in data['pairs']]}))",
  ].join("\n");
  const out = execFileSync(PYTHON, ["-c", script], { cwd: ROOT, input: JSON.stringify({ texts, pairs }) });
  return JSON.parse(out.toString("utf-8"));
}

// Texts made of the letters the rules are about, and some they are not, from a fixed seed.
function samples(count, seed = 20261130) {
  const alphabet = [..."abcdjhxszqlnëeçđćčšžüß ЂЃЉЊЋЏЅЈђѓљњћџѕјжшчхдгкќабвеиѐѝ-\u00a0\u2009\u0301\u0308İıΣσ😀1"];
  let state = seed;
  const next = () => { state = (state * 1103515245 + 12345) % 2147483648; return state; };
  return Array.from({ length: count }, () =>
    Array.from({ length: next() % 12 }, () => alphabet[next() % alphabet.length]).join(""));
}

test("the issue's examples are one key", () => {
  assert.deepEqual(new Set(["Petrovic", "Petrović", "PETROVIĆ", "Петровић"].map(fold)), new Set(["petrovic"]));
  assert.deepEqual(new Set(["Đorđević", "Djordjevic", "Dordevic", "Ђорђевић"].map(fold)), new Set(["dordevic"]));
  assert.ok(finds("Hoxha", "Hoxhë") && finds("Hoxhë", "Hoxha"));
  assert.deepEqual(searchKeys("Hoxhë"), ["hodze", "hodza"]);
});

test("the shared corpus: what must be found, what must not, the known false matches", () => {
  assert.deepEqual(CORPUS.finds.filter(([q, n]) => !finds(q, n)), []);
  assert.deepEqual(CORPUS.misses.filter(([q, n]) => finds(q, n)), []);
  assert.deepEqual(CORPUS.false_matches.filter(([q, n]) => !finds(q, n)), []);
});

test("the island and the server fold every corpus name and sample alike", () => {
  const texts = [...CORPUS.names, ...samples(400)];
  const pairs = [...CORPUS.finds, ...CORPUS.misses, ...CORPUS.false_matches,
    ...CORPUS.names.flatMap((q) => CORPUS.names.map((n) => [q, n]))];
  const server = python(texts, pairs);
  texts.forEach((text, i) => assert.deepEqual(searchKeys(text), server.keys[i], JSON.stringify(text)));
  pairs.forEach((pair, i) => assert.equal(finds(...pair), server.finds[i], JSON.stringify(pair)));
});

test("the prisoner picker matches name or number in any script, at most eight", () => {
  const roster = [
    { id: "1", name: "Marko Petrović", number: "DPC-24-1001" },
    { id: "2", name: "Ђорђе Ђорђевић", number: "DPC-24-1002" },
    { id: "3", name: "Arben Hoxhë", number: "DPC-24-1003" },
    { id: "4", name: "Марко Јовановски", number: "DPC-24-1004" },
  ];
  const ids = (query) => findPrisoners(roster, query).map((p) => p.id);
  assert.deepEqual(ids("Петровић"), ["1"]);
  assert.deepEqual(ids("petrovic"), ["1"]);
  assert.deepEqual(ids("Djordjevic"), ["2"]);
  assert.deepEqual(ids("Dordevic"), ["2"]);
  assert.deepEqual(ids("Hoxha"), ["3"]);
  assert.deepEqual(ids("jovanovski"), ["4"]);
  assert.deepEqual(ids("Marko"), ["1", "4"]);
  assert.deepEqual(ids("24-1003"), ["3"]);
  assert.deepEqual(ids("Petar"), []);
  const many = Array.from({ length: 12 }, (_, i) => ({ id: String(i), name: "Ana Petrović", number: `N${i}` }));
  assert.equal(findPrisoners(many, "petrovic").length, 8);
});
