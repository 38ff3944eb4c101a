// Code entry on the warehouse forms: a barcode scanner types the code and presses Enter,
// which moves on to the next field instead of sending a half-filled form. Where the browser
// reads QR codes itself (BarcodeDetector, as on Android phones), a camera button appears.
(function () {
  "use strict";
  document.querySelectorAll("[data-scan-target]").forEach(function (input) {
    input.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      var fields = Array.prototype.slice.call(input.form.querySelectorAll("input:not([type=hidden])"));
      var next = fields[fields.indexOf(input) + 1];
      if (next) {
        event.preventDefault();
        next.focus();
      }
    });
  });

  var button = document.querySelector("[data-scan-camera]");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var video = document.querySelector("[data-scan-video]");
    var target = document.querySelector("[data-scan-target]");
    var detector = new window.BarcodeDetector({formats: ["qr_code", "code_128", "ean_13"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      function look() {
        detector.detect(video).then(function (found) {
          if (found.length) {
            stream.getTracks().forEach(function (track) { track.stop(); });
            video.hidden = true;
            target.value = found[0].rawValue;
            target.dispatchEvent(new KeyboardEvent("keydown", {key: "Enter"}));
          } else {
            requestAnimationFrame(look);
          }
        }).catch(function () { requestAnimationFrame(look); });
      }
      look();
    });
  });
})();
