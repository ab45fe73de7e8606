"""A replay of England and Wales's registration volume through the services, for measuring."""
