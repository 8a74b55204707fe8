"""Where the external test tools are, and what to do when one is missing."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
# Installed by .ci/setup from the pinned tools/node/package-lock.json.
NODE_MODULES = REPO_ROOT / ".cache" / "node" / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_SCRIPT = NODE_MODULES / "axe-core" / "axe.min.js"

CHROMIUM = "/usr/bin/chromium"
# Without the networking flags Chromium keeps trying hosts this machine's
# closed network refuses. Playwright itself adds --headless and a fresh
# temporary --user-data-dir (and refuses one passed in args).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def unavailable(reason: str) -> None:
    """Skip the current test for a missing tool, or fail it where CI requires the tool.

    CI sets GAZETTE_REQUIRE_BROWSER=1 so that a broken install shows as a
    failure instead of a green run that checked nothing.
    """
    if os.environ.get("GAZETTE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (GAZETTE_REQUIRE_BROWSER=1; run `bash .ci/setup` to install it)", pytrace=False)
    pytest.skip(f"{reason} (run `bash .ci/setup` to install it)")
