"""Sweeps: experiment files, the designs they describe, and the store their runs go to."""
