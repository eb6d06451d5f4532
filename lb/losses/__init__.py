"""lb.losses (see docs/architecture.md)."""
