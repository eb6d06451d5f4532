"""lb.models (see docs/architecture.md)."""
