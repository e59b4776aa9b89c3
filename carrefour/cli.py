"""The `carrefour` command: runs any Django management command (demo, serve, load_gazetteer…)."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carrefour.settings")
    from django.core.management import execute_from_command_line

    argv = [sys.argv[0], *sys.argv[1:]]
    if len(argv) == 1 or argv[1] in {"-h", "--help"}:
        argv = [argv[0], "help"]
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
