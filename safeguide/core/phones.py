"""Phone numbers: which UK numbers a safeguarding contact may give (`phonenumbers`), and their `tel:` address.

How a contact is shown is safeguide.render.contacts.
"""

from __future__ import annotations

import functools
import re

import phonenumbers
from phonenumbers import PhoneNumberType, shortnumberinfo


class PhoneError(ValueError):
    pass


EXAMPLE_NUMBERS = "for example 0117 496 0123, 020 7946 0123, 0300 123 4567 or 0808 800 5000"

# Numbers whose calls cost the caller extra and pay the service provider (Ofcom: 09 premium rate;
# 084 and 087 service-charge numbers; 070 personal numbers). A safeguarding contact must be cheap to call.
COSTLY_TYPES = {
    PhoneNumberType.PREMIUM_RATE: "a premium-rate or service-charge number (09, 084 or 087)",
    PhoneNumberType.SHARED_COST: "a shared-cost number",
    PhoneNumberType.PERSONAL_NUMBER: "a personal number (070), which callers pay extra for",
}
# Ofcom's directory enquiry services, charged per call; phonenumbers does not know their cost.
DIRECTORY_ENQUIRIES = re.compile(r"118\d{3}")
# Ofcom's numbers reserved for TV and radio drama, never given to a line (../shared/FACTS.md, "Telephone numbers"):
# each range is the 1,000 eleven-digit numbers that start with one of these eight digits.
DRAMA_PREFIXES = frozenset(
    {f"0{area}4960" for area in ("113", "114", "115", "116", "117", "118", "121", "131", "141", "151", "161")}
    | {"02079460", "01914980", "02890180", "02920180", "01632960", "07700900", "08081570", "09098790", "03069990"}
)


def normalise_phone(value: str) -> str:
    """Check `value` is a UK number a practitioner can dial cheaply; return it with tidy spacing, as written.

    Accepts full UK numbers (phonenumbers.is_valid_number) and UK short numbers such as 999, 101, 111
    and 116 123 (phonenumbers.shortnumberinfo). Raises PhoneError ("what | how to fix") for anything
    else, and for premium-rate, service-charge, shared-cost, personal and directory-enquiry numbers.
    """
    shown = re.sub(r"\s+", " ", value.strip())
    if not shown:
        raise PhoneError(f"is empty | Write the full number, {EXAMPLE_NUMBERS}.")
    if re.search(r"[^0-9 +()-]", shown):
        raise PhoneError(
            f'"{shown}" is not a phone number: only digits, spaces and + ( ) - are allowed '
            "| Put extra words such as an extension or opening hours in 'hours' or 'notes'."
        )
    number = _parse(shown)
    if number is not None and shortnumberinfo.is_valid_short_number(number):
        if DIRECTORY_ENQUIRIES.fullmatch(phonenumbers.national_significant_number(number)):
            raise PhoneError(f'"{shown}" is a directory enquiries number (118), which callers pay extra for | {_cheap_fix()}')
        return shown
    if number is None or not phonenumbers.is_valid_number(number) or number.country_code != 44:
        raise PhoneError(
            f'"{shown}" is not a valid UK phone number | Give the whole number with its area code, '
            f"{EXAMPLE_NUMBERS}, or a national short number such as 101, 111 or 116 123."
        )
    costly = COSTLY_TYPES.get(phonenumbers.number_type(number))
    if costly:
        raise PhoneError(f'"{shown}" is {costly} | {_cheap_fix()}')
    return shown


def is_drama_or_national_short(phone: str) -> bool:
    """True if `phone` (as normalise_phone returns it) is in one of Ofcom's ranges reserved for drama (DRAMA_PREFIXES),
    or is a national short number such as 999, 101 or 116 123, which an example site may show as it is."""
    number = _parse(phone)
    if number is None:
        return False
    if shortnumberinfo.is_valid_short_number(number):
        return True
    digits = "0" + phonenumbers.national_significant_number(number)
    return len(digits) == 11 and digits[:8] in DRAMA_PREFIXES


def _cheap_fix() -> str:
    return (
        "Practitioners and families must be able to call safeguarding contacts at no more than a normal "
        "call's cost. Give the service's ordinary number (starting 01, 02 or 03) or a free 0800 or 0808 number."
    )


def _parse(shown: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(shown, "GB")
    except phonenumbers.NumberParseException:
        return None


@functools.lru_cache(maxsize=4096)
def tel_href(phone: str) -> str:
    """A `tel:` address: E.164 for full numbers (tel:+441174960123), digits for short numbers (tel:101, tel:116123).
    Kept per number for the process (a page shows the same few numbers many times); raises phonenumbers'
    NumberParseException for text that is not a number."""
    number = phonenumbers.parse(phone, "GB")
    if phonenumbers.is_valid_number(number):
        return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return "tel:" + phonenumbers.national_significant_number(number)
