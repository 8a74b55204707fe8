// The search page: the form mirrors the address (?q=…&year=…&sort=date), so
// results can be shared and the back button restores them. Also defines
// window.gazetteSearch(query, options) → Promise of every result, in order.
import { createEngine } from "./engine.js";

const FIELDS = ["q", "year", "issue", "category", "issuer", "sort"];

const container = document.querySelector("[data-site-root]");
const root = new URL(container.dataset.siteRoot, document.baseURI);
const engine = createEngine(root, JSON.parse(container.dataset.searchPaths));
const form = document.getElementById("search-query");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const pageSize = Number(list.dataset.pageSize);
const pageTitle = document.title;

window.gazetteSearch = engine.search;

function element(tag, attributes = {}, text = "") {
  const node = document.createElement(tag);
  Object.assign(node, attributes);
  if (text) node.textContent = text;
  return node;
}

function fillOptions(name, values) {
  const select = form.elements[name];
  for (const [value, label] of values) select.append(element("option", { value }, label));
}

async function setUpFilters() {
  for (const [name, values] of Object.entries(await engine.facets())) fillOptions(name, values);
}

// The issues, as many as the archive has, are listed once a reader turns to the
// filters (or an address names one): a search alone does not fetch them.
let issuesListed = null;
function listIssues() {
  issuesListed ??= engine.issues().then((values) => fillOptions("issue", values));
  return issuesListed;
}
for (const type of ["pointerover", "focusin"]) {
  form.querySelector(".search-filters").addEventListener(type, listIssues, { once: true });
}

function readAddress() {
  const params = new URLSearchParams(location.search);
  return Object.fromEntries(FIELDS.map((name) => [name, params.get(name) ?? ""]));
}

async function fillForm(state) {
  if (state.issue) await listIssues();
  for (const name of FIELDS) form.elements[name].value = state[name];
  const header = document.getElementById("site-search");
  if (header) header.value = state.q;
}

// The document opens at the first place the words are in it, marked (highlight.js).
function withHighlight(url) {
  const target = new URL(url, location.href);
  target.searchParams.set("hl", readAddress().q.trim());
  return target.href;
}

function renderResult(result) {
  const item = element("li");
  const heading = element("h2");
  heading.append(element("a", { href: withHighlight(result.url) }, result.title));
  const meta = element("p", { className: "search-meta" });
  for (const fact of [result.doc_number, result.date_label, result.issue, result.category]) {
    if (fact) meta.append(element("span", {}, fact));
  }
  const excerpt = element("p", { className: "search-excerpt", innerHTML: result.excerpt });
  item.append(heading, meta, excerpt);
  return item;
}

let results = null;
let describe = () => "";
let generation = 0;
let loadingMore = null;

// The next page of results (their texts are fetched for the excerpts, and
// candidates checked as far as the page needs); the index of its first
// result, or null when a newer search replaced the list.
async function showMore() {
  const current = generation;
  const found = results;
  const start = list.children.length;
  await found.extend(start + pageSize);
  const next = await Promise.all(found.hits.slice(start, start + pageSize).map(engine.publicResult));
  if (current !== generation) return null;
  list.append(...next.map(renderResult));
  more.hidden = found.complete && list.children.length >= found.hits.length;
  status.textContent = describe();
  return start;
}

// The list is aria-busy until a search has shown its first results (or none).
async function run(state) {
  const current = ++generation;
  document.title = state.q.trim() ? `“${state.q.trim()}”的检索结果 - ${pageTitle}` : pageTitle;
  list.replaceChildren();
  more.hidden = true;
  list.setAttribute("aria-busy", "true");
  try {
    if (state.q.trim()) await search(state, current);
    else status.textContent = "请输入检索词。";
  } finally {
    if (current === generation) list.setAttribute("aria-busy", "false");
  }
}

function describer(state, found) {
  const filtered = FIELDS.some((name) => name !== "q" && name !== "sort" && state[name]) ? "（已按筛选条件限定）" : "";
  return () => {
    const count = found.hits.length;
    const text = {
      exact: found.complete ? `检索“${state.q}”：共 ${count} 个文件`
        : `检索“${state.q}”：至少 ${count} 个文件（还有 ${found.unchecked} 个候选文件，显示更多结果时核对）`,
      loose: `没有文件包含与“${state.q}”完全相同的文字；不区分全角半角和大小写，找到 ${count} 个文件`,
      pinyin: `没有文件包含“${state.q}”；按标题拼音找到 ${count} 个文件`,
    };
    return (count ? text[found.by] : `没有找到包含“${state.q}”的文件`) + `${filtered}。`;
  };
}

async function search(state, current) {
  status.textContent = "正在检索…";
  try {
    const found = await engine.run(state.q, { ...state, first: pageSize });
    if (current !== generation) return;
    results = found;
    describe = describer(state, found);
    await showMore();
  } catch (error) {
    if (current === generation) status.textContent = "检索出错，请稍后再试。";
    throw error;
  }
}

function submit(event) {
  event?.preventDefault();
  const state = Object.fromEntries(FIELDS.map((name) => [name, form.elements[name].value]));
  const params = new URLSearchParams(Object.entries(state).filter(([, value]) => value));
  history.pushState(null, "", `${location.pathname}?${params}`);
  fillForm(state);
  run(state);
}

form.addEventListener("submit", submit);
form.addEventListener("change", (event) => {
  if (event.target.tagName === "SELECT" && form.elements.q.value.trim()) submit();
});
more.addEventListener("click", async () => {
  if (loadingMore) return;  // one page at a time, however often it is clicked
  loadingMore = showMore();
  try {
    const first = await loadingMore;
    // Focus on the first new result; when the candidates left held none, on the count.
    if (first !== null) (list.children[first]?.querySelector("a") ?? status).focus();
  } finally {
    loadingMore = null;
  }
});
window.addEventListener("popstate", async () => {
  const state = readAddress();
  await fillForm(state);
  run(state);
});

await setUpFilters();
const initial = readAddress();
await fillForm(initial);
await run(initial);
document.documentElement.dataset.searchReady = "true";
