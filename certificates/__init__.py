"""Certificates: index search, orders, signed PDF certificates and verification (built by a later issue)."""
