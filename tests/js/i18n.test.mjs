// The island's words and formats (assets/island/i18n.js): plural choice by each language's CLDR
// rules, formats that are never the US ones, a missing text that stays visible, the prisons'
// zone. The catalogues' translations arrive separately, so the plural tests give their own forms
// with the locale's real Intl tag.
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { test } from "node:test";

import { browserLocale, instantOf, LOCALES, pickLocale, speak, wallClock, wordsFrom } from "../../assets/island/i18n.js";

const MESSAGES = new URL("../../assets/island/messages/", import.meta.url);
const exported = (code) => JSON.parse(readFileSync(new URL(`${code}.json`, MESSAGES), "utf8"));
const ONE_FEW_OTHER = { one: "ONE {count}", few: "FEW {count}", other: "OTHER {count}" };
const ONE_OTHER = { one: "ONE {count}", other: "OTHER {count}" };

function withForms(code, forms) {
  const catalogue = exported(code);
  return wordsFrom({ ...catalogue, messages: { "{count} waiting to send": forms } });
}
const waiting = (words, count) => words.tn("{count} waiting to send", "{count} waiting to send", count);

for (const code of ["sr-Latn", "sr-Cyrl", "bs", "hr", "cnr"]) {
  test(`${code} says one for 1, 21, 101; few for 2-4, 22; other for 5, 11-14, 0`, () => {
    const words = withForms(code, ONE_FEW_OTHER);
    for (const n of [1, 21, 101]) assert.equal(waiting(words, n), `ONE ${n}`);
    for (const n of [2, 3, 4, 22, 34]) assert.equal(waiting(words, n), `FEW ${n}`);
    for (const n of [0, 5, 11, 12, 14, 25, 111]) assert.equal(waiting(words, n), `OTHER ${n}`);
  });
}

test("Macedonian has its own rule: one for 1, 21 and 31 but not 11; other else", () => {
  const words = withForms("mk", ONE_OTHER);
  for (const n of [1, 21, 31, 101]) assert.equal(waiting(words, n), `ONE ${n}`);
  for (const n of [0, 2, 5, 11, 12, 111]) assert.equal(waiting(words, n), `OTHER ${n}`);
});

test("Albanian says one only for 1", () => {
  const words = withForms("sq", ONE_OTHER);
  assert.equal(waiting(words, 1), "ONE 1");
  for (const n of [0, 2, 21, 101]) assert.equal(waiting(words, n), `OTHER ${n}`);
});

test("every exported plural text has each form its language's Intl rules ask for", () => {
  for (const file of readdirSync(MESSAGES).filter((name) => name.endsWith(".json"))) {
    const catalogue = JSON.parse(readFileSync(new URL(file, MESSAGES), "utf8"));
    const categories = new Intl.PluralRules(catalogue.intl).resolvedOptions().pluralCategories;
    for (const [msgid, text] of Object.entries(catalogue.messages)) {
      if (typeof text !== "object") continue;
      for (const category of categories) assert.ok(text[category], `${file}: ${msgid} lacks ${category}`);
    }
  }
});

test("a count is written the locale's way", () => {
  const words = withForms("sr-Latn", ONE_FEW_OTHER);
  assert.equal(waiting(words, 1235), "OTHER 1.235");
  assert.equal(waiting(withForms("en", ONE_OTHER), 1234), "OTHER 1,234");
});

test("English plurals work without any forms in the catalogue", () => {
  const words = wordsFrom({ ...exported("en"), messages: {}, labels: {} });
  assert.equal(words.tn("{count} entry", "{count} entries", 1), "1 entry");
  assert.equal(words.tn("{count} entry", "{count} entries", 3), "3 entries");
});

test("a text missing from the catalogue shows as its message id, placeholders filled", () => {
  const words = wordsFrom({ ...exported("sq"), messages: { Save: "Ruaj" }, labels: {} });
  assert.equal(words.t("Save"), "Ruaj");
  assert.equal(words.t("Not in any catalogue, {name}", { name: "Ana" }), "Not in any catalogue, Ana");
  assert.equal(words.t("Keeps {unknown} visible"), "Keeps {unknown} visible");
});

test("labels come from the exported tables; an unknown code shows as itself", () => {
  const words = speak("en");
  assert.equal(words.label("source", "direct"), exported("en").labels.source.direct);
  assert.equal(words.label("status", "no_such_status"), "no_such_status");
});

test("the pseudo-locale's texts are bracketed", () => {
  assert.match(speak("en-XA").label("concern", "high"), /^⟦.*⟧$/);
});

test("the browser's languages: a tag spoken here, else its language, never the pseudo-locale", () => {
  assert.equal(browserLocale(["de-DE", "sq-AL", "en"]), "sq");
  assert.equal(browserLocale(["sr-Latn"]), "sr-Latn");
  assert.equal(browserLocale(["sr-Latn-ME"]), "sr-Latn");
  assert.equal(browserLocale(["sr-RS"]), "sr-Cyrl");
  assert.equal(browserLocale(["mk"]), "mk");
  assert.equal(browserLocale(["en-XA"]), "en");
  assert.equal(browserLocale(["de-DE", "fr"]), undefined);
  assert.equal(browserLocale([]), undefined);
});

test("pickLocale takes the first locale spoken here, else English", () => {
  assert.equal(pickLocale(null, "xx", "sr-Cyrl", "sq"), "sr-Cyrl");
  assert.equal(pickLocale(undefined, "", "constructor"), "en");
  assert.deepEqual([...LOCALES].sort(),
                   ["bs", "cnr", "en", "en-XA", "hr", "mk", "sq", "sr-Cyrl", "sr-Latn"]);
});

// 30 November 2026, 14:31 UTC is 15:31 in Belgrade (CET, UTC+1).
const MOMENT = Date.UTC(2026, 10, 30, 14, 31);

test("no locale writes a date the US way, and English is British", () => {
  for (const code of LOCALES) {
    const words = speak(code);
    const text = `${words.moment(MOMENT)} ${words.day(MOMENT)}`;
    assert.doesNotMatch(text, /11\/30|PM|AM/, `${code}: ${text}`);
    assert.match(words.moment(MOMENT), /30/);
  }
  assert.equal(speak("en").moment(MOMENT), "30 Nov 2026, 15:31");
  assert.equal(speak("sr-Latn").moment(MOMENT), "30. 11. 2026. 15:31");
  assert.match(speak("sr-Cyrl").weekday(MOMENT), /понедељак/);
  assert.match(speak("mk").weekday(MOMENT), /понеделник/);
  assert.match(speak("sq").weekday(MOMENT), /e hënë/);
});

test("times are the prisons' zone's, not the machine's", () => {
  assert.match(speak("en", "Europe/Belgrade").moment(MOMENT), /15:31/);
  assert.match(speak("en", "Europe/London").moment(MOMENT), /14:31/);
});

test("dates come from CLDR's patterns and names, not from the browser's Intl data", () => {
  // Chromium has no Albanian or Macedonian dates and writes Bosnian ones in the root locale:
  // an unknown Intl tag here stands for such a browser.
  const without = (code) => wordsFrom({ ...exported(code), intl: "zz" });
  assert.equal(without("sq").moment(MOMENT), "30 nën 2026, 15:31");
  assert.equal(without("sq").weekday(MOMENT), "e hënë, 30 nëntor");
  assert.equal(without("bs").moment(MOMENT), "30. nov 2026. 15:31");
  assert.equal(without("mk").day(MOMENT), "30 ное. 2026\u202fг.");
  assert.equal(without("hr").number(1234.5), "1.234,5");
  assert.equal(without("sq").number(1234.5), "1\u00a0234,5");
});

test("a wall-clock time in the prisons' zone is the same instant back and forth", () => {
  assert.deepEqual(wallClock(MOMENT), { year: 2026, month: 11, day: 30, hour: 15, minute: 31 });
  assert.equal(instantOf({ year: 2026, month: 11, day: 30, hour: 15, minute: 31 }), MOMENT);
  // Summer time: 1 July 09:05 in Belgrade is 07:05 UTC.
  assert.equal(instantOf({ year: 2026, month: 7, day: 1, hour: 9, minute: 5 }),
               Date.UTC(2026, 6, 1, 7, 5));
  // The morning the clocks go forward (29 March 2026, 02:00 → 03:00): 03:30 is 01:30 UTC.
  assert.equal(instantOf({ year: 2026, month: 3, day: 29, hour: 3, minute: 30 }),
               Date.UTC(2026, 2, 29, 1, 30));
});
