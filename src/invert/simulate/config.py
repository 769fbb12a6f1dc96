"""What a simulation run is asked for (size, seed, profile, difficulty) and the data it builds from.

The region, its people, sectors and sizes are YAML files in ``data/`` so a trainer can make a
region of their own country without touching code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from invert.errors import InvertError

DATA = Path(__file__).parent / "data"
SIZES = ("S", "M", "L")
PROFILES = ("general", "organised")
DIFFICULTIES = ("easy", "realistic", "hard")


@cache
def data(name: str) -> Any:
    """One data file of ``data/`` (people, region, sectors, sizes, ads)."""
    return yaml.safe_load((DATA / f"{name}.yml").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class Settings:
    size: str = "S"
    seed: int = 1
    profile: str = "general"
    difficulty: str = "realistic"
    # A fraction of the size's counts, for fast tests (1.0 = the documented size).
    scale: float = 1.0

    def __post_init__(self) -> None:
        problems = []
        if self.size not in SIZES:
            problems.append(f"size must be one of {', '.join(SIZES)}, not '{self.size}'")
        if self.profile not in PROFILES:
            problems.append(f"profile must be one of {', '.join(PROFILES)}")
        if self.difficulty not in DIFFICULTIES:
            problems.append(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
        if not 0 < self.scale <= 1:
            problems.append("scale must be in (0, 1]")
        if problems:
            raise InvertError("invalid simulation settings", problems)

    def count(self, what: str) -> int:
        return max(1, round(data("sizes")["sizes"][self.size][what] * self.scale))

    @property
    def look_alikes_per_1000(self) -> float:
        return float(data("sizes")["look_alikes_per_1000_companies"])

    @property
    def noise(self) -> dict[str, float]:
        return dict(data("sizes")["difficulty"][self.difficulty])

    @property
    def plan(self) -> dict[str, Any]:
        return dict(data("sizes")["profiles"][self.profile])

    def as_dict(self) -> dict[str, Any]:
        return {
            "size": self.size,
            "seed": self.seed,
            "profile": self.profile,
            "difficulty": self.difficulty,
            "scale": self.scale,
        }
