"""The published targets: what each figure says, how the model's value is computed from paired
runs, and the validation page that sets one beside the other."""
