"""lb.tvae (see docs/architecture.md)."""
