"""Reading the official key-project list formats (.xlsx, .xls, .ods, .csv). Pure: no database.

``parse_list`` / ``parse_list_file`` return a :class:`ParseResult` whose rows carry the contract fields of
``keyprojects import --json`` (see ``../shared/data/README.md``) and their row-level issues; a file that cannot be
used at all raises :class:`ListFileError` with a Chinese message.
"""

from keyprojects.projects.listfile.errors import Issue, ListFileError, Severity
from keyprojects.projects.listfile.headers import FIELD_LABELS, FIELDS, Column, column_letter
from keyprojects.projects.listfile.parser import (
    CONTRACT_KEYS,
    ParsedRow,
    ParseOptions,
    ParseResult,
    parse_list,
    parse_list_file,
    peek_rows,
)

__all__ = [
    "CONTRACT_KEYS",
    "FIELDS",
    "FIELD_LABELS",
    "Column",
    "Issue",
    "ListFileError",
    "ParseOptions",
    "ParseResult",
    "ParsedRow",
    "Severity",
    "column_letter",
    "parse_list",
    "parse_list_file",
    "peek_rows",
]
