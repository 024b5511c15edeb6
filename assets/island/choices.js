// The form's choices: codes from vocabulary.js (generated from app/vocabulary.py). Their words
// come from the message catalogues, in the officer's language: the "source" and "concern" tables
// of the exported labels (i18n.js label()); tests/js/choices.test.mjs checks every code has them.
import { VOCABULARY } from "./vocabulary.js";

export const SOURCES = VOCABULARY.sources;
export const CONCERNS = VOCABULARY.concerns;
export const DEFAULT_SOURCE = "direct";
export const DEFAULT_CONCERN = "medium";
