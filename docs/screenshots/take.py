"""Takes the screenshots in this folder, from the seed issue built with search, in Chromium.

    python docs/screenshots/take.py

Each page at a phone's 360 × 800 and a desktop's 1280 × 900, at one CSS pixel a pixel, so each
file stays small. The README shows them, so a reader sees the site before installing it.
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from gazette_site.build import build  # noqa: E402
from gazette_site.problems import Problems  # noqa: E402
from gazette_site.settings import load as load_settings  # noqa: E402
from support import launch_chromium, serve_directory  # noqa: E402

OUT = Path(__file__).resolve().parent
SIZES = {"360": {"width": 360, "height": 800}, "1280": {"width": 1280, "height": 900}}
# name: (path, what to scroll into view first or None, colour scheme)
SHOTS = {
    "issue": ("2023/1/", None, "light"),
    "outline": ("doc/xinzhengfa-2023-1/", None, "light"),
    "table": ("doc/xinzhengban-2023-1/", ".table-wrap", "light"),
    "wide-table": ("doc/xinzhengfa-2023-2/", "#fujian-1", "light"),
    "search": ("search/?q=无废城市", None, "light"),
    "highlight": ("doc/xinzhengfa-2023-2/?hl=无废城市", None, "light"),
    "dark": ("doc/xinzhengfa-2023-2/", "#fujian-1", "dark"),
}


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        site = Path(temp) / "public"
        problems = Problems()
        # The project's own settings: a hand-made copy here fell behind the options once.
        settings = load_settings(ROOT / "site.yaml", problems)
        build(ROOT / "content", site, settings, problems)
        if problems.has_errors():
            sys.exit("\n".join(map(str, problems)))
        with launch_chromium() as browser, serve_directory(site, "/") as served:
            for name, (path, anchor, scheme) in SHOTS.items():
                for size, viewport in SIZES.items():
                    context = browser.new_context(viewport=viewport, color_scheme=scheme)
                    page = context.new_page()
                    page.goto(served.url + path)
                    if path.startswith("search/"):
                        page.wait_for_selector("#search-results > li")
                    if anchor:
                        page.evaluate("(selector) => window.scrollBy(0, document.querySelector(selector)"
                                      ".getBoundingClientRect().top - 8)", anchor)
                    page.wait_for_timeout(300)  # the scroll boxes' cues are set on a resize observation
                    page.screenshot(path=OUT / f"{name}-{size}.png")
                    context.close()
                    print(f"{name}-{size}.png", (OUT / f"{name}-{size}.png").stat().st_size // 1024, "KB")


if __name__ == "__main__":
    main()
