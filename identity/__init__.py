"""Identity: accounts, one-time codes, evidence and confidence, and the platform layer (audit, notifications)."""
