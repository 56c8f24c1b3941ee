"""What is read off a finished sweep: sensitivity indices, PRIM boxes; the EMA model."""
