"""Strict reading of the environment. Pure: no Django imports.

Every variable Stegvis reads is registered by name. A ``STEGVIS_*`` variable that is not
registered, or a value that does not parse (``STEGVIS_DEBUG=ture``), stops the start with a
message naming the variable: a misspelt setting must not be silently ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

PREFIX = "STEGVIS_"
FILE_SUFFIX = "_FILE"
TRUE_WORDS = frozenset({"1", "true", "yes", "on"})
FALSE_WORDS = frozenset({"0", "false", "no", "off"})


class ConfigurationError(ValueError):
    """A variable is unknown or its value cannot be used."""


class Environment:
    """Typed access to ``environ`` limited to the ``known`` variable names.

    A variable ``NAME`` may also be given as ``NAME_FILE``: the path of a file whose stripped
    content is the value (for secrets mounted as files). ``NAME_FILE`` wins over ``NAME``.
    """

    def __init__(self, environ: Mapping[str, str], known: Iterable[str]) -> None:
        self.environ = environ
        self.known = frozenset(known)

    def unknown(self) -> list[str]:
        """``STEGVIS_*`` variables that are set but not registered (sorted)."""
        names = []
        for name in self.environ:
            if not name.startswith(PREFIX):
                continue
            base = name.removesuffix(FILE_SUFFIX)
            if name not in self.known and base not in self.known:
                names.append(name)
        return sorted(names)

    def check_unknown(self) -> None:
        names = self.unknown()
        if names:
            raise ConfigurationError(
                f"Unknown environment variable{'s' if len(names) > 1 else ''} "
                f"{', '.join(names)}: not a Stegvis setting (misspelt?). "
                "See docs/operations.md for the list."
            )

    def _raw(self, name: str) -> str | None:
        if name not in self.known:
            # A programming error: every variable must be registered so the check above works.
            raise ConfigurationError(f"{name} is read but not registered as a known variable")
        file_name = self.environ.get(name + FILE_SUFFIX)
        if file_name:
            try:
                return Path(file_name).read_text().strip()
            except OSError as exc:
                raise ConfigurationError(
                    f"{name}{FILE_SUFFIX}: cannot read {file_name} ({exc.strerror})"
                ) from None
        return self.environ.get(name)

    def string(self, name: str, default: str | None = None) -> str | None:
        value = self._raw(name)
        return default if value is None else value

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ConfigurationError(
            f"{name}={value!r} is not a boolean: use 1/0, true/false, yes/no or on/off"
        )

    def integer(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None or value.strip() == "":
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise ConfigurationError(f"{name}={value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise ConfigurationError(f"{name}={number} is too small: at least {minimum}")
        return number

    def choice(self, name: str, default: str, choices: Iterable[str]) -> str:
        allowed = list(choices)
        value = self.string(name, default) or default
        if value not in allowed:
            raise ConfigurationError(f"{name}={value!r} must be one of {', '.join(allowed)}")
        return value

    def strings(self, name: str, default: str = "") -> list[str]:
        """A comma-separated list; blanks are dropped."""
        value = self.string(name, default) or ""
        return [item.strip() for item in value.split(",") if item.strip()]
