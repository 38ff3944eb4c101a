// On a kiosk: after a minute without a touch, start over for the next buyer; and once the cart
// shown for hand-over has gone to a phone, say so and start over.
(() => {
  const bar = document.getElementById("kiosk-bar");
  if (!bar) return;
  const idleMs = Number(bar.dataset.idleSeconds) * 1000;
  let timer = null;

  function startOver(handed) {
    const form = document.getElementById("kiosk-reset");
    form.querySelector("input[name=handed]").value = handed ? "1" : "";
    form.submit();
  }

  function touched() {
    clearTimeout(timer);
    timer = setTimeout(() => startOver(false), idleMs);
  }
  ["pointerdown", "keydown", "touchstart", "scroll"].forEach((name) =>
    window.addEventListener(name, touched, { passive: true }));
  touched();

  const handoff = document.getElementById("handoff");
  if (handoff) {
    setInterval(async () => {
      try {
        const response = await fetch(handoff.dataset.cartUrl, { cache: "no-store" });
        const cart = await response.json();
        if (response.ok && cart.lines.length === 0) startOver(true);
      } catch (error) {
        // Try again on the next tick.
      }
    }, 2000);
  }
})();
