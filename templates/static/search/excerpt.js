// A window of a block of a document's text around a match, as HTML with every
// occurrence of every term in it marked. The text's first line is its preface
// (title, 发文字号…, which results show anyway; empty but in the first
// block): a match after it is preferred.
const BEFORE = 30;
const LENGTH = 110;

// Move a cut (by `step`, -1 or 1) off the middle of a surrogate pair:
// characters beyond U+FFFF are two UTF-16 units.
function whole(text, at, step) {
  const unit = text.charCodeAt(at);
  return unit >= 0xdc00 && unit <= 0xdfff ? at + step : at;
}

function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]);
}

// Display ranges [start, end) of all occurrences of the terms, merged.
function matchRanges({ folded, starts, ends }, terms) {
  const ranges = [];
  for (const term of terms) {
    for (let at = folded.indexOf(term); at >= 0; at = folded.indexOf(term, at + 1)) {
      ranges.push([starts[at], ends[at + term.length - 1]]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

export function excerpt(mapped, terms) {
  const { text } = mapped;
  const ranges = matchRanges(mapped, terms);
  const preface = Math.max(0, text.indexOf("\n"));
  const [from, to] = ranges.find(([at]) => at >= preface) ?? ranges[0] ?? [preface + 1, preface + 1];
  const start = whole(text, from > preface ? Math.max(preface + 1, from - BEFORE) : Math.max(0, from - BEFORE), -1);
  const end = whole(text, Math.min(text.length, Math.max(start + LENGTH, to)), 1);
  let html = start > 0 ? "…" : "";
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    html += escapeHtml(text.slice(at, Math.max(at, from)));
    html += `<mark>${escapeHtml(text.slice(Math.max(at, from), Math.min(to, end)))}</mark>`;
    at = Math.min(to, end);
  }
  html += escapeHtml(text.slice(at, end)) + (end < text.length ? "…" : "");
  return html;
}
