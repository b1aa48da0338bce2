"""Identity: a bearer token becomes a Principal (who is calling, for which agency and roles)."""
