"""Build every corpus PDF and its gold file: `python -m corpus.builder [NAME ...]`."""
from __future__ import annotations

import importlib
import sys

BUILDERS = ("katrineholm", "koping", "ostersund", "ange", "lidkoping")


def main(names: list[str]) -> None:
    for name in names or BUILDERS:
        module = importlib.import_module(f"corpus.builder.{name}")
        for path in module.build():
            print(f"built {path}")


if __name__ == "__main__":
    main(sys.argv[1:])
