"""Certificates: index search, orders, signed PDF certificates and verification."""
