"""Fictitious but well-formed French identifiers: SIREN and SIRET with a valid Luhn key, RNA numbers."""

import random

# La Poste's SIREN follows another rule for its SIRETs; never generate it.
_LA_POSTE_SIREN = "356000000"


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to `payload`, makes the whole number pass the Luhn check."""
    total = 0
    for position, char in enumerate(reversed(payload)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def fake_siren(rng: random.Random) -> str:
    while True:
        payload = f"{rng.randint(3, 9)}{rng.randint(0, 9_999_999):07d}"
        siren = payload + luhn_check_digit(payload)
        if siren != _LA_POSTE_SIREN:
            return siren


def fake_siret(rng: random.Random, siren: str) -> str:
    """The SIRET of an establishment of `siren` (NIC = 4 digits + a key making the 14 digits Luhn-valid)."""
    payload = f"{siren}{rng.randint(1, 80):04d}"
    return payload + luhn_check_digit(payload)


def fake_rna(rng: random.Random, departement_code: str) -> str:
    """« W » then 9 digits, starting with the département like real RNA numbers (Corsica as 20)."""
    prefix = "".join(char for char in departement_code if char.isdigit()).ljust(3, "0")[:3]
    return f"W{prefix}{rng.randint(0, 999_999):06d}"
