"""Staff booking pages."""
