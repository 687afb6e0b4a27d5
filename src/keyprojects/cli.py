"""The `keyprojects` command: Django's management commands with our settings (demo, serve, createuser, migrate …)."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "keyprojects.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["keyprojects", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
