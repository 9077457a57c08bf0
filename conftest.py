"""pytest settings shared by every test of the repo (run through `make test`)."""

import pytest

# A browser tour never skips silently: Odoo's HttpCase skips when Chrome is missing
# or unreachable, and pytest-odoo skips HttpCase without --odoo-http. Both are
# failures here.
BROWSER_SKIP_WORDS = ("chrome", "browser", "websocket", "httpcase", "devtools")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not report.skipped or call.excinfo is None:
        return
    reason = str(call.excinfo.value)
    if any(word in reason.lower() for word in BROWSER_SKIP_WORDS):
        report.outcome = "failed"
        report.longrepr = (
            f"A browser test may not skip: {reason}\n"
            "Install Debian's chromium package (make test does) and run through "
            "`make test`, which starts Odoo's HTTP server for the tours."
        )
