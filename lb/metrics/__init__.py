"""lb.metrics (see docs/architecture.md)."""
