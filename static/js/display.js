// A zone screen: rotates pages of products, keeps a ticker and a clock, and stays current
// through server-sent events. When the server cannot be reached it keeps the last content,
// stamped with the time it was fetched, and reconnects with backoff until it recovers.
(() => {
  const root = document.getElementById("display");
  if (!root) return;
  const words = JSON.parse(document.getElementById("display-words").textContent);
  const cards = document.getElementById("cards");
  const pagesNav = document.getElementById("pages");
  const ticker = document.getElementById("ticker");
  const offline = document.getElementById("offline");
  const clock = document.getElementById("clock");
  const perPage = Number(root.dataset.perPage);
  const english = document.documentElement.lang === "en";
  let content = JSON.parse(document.getElementById("display-data").textContent);
  let page = 0;
  let fetchedAt = new Date();
  let source = null;
  let backoff = 1000;
  let refreshTimer = null;

  const say = (key, values = {}) =>
    words[key].replace(/\{(\w+)\}/g, (_, name) => values[name]);
  const hhmm = (date) => date.toLocaleTimeString("zh-CN", { hour: "2-digit", minute: "2-digit", hour12: false });
  const el = (tag, className, text) => {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  };

  function facts(item) {
    const f = item.facts;
    const parts = [];
    if (f.units !== undefined) parts.push(say("units_week", { count: f.units, days: content.window_days }));
    if (f.packed_litres) parts.push(say("folded", { litres: f.packed_litres }));
    if (f.volumetric_kg) parts.push(say("volumetric", { kg: f.volumetric_kg }));
    if (f.saving_percent) parts.push(say("unfolded", { kg: f.unfolded_volumetric_kg, percent: f.saving_percent }));
    if (f.suggested_retail_fen) parts.push(say("retail", { price: f.suggested_retail }));
    if (f.margin_percent !== undefined && f.margin_percent !== null) parts.push(say("margin", { percent: f.margin_percent }));
    if (f.scans_today !== undefined) parts.push(say("scans_today", { count: f.scans_today }));
    return parts.join(" · ");
  }

  function badges(item) {
    const list = [];
    if (item.pinned) list.push(["pinned", say("pinned")]);
    if (item.shelved_in) {
      const zone = english ? item.shelved_in.name_en : item.shelved_in.name_zh;
      list.push(["elsewhere", say("shelved_in", { zone })]);
    }
    if (item.facts.rising) list.push(["rising", `↑ ${say("rising")}`]);
    if (item.facts.foldable) list.push(["", say("foldable")]);
    if (item.facts.sample_available) list.push(["", say("sample")]);
    if (item.facts.dropship_allowed) list.push(["", say("dropship")]);
    return list;
  }

  function card(item) {
    const node = el("article", "card");
    node.dataset.sku = item.sku;
    const img = el("img");
    img.alt = item.name_zh;
    if (item.image_url) img.src = item.image_url;
    const text = el("div", "text");
    const tags = el("p", "badges");
    badges(item).forEach(([kind, label]) => tags.append(el("span", `badge ${kind}`, label)));
    text.append(tags, el("h2", "", english ? item.name_en : item.name_zh),
      el("p", "en", english ? item.name_zh : item.name_en));
    if (item.from_fen) text.append(el("p", "price", say("from", { price: item.from_price })));
    text.append(el("p", "moq", say("moq", { count: item.moq })), el("p", "facts", facts(item)));
    const qr = el("div", "qr");
    qr.innerHTML = item.qr; // an SVG the server drew from the slot's URL
    node.append(img, text, qr);
    return node;
  }

  function showPage() {
    const count = Math.max(1, Math.ceil(content.items.length / perPage));
    page %= count;
    cards.replaceChildren(...content.items.slice(page * perPage, (page + 1) * perPage).map(card));
    pagesNav.replaceChildren(...Array.from({ length: count }, (_, i) => el("span", i === page ? "on" : "")));
  }

  function showTicker() {
    const entries = content.ticker.map((entry) => {
      const li = el("li", "order");
      li.append(el("time", "", hhmm(new Date(entry.at))));
      let what = `${english ? entry.name_en : entry.name_zh} · ${say("ticker_units", { count: entry.units })}`;
      if (entry.products > 1) what += ` · ${say("more_products", { count: entry.products - 1 })}`;
      li.append(document.createTextNode(what));
      return li;
    });
    ticker.replaceChildren(...(entries.length ? entries : [el("li", "", say("nothing"))]));
  }

  function render() {
    showPage();
    showTicker();
  }

  function setOnline(online) {
    offline.hidden = online;
    if (!online) offline.textContent = say("updated", { time: hhmm(fetchedAt) });
    root.dataset.online = online ? "yes" : "no";
  }

  async function refresh() {
    try {
      const response = await fetch(root.dataset.contentUrl, { cache: "no-store" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      content = await response.json();
      if (content.moved_to) { window.location.assign(content.moved_to); return true; }
      fetchedAt = new Date();
      render();
      setOnline(true); // current, by its stream or, when that is refused, by polling
      return true;
    } catch (error) {
      setOnline(false);
      return false;
    }
  }

  function soon() {
    // Several orders at once make one refresh.
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 100);
  }

  function connect() {
    source = new EventSource(root.dataset.eventsUrl);
    source.addEventListener("open", () => {
      backoff = 1000;
      refresh();
    });
    source.addEventListener("changed", soon);
    source.addEventListener("error", () => {
      // The browser's own retry stops on an HTTP error; ours goes on, slower each time.
      source.close();
      refresh(); // stamps the screen if the server is away; polling keeps it current if not
      setTimeout(connect, backoff + Math.random() * 500);
      backoff = Math.min(backoff * 2, 30000);
    });
  }

  function tick() {
    clock.textContent = hhmm(new Date());
  }

  render();
  tick();
  setInterval(tick, 1000);
  setInterval(() => { page += 1; showPage(); }, Number(root.dataset.pageSeconds) * 1000);
  // A safety net for an event lost between processes, and a registered screen's heartbeat.
  setInterval(refresh, 30000);
  if (window.EventSource) connect();
})();
