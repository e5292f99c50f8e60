"""Benchmarks: ratios against baselines measured in the same process (not run in CI)."""
