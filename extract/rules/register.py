"""The register of Sweden's kommuner and län (rules/kommuner.yaml), checked when loaded: every code four
digits and unique, every name unique, every code's first two digits a listed county."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, model_validator

from extract.rules import RULES_DIR, RuleModel, load_model
from models import Municipality

REGISTER_FILE = "kommuner.yaml"


class Kommun(RuleModel):
    code: str = Field(pattern=r"^\d{4}$")
    name: str = Field(min_length=2)
    forms: list[str] = []
    """Other spellings of the name that documents print ("Falu kommun" for Falun)."""


class KommunRegister(RuleModel):
    counties: dict[str, str]
    municipalities: list[Kommun]

    @model_validator(mode="after")
    def _consistent(self) -> KommunRegister:
        codes = [m.code for m in self.municipalities]
        names = [m.name for m in self.municipalities]
        for label, values in (("code", codes), ("name", names)):
            repeated = sorted({v for v in values if values.count(v) > 1})
            if repeated:
                raise ValueError(f"municipalities: {label}s listed twice: {', '.join(repeated)}")
        unknown = sorted({c[:2] for c in codes} - set(self.counties))
        if unknown:
            raise ValueError(f"municipalities: codes start with unlisted county codes {', '.join(unknown)}")
        return self

    def municipality(self, kommun: Kommun) -> Municipality:
        return Municipality(code=kommun.code, name=kommun.name, county=self.counties[kommun.code[:2]])

    def to_municipalities(self) -> list[Municipality]:
        return [self.municipality(k) for k in self.municipalities]


@lru_cache(maxsize=4)
def kommun_register(rules_dir: Path = RULES_DIR) -> KommunRegister:
    return load_model(KommunRegister, REGISTER_FILE, rules_dir=rules_dir)
