"""What tests share: servers they start, clients signed in as each role, and builders of a
centre."""
