// The form's choices: codes from vocabulary.js (generated from app/vocabulary.py), each with the
// English words the form shows today. tests/js/choices.test.mjs checks a label for every code; a
// later issue exports these words from the message catalogues instead.
import { VOCABULARY } from "./vocabulary.js";

export const SOURCE_LABELS = {
  direct: "I saw or heard it",
  reported_by_staff: "Reported by staff",
  reported_by_prisoner: "Reported by a prisoner",
  document: "A document",
};
// The concern levels are shown as their codes ("low", "medium", "high").
export const CONCERN_LABELS = { low: "low", medium: "medium", high: "high" };

export const SOURCES = VOCABULARY.sources.map((code) => [code, SOURCE_LABELS[code]]);
export const CONCERNS = VOCABULARY.concerns.map((code) => [code, CONCERN_LABELS[code]]);
export const DEFAULT_SOURCE = "direct";
export const DEFAULT_CONCERN = "medium";
