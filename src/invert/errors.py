"""The exceptions INVERT raises, named after the user's mistake.

Every boundary (CLI, web API) converts an ``InvertError`` once into a single clear message; the
``problems`` list lets validation report everything it found at once instead of one problem per run.
"""

from __future__ import annotations


class InvertError(Exception):
    """Root of all errors a user can act on."""

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        self.problems = list(problems or [])
        self.message = message
        super().__init__(message)

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        return head + "\n" + "\n".join(f"  - {p}" for p in self.problems)


class InvalidModel(InvertError):
    """A canonical-model YAML file is wrong; the message names the file."""


class InvalidMapping(InvertError):
    """A mapping file does not fit the model or the source file."""


class InvalidData(InvertError):
    """A source file cannot be read at all (truncated, wrong encoding, not the declared format)."""


class WorkspaceError(InvertError):
    """The case workspace is missing, damaged or used the wrong way."""


class ShareError(InvertError):
    """A shared package cannot be made as asked (no key, a short key, an unknown entity)."""
