"""lb.workflow (see docs/architecture.md)."""
