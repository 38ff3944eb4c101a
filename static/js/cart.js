// The cart follows its steppers: each change is saved as the form would save it, one after
// another in the order they were made, and the totals, group minimums and the checkout button
// are taken from the page the server answers with. When a line moves to another shipper, or
// the server refuses a quantity, the whole cart is drawn again from what it holds.
(() => {
  const cart = document.getElementById("cart");
  if (!cart) return;
  cart.classList.add("live");
  let latest = 0;
  let saving = Promise.resolve();

  function apply(html) {
    const fresh = new DOMParser().parseFromString(html, "text/html").getElementById("cart");
    if (!fresh) return;
    if (fresh.dataset.layout !== cart.dataset.layout) {
      window.location.reload();
      return;
    }
    fresh.querySelectorAll("[data-live]").forEach((node) => {
      const here = cart.querySelector(`[data-live="${CSS.escape(node.dataset.live)}"]`);
      if (!here) return;
      here.innerHTML = node.innerHTML;
      here.className = node.className;
      here.hidden = node.hidden;
    });
    cart.dataset.saved = String(latest);
  }

  cart.querySelectorAll("form.line-form").forEach((form) => {
    const input = form.querySelector("input[name=quantity]");
    input.addEventListener("change", () => {
      const mine = ++latest;
      const body = new URLSearchParams(new FormData(form));
      saving = saving.then(async () => {
        const answer = await fetch(form.action, { method: "POST", body, credentials: "same-origin" });
        if (!answer.ok) {
          window.location.reload();
          return;
        }
        const html = await answer.text();
        if (mine === latest) apply(html);
      }).catch(() => window.location.reload());
    });
  });
})();
