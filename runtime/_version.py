"""trunkline's version, kept equal to pyproject.toml's by a test."""

__all__ = ["VERSION"]

VERSION = "0.1.0"
