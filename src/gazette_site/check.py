"""The ``check`` command: validate settings, content and templates, write nothing."""
from .build import add_common_arguments as add_arguments, check as run

__all__ = ["add_arguments", "run"]
