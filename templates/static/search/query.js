// Reading a query: terms, 发文字号, pinyin; the index terms of a query term
// (gazette_site/search/terms.py); and how text is compared, character by
// character. Exact: whitespace dropped (line breaks, table cells, 组 长).
// Loose: also folded through NFKC and lower case (Ｇ３１８, pcr). Loose
// folding is gazette_site/search/normalize.py's fold(), which the index is
// built on; keep the two in step (the tests compare them on every character
// of the content).
export const WHITESPACE = /[\s\u200b]+/gu;

export function squashChar(char) {
  return char.replace(WHITESPACE, "");
}

export function foldChar(char) {
  return char.normalize("NFKC").toLowerCase().replace(WHITESPACE, "");
}

export function applyChars(text, fold) {
  let folded = "";
  for (const char of text) folded += fold(char);
  return folded;
}

// `text` folded by `fold`, and for each UTF-16 unit of the result where the
// character it came from starts and ends in `text`: matches found in the
// folded text are highlighted in the text as shown.
export function foldWithMap(text, fold) {
  let folded = "";
  const starts = [];
  const ends = [];
  let at = 0;
  for (const char of text) {
    const part = fold(char);
    folded += part;
    for (let unit = 0; unit < part.length; unit++) {
      starts.push(at);
      ends.push(at + char.length);
    }
    at += char.length;
  }
  return { text, folded, starts, ends };
}

// Bigrams spread over a term that are asked for first (see candidateTerms).
const SPREAD = 4;

// Index terms every document containing `term` has: the character for one
// character, else the term's bigrams, in the order worth asking for them:
// four spread over the term, the rest of a cover of it (bigrams side by
// side), then the overlapping ones.
export function candidateTerms(term) {
  const chars = Array.from(term);
  if (chars.length === 1) return [chars[0]];
  const cover = [];
  for (let i = 0; i + 1 < chars.length; i += 2) cover.push(i);
  if (chars.length % 2 === 1) cover.push(chars.length - 2);
  const step = Math.max(1, (cover.length - 1) / (SPREAD - 1));
  const order = new Set();
  for (let k = 0; k < Math.min(SPREAD, cover.length); k++) order.add(cover[Math.round(k * step)]);
  for (const i of cover) order.add(i);
  for (let i = 0; i + 1 < chars.length; i++) order.add(i);
  return [...order].map((i) => chars[i] + chars[i + 1]);
}

// 新政发〔2023〕2号 in any of its spellings, after folding: 新政发[2023]2号,
// 新政发(2023)2号, 新政发2023年2号, 新政发〔2023〕2 … `brackets` ({open,
// close}) are gazette_site/docnumber.py's, folded, from the build.
export function canonicalDocNumber(folded, brackets) {
  const escapeClass = (chars) => chars.replace(/[\\\]^-]/g, "\\$&");
  const pattern = new RegExp(
    `^(\\p{Script=Han}+)[${escapeClass(brackets.open)}]?((?:19|20)\\d{2})[${escapeClass(brackets.close)}年]?第?(\\d{1,5})号?$`, "u");
  const match = pattern.exec(folded);
  return match ? `${match[1]}〔${match[2]}〕${Number(match[3])}号` : null;
}

// Space-separated terms must all occur; "a quoted phrase" is one term (its
// inner spaces are ignored like all whitespace). Each term exactly (only
// whitespace dropped) and loosely folded (see foldChar).
export function parseQuery(raw, brackets) {
  const pieces = [];
  const unquoted = raw.replace(/"([^"]*)"/g, (_, phrase) => {
    pieces.push(phrase);
    return " ";
  });
  pieces.push(...unquoted.split(/[\s\u200b"]+/u));
  const distinct = (fold) => [...new Set(pieces.map((p) => applyChars(p, fold)).filter((term) => term.length))];
  const whole = applyChars(raw.replace(/"/g, ""), foldChar);
  return {
    exact: distinct(squashChar),
    loose: distinct(foldChar),
    docNumber: canonicalDocNumber(whole, brackets),
    pinyin: /^[a-z]{2,}$/.test(whole) ? whole : null,
  };
}

// The part of `title` whose pinyin `letters` spell, by initials (wfcs) or by
// full syllables starting at a syllable (wufeichengshi, wufeicheng); null if
// none. `syllables` has one entry per code point of the title, "-" where a
// character has no reading.
export function pinyinMatch(title, syllables, letters) {
  const chars = Array.from(title);
  const readings = syllables.split(" ");
  const read = readings.flatMap((syllable, i) => (syllable === "-" ? [] : [i]));
  const span = (first, last) => chars.slice(read[first], read[last] + 1).join("");
  const initials = read.map((i) => readings[i][0]).join("");
  const at = initials.indexOf(letters);
  if (at >= 0) return span(at, at + letters.length - 1);
  for (let first = 0; first < read.length; first++) {
    let rest = letters;
    let next = first;
    while (rest && next < read.length) {
      const syllable = readings[read[next]];
      if (rest.startsWith(syllable)) rest = rest.slice(syllable.length);
      else if (syllable.startsWith(rest)) rest = "";
      else break;
      next++;
    }
    if (!rest) return span(first, next - 1);
  }
  return null;
}

// Whether the index's answer for `exact` terms (their `loose` twins) is exactly
// the documents containing them, with no need to read the texts: each term is
// one index term (one or two characters, see terms.py), folds to itself, and
// has no character that loose folding makes of another (`looseFolds`, from
// the build), so a text contains it loosely only where it contains it exactly.
export function indexAnswersExactly({ exact, loose }, looseFolds) {
  return exact.length === loose.length && loose.every((term, i) =>
    term === exact[i] && Array.from(term).length <= 2 && !Array.from(term).some((c) => looseFolds.includes(c)));
}
