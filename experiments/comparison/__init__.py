"""The planners' comparison: every strategy on the same populations, and its report."""
