"""Problems found while reading a list file: fatal file errors and per-row issues, with messages in Chinese."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

__all__ = ["Issue", "ListFileError", "Severity"]


class ListFileError(Exception):
    """The file cannot be read as a key-project list at all (not a spreadsheet, no header, too large …).

    ``str(error)`` is the message shown to the user.
    """


class Severity(Enum):
    ERROR = "error"  # the row is not imported
    WARNING = "warning"  # the row is imported; the user should look (sum mismatch, plan above total …)


@dataclass(frozen=True)
class Issue:
    severity: Severity
    message: str
    row: int | None = None  # 1-based, as Excel shows it
    column: str | None = None  # header label as written, e.g. "总投资"
    column_letter: str | None = None  # "G"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        where = ""
        if self.row is not None:
            where = f"第{self.row}行"
        if self.column:
            letter = f"（{self.column_letter}列）" if self.column_letter else ""
            where += f"“{self.column}”列{letter}"
        return f"{where}：{self.message}" if where else self.message
