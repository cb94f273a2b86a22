"""Synthetic demo data at a large region's volumes, for trying the tracker and benchmarking it."""
