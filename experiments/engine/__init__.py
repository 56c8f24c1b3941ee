"""What comparisons and sweeps share: where runs go (runners) and where tables go (sink)."""
