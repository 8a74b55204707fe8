// Search over the archive on its n-gram index (index.js): the postings of a
// query's characters and bigrams give candidates; for terms of one or two
// characters they are the answer (see indexAnswersExactly); otherwise the
// candidates are checked against their texts, in ranking order and only as
// far as the results shown need (Results, below); a 发文字号 in the query narrows
// them first by its tail. Either way the results are exactly the documents
// containing every term. Only when none does are the terms compared loosely
// (full-width and upper case alike), and then, for Latin letters, read as
// title pinyin. Texts are fetched only when a search needs them, a block at a
// time: the postings say which block of each text first has a term, so a
// result shown, or checked, usually costs one block.
import { WHITESPACE, applyChars, candidateTerms, foldChar, foldWithMap, indexAnswersExactly, parseQuery, pinyinMatch,
  squashChar } from "./query.js";
import { openIndex } from "./index.js";

const FOLDS = { exact: squashChar, loose: foldChar };

// An excerpt: a window around a match, as HTML with every occurrence of
// every term in it marked, within the line the match is on. The texts keep
// the page's layout in their whitespace (gazette_site/search/extract.py): a
// line is a paragraph, a heading or a table row, a tab parts the cells of a
// row or a fact from its value. A match in the text after the preface (title
// and facts, which results show anyway) is preferred, then one in a fact;
// a match only in the title shows the text's opening.
const BEFORE = 30;
const LENGTH = 110;
const CELL_GAP = ' <span class="cell-gap"></span> ';

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

function lineAround(text, from, to) {
  const end = text.indexOf("\n", to);
  return [from > 0 ? text.lastIndexOf("\n", from - 1) + 1 : 0, end < 0 ? text.length : end];
}

function shown(text) {
  return escapeHtml(text).replaceAll("\t", CELL_GAP);
}

// `mapped`: the preface, a line break and a block of text, folded with a map;
// `bodyStart`: where the block begins.
function excerpt(mapped, terms, bodyStart) {
  const { text } = mapped;
  const ranges = matchRanges(mapped, terms);
  const inFact = ([from, to]) => {
    const [start, end] = lineAround(text, from, to);
    return text.slice(start, end).includes("\t");
  };
  const [from, to] = ranges.find(([at]) => at >= bodyStart) ?? ranges.find(inFact)
    ?? (bodyStart < text.length ? [bodyStart, bodyStart] : ranges[0] ?? [0, 0]);
  const [lineStart, lineEnd] = lineAround(text, from, to);
  // BEFORE characters before the match, unless the line ends first: then as many as fit.
  const end = whole(text, Math.min(lineEnd, Math.max(Math.max(lineStart, from - BEFORE) + LENGTH, to)), 1);
  const start = whole(text, Math.max(lineStart, Math.min(from - BEFORE, end - LENGTH)), -1);
  let html = start > lineStart ? "…" : "";
  let at = start;
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue;
    html += shown(text.slice(at, Math.max(at, from)));
    html += `<mark>${shown(text.slice(Math.max(at, from), Math.min(to, end)))}</mark>`;
    at = Math.min(to, end);
  }
  html += shown(text.slice(at, end)) + (end < lineEnd ? "…" : "");
  return html;
}

// Candidates checked at a time, at most.
const BATCH = 64;

// A search's results, checked against the documents' texts in ranking order
// only as far as they are asked for: a page of results costs about a page of
// texts, not a text per candidate. `hits` grows in its final order; until
// every candidate is checked (`complete`), the count is only known to lie
// between hits.length and hits.length + unchecked. Where few candidates turn
// out to match, the unchecked ones are narrowed by more of the terms' index
// terms first, as long as a term costs less than the texts it may spare.
export class Results {
  // `ranked`: candidate hits in their order; `check(hit)`: a promise of
  // "exact", "loose" or null; `asLoose(hits)`: the loose twins of hits;
  // `order`: their order (see createOrder; by default as given); `narrow()`:
  // a promise of the document numbers having one more of the terms' index
  // terms, or of null when there is none; `wordBytes` and `textBytes`: what a
  // term's postings and a text cost to fetch.
  constructor(ranked, check, { by = "exact", order = GIVEN_ORDER, asLoose = (hits) => hits,
                               narrow = null, wordBytes = Infinity, textBytes = 0 } = {}) {
    Object.assign(this, { ranked, check, by, order, asLoose, narrow, wordBytes, textBytes });
    this.hits = [];
    this.looseOnly = [];
    this.next = 0;
    this.sample = { checked: 0, matched: 0 };  // since the last narrowing
    this.working = Promise.resolve();
  }

  // Hits already known to match: nothing to check.
  static of(hits, by, order = GIVEN_ORDER) {
    const results = new Results(hits, null, { by, order });
    results.hits = [...hits];
    results.next = hits.length;
    return results;
  }

  get complete() {
    return this.next >= this.ranked.length;
  }

  get unchecked() {
    return this.ranked.length - this.next;
  }

  // Resolves once at least `count` hits are known, or all candidates are
  // checked; calls are served one after the other.
  extend(count) {
    this.working = this.working.then(() => this.checkUntil(count));
    return this.working;
  }

  // The texts that would be checked in vain for `needed` more hits, at the
  // share of the candidates checked since the last narrowing that matched
  // (all, before any is checked: candidates with every bigram of a term
  // mostly have it), would cost more than one more index term.
  worthNarrowing(needed) {
    const matching = (this.sample.matched + 1) / (this.sample.checked + 1);
    const checks = Math.min(this.unchecked, needed / matching);
    return this.narrow !== null && checks * (1 - matching) * this.textBytes > this.wordBytes;
  }

  async checkUntil(count) {
    while (this.hits.length < count && !this.complete) {
      if (this.worthNarrowing(count - this.hits.length)) {
        const having = await this.narrow();
        if (having === null) this.narrow = null;
        // A candidate that matches has every term; the 发文字号 document is a result anyway.
        else {
          this.ranked = [...this.ranked.slice(0, this.next),
            ...this.ranked.slice(this.next).filter((hit) => hit.pinned || having.has(hit.n))];
          this.sample = { checked: 0, matched: 0 };
        }
        continue;
      }
      // A search for every hit learns after a batch whether narrowing pays.
      const size = Math.min(Math.max(count - this.hits.length, 1), BATCH);
      await this.order.settle(this.ranked, this.next, size);
      const batch = this.ranked.slice(this.next, this.next + size);
      const verdicts = await Promise.all(batch.map(this.check));
      this.next += batch.length;
      this.sample.checked += batch.length;
      this.sample.matched += verdicts.filter((verdict) => verdict === "exact").length;
      batch.forEach((hit, i) => {
        if (verdicts[i] === "exact") this.hits.push(hit);
        else if (verdicts[i] === "loose") this.looseOnly.push(hit);
      });
    }
    // Only when no candidate matches exactly do the loose matches count.
    if (this.complete && !this.hits.length && this.looseOnly.length) {
      this.by = "loose";
      this.hits = this.asLoose(this.looseOnly).sort(this.order.compare);
      this.looseOnly = [];
    }
    // Hits known without a check (or loose ones, sorted above) are in order only as far as settled.
    await this.order.settle(this.hits, 0, count);
  }
}

// Hits in the order they are given (a test's made-up ranking).
const GIVEN_ORDER = { compare: () => 0, settle: async () => {} };

// A 发文字号 tail, as gazette_site/search/numbers.py finds them.
const TAIL = /(?=([0-9]{4}[^0-9]{1,2}[0-9]+号))/gu;

// Terms of each query term whose postings are asked for before any check;
// the rest narrow the candidates while checking, where that pays (Results).
const ASKED = 4;
// What a block of text and one more bucket file cost to fetch, about
// (deflated, BENCHMARKS.md).
const TEXT_BYTES = 3500;
const BUCKET_BYTES = 6000;
// Results given an excerpt by window.gazetteSearch unless told otherwise: a page.
const EXCERPTS = 20;

// The last of `list` (in archive order) whose first document, `first(item)`, is n or before.
function holding(list, n, first) {
  let low = 0;
  let high = list.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (first(list[middle]) <= n) low = middle;
    else high = middle - 1;
  }
  return list[low];
}

// How results are ordered (docs/search.md): by date, newest first, within a day
// the later issue first, then printed order; by relevance, the looked-up
// 发文字号 first, then documents whose title has every term, each by date. The
// dates and issues documents sort by are loaded a part of the archive at a
// time, the newest part with the directory: until its part is loaded, a
// document sorts as if of the part's newest day and before every document of
// that day, which is never later than it will. So hits sorted so far are in
// their final order up to the first of an unloaded part whose place still
// depends on its date (another hit of the same rank follows it); `settle`
// loads parts until there is none among the hits asked for.
function createOrder(index, { documents, sort }, by) {
  const days = new Float64Array(documents).fill(NaN);
  const issues = new Int32Array(documents);
  let version = 0;  // of what is loaded
  const sortedAt = new WeakMap();  // list → the version it was sorted with
  function add({ first, days: deltas, issues: held }) {
    let day = 0;
    deltas.forEach((delta, i) => {
      days[first + i] = day += delta;
      issues[first + i] = holding(held, first + i, ([, start]) => start)[0];
    });
    version++;
  }
  add(sort.recent);
  const part = (n) => Math.floor(n / sort.documents);
  const day = (n) => (Number.isNaN(days[n]) ? sort.newest[part(n)] + 0.5 : days[n]);
  const byDate = (a, b) => day(b.n) - day(a.n) || issues[b.n] - issues[a.n] || a.n - b.n;
  const rank = { date: () => 0, relevance: (h) => 4 * h.pinned + h.inTitle }[by];
  const compare = (a, b) => rank(b) - rank(a) || byDate(a, b);
  const final = (list, i) => !Number.isNaN(days[list[i].n]) || i + 1 === list.length || rank(list[i + 1]) !== rank(list[i]);
  return {
    compare,
    // Puts list[from…] in order, its first `count` final (list[…from] is).
    async settle(list, from, count) {
      for (;;) {
        if (sortedAt.get(list) !== version) {
          list.slice(from).sort(compare).forEach((hit, i) => (list[from + i] = hit));
          sortedAt.set(list, version);
        }
        const end = Math.min(list.length, from + count);
        let i = from;
        while (i < end && final(list, i)) i++;
        if (i === end) return;
        const n = list[i].n;
        add(await index.sortPart(part(n)));
        if (Number.isNaN(days[n])) throw new Error(`sort part ${part(n)} lacks document ${n}`);
      }
    },
  };
}

function inRuns(runs, n) {
  for (let i = 0; i < runs.length; i += 2) if (runs[i] <= n && n < runs[i + 1]) return true;
  return false;
}

export function createEngine(root, paths) {
  const index = openIndex(root, paths);

  async function passes(n, options) {
    const { years } = await index.directory();
    if (options.year && String(holding(years, n, ([, first]) => first)[0]) !== String(options.year)) return false;
    if (options.issue && holding(await index.issues(), n, ([, , , first]) => first)[0] !== options.issue) return false;
    for (const name of ["category", "issuer"]) {
      if (options[name] && !inRuns((await index.filters())[name][options[name]] ?? [], n)) return false;
    }
    return true;
  }

  // The documents whose text has every 发文字号 tail (2023〕1号) of the
  // terms, or null when no term has one (see gazette_site/search/numbers.py).
  async function documentsWithTails(terms, { numberYears }) {
    const tails = [...new Set(terms.flatMap((term) => [...term.matchAll(TAIL)].map((match) => match[1])))];
    if (!tails.length) return null;
    let found = null;
    for (const tail of tails) {
      const year = tail.slice(0, 4);
      const listed = numberYears.includes(year) ? (await index.numbers(year)).tails[tail] ?? [] : [];
      found = new Set(listed.filter((n) => !found || found.has(n)));
    }
    return found;
  }

  async function documentNumbered(docNumber, { numberYears }) {
    const year = docNumber?.match(/〔(\d{4})〕/)?.[1];
    return year && numberYears.includes(year) ? (await index.numbers(year)).numbers[docNumber] ?? null : null;
  }

  // A text as `mode` compares it. Exact drops whitespace, which one pass over
  // the whole text does alike; loose folds character by character.
  const FOLD_TEXT = {
    exact: (text) => text.replace(WHITESPACE, ""),
    loose: (text) => applyChars(text, FOLDS.loose),
  };

  // Block j of document n as `mode` compares it: the preface (block 0 only)
  // and the text, apart, so that no term is found across them in a later block.
  // `joined`: after the previous block's own characters, for a term longer
  // than the blocks' overlap, which may run across the cut.
  async function blockText(n, j, mode, joined) {
    const [, , , , , , , , count, preface, own] = await index.block(n, j);
    let text = j === 0 ? `${preface}\n${own}` : own;
    if (joined && j > 0) {
      const { block: size } = await index.directory();
      text = Array.from((await index.block(n, j - 1))[10]).slice(0, size).join("") + own;
    }
    return { count, folded: FOLD_TEXT[mode](text) };
  }

  // A candidate's verdict: the folding its terms are found in, or null; and
  // the block to show. Blocks are read from the first that can have every
  // term (the postings' hints) until each is found. The looked-up 发文字号's
  // own document is a result whatever its text says; where the text lacks the
  // terms, its excerpt shows the number.
  async function check(hit, query) {
    if (hit.known) return "exact";
    const wanted = { exact: new Set(query.exact), loose: new Set(query.loose) };
    const first = {};
    const { overlap } = await index.directory();
    // A term longer than the overlap may begin in the block before its hints' (docs/search.md).
    const long = query.loose.some((term) => Array.from(term).length > overlap);
    for (let j = long ? Math.max(0, hit.block - 1) : hit.block, count = j + 1; j < count; j++) {
      for (const mode of ["exact", "loose"]) {
        const { count: blocks, folded } = await blockText(hit.n, j, mode, long);
        count = blocks;
        for (const term of wanted[mode]) {
          if (folded.includes(term)) {
            wanted[mode].delete(term);
            first[mode] ??= j;
          }
        }
      }
      if (!wanted.exact.size) break;
    }
    if (!wanted.exact.size) return (hit.block = first.exact), "exact";
    if (hit.pinned) return Object.assign(hit, { terms: [query.docNumber], block: 0 }), "exact";
    return wanted.loose.size ? null : ((hit.block = first.loose), "loose");
  }

  // The documents having every index term asked for (`groups`: those of each
  // query term; each term's postings, rarest first), and for each the first
  // block a check must read: a query term is in no block before the first of
  // each of its index terms, and the earliest query term decides.
  async function having(groups) {
    const postings = await Promise.all(groups.map((terms) => Promise.all(terms.map((t) => index.postings(t)))));
    const ordered = postings.flat().sort((a, b) => a.text.length - b.text.length);
    let found = null;
    for (const { text } of ordered) found = new Set(text.filter((n) => !found || found.has(n)));
    const blocks = new Map([...(found ?? [])].map((n) => [n, Infinity]));
    for (const group of postings) {
      const from = new Map();
      for (const { text, hints } of group) {
        text.forEach((n, i) => blocks.has(n) && from.set(n, Math.max(hints[i], from.get(n) ?? 0)));
      }
      for (const [n, block] of from) blocks.set(n, Math.min(block, blocks.get(n)));
    }
    return { found: blocks, postings: postings.flat() };
  }

  async function textResults(query, directory, options, order) {
    const { looseFolds } = directory;
    // The documents with the terms' 发文字号 tails, if they have any; else with
    // the first terms of each query term (every one, where the index is exact).
    // The rest narrow the candidates while checking them (Results).
    const exactIndex = indexAnswersExactly(query, looseFolds);
    const perTerm = query.loose.map(candidateTerms);
    const tailed = await documentsWithTails(query.loose, directory);
    const groups = tailed ? [] : perTerm.map((terms) => terms.slice(0, exactIndex ? Infinity : ASKED));
    const asked = groups.flat();
    const rest = [...new Set(perTerm.flat())].filter((t) => !asked.includes(t));
    const { found, postings } = tailed ? { found: new Map([...tailed].map((n) => [n, 0])), postings: [] }
      : await having(groups);
    // Among documents with the query in the title, those whose title it is
    // much of come first: 政府工作报告 is a third of 关于印发政府工作报告的通知,
    // a ninth of a title of fifty characters that cites it.
    const titleLengths = new Map(postings.length ? postings[0].title.map((n, i) => [n, postings[0].titleLengths[i]]) : []);
    const queryLength = query.loose.reduce((sum, term) => sum + term.length, 0);
    const titleRank = (n) => {
      const share = queryLength / Math.max(1, titleLengths.get(n));
      return share >= 1 / 2 ? 3 : share >= 1 / 4 ? 2 : 1;
    };
    const titled = postings.map(({ title }) => new Set(title));
    const inTitle = (n) => titled.length > 0 && titled.every((set) => set.has(n)) ? titleRank(n) : 0;
    // The tails leave the documents that cite the number: a few, not worth narrowing.
    const narrow = tailed ? null : async () => (rest.length ? new Set((await index.postings(rest.shift())).text) : null);
    const numbered = await documentNumbered(query.docNumber, directory);
    const pinned = numbered !== null && await passes(numbered, options) ? numbered : null;
    const ranked = [];
    for (const [n, block] of found) {
      if (n !== pinned && await passes(n, options)) {
        ranked.push({ n, block, mode: "exact", terms: query.exact, inTitle: inTitle(n), pinned: false });
      }
    }
    if (pinned !== null) {
      const candidate = found.has(pinned);
      ranked.push({ n: pinned, block: found.get(pinned) ?? 0, mode: "exact", terms: candidate ? query.exact : [query.docNumber],
                    inTitle: inTitle(pinned), pinned: true, known: !candidate });
    }
    if (exactIndex) return Results.of(ranked.sort(order.compare), "exact", order);
    const asLoose = (hits) => hits.map((h) => ({ ...h, mode: "loose", terms: query.loose }));  // check set their block
    return new Results(ranked.sort(order.compare), (hit) => check(hit, query),
                       { order, asLoose, narrow, wordBytes: BUCKET_BYTES, textBytes: TEXT_BYTES });
  }

  // Every document's row, for a search that lists all (pinyin, or window.gazetteSearch).
  async function rows(numbers) {
    return Promise.all(numbers.map((n) => index.row(n)));
  }

  async function pinyinHits(query, directory, options) {
    const all = [...Array(directory.documents).keys()];
    const found = [];
    for (const [n, row] of (await rows(all)).entries()) {
      const part = await passes(n, options) && pinyinMatch(row[1], row[7], query.pinyin);
      if (part) found.push({ n, block: 0, mode: "exact", terms: [applyChars(part, squashChar)], inTitle: 1, pinned: false });
    }
    return found;
  }

  // Results, their first `options.first` hits known (all by
  // default). `by` says how the hits match: "exact", "loose" (only when
  // nothing matched exactly) or "pinyin" (only when nothing matched at all).
  async function run(raw, options = {}) {
    const directory = await index.directory();
    const query = parseQuery(raw ?? "", directory.brackets);
    const order = createOrder(index, directory, options.sort === "date" ? "date" : "relevance");
    let found = Results.of([], "exact");
    if (query.loose.length && directory.documents) found = await textResults(query, directory, options, order);
    await found.extend(options.first ?? Infinity);
    if (found.complete && !found.hits.length && query.pinyin) {
      found = Results.of((await pinyinHits(query, directory, options)).sort(order.compare), "pinyin", order);
      await found.extend(options.first ?? Infinity);
    }
    return found;
  }

  // What a result shows, from the block of its text that has the first match.
  async function publicResult(h) {
    const [id, title, docNumber, date, dateLabel, category, issue, j, , preface, text] = await index.block(h.n, h.block);
    return {
      id, title, doc_number: docNumber, date, date_label: dateLabel, category, issue,
      url: index.url("document", { id }).href,
      excerpt: excerpt(foldWithMap(`${j === 0 ? preface : ""}\n${text}`, FOLDS[h.mode]), h.terms,
                       j === 0 ? preface.length + 1 : 1),
    };
  }

  // Without an excerpt: from the rows files, which list every document a few KB at a time.
  async function listedResult(h) {
    const [id, title, docNumber, date, dateLabel, category, issue] = await index.row(h.n);
    return { id, title, doc_number: docNumber, date, date_label: dateLabel, category, issue,
             url: index.url("document", { id }).href, excerpt: null };
  }

  return {
    run,
    publicResult,
    // What the filters offer, years newest first; the issues (a list as long as the
    // archive) on their own, when a reader turns to the filters.
    facets: async () => {
      const { years, categories, issuers } = await index.directory();
      return {
        year: [...years].reverse().map(([year]) => [String(year), `${year}年`]),
        category: categories.map((name) => [name, name]),
        issuer: [...issuers].sort((a, b) => a.localeCompare(b, "zh-CN")).map((name) => [name, name]),
      };
    },
    issues: async () => [...await index.issues()].reverse().map(([key, label]) => [key, label]),
    // Every result in order; the first `options.excerpts` (a page) with their excerpt.
    search: async (raw, options = {}) => {
      const { hits } = await run(raw, { ...options, first: Infinity });
      const excerpts = options.excerpts ?? EXCERPTS;
      return await Promise.all(hits.map((h, i) => (i < excerpts ? publicResult(h) : listedResult(h))));
    },
  };
}
