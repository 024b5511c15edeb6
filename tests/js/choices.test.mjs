// choices.js: the capture form offers exactly the vocabulary's codes, each with words in every
// locale's exported labels (no English words in the island's code).
import assert from "node:assert/strict";
import { test } from "node:test";

import { CONCERNS, DEFAULT_CONCERN, DEFAULT_SOURCE, SOURCES } from "../../assets/island/choices.js";
import { LOCALES, speak } from "../../assets/island/i18n.js";
import { VOCABULARY } from "../../assets/island/vocabulary.js";

for (const [name, table, choices, codes, fallback] of [
  ["sources", "source", SOURCES, VOCABULARY.sources, DEFAULT_SOURCE],
  ["concerns", "concern", CONCERNS, VOCABULARY.concerns, DEFAULT_CONCERN],
]) {
  test(`every ${name} code has words in every locale`, () => {
    assert.deepEqual(choices, codes);
    for (const locale of LOCALES) {
      for (const code of choices) {
        const words = speak(locale).label(table, code);
        assert.ok(words.trim() && words !== code, `${locale}: no words for ${code}`);
      }
    }
  });

  test(`the form's first ${name} choice is one of the codes`, () => {
    assert.ok(codes.includes(fallback));
  });
}
