// The published search files (docs/search.md), read as a search needs them:
// the directory once, then only the bucket files of a query's terms, and a
// block of text for each result shown or checked.
// gazette_site/search/terms.py and postings.py write them.

// At most this many files in flight: a burst of hundreds fails on small hosts.
const FETCHES = 6;
let inFlight = 0;
const waiting = [];

async function throttled(url) {
  while (inFlight >= FETCHES) await new Promise((resolve) => waiting.push(resolve));
  inFlight++;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    return new Uint8Array(await response.arrayBuffer());
  } finally {
    inFlight--;
    waiting.shift()?.();
  }
}

async function inflate(bytes, format) {
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream(format));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

// A file the build gzipped; a host may already have decoded it
// (Content-Encoding: gzip), then it arrives as plain text.
async function fetchText(url) {
  const bytes = await throttled(url);
  const plain = bytes[0] === 0x1f && bytes[1] === 0x8b ? await inflate(bytes, "gzip") : bytes;
  return new TextDecoder().decode(plain);
}

const fetchJson = async (url) => JSON.parse(await fetchText(url));

// LEB128 varints from `at`: `count` of them (all, if undefined). Values reach
// 2**43, beyond 32-bit operators: arithmetic only.
function varints(bytes, at = 0, count = Infinity) {
  const values = [];
  let value = 0;
  let scale = 1;
  while (at < bytes.length && values.length < count) {
    const byte = bytes[at++];
    value += (byte & 0x7f) * scale;
    scale *= 128;
    if (byte < 0x80) {
      values.push(value);
      value = 0;
      scale = 1;
    }
  }
  return { values, at };
}

const SHIFT = 2 ** 21;

// A term of one or two characters as the index numbers it (terms.py).
export function termCode(term) {
  const [first, second] = Array.from(term, (c) => c.codePointAt(0));
  return second === undefined ? first : (first + 1) * SHIFT + second;
}

// The bucket file of a term: terms.py's hash, in 32-bit arithmetic.
export function bucketOf(code, buckets) {
  const low = code % SHIFT;
  const high = Math.floor(code / SHIFT);
  let h = (Math.imul(low, 0x9e3779b1) + Math.imul(high, 0x85ebca77)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) & (buckets - 1);
}

// One member of a bucket, decompressed: term → [documents with it in the
// text, the first block of each text that has it, documents with it in the
// title, the folded length of each of those titles].
async function decodeMember(compressed, first) {
  const found = new Map();
  if (!compressed.length) return found;
  const bytes = await inflate(compressed, "deflate-raw");
  const { values: [count], at } = varints(bytes, 0, 1);
  const { values: table, at: listsAt } = varints(bytes, at, 3 * count);
  const { values: lists } = varints(bytes, listsAt);
  const terms = [];
  let code = 0;
  for (let i = 0; i < count; i++) terms.push((code += table[3 * i]));
  for (const term of terms) found.set(term, [[], [], [], []]);
  let position = 0;
  for (const [kind, column] of [[1, 0], [1, 1], [2, 2], [2, 3]]) {
    terms.forEach((term, i) => {
      const values = lists.slice(position, (position += table[3 * i + kind]));
      let previous = first;
      found.get(term)[column] = column % 2 ? values : values.map((delta) => (previous += delta));
    });
  }
  return found;
}

// `paths`: what the search page was handed (urls.py's search_paths), from the site `root`.
export function openIndex(root, paths) {
  const cache = new Map();
  const once = (key, load) => {
    if (!cache.has(key)) cache.set(key, load());
    return cache.get(key);
  };
  // The address of one of `paths`, its {names} filled in from `values`.
  const url = (name, values = {}) => new URL(paths[name].replace(/\{(\w+)\}/g, (_, key) => values[key]), root);
  const directory = () => once("directory", () => fetchJson(url("directory")).then((d) => {
    const years = [];  // [year, first document], of the years with documents
    let first = 0;
    d.years.documents.forEach((count, i) => count && years.push([d.years.first + i, (first += count) - count]));
    let year = 0;
    return { ...d, years, brackets: d.doc_number_brackets, looseFolds: d.loose_folds,
             numberYears: d.number_years.map((delta) => String(year += delta)) };
  }));

  async function bucket(number) {
    const { members } = await directory();
    const bytes = await throttled(url("bucket", { bucket: number }));
    const { values: [count], at } = varints(bytes, 0, 1);
    const { values: lengths, at: start } = varints(bytes, at, count);
    let offset = start;
    return Promise.all(lengths.map((length, i) => {
      const part = bytes.subarray(offset, (offset += length));
      return decodeMember(part, members[i][0]);
    }));
  }

  return {
    url,
    directory,
    // For a term of one or two characters: the documents whose text has it,
    // the first block of each that has it, the documents whose title has it
    // and the length of each of those titles.
    async postings(term) {
      const code = termCode(term);
      const { buckets } = await directory();
      const members = await once(`bucket ${bucketOf(code, buckets)}`, () => bucket(bucketOf(code, buckets)));
      const found = { text: [], hints: [], title: [], titleLengths: [] };
      for (const member of members) {
        const [text, hints, title, titleLengths] = member.get(code) ?? [[], [], [], []];
        found.text.push(...text);
        found.hints.push(...hints);
        found.title.push(...title);
        found.titleLengths.push(...titleLengths);
      }
      return found;
    },
    // Block j of document n's text, with what a result shows: [id, title,
    // doc_number, date, date_label, category, issue, j, blocks, preface
    // (block 0 only), text]. Deflated: the facts as JSON after their length, then the text in UTF-16.
    block: (n, j) => once(`block ${n}.${j}`, async () => {
      const bytes = await inflate(await throttled(url("block", { document: n, block: j })), "deflate-raw");
      const { values: [length], at } = varints(bytes, 0, 1);
      const facts = JSON.parse(new TextDecoder().decode(bytes.subarray(at, at + length)));
      return [...facts, new TextDecoder("utf-16le").decode(bytes.subarray(at + length))];
    }),
    // What a result shows and its title's pinyin: [id, title, doc_number, date, date_label, category, issue, pinyin].
    async row(n) {
      const { rows } = await directory();
      return (await once(`rows ${Math.floor(n / rows)}`, () => fetchJson(url("rows", { rows: Math.floor(n / rows) }))))[n % rows];
    },
    numbers: (year) => once(`numbers ${year}`, () => fetchJson(url("numbers", { year }))),
    filters: () => once("filters", () => fetchJson(url("filters"))),
    // Every issue: [key, label, year, first document], in archive order.
    issues: () => once("issues", () => fetchJson(url("issues"))),
    // What documents of part k sort by: {first, days (delta-coded), issues: [[number, first document]]}.
    sortPart: (part) => once(`sort ${part}`, () => fetchJson(url("sort", { part }))),
  };
}
