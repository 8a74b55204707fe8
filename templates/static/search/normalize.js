// How text is compared, character by character. Exact: whitespace dropped
// (line breaks, table cells, 组 长). Loose: also folded through NFKC and lower
// case (Ｇ３１８, pcr). Loose folding is gazette_site/search/normalize.py's
// fold(), which the index is built on; keep the two in step (the tests
// compare them on every character of the content).
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
