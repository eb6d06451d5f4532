"""lb.figures (see docs/architecture.md)."""
