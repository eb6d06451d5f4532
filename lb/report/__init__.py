"""lb.report (see docs/architecture.md)."""
