// Counts down to each forward's dispatch promise, and shows how late it is once past.
(() => {
  const clocks = document.querySelectorAll(".countdown[data-due]");
  function show() {
    const now = Date.now();
    clocks.forEach((clock) => {
      const left = Math.round((Date.parse(clock.dataset.due) - now) / 60000);
      const minutes = Math.abs(left);
      // The page gives the words, in its language: "{hours} h {minutes} min".
      const text = clock.dataset.time.replace("{hours}", Math.floor(minutes / 60))
        .replace("{minutes}", String(minutes % 60).padStart(2, "0"));
      clock.textContent = `${left < 0 ? clock.dataset.late : clock.dataset.left} ${text}`;
      clock.classList.toggle("late", left < 0);
    });
  }
  show();
  setInterval(show, 30000);
})();
