"""The wheel carries the top-level `rules/` folder inside the `extract` package (`extract/rules/data`),
so an installed `plans` reads the same rules as a checkout; everything else is in pyproject.toml."""
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

RULES = Path(__file__).resolve().parent / "rules"


class build_py_with_rules(build_py):
    def run(self) -> None:
        super().run()
        if not self.editable_mode:
            self.copy_tree(str(RULES), str(Path(self.build_lib) / "extract" / "rules" / "data"))


setup(cmdclass={"build_py": build_py_with_rules})
