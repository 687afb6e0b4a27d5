"""`keyprojects serve [--host H] [--port N]`: the production-grade WSGI server (waitress), static files included."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动网页服务（waitress）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from keyprojects.config.wsgi import application

        self.stdout.write(f"重点项目督导平台：http://{options['host']}:{options['port']}/  （Ctrl+C 停止）")
        serve(application, host=options["host"], port=options["port"], threads=options["threads"])
