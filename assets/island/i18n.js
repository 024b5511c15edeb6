// The island's words and formats, offline: the texts of every locale are imported here, so the
// bundler builds them into the island's chunk and the service worker keeps them with the app
// shell (no fetch at run time, nothing to miss on a tablet without network). The JSON files are
// generated from the gettext catalogues by `python -m app.i18n export`; message ids are the
// English texts, as in Python, and `t`/`tn` are the extraction keywords (babel.cfg).
// Dates and times are in the prisons' zone and the officer's locale, through Intl.
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
const MINUTE_MS = 60 * 1000;

// The first of the candidates that is a locale the island speaks; English when none is.
export function pickLocale(...candidates) {
  return candidates.find((code) => typeof code === "string" && Object.hasOwn(CATALOGUES, code))
    ?? DEFAULT_LOCALE;
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

// The same from one catalogue ({locale, intl, messages, labels}, as exported).
export function wordsFrom(catalogue, zone = DEFAULT_ZONE) {
  const { intl } = catalogue;
  const plurals = new Intl.PluralRules(intl);
  const numbers = new Intl.NumberFormat(intl);
  const dated = (options) => new Intl.DateTimeFormat(intl, { timeZone: zone, ...options });
  // The 24-hour clock everywhere: CLDR's Albanian is 12-hour, the services write 24-hour.
  const moments = dated({ dateStyle: "medium", timeStyle: "short", hourCycle: "h23" });
  const days = dated({ dateStyle: "medium" });
  const weekdays = dated({ weekday: "long", day: "numeric", month: "long" });
  const relatives = new Intl.RelativeTimeFormat(intl, { numeric: "auto" });
  const twoDigits = new Intl.NumberFormat(intl, { minimumIntegerDigits: 2, useGrouping: false });

  // A message id the catalogue lacks shows as itself (English), never as nothing: the
  // pseudo-locale's tests then see it without its brackets.
  const t = (msgid, params) => {
    const text = catalogue.messages[msgid];
    return fill(typeof text === "string" ? text : msgid, params);
  };
  const tn = (singular, plural, count, params) => {
    const forms = catalogue.messages[singular];
    const category = plurals.select(count);
    const text = forms && typeof forms === "object"
      ? forms[category] ?? forms.other
      : (count === 1 ? singular : plural); // English, the message ids' own language
    return fill(text, { ...params, count: numbers.format(count) });
  };
  const label = (table, code) => catalogue.labels[table]?.[code] ?? String(code);

  // "in 3 hours", "2 days ago": the largest unit that fits.
  const relative = (deltaMs) => {
    const minutes = Math.round(deltaMs / MINUTE_MS);
    if (Math.abs(minutes) < 60) return relatives.format(minutes, "minute");
    const hours = Math.round(minutes / 60);
    if (Math.abs(hours) < 48) return relatives.format(hours, "hour");
    return relatives.format(Math.round(hours / 24), "day");
  };

  return {
    locale: catalogue.locale, intl, zone, t, tn, label, relative,
    number: (value) => numbers.format(value),
    twoDigits: (value) => twoDigits.format(value),
    moment: (ms) => moments.format(ms),
    day: (ms) => days.format(ms),
    weekday: (ms) => weekdays.format(ms),
  };
}
