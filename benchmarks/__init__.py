"""Performance benchmarks: a large synthetic data set and timed scenarios (see README.md)."""
