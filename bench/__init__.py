"""Benchmarks of the trede engine: measured figures, never timed tests (run: python -m bench)."""
