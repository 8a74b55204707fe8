"""gazette-site: a Chinese government gazette as a permanent, searchable static archive."""

from pathlib import Path

__version__ = "0.1.0"
# The site's templates and static files; a build's inputs, so known without importing the renderer.
TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
