import matplotlib

matplotlib.use("Agg")


def pytest_configure(config):
    # Browser end-to-end tests (tests/test_browser.py) run by default; deselect with
    # -m "not browser". They skip, with the reason, where /usr/bin/chromium is absent.
    config.addinivalue_line(
        "markers", "browser: real-browser end-to-end test (Debian Chromium + Playwright)"
    )
