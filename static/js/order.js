// Keeps the order page current: server-sent events, or polling when they cannot connect.
(() => {
  const page = document.getElementById("order");
  if (!page) return;
  const stamp = document.getElementById("order-updated");
  let polling = null;

  async function refresh() {
    const response = await fetch(window.location.pathname, { headers: { Accept: "text/html" } });
    if (!response.ok) return;
    const html = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = html.getElementById("order-live");
    if (fresh) document.getElementById("order-live").replaceWith(fresh);
    // Said as the page's other times are: labelled, on the centre's clock.
    const time = new Date().toLocaleTimeString("zh-CN", { timeZone: stamp.dataset.timezone, hour12: false });
    stamp.textContent = stamp.dataset.label.replace("{time}", time);
  }

  function poll() {
    if (polling === null) polling = setInterval(refresh, 5000);
  }

  // A slow refresh runs even while the stream is open: a change published by another process
  // without a shared broker still shows within half a minute.
  setInterval(refresh, 30000);
  if (!window.EventSource) {
    poll();
  } else {
    const source = new EventSource(page.dataset.events);
    let first = true;
    source.addEventListener("order", () => {
      if (first) { first = false; return; }  // the snapshot the page already shows
      refresh();
    });
    source.addEventListener("open", () => {
      if (polling !== null) { clearInterval(polling); polling = null; }
      first = true;
      refresh();
    });
    source.addEventListener("error", poll);
  }
  document.querySelectorAll("button.print").forEach((b) => b.addEventListener("click", () => window.print()));
})();
