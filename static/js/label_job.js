// Follows a label batch being rendered, and offers its PDF when it is ready.
(() => {
  const box = document.getElementById("label-job");
  if (!box) return;
  const bar = box.querySelector("progress");
  const link = box.querySelector("a.download");
  const timer = setInterval(async () => {
    const response = await fetch(box.dataset.progress, { headers: { Accept: "application/json" } });
    if (!response.ok) return;
    const job = await response.json();
    bar.max = job.total;
    bar.value = job.done;
    if (job.status === "done") {
      link.hidden = false;
      clearInterval(timer);
    }
  }, 1000);
})();
