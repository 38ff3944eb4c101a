"""Orders: the cart, checkout, the order and its groups, payment and pick-up at the counter."""
