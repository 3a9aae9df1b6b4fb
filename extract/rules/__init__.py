"""Rule files: everything about a municipality or a document family, as validated data.

`rules/_base.yaml` holds what every document shares; `rules/<name>.yaml` files layer on top of it
(lists are extended, mappings merged, scalars replaced). Every file is validated with pydantic
models that forbid unknown keys, and errors name the file and the path inside it.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from extract.errors import PlansError

def _rules_dir() -> Path:
    """An installed wheel carries the rules beside this module (`data/`); a checkout keeps them at
    the top of the repository."""
    packaged = Path(__file__).resolve().parent / "data"
    return packaged if packaged.is_dir() else Path(__file__).resolve().parents[2] / "rules"


RULES_DIR = _rules_dir()
BASE_FILE = "_base.yaml"

M = TypeVar("M", bound=BaseModel)


class RulesError(PlansError):
    """A rule file is missing, not YAML, or does not fit its schema."""


class RuleModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def check_regex(pattern: str, groups: frozenset[str] = frozenset()) -> str:
    """A rule's pattern must compile and define the named groups its reader takes from it."""
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"not a valid regular expression ({exc}): {pattern}") from None
    missing = groups - set(compiled.groupindex)
    if missing:
        raise ValueError(f"pattern needs the named groups {sorted(missing)}: {pattern}")
    return pattern


Regex = Annotated[str, AfterValidator(check_regex)]


def regex_with(*groups: str) -> Any:
    """A pattern type that must define these named groups."""
    return Annotated[str, AfterValidator(lambda pattern: check_regex(pattern, frozenset(groups)))]


SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser where PyYAML has it (a tenth of the pure-Python one's time), the same safe subset."""


def read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
    except FileNotFoundError:
        raise RulesError(f"{path}: rule file not found") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise RulesError(f"{path}:{where} not valid YAML: {getattr(exc, 'problem', exc)}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise RulesError(f"{path}: expected a mapping at the top level, got {type(data).__name__}")
    return data


def merge(base: Any, layer: Any) -> Any:
    """Layer `layer` over `base`: mappings merge key by key, lists extend, scalars replace."""
    if isinstance(base, dict) and isinstance(layer, dict):
        merged = dict(base)
        for key, value in layer.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if isinstance(base, list) and isinstance(layer, list):
        return base + [item for item in layer if item not in base]
    return layer


def validate(data: dict[str, Any], model: type[M], source: str) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = ".".join(str(p) for p in first["loc"]) or "(top)"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise RulesError(f"{source}: {path}: {first['msg']}{more}") from None


def load_model(model: type[M], *names: str, rules_dir: Path = RULES_DIR) -> M:
    """Validate the base file, then each layer merged onto what came before; errors name the file
    whose layer broke the schema."""
    merged: dict[str, Any] = {}
    result: M | None = None
    for name in names:
        path = rules_dir / name
        merged = merge(merged, read_yaml(path))
        result = validate(merged, model, str(path))
    if result is None:
        raise RulesError("no rule files given")
    return result


def rules_hash(rules_dir: Path = RULES_DIR) -> str:
    """A digest of every rule file, recorded with each load so a rules change is visible."""
    digest = hashlib.sha256()
    for path in sorted(rules_dir.rglob("*.yaml")):
        digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]
