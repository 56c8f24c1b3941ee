"""Running the model: command line, comparisons, sweeps, sensitivity, discovery, reports."""
