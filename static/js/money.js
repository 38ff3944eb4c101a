// Amounts in the browser, written as the server writes them (shelf_labels.money.yuan):
// ￥1,234.50, and -￥1.50 below zero. For prices that change as a stepper moves.
window.yuan = (fen) => {
  const sign = fen < 0 ? "-" : "";
  const whole = Math.abs(fen);
  return `${sign}￥${Math.floor(whole / 100).toLocaleString("en-US")}.${String(whole % 100).padStart(2, "0")}`;
};
