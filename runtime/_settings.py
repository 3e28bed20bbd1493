"""Credentials every provider client reads the same way: arguments, environment, Basic auth."""

from __future__ import annotations

import os

from trunkline._errors import ValidationError

__all__ = ["env_setting", "missing_settings"]


def env_setting(name: str) -> str | None:
    """The environment variable ``name``; an empty value counts as unset."""
    return os.environ.get(name) or None


def missing_settings(
    what: str, *fields: tuple[str, str | None, str], hint: str = ""
) -> ValidationError:
    """The error naming every ``(argument, value, variable)`` whose value is missing.

    Callers check their values themselves (so the type checker sees them narrowed) and
    raise this when one is missing. Values never appear in the message.
    """
    missing = [f"{name} (or {env})" for name, value, env in fields if not value]
    return ValidationError(f"{what} are incomplete: missing " + ", ".join(missing) + hint)
