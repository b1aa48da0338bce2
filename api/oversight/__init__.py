"""Oversight: what auditors and security officers read about access (the audit trail, break-glass
grants), never a case field's value."""
