// Counts down to each forward's dispatch promise, and shows how late it is once past.
(() => {
  const clocks = document.querySelectorAll(".countdown[data-due]");
  function show() {
    const now = Date.now();
    clocks.forEach((clock) => {
      const left = Math.round((Date.parse(clock.dataset.due) - now) / 60000);
      const minutes = Math.abs(left);
      const text = `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
      clock.textContent = `${left < 0 ? clock.dataset.late : clock.dataset.left} ${text}`;
      clock.classList.toggle("late", left < 0);
    });
  }
  show();
  setInterval(show, 30000);
})();
