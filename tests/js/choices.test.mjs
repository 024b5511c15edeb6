// choices.js: the capture form offers exactly the vocabulary's codes, each with a label.
import assert from "node:assert/strict";
import { test } from "node:test";

import {
  CONCERNS, CONCERN_LABELS, DEFAULT_CONCERN, DEFAULT_SOURCE, SOURCES, SOURCE_LABELS,
} from "../../assets/island/choices.js";
import { VOCABULARY } from "../../assets/island/vocabulary.js";

for (const [name, choices, labels, codes, fallback] of [
  ["sources", SOURCES, SOURCE_LABELS, VOCABULARY.sources, DEFAULT_SOURCE],
  ["concerns", CONCERNS, CONCERN_LABELS, VOCABULARY.concerns, DEFAULT_CONCERN],
]) {
  test(`every ${name} code has a label, and only codes have one`, () => {
    assert.deepEqual(choices.map(([code]) => code), codes);
    for (const [code, label] of choices) assert.ok(label?.trim(), `no label for ${code}`);
    assert.deepEqual(Object.keys(labels).sort(), [...codes].sort());
  });

  test(`the form's first ${name} choice is one of the codes`, () => {
    assert.ok(codes.includes(fallback));
  });
}
