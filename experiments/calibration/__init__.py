"""Calibration to the published targets (ABC-SMC with pyabc) and the ensemble it leaves: the
plausible worlds a robust comparison runs in."""
