"""``python -m ementor_kit.cli``: the ``ementor-kit`` command."""

import sys

from ementor_kit.cli import main

if __name__ == "__main__":  # pragma: no cover - exercised through the console script
    sys.exit(main())
