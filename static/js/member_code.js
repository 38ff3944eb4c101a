// Redraw the member code before it runs out, so the one on screen always scans at the counter.
(function () {
  var image = document.getElementById("member-code");
  if (!image) return;
  var every = (parseInt(image.dataset.redraw, 10) || 60) * 1000;
  var base = image.getAttribute("src").split("?")[0];
  setInterval(function () {
    image.setAttribute("src", base + "?t=" + Date.now());
  }, every);
})();
