"""Return contexts, packages and strategies, as TOML files beside this module."""
