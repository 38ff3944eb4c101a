"""Staff: accounts and roles, sign-in and its guards, and the console's shell."""
