import os

import matplotlib
from hypothesis import settings

matplotlib.use("Agg")

# The suite is reproducible: property-based tests draw the same examples on every run and keep
# no example database. HYPOTHESIS_PROFILE=explore draws new random examples (to hunt bugs).
settings.register_profile("reproducible", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "reproducible"))


def pytest_configure(config):
    # Browser end-to-end tests (tests/test_browser.py) run by default; deselect with
    # -m "not browser". They skip, with the reason, where /usr/bin/chromium is absent.
    config.addinivalue_line(
        "markers", "browser: real-browser end-to-end test (Debian Chromium + Playwright)"
    )
