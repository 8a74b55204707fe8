// Search over the archive on its n-gram index (index.js): the postings of a
// query's characters and bigrams give candidates; for terms of one or two
// characters they are the answer (see indexAnswersExactly); otherwise the
// candidates are checked against their texts, in ranking order and only as
// far as the results shown need (results.js); a 发文字号 in the query narrows
// them first by its tail. Either way the results are exactly the documents
// containing every term. Only when none does are the terms compared loosely
// (full-width and upper case alike), and then, for Latin letters, read as
// title pinyin. Texts are fetched only when a search needs them: the start of
// each document shown comes with its heads file, a whole text only where a
// check or an excerpt reaches beyond it.
import { WHITESPACE, applyChars, foldChar, foldWithMap, squashChar } from "./normalize.js";
import { candidateTerms, indexAnswersExactly, parseQuery, pinyinMatch } from "./query.js";
import { excerpt } from "./excerpt.js";
import { openIndex } from "./index.js";
import { Results } from "./results.js";

const FOLDS = { exact: squashChar, loose: foldChar };

// A 发文字号 tail, as gazette_site/search/numbers.py finds them.
const TAIL = /(?=([0-9]{4}[^0-9][0-9]+号))/gu;

// Terms of each query term whose postings are asked for before any check;
// the rest narrow the candidates while checking, where that pays (results.js).
const ASKED = 4;
// What a candidate's text and one more bucket file cost to fetch, about
// (gzipped, BENCHMARKS.md).
const TEXT_BYTES = 9000;
const BUCKET_BYTES = 10000;
// Results given an excerpt by window.gazetteSearch unless told otherwise: a page.
const EXCERPTS = 20;

function issueAt(issues, n) {
  let low = 0;
  let high = issues.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (issues[middle][3] <= n) low = middle;
    else high = middle - 1;
  }
  return low;
}

function inRuns(runs, n) {
  for (let i = 0; i < runs.length; i += 2) if (runs[i] <= n && n < runs[i + 1]) return true;
  return false;
}

export function createEngine(root) {
  const index = openIndex(root);

  async function passes(n, options) {
    const { issues } = await index.directory();
    const [key, , year] = issues[issueAt(issues, n)];
    if (options.year && String(year) !== String(options.year)) return false;
    if (options.issue && key !== options.issue) return false;
    for (const name of ["category", "issuer"]) {
      if (options[name] && !inRuns((await index.filters())[name][options[name]] ?? [], n)) return false;
    }
    return true;
  }

  // Newest first; within a day, later issue first, then printed order.
  function comparators({ dates, issues }) {
    const byDate = (a, b) => dates[b.n] - dates[a.n] || issueAt(issues, b.n) - issueAt(issues, a.n) || a.n - b.n;
    // The looked-up 发文字号 first, then documents whose title has every term.
    const byRelevance = (a, b) => (b.pinned - a.pinned) || (b.inTitle - a.inTitle) || byDate(a, b);
    return { date: byDate, relevance: byRelevance };
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

  // The start of a document's text, and whether it is the whole text.
  async function startOf(n) {
    const [, , , , , , preface, head, complete] = await index.head(n);
    return { text: `${preface}\n${head}`, complete: Boolean(complete) };
  }

  async function wholeText(n) {
    const start = await startOf(n);
    return start.complete ? start.text : index.text((await index.head(n))[0]);
  }

  // A candidate's verdict from its text: the folding its terms are found in,
  // or null. The start of the text, which comes with the heads file, decides
  // when it has every term. The looked-up 发文字号's own document is a result
  // whatever its text says; where the text lacks the terms, its excerpt shows the number.
  async function check(hit, query) {
    if (hit.known) return "exact";
    const has = (text, mode) => {
      const folded = FOLD_TEXT[mode](text);
      return query[mode].every((t) => folded.includes(t));
    };
    const start = await startOf(hit.n);
    const text = has(start.text, "exact") ? start.text : await wholeText(hit.n);
    if (has(text, "exact")) return "exact";
    if (hit.pinned) {
      Object.assign(hit, { terms: [query.docNumber] });
      return "exact";
    }
    return has(text, "loose") ? "loose" : null;
  }

  // The documents having every term asked for: each term's postings, rarest first.
  async function having(terms) {
    const postings = await Promise.all(terms.map((term) => index.postings(term)));
    postings.sort((a, b) => a.text.length - b.text.length);
    let found = null;
    for (const { text } of postings) found = new Set(text.filter((n) => !found || found.has(n)));
    return { found: found ?? new Set(), postings };
  }

  async function textResults(query, directory, options, compare) {
    const { looseFolds } = directory;
    // The documents with the terms' 发文字号 tails, if they have any; else with
    // the first terms of each query term (every one, where the index is exact).
    // The rest narrow the candidates while checking them (Results).
    const exactIndex = indexAnswersExactly(query, looseFolds);
    const perTerm = query.loose.map(candidateTerms);
    const tailed = await documentsWithTails(query.loose, directory);
    const asked = tailed ? [] : [...new Set(perTerm.flatMap((terms) => terms.slice(0, exactIndex ? Infinity : ASKED)))];
    const rest = [...new Set(perTerm.flat())].filter((t) => !asked.includes(t));
    const { found, postings } = tailed ? { found: tailed, postings: [] } : await having(asked);
    const candidates = [...found];
    const titled = postings.map(({ title }) => new Set(title));
    const inTitle = (n) => titled.every((set) => set.has(n));
    // The tails leave the documents that cite the number: a few, not worth narrowing.
    const narrow = tailed ? null : async () => (rest.length ? new Set((await index.postings(rest.shift())).text) : null);
    const numbered = await documentNumbered(query.docNumber, directory);
    const pinned = numbered !== null && await passes(numbered, options) ? numbered : null;
    const ranked = [];
    for (const n of candidates) {
      if (n !== pinned && await passes(n, options)) ranked.push({ n, mode: "exact", terms: query.exact, inTitle: inTitle(n), pinned: false });
    }
    if (pinned !== null) {
      const candidate = found.has(pinned);
      ranked.push({ n: pinned, mode: "exact", terms: candidate ? query.exact : [query.docNumber],
                    inTitle: inTitle(pinned), pinned: true, known: !candidate });
    }
    if (exactIndex) return Results.of(ranked.sort(compare), "exact");
    const asLoose = (hits) => hits.map((h) => ({ ...h, mode: "loose", terms: query.loose }));
    return new Results(ranked.sort(compare), (hit) => check(hit, query),
                       { compare, asLoose, narrow, wordBytes: BUCKET_BYTES, textBytes: TEXT_BYTES });
  }

  // Every document's row, for a search that lists all (pinyin, or window.gazetteSearch).
  async function rows(numbers) {
    return Promise.all(numbers.map((n) => index.row(n)));
  }

  async function pinyinHits(query, directory, options) {
    const all = [...Array(directory.documents).keys()];
    const found = [];
    for (const [n, row] of (await rows(all)).entries()) {
      const part = await passes(n, options) && pinyinMatch(row[1], row[6], query.pinyin);
      if (part) found.push({ n, mode: "exact", terms: [applyChars(part, squashChar)], inTitle: true, pinned: false });
    }
    return found;
  }

  // Results (results.js), their first `options.first` hits known (all by
  // default). `by` says how the hits match: "exact", "loose" (only when
  // nothing matched exactly) or "pinyin" (only when nothing matched at all).
  async function run(raw, options = {}) {
    const directory = await index.directory();
    const query = parseQuery(raw ?? "", directory.brackets);
    const compare = comparators(directory)[options.sort === "date" ? "date" : "relevance"];
    let found = Results.of([], "exact");
    if (query.loose.length && directory.documents) found = await textResults(query, directory, options, compare);
    await found.extend(options.first ?? Infinity);
    if (found.complete && !found.hits.length && query.pinyin) {
      found = Results.of((await pinyinHits(query, directory, options)).sort(compare), "pinyin");
    }
    return found;
  }

  // What a result shows: from its heads file; its excerpt from the start of
  // its text when the match is there, else from the whole text.
  async function publicResult(h) {
    const { issues } = await index.directory();
    const [id, title, docNumber, date, dateLabel, category] = await index.head(h.n);
    const start = await startOf(h.n);
    const fold = FOLDS[h.mode];
    const shown = excerpt(foldWithMap(start.text, fold), h.terms, !start.complete)
      ?? excerpt(foldWithMap(await wholeText(h.n), fold), h.terms);
    return {
      id, title, doc_number: docNumber, date, date_label: dateLabel, category,
      url: new URL(`doc/${id}/`, root).href,
      issue: issues[issueAt(issues, h.n)][1],
      excerpt: shown,
    };
  }

  // Without an excerpt: from the rows files, which list every document a few KB at a time.
  async function listedResult(h) {
    const { issues } = await index.directory();
    const [id, title, docNumber, date, dateLabel, category] = await index.row(h.n);
    return { id, title, doc_number: docNumber, date, date_label: dateLabel, category,
             url: new URL(`doc/${id}/`, root).href, issue: issues[issueAt(issues, h.n)][1], excerpt: null };
  }

  return {
    run,
    publicResult,
    // What the filters offer: years and issues newest first.
    facets: async () => {
      const { issues, categories, issuers } = await index.directory();
      const newestFirst = [...issues].reverse();
      return {
        year: [...new Map(newestFirst.map(([, , year]) => [String(year), `${year}年`]))],
        issue: newestFirst.map(([key, label]) => [key, label]),
        category: categories.map((name) => [name, name]),
        issuer: [...issuers].sort((a, b) => a.localeCompare(b, "zh-CN")).map((name) => [name, name]),
      };
    },
    // Every result in order; the first `options.excerpts` (a page) with their excerpt.
    search: async (raw, options = {}) => {
      const { hits } = await run(raw, { ...options, first: Infinity });
      const excerpts = options.excerpts ?? EXCERPTS;
      return await Promise.all(hits.map((h, i) => (i < excerpts ? publicResult(h) : listedResult(h))));
    },
  };
}
