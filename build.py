"""Entry point for editors: ``python build.py [command]`` (see ``--help``)."""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent / "src"))

from gazette_site.commands import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
