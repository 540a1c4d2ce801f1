// The search page: Pagefind's index of the articles, searched in the browser, offline.
// The form works without this script (it reloads the page with ?q=); with it, results
// appear as one types, the filters narrow them and a live region announces how many.
const settings = JSON.parse(document.getElementById("search-settings").textContent);
const form = document.querySelector(".search-form");
const input = document.getElementById("search-q");
const status = document.getElementById("search-status");
const list = document.getElementById("search-results");
const more = document.getElementById("search-more");
const selects = [...document.querySelectorAll("select[data-filter]")];
const PAGE = 10;
const plurals = new Intl.PluralRules(settings.lang);
let pagefind = null;
let shown = [];
let generation = 0;

const fill = (text, values) =>
  text.replace(/%\((\w+)\)[ds]/g, (whole, name) => (name in values ? String(values[name]) : whole));

function countText(count, query) {
  const form = settings.counts[plurals.select(count)] ?? settings.counts.other;
  return fill(form, { num: count, query });
}

// The index comes in parts (`parts.json`: one bundle per year or few months on a big
// briefing), each with one index per language (each page stemmed in its own): load them all.
async function loadPagefind() {
  const root = new URL(settings.bundle, location.href);
  const { parts } = await (await fetch(new URL("parts.json", root))).json();
  // a part that cannot be read (a preview still indexing it) is left out, not the search
  const loaded = await Promise.allSettled(
    parts.map(async (part) => {
      const bundle = new URL(part, root).href;
      const response = await fetch(bundle + "pagefind-entry.json");
      if (!response.ok) throw new Error(`${response.status} ${bundle}`);
      return [bundle, await response.json()];
    }),
  );
  const found = loaded.filter((result) => result.status === "fulfilled").map((result) => result.value);
  const bundles = found.map(([bundle]) => bundle);
  const entries = found.map(([, entry]) => entry);
  const [first, ...others] = bundles;
  const module = await import(first + "pagefind.js");
  const languages = Object.entries(entries[0].languages);
  const page = document.documentElement.lang.toLowerCase();
  const top = [...languages].sort((a, b) => b[1].page_count - a[1].page_count)[0]?.[0];
  const primary = languages.some(([code]) => code === page)
    ? page
    : languages.some(([code]) => code === page.split("-")[0]) ? page.split("-")[0] : top;
  await module.options({ baseUrl: settings.base, excerptLength: 24 });
  await module.init();
  const merges = [];
  for (const [code] of languages) {
    // Pagefind skips a merge of its own bundle's path: the same bundle by another URL
    if (code !== primary) merges.push([first + "./", code]);
  }
  others.forEach((bundle, number) => {
    for (const code of Object.keys(entries[number + 1].languages)) merges.push([bundle, code]);
  });
  await Promise.all(merges.map(([bundle, code]) => module.mergeIndex(bundle, { language: code, baseUrl: settings.base })));
  return module;
}

async function fillFilters() {
  const filters = await pagefind.filters();
  const params = new URLSearchParams(location.search);
  let any = false;
  for (const select of selects) {
    const values = Object.keys(filters[select.dataset.filter] ?? {}).sort((a, b) => a.localeCompare(b, settings.lang));
    for (const value of values) select.add(new Option(value, value));
    select.value = values.includes(params.get(select.name)) ? params.get(select.name) : "";
    select.closest(".search-filter").hidden = values.length < 2;
    any ||= values.length >= 2;
  }
  filtersLoaded = true;
  form.querySelector(".search-filters").hidden = !any;
}

// Until the filters' values are loaded (after the first results), those of the address apply.
let filtersLoaded = false;

function chosenFilters() {
  const chosen = {};
  const params = new URLSearchParams(location.search);
  for (const select of selects) {
    const value = filtersLoaded ? select.value : params.get(select.name);
    if (value) chosen[select.dataset.filter] = value;
  }
  return chosen;
}

function resultItem(data) {
  const item = document.createElement("li");
  item.className = "search-result";
  const title = document.createElement("h2");
  title.className = "item-title";
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title;
  title.append(link);
  const meta = document.createElement("p");
  meta.className = "meta";
  meta.textContent = [data.meta.outlet, data.meta.date].filter(Boolean).join(" · ");
  const excerpt = document.createElement("p");
  excerpt.className = "summary";
  excerpt.innerHTML = data.excerpt; // Pagefind's excerpt: the page's text, escaped, with <mark>
  if (data.meta.lang) item.lang = data.meta.lang;
  meta.lang = settings.lang;
  item.append(title, meta, excerpt);
  return item;
}

async function showMore(query, mine) {
  const next = shown.splice(0, PAGE);
  const items = await Promise.all(next.map((result) => result.data()));
  if (mine !== generation) return;
  list.append(...items.map(resultItem));
  more.hidden = shown.length === 0;
}

async function run() {
  const query = input.value.trim();
  const mine = ++generation;
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  for (const [key, value] of Object.entries(chosenFilters())) params.set(key, value);
  history.replaceState(null, "", params.size ? `?${params}` : location.pathname);
  list.replaceChildren();
  more.hidden = true;
  if (!query) {
    status.textContent = form.dataset.idle;
    return;
  }
  status.textContent = settings.searching;
  const search = await pagefind.search(query, { filters: chosenFilters() });
  if (mine !== generation || !search) return;
  shown = [...search.results];
  status.textContent = shown.length ? countText(shown.length, query) : fill(settings.none, { query });
  await showMore(query, mine);
}

async function start() {
  form.dataset.idle = status.textContent;
  input.value = new URLSearchParams(location.search).get("q") ?? "";
  try {
    pagefind = await loadPagefind();
  } catch (error) {
    status.textContent = settings.missing;
    return;
  }
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  for (const select of selects) select.addEventListener("change", run);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    run();
  });
  more.addEventListener("click", () => showMore(input.value.trim(), generation));
  // the first results before the filters: their values take a while to load on a big site
  await run();
  await fillFilters();
  document.documentElement.dataset.search = "ready";
}

start();
