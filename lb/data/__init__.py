"""lb.data (see docs/architecture.md)."""
