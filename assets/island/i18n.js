// The island's words and formats, offline: the texts of every locale are imported here, so the
// bundler builds them into the island's chunk and the service worker keeps them with the app
// shell (no fetch at run time, nothing to miss on a tablet without network). The JSON files are
// generated from the gettext catalogues by `python -m app.i18n export`; message ids are the
// English texts, as in Python, and `t`/`tn` are the extraction keywords (babel.cfg).
// Dates and times are in the prisons' zone and the officer's locale: CLDR's patterns and names
// come with the texts (exported from Babel), because the browsers' Intl lacks some of these
// locales (Chromium writes Albanian and Macedonian dates in English, Bosnian in the root
// locale's "2026 M12 1"). Intl gives the wall clock in the zone, and the plural rules.
import bs from "./messages/bs.json" with { type: "json" };
import cnr from "./messages/cnr.json" with { type: "json" };
import en from "./messages/en.json" with { type: "json" };
import enXA from "./messages/en-XA.json" with { type: "json" };
import hr from "./messages/hr.json" with { type: "json" };
import mk from "./messages/mk.json" with { type: "json" };
import sq from "./messages/sq.json" with { type: "json" };
import srCyrl from "./messages/sr-Cyrl.json" with { type: "json" };
import srLatn from "./messages/sr-Latn.json" with { type: "json" };

const CATALOGUES = Object.fromEntries(
  [bs, cnr, en, enXA, hr, mk, sq, srCyrl, srLatn].map((catalogue) => [catalogue.locale, catalogue]));
export const LOCALES = Object.keys(CATALOGUES);
export const DEFAULT_LOCALE = "en";
export const DEFAULT_ZONE = "Europe/Belgrade";

// The first of the candidates that is a locale the island speaks; English when none is.
export function pickLocale(...candidates) {
  return candidates.find((code) => typeof code === "string" && Object.hasOwn(CATALOGUES, code))
    ?? DEFAULT_LOCALE;
}

// The browser's own languages, in its order of preference, as the server reads Accept-Language
// (app/i18n/negotiation.py): a tag the island speaks, else its language ("sr" alone is Serbian
// Cyrillic, Serbia's official script). Never the pseudo-locale; undefined when none is spoken.
const BY_LANGUAGE = { sq: "sq", mk: "mk", bs: "bs", hr: "hr", cnr: "cnr", en: "en" };

export function browserLocale(languages = globalThis.navigator?.languages ?? []) {
  const spoken = LOCALES.filter((code) => code !== "en-XA");
  for (const tag of languages) {
    const lower = String(tag).toLowerCase();
    const exact = spoken.find((code) => code.toLowerCase() === lower);
    if (exact) return exact;
    const [language, ...subtags] = lower.split("-");
    if (language === "sr") return subtags.includes("latn") ? "sr-Latn" : "sr-Cyrl";
    if (Object.hasOwn(BY_LANGUAGE, language)) return BY_LANGUAGE[language];
  }
  return undefined;
}

// What the service worker's offline page needs of a locale (assets/sw.js): its tag and texts.
export function offlineWordsOf(locale) {
  const catalogue = CATALOGUES[pickLocale(locale)];
  return { lang: catalogue.locale, messages: catalogue.messages };
}

// {name} placeholders filled from params; one not given stays visible as {name}.
function fill(text, params) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (
    params && Object.hasOwn(params, name) ? String(params[name]) : whole));
}

// The wall clock in `zone` at instant `ms`: {year, month (1-12), day, hour, minute}.
export function wallClock(ms, zone = DEFAULT_ZONE) {
  const parts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "numeric", day: "numeric", hour: "numeric",
    minute: "numeric", hourCycle: "h23",
  }).formatToParts(ms);
  const get = (type) => Number(parts.find((p) => p.type === type).value);
  return { year: get("year"), month: get("month"), day: get("day"), hour: get("hour"),
           minute: get("minute") };
}

// The instant (ms) when the wall clock in `zone` shows this date and time. Twice round, so a
// time next to a daylight-saving change lands on the offset in force at that time.
export function instantOf({ year, month, day, hour = 0, minute = 0 }, zone = DEFAULT_ZONE) {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute);
  let instant = asUtc;
  for (let round = 0; round < 2; round += 1) {
    const seen = wallClock(instant, zone);
    const offset = Date.UTC(seen.year, seen.month - 1, seen.day, seen.hour, seen.minute) - instant;
    instant = asUtc - offset;
  }
  return instant;
}

// Everything one officer's screens need in their language: speak("sr-Latn").t("Save").
export function speak(locale, zone = DEFAULT_ZONE) {
  return wordsFrom(CATALOGUES[pickLocale(locale)], zone);
}

// The same from one catalogue ({locale, intl, messages, labels, calendar}, as exported).
export function wordsFrom(catalogue, zone = DEFAULT_ZONE) {
  const { intl, calendar } = catalogue;
  const plurals = new Intl.PluralRules(intl);
  const dated = (pattern) => (ms) => formatPattern(pattern, wallClock(ms, zone), calendar);

  // A message id the catalogue lacks shows as itself (English), never as nothing: the
  // pseudo-locale's tests then see it without its brackets.
  const t = (msgid, params) => {
    const text = catalogue.messages[msgid];
    return fill(typeof text === "string" ? text : msgid, params);
  };
  const number = (value) => formatNumber(value, calendar);
  const tn = (singular, plural, count, params) => {
    const forms = catalogue.messages[singular];
    const category = plurals.select(count);
    const text = forms && typeof forms === "object"
      ? forms[category] ?? forms.other
      : (count === 1 ? singular : plural); // English, the message ids' own language
    return fill(text, { ...params, count: number(count) });
  };
  const label = (table, code) => catalogue.labels[table]?.[code] ?? String(code);

  return {
    locale: catalogue.locale, intl, zone, t, tn, label, number,
    twoDigits: (value) => String(value).padStart(2, "0"),
    moment: dated(calendar.patterns.moment),
    day: dated(calendar.patterns.day),
    weekday: dated(calendar.patterns.weekday),
  };
}

// A number with the locale's decimal sign and grouping (1.234,5 or 1 234,5).
function formatNumber(value, calendar) {
  return new Intl.NumberFormat("en-US").format(value)
    .replace(/[,.]/g, (sign) => (sign === "," ? calendar.group : calendar.decimal));
}

// A CLDR date pattern ("d. MMM y. HH:mm", 'quoted' literals) filled from a wall clock.
export function formatPattern(pattern, clock, calendar) {
  const weekday = new Date(Date.UTC(clock.year, clock.month - 1, clock.day)).getUTCDay();
  let out = "";
  for (let i = 0; i < pattern.length;) {
    const letter = pattern[i];
    if (letter === "'") {
      const end = pattern.indexOf("'", i + 1);
      if (end === i + 1) { out += "'"; i += 2; continue; } // '' is a quote mark
      const stop = end < 0 ? pattern.length : end;
      out += pattern.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    let width = 1;
    if (/[A-Za-z]/.test(letter)) while (pattern[i + width] === letter) width += 1;
    out += /[A-Za-z]/.test(letter) ? field(letter, width, { ...clock, weekday }, calendar) : letter;
    i += width;
  }
  return out;
}

const pad = (n) => String(n).padStart(2, "0");

function field(letter, width, clock, calendar) {
  const named = (names, index) => (width >= 4 ? names.wide : names.abbreviated)[index];
  switch (letter) {
    case "y": return width === 2 ? pad(clock.year % 100) : String(clock.year);
    case "M": case "L":
      if (width >= 3) return named(letter === "L" ? calendar.months_alone : calendar.months, clock.month - 1);
      return width === 2 ? pad(clock.month) : String(clock.month);
    case "d": return width === 2 ? pad(clock.day) : String(clock.day);
    case "E": case "c": return named(calendar.days, clock.weekday);
    case "H": return width === 2 ? pad(clock.hour) : String(clock.hour);
    case "m": return pad(clock.minute);
    default: return ""; // no pattern we export has other fields (12-hour clocks are not used)
  }
}
