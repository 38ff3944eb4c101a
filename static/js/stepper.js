// Quantity steppers move in case packs and never go below their minimum.
document.querySelectorAll(".stepper").forEach((stepper) => {
  const input = stepper.querySelector("input[type=number]");
  stepper.querySelectorAll("button.step").forEach((button) => {
    button.addEventListener("click", () => {
      const step = Number(button.dataset.step);
      const min = Number(input.min) || 0;
      const current = Number(input.value) || min;
      input.value = Math.max(min, current + step);
      input.dispatchEvent(new Event("change"));
    });
  });
});
