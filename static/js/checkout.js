// Fills the delivery location from the phone, so the server can check the delivery radius.
document.querySelectorAll("button.locate").forEach((button) => {
  button.addEventListener("click", () => {
    if (!navigator.geolocation) return;
    navigator.geolocation.getCurrentPosition((position) => {
      const form = button.closest("form");
      form.querySelector("input[name=latitude]").value = position.coords.latitude.toFixed(6);
      form.querySelector("input[name=longitude]").value = position.coords.longitude.toFixed(6);
      button.classList.add("done");
    });
  });
});
// A second tap while the order is being placed sends nothing more.
document.querySelectorAll("form.checkout-form").forEach((form) => {
  form.addEventListener("submit", () => {
    form.querySelectorAll("button[type=submit]").forEach((b) => { b.disabled = true; });
  });
});
