"""Synthesized names, street addresses and phone numbers for customers, resellers and staff."""

from __future__ import annotations

import numpy as np

from otelbi.warehouse.generator.aw.columns import Array, concat, pick, words

_FIRST_NAMES_MALE = words(
    "Aaron Adam Alan Albert Alex Andrew Arthur Ben Brian Bruce Carl Charles Chris Colin Daniel "
    "David Dennis Diego Edward Eric Felix Frank Gary George Hans Henry Hugo Ian Ivan Jack James "
    "Jason John Jose Juan Kevin Larry Leon Louis Luis Marc Mark Martin Michael Nathan Oscar Paul "
    "Peter Pierre Ray Richard Robert Ryan Scott Simon Stefan Steven Thomas Victor Walter William"
)
FIRST_NAMES_FEMALE = words(
    "Abigail Alice Amanda Amy Angela Anna Barbara Carol Catherine Chloe Claire Diana Donna Elena "
    "Emily Emma Eva Fiona Grace Hannah Helen Ingrid Isabella Jane Jennifer Jessica Julia Karen "
    "Laura Linda Lisa Lucy Maria Marie Megan Monica Nancy Natalie Nina Olivia Paula Rachel "
    "Rebecca Rosa Ruth Sara Sophia Susan Teresa Ursula Victoria Wendy Yvonne Zoe"
)
_LAST_NAMES = words(
    "Adams Alvarez Anderson Bailey Baker Becker Bell Bennett Bernard Brooks Brown Campbell Carter "
    "Chen Clark Collins Cook Cooper Diaz Dubois Edwards Evans Fischer Flores Foster Garcia "
    "Gonzalez Gray Green Hall Harris Hernandez Hill Hoffmann Howard Hughes Jackson James Jenkins "
    "Johnson Kelly Kim King Lambert Lee Lewis Li Lopez Martin Martinez Meyer Miller Mitchell "
    "Moore Morgan Morris Murphy Nguyen Parker Patel Perez Peterson Phillips Price Ramirez Reed "
    "Richardson Rivera Roberts Robinson Rodriguez Ross Russell Sanchez Schmidt Scott Shah "
    "Simmons Smith Stewart Sullivan Taylor Thomas Thompson Torres Turner Walker Wang Ward Watson "
    "Weber White Williams Wilson Wood Wright Young Zhang"
)
_STREETS = words(
    "Acacia Alder Bay Birch Canyon Cedar Cherry Chestnut Cliff College Cypress Dogwood Eagle "
    "Elm Forest Garden Glen Harbor Hickory Highland Hill Holly Juniper Lake Laurel Linden "
    "Magnolia Maple Meadow Mill Mission Oak Orchard Park Pine Poplar Quarry Ridge River Rose "
    "Sage Spruce Summit Sunset Sycamore Valley Walnut Willow"
)
_STREET_KINDS = words("Avenue Court Drive Lane Place Road Street Way")
INITIALS = tuple("ABCDEGHJKLMNPRSTW")


def person_names(rng: np.random.Generator, n: int) -> tuple[Array, Array, Array]:
    """Return gender ("M"/"F"), first name and last name per person."""
    female = rng.random(n) < 0.5
    first = np.where(female, pick(rng, FIRST_NAMES_FEMALE, n), pick(rng, _FIRST_NAMES_MALE, n))
    return np.where(female, "F", "M"), first, pick(rng, _LAST_NAMES, n)


def address_lines(rng: np.random.Generator, n: int) -> Array:
    return concat(
        rng.integers(1, 9999, n), " ", pick(rng, _STREETS, n), " ", pick(rng, _STREET_KINDS, n)
    )


def phones(rng: np.random.Generator, n: int) -> Array:
    return concat(rng.integers(200, 999, n), "-555-0", rng.integers(100, 200, n))
