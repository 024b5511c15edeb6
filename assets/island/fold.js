// Name folding for search on the tablet, offline: the same rules as app/text/fold.py, from the
// same table (fold-table.json), so the picker finds whom the screening queue finds.
// tests/js/fold.test.mjs runs both on the same names and compares.
import TABLE from "./fold-table.json" with { type: "json" };

const LETTERS = new Map(Object.entries(TABLE.letters));
const SEQUENCES = new Map(Object.entries(TABLE.sequences));
const LONGEST = Math.max(...[...SEQUENCES.keys()].map((s) => [...s].length));
const SPACES = new Set(TABLE.spaces);
const MARK = /\p{M}/u;
const LETTER = /\p{L}/u;

// The search key: lower case, Latin, no accents, the region's digraphs as one spelling.
export function fold(text) {
  return foldLowered(lower(text));
}

// fold(text), and when a word ends in Albanian ë, the key with that ë read as a: the indefinite
// and definite forms of one name (Hoxhë, Hoxha).
export function searchKeys(text) {
  const lowered = lower(text);
  const chars = [...lowered];
  const definite = chars.map((c, i) => (c === "ë" && !LETTER.test(chars[i + 1] ?? "") ? "a" : c)).join("");
  return definite === lowered ? [foldLowered(lowered)] : [foldLowered(lowered), foldLowered(definite)];
}

// Whether any field holds the query, whatever its script and accents. The plain lower-case test
// stays too: a query that begins inside a folded pair ("ha" of Hoxha, whose key is "hodza") is
// still found as typed.
export function finds(query, ...fields) {
  const wanted = searchKeys(query);
  const plain = lower(query);
  return fields.some((field) => lower(field).includes(plain)
    || searchKeys(field).some((key) => wanted.some((w) => key.includes(w))));
}

// The capture page's prisoner picker: who matches by name or number, at most `limit` of them.
export function findPrisoners(roster, query, limit = 8) {
  return roster.filter((p) => finds(query, p.name, p.number)).slice(0, limit);
}

function lower(text) {
  return text.normalize("NFC").toLowerCase();
}

function foldLowered(lowered) {
  const latin = [...lowered].map((c) => LETTERS.get(c) ?? c).join("");
  const bare = [...latin.normalize("NFD")].filter((c) => !MARK.test(c)).join("");
  return [...sequences(bare)].map((c) => (SPACES.has(c) ? " " : c)).join("")
    .split(" ").filter(Boolean).join(" ");
}

function sequences(text) {
  const chars = [...text];
  let out = "";
  for (let i = 0; i < chars.length;) {
    let part = chars[i];
    for (let n = LONGEST; n > 1; n -= 1) {
      const candidate = chars.slice(i, i + n).join("");
      if (SEQUENCES.has(candidate)) { part = candidate; break; }
    }
    out += SEQUENCES.get(part) ?? part;
    i += [...part].length;
  }
  return out;
}
