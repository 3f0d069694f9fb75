"""Brand colours: contrast checks (WCAG 2.2) and the stylesheet that applies them as custom properties, ours (--sg-*)
and Material's."""

from __future__ import annotations

import re

HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")  # use fullmatch: with .match, $ also accepts a trailing newline
WHITE = "#ffffff"
MIN_CONTRAST = 4.5


def long_hex(colour: str) -> str:
    """"#036" -> "#003366" (CSS Color 4: each digit of the short form is doubled); six digits stay as they are, lower-cased."""
    digits = colour.lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return "#" + digits


def rgb(colour: str) -> tuple[int, int, int]:
    digits = long_hex(colour)[1:]
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def darker_passing(colour: str, against: str = WHITE) -> str:
    """The nearest darker shade of `colour` that reaches the minimum contrast, as a suggestion."""
    r, g, b = rgb(colour)
    for step in range(100, -1, -2):
        shade = "#{:02x}{:02x}{:02x}".format(*(round(v * step / 100) for v in (r, g, b)))
        if contrast(shade, against) >= MIN_CONTRAST:
            return shade
    return "#000000"


def shade(colour: str, factor: float) -> str:
    """Mix towards white (factor > 0) or black (factor < 0)."""
    target = 255 if factor > 0 else 0
    return "#{:02x}{:02x}{:02x}".format(*(round(v + (target - v) * abs(factor)) for v in rgb(colour)))


def stylesheet(primary: str, accent: str) -> str:
    """The partnership's colours as custom properties: ours (--sg-*), which our stylesheets use (overrides/assets/*.css;
    display.css sets them again for high visibility), and Material's, which its theme uses. White header text and
    links on white both need `primary` dark enough."""
    primary, accent = long_hex(primary), long_hex(accent)  # "{accent}1a" below needs six digits
    return f""":root, [data-md-color-scheme="default"] {{
  --sg-primary: {primary};
  --sg-primary-tint: {shade(primary, 0.93)};  /* a light background: local notes, key points */
  --sg-on-primary: #ffffff;
  --sg-accent: {accent};
  --md-primary-fg-color: {primary};
  --md-primary-fg-color--light: {shade(primary, 0.2)};
  --md-primary-fg-color--dark: {shade(primary, -0.2)};
  --md-primary-bg-color: #ffffff;
  --md-primary-bg-color--light: #ffffffb3;
  --md-accent-fg-color: {accent};
  --md-accent-fg-color--transparent: {accent}1a;
  --md-typeset-a-color: {primary};
}}
"""
