// Search over the archive: Pagefind proposes candidates from character and
// bigram words (see gazette_site/search/ngrams.py). For terms of one or two
// characters its answer is exact (see indexAnswersExactly); otherwise the
// candidates are checked against their texts, in ranking order and only as
// far as the results shown need (results.js); a 发文字号 in the query narrows
// them first by its tail. Either way the results are exactly
// the documents containing every term. Only when none does are the terms
// compared loosely (full-width and upper case alike), and then, for Latin
// letters, read as title pinyin. Pagefind and the texts are fetched only when
// a search needs them: a text for a check, or for an excerpt when its result
// is shown.
import { WHITESPACE, applyChars, foldChar, foldWithMap, squashChar } from "./normalize.js";
import { candidateWords, indexAnswersExactly, parseQuery, pinyinMatch } from "./query.js";
import { excerpt } from "./excerpt.js";
import { Results } from "./results.js";

// At most this many texts in flight: a common query has thousands of
// candidates, and a burst of that many requests fails on small hosts.
const FETCHES = 6;
let inFlight = 0;
const waiting = [];

async function throttled(url) {
  while (inFlight >= FETCHES) await new Promise((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    return await fetch(url);
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

// Read a file the build gzipped; a host may already have decoded it
// (Content-Encoding: gzip), then it arrives as plain text.
async function fetchText(url) {
  const response = await throttled(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new TextDecoder().decode(bytes);
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return await new Response(stream).text();
}

const FOLDS = { exact: squashChar, loose: foldChar };

// A 发文字号 tail, as gazette_site/search/numbers.py finds them.
const TAIL = /(?=([0-9]{4}[^0-9][0-9]+号))/gu;

// What a candidate's text and a shard's index chunk for one word cost to
// fetch, gzipped: round figures of built archives. Only their ratio matters:
// it decides when asking the index for one more bigram beats fetching texts.
const TEXT_BYTES = 9000;
const CHUNK_BYTES = 21000;

const FILTERS = {
  year: (doc, value) => String(doc.year) === value,
  issue: (doc, value) => doc.issue === value,
  category: (doc, value) => doc.category === value,
  issuer: (doc, value) => doc.issuers.includes(value),
};

function passes(doc, options) {
  return Object.entries(FILTERS).every(([name, test]) => !options[name] || test(doc, String(options[name])));
}

function issueOrder(doc) {
  const [year, number] = doc.issue.split("-").map(Number);
  return year * 1000 + number;
}

// Newest first; within a day, later issue first, then printed order.
function byDate(a, b) {
  return b.doc.sort_date.localeCompare(a.doc.sort_date)
    || issueOrder(b.doc) - issueOrder(a.doc)
    || a.doc.order - b.doc.order;
}

// The looked-up 发文字号 first, then documents whose title has every term,
// then Pagefind's score.
function byRelevance(a, b) {
  return (b.pinned - a.pinned) || (b.inTitle - a.inTitle) || (b.score - a.score) || byDate(a, b);
}

// Pagefind names a page by a short hash of it (seven hex digits), unique in
// one index but not across the merged shards: two of 10,000 pages had the
// same. So a hash stands for every document that has it, and where several
// share it, their texts decide.
export function documentsByHash(docs) {
  const byHash = new Map();
  for (const doc of docs) byHash.set(doc.hash, [...(byHash.get(doc.hash) ?? []), doc]);
  return byHash;
}

export function createEngine(root) {
  let pagefind = null;
  let table = null;
  const texts = new Map();
  const numbers = new Map();

  // The archive is indexed in shards (gazette_site.search.shards): the first
  // carries Pagefind's scripts, the others are merged into it.
  function loadPagefind(indexes) {
    pagefind ??= import(new URL(`pagefind/${indexes[0]}/pagefind.js`, root).href).then(async (module) => {
      await module.init();
      await Promise.all(indexes.slice(1).map((name) => module.mergeIndex(new URL(`pagefind/${name}/`, root).href)));
      return module;
    });
    return pagefind;
  }

  function loadTable() {
    table ??= fetchText(new URL("search/docs.json.gz", root)).then((json) => {
      const { docs, doc_number_brackets: brackets, indexes, loose_folds: looseFolds, number_years: numberYears }
        = JSON.parse(json);
      return { docs, brackets, indexes, looseFolds, numberYears, byHash: documentsByHash(docs) };
    });
    return table;
  }

  function loadNumbers(year) {
    if (!numbers.has(year)) {
      numbers.set(year, fetchText(new URL(`search/numbers/${year}.json.gz`, root)).then(JSON.parse));
    }
    return numbers.get(year);
  }

  // The hashes of the pages whose text has every 发文字号 tail (2023〕1号) of
  // the terms, or null when no term has one (see gazette_site/search/numbers.py).
  async function pagesWithTails(terms, { docs, numberYears }) {
    const tails = [...new Set(terms.flatMap((term) => [...term.matchAll(TAIL)].map((match) => match[1])))];
    if (!tails.length) return null;
    let ids = null;
    for (const tail of tails) {
      const year = tail.slice(0, 4);
      const listed = numberYears.includes(year) ? (await loadNumbers(year))[tail] ?? [] : [];
      ids = new Set(listed.filter((id) => !ids || ids.has(id)));
    }
    return new Map(docs.filter((doc) => ids.has(doc.id)).map((doc) => [doc.hash, 0]));
  }

  function loadText(doc) {
    if (!texts.has(doc.id)) texts.set(doc.id, fetchText(new URL(`search/text/${doc.id}.txt.gz`, root)));
    return texts.get(doc.id);
  }

  // A text as `mode` compares it. Exact drops whitespace, which one pass over
  // the whole text does alike; loose folds character by character.
  const FOLD_TEXT = {
    exact: (text) => text.replace(WHITESPACE, ""),
    loose: (text) => applyChars(text, FOLDS.loose),
  };

  // `mode`: which folding of the text the terms are found in.
  function makeHit(doc, { mode, terms, score = 0, pinned = false }) {
    const title = applyChars(doc.title, FOLDS[mode]);
    return { doc, score, pinned, mode, terms, inTitle: terms.every((t) => title.includes(t)) };
  }

  // Pagefind's results for one index word (a page hash and score each).
  async function pagesWith(word, indexes) {
    return (await (await loadPagefind(indexes)).search(word)).results;
  }

  // The pages having every word, with their summed scores. Pagefind ignores
  // a word that no page of an index has rather than answering nothing, so
  // each word is searched alone and the answers intersected.
  async function pagesWithEvery(words, indexes) {
    let scores = null;
    for (const word of words) {
      const results = await pagesWith(word, indexes);
      scores = new Map(results.filter((r) => !scores || scores.has(r.id))
        .map((r) => [r.id, r.score + (scores?.get(r.id) ?? 0)]));
      if (!scores.size) break;
    }
    return scores;
  }

  // A candidate's verdict from its text: the folding its terms are found in,
  // or null. The looked-up 发文字号's own document is a result whatever its
  // text says; where the text lacks the terms, its excerpt shows the number.
  async function check(hit, query) {
    if (hit.known) return "exact";
    const text = await loadText(hit.doc);
    const has = (mode) => {
      const folded = FOLD_TEXT[mode](text);
      return query[mode].every((t) => folded.includes(t));
    };
    if (has("exact")) return "exact";
    if (hit.pinned) {
      Object.assign(hit, makeHit(hit.doc, { mode: "exact", terms: [query.docNumber], score: hit.score, pinned: true }));
      return "exact";
    }
    return has("loose") ? "loose" : null;
  }

  async function textResults(query, table, options, compare) {
    const { docs, byHash, indexes, looseFolds } = table;
    // The pages with the terms' 发文字号 tails, if they have any; else with
    // every term's first word (or every word, where the index is exact). The
    // rest of the words narrow the candidates while checking them (Results).
    const exactIndex = indexAnswersExactly(query, looseFolds);
    const words = query.loose.map(candidateWords);
    const firsts = new Set(words.map((w) => w[0]));
    const ordered = [...new Set([...firsts, ...words.flatMap((w) => w.slice(1))])];
    const tailed = await pagesWithTails(query.loose, table);
    const asked = tailed ? 0 : exactIndex ? ordered.length : firsts.size;
    const pages = tailed ?? await pagesWithEvery(ordered.slice(0, asked), indexes);
    const rest = ordered.slice(asked);
    const narrow = async () => (rest.length ? new Set((await pagesWith(rest.shift(), indexes)).map((r) => r.id)) : null);
    const numbered = query.docNumber && docs.find((doc) => doc.doc_number === query.docNumber && passes(doc, options));
    // Candidates are the loose matches; where the index is exact, the exact ones too.
    const ranked = [...pages]
      .flatMap(([hash, score]) => (byHash.get(hash) ?? []).map((doc, _, all) => ({ doc, score, shared: all.length > 1 })))
      .filter(({ doc }) => doc !== numbered && passes(doc, options))
      .map(({ doc, score, shared }) => ({ ...makeHit(doc, { mode: "exact", terms: query.exact, score }), shared }));
    if (numbered) {
      const score = pages.get(numbered.hash);
      const candidate = score !== undefined;
      const terms = candidate ? query.exact : [query.docNumber];
      ranked.push({ ...makeHit(numbered, { mode: "exact", terms, score: score ?? 0, pinned: true }), known: !candidate });
    }
    if (exactIndex) {
      // Exact, but for a hash that several documents share: their texts decide.
      const verdicts = await Promise.all(ranked.map((hit) => (hit.shared ? check(hit, query) : "exact")));
      return Results.of(ranked.filter((_, i) => verdicts[i] === "exact").sort(compare), "exact");
    }
    const asLoose = (hits) => hits.map((h) => makeHit(h.doc, { mode: "loose", terms: query.loose, score: h.score }));
    return new Results(ranked.sort(compare), (hit) => check(hit, query),
                       { compare, asLoose, narrow, wordBytes: indexes.length * CHUNK_BYTES, textBytes: TEXT_BYTES });
  }

  function pinyinHits(query, docs, options) {
    return docs.flatMap((doc) => {
      const part = passes(doc, options) && pinyinMatch(doc.title, doc.pinyin, query.pinyin);
      return part ? [makeHit(doc, { mode: "exact", terms: [applyChars(part, squashChar)] })] : [];
    });
  }

  // Results (results.js), their first `options.first` hits known (all by
  // default). `by` says how the hits match: "exact", "loose" (only when
  // nothing matched exactly) or "pinyin" (only when nothing matched at all).
  async function run(raw, options = {}) {
    const loaded = await loadTable();
    const { docs, brackets, indexes } = loaded;
    const query = parseQuery(raw ?? "", brackets);
    const compare = options.sort === "date" ? byDate : byRelevance;
    let found = Results.of([], "exact");
    // An empty archive has no Pagefind index to load.
    if (query.loose.length && indexes.length) found = await textResults(query, loaded, options, compare);
    await found.extend(options.first ?? Infinity);
    if (found.complete && !found.hits.length && query.pinyin) {
      found = Results.of(pinyinHits(query, docs, options).sort(compare), "pinyin");
    }
    return found;
  }

  // What a result shows; its excerpt needs the document's text.
  async function publicResult(h) {
    const mapped = foldWithMap(await loadText(h.doc), FOLDS[h.mode]);
    return {
      id: h.doc.id,
      url: new URL(h.doc.url, root).href,
      title: h.doc.title,
      doc_number: h.doc.doc_number,
      date: h.doc.date,
      date_label: h.doc.date_label,
      issue: h.doc.issue_label,
      category: h.doc.category,
      excerpt: excerpt(mapped, h.terms),
    };
  }

  return {
    run,
    publicResult,
    docs: async () => (await loadTable()).docs,
    search: async (raw, options = {}) => {
      const { hits } = await run(raw, { ...options, first: Infinity });
      return await Promise.all(hits.map(publicResult));
    },
  };
}
