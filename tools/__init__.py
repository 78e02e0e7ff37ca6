"""Build and check helpers for the course site (not part of the looplab package)."""
