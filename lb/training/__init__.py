"""lb.training (see docs/architecture.md)."""
