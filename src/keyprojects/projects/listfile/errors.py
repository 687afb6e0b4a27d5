"""Problems found while reading a list file: fatal file errors and per-row issues, with messages in the active language
(Chinese by default; the msgids are the Chinese texts)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from keyprojects.core.i18n import gettext as _

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
        letter = _("（%(letter)s列）") % {"letter": self.column_letter} if self.column_letter else ""
        if self.row is not None and self.column:
            where = _("第%(row)s行“%(column)s”列%(letter)s") % {"row": self.row, "column": self.column,
                                                                  "letter": letter}
        elif self.row is not None:
            where = _("第%(row)s行") % {"row": self.row}
        elif self.column:
            where = _("“%(column)s”列%(letter)s") % {"column": self.column, "letter": letter}
        else:
            return self.message
        return _("%(where)s：%(message)s") % {"where": where, "message": self.message}
