"""``python -m ementor_kit.samples``: rewrite the bundled sample programme."""

from ementor_kit.datasets.regenerate import regenerate_sample

print(f"Sample written to {regenerate_sample()}")
