"""Authorization: the policy engine, access plans, and the catalogue of protected coordinates."""
