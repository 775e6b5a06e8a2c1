"""Synthesized town and person names; no name is taken from the real warehouse."""

from __future__ import annotations

import numpy as np

_TOWN_STEMS = (
    "Oak", "Maple", "Cedar", "Pine", "Elm", "Willow", "Ash", "Birch", "Spruce", "Aspen",
    "Clear", "Silver", "Gold", "Iron", "Stone", "Rock", "Green", "Red", "White", "Black",
    "Fair", "Glen", "Brook", "River", "Lake", "Spring", "Sun", "Wind", "Bright", "Mill",
    "Bridge", "Kings", "Queens", "Burling", "Frank", "Clay", "Marsh", "High", "Low", "Shel",
)  # fmt: skip
_TOWN_ENDINGS = (
    "ville", "ton", "field", "wood", "ford", "burg", "dale", "port", "view", "mont",
    "haven", "crest", "ridge", "brook", "land", "side", "vale", "worth", "bury", "chester",
    "creek", "grove", "point", "stead", "well",
)  # fmt: skip
_TOWN_BEFORE = ("North ", "South ", "East ", "West ", "New ", "Port ", "Mount ", "Lake ")
_TOWN_AFTER = (" Springs", " Falls", " Heights", " Junction", " Center", " City", " Park")


def town_names(rng: np.random.Generator, count: int) -> list[str]:
    stem = rng.integers(0, len(_TOWN_STEMS), count)
    ending = rng.integers(0, len(_TOWN_ENDINGS), count)
    decoration = rng.random(count)
    before = rng.integers(0, len(_TOWN_BEFORE), count)
    after = rng.integers(0, len(_TOWN_AFTER), count)
    names = []
    for i in range(count):
        name = _TOWN_STEMS[stem[i]] + _TOWN_ENDINGS[ending[i]]
        if decoration[i] < 0.12:
            name = _TOWN_BEFORE[before[i]] + name
        elif decoration[i] < 0.25:
            name += _TOWN_AFTER[after[i]]
        names.append(name)
    return names


_FIRST_NAMES = (
    "Ava", "Ben", "Chloe", "Daniel", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jonas",
    "Kira", "Leo", "Maya", "Nils", "Olive", "Pavel", "Quinn", "Rosa", "Sami", "Tara",
    "Uma", "Victor", "Wren", "Xavier", "Yara", "Zane", "Amir", "Bianca", "Carlos", "Dana",
    "Emil", "Freya", "Goran", "Hana", "Ivan", "Jade", "Kofi", "Lena", "Milo", "Nadia",
)  # fmt: skip
_LAST_NAMES = (
    "Abbott", "Baker", "Castillo", "Dalton", "Eriksen", "Fischer", "Gallo", "Hartley",
    "Ibsen", "Jansen", "Kowalski", "Lindqvist", "Moreau", "Novak", "Okafor", "Petrov",
    "Quintero", "Rossi", "Sato", "Tanaka", "Ulrich", "Varga", "Weller", "Xu", "Yilmaz",
    "Zeller", "Adler", "Brandt", "Costa", "Duval", "Engel", "Ferreira", "Grimm", "Holm",
)  # fmt: skip


def person_names(rng: np.random.Generator, count: int) -> list[str]:
    first = rng.integers(0, len(_FIRST_NAMES), count)
    last = rng.integers(0, len(_LAST_NAMES), count)
    return [f"{_FIRST_NAMES[a]} {_LAST_NAMES[b]}" for a, b in zip(first, last, strict=True)]
