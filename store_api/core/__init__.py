"""What every domain stands on: settings, the database, the outbox and its worker, the broker,
errors, the audit log and the words the store uses."""
