// Quantity steppers move in case packs and never go below their minimum. On a scan page's
// bottom bar the price follows the quantity: the ladder's unit price at what the cart will
// hold, and what the units being added cost (the server prices the order again).
function barPrice(form, input) {
  const tiers = JSON.parse(form.dataset.tiers);
  const adding = Number(input.value) || 0;
  const total = adding + Number(form.dataset.inCart || 0);
  let unit = tiers.length ? tiers[0][1] : 0;
  for (const [minimum, price] of tiers) if (total >= minimum) unit = price;
  form.querySelector(".bar-unit").textContent = yuan(unit);
  const totalNode = form.querySelector(".bar-total");
  totalNode.textContent = totalNode.dataset.format.replace("{n}", adding).replace("{total}", yuan(adding * unit));
}

document.querySelectorAll(".stepper").forEach((stepper) => {
  const input = stepper.querySelector("input[type=number]");
  stepper.querySelectorAll("button.step").forEach((button) => {
    button.addEventListener("click", () => {
      const step = Number(button.dataset.step);
      const min = Number(input.min) || 0;
      const current = Number(input.value) || min;
      input.value = Math.max(min, current + step);
      input.dispatchEvent(new Event("change", { bubbles: true }));
    });
  });
  const form = stepper.closest("form[data-tiers]");
  if (form) input.addEventListener("input", () => barPrice(form, input));
  if (form) input.addEventListener("change", () => barPrice(form, input));
});
