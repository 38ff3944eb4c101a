// A screen waiting for approval asks every few seconds whether staff gave it a zone.
(() => {
  const page = document.getElementById("pairing");
  if (!page) return;
  async function poll() {
    try {
      const response = await fetch(page.dataset.pollUrl, { cache: "no-store" });
      const status = await response.json();
      if (status.zone_url) { window.location.assign(status.zone_url); return; }
      if (status.code) document.getElementById("pairing-code").textContent = status.code;
    } catch (error) {
      // The server is away; the next poll tries again.
    }
    setTimeout(poll, 5000);
  }
  setTimeout(poll, 5000);
})();
