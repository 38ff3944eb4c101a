"""Stock: levels per product and location, the append-only ledger, and the stock desk."""
