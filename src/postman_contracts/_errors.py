"""The package's error tree.

Why it exists: every failure a user can cause must reach them as one clear, located message
(file, Postman item path, JSON pointer, line:column) and never as a traceback. Each error
keeps those parts as fields and renders its message from them, so the CLI, the plugin and
the mock all say the same thing the same way.

Contract *violations* (a server or client not doing what the documentation says) are not
errors: they are ``AssertionError`` subclasses and live in ``postman_contracts.contracts``.
"""

from __future__ import annotations

__all__ = ["CollectionError", "ContractError", "InvalidArgument", "PostmanContractsError"]


class PostmanContractsError(Exception):
    """Base class of every error raised by postman-contracts."""


class CollectionError(PostmanContractsError):
    """A Postman collection, environment or contracts file that cannot be read.

    Attributes:
        reason: what is wrong, in plain words.
        file: the file it came from, when it came from a file.
        item_path: the Postman item path, such as ``Bulk Write / Create Bulk Write Job``.
        pointer: a JSON pointer into the file, such as ``#/item/0/request/body/raw``.
        line: 1-based line of a JSON syntax error, when known.
        column: 1-based column of a JSON syntax error, when known.
    """

    def __init__(
        self,
        reason: str,
        *,
        file: str | None = None,
        item_path: str | None = None,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.reason = reason
        self.file = file
        self.item_path = item_path
        self.pointer = pointer
        self.line = line
        self.column = column
        super().__init__(self._render())

    def _render(self) -> str:
        where = self.file or "<collection>"
        if self.line is not None:
            where += f":{self.line}:{self.column or 1}"
        parts = [where]
        if self.item_path:
            parts.append(f"item '{self.item_path}'")
        if self.pointer:
            parts.append(self.pointer)
        return f"{', '.join(parts)}: {self.reason}"

    def located(self, *, file: str | None) -> CollectionError:
        """Return a copy of this error that names ``file`` (when it did not name one)."""
        if self.file is not None or file is None:
            return self
        return CollectionError(
            self.reason,
            file=file,
            item_path=self.item_path,
            pointer=self.pointer,
            line=self.line,
            column=self.column,
        )


class ContractError(PostmanContractsError):
    """Contracts that cannot be built, read or written (a bad override, a stale index...)."""


class InvalidArgument(PostmanContractsError, ValueError):
    """A public function was called with arguments it cannot use."""
