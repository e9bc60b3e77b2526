# Copyright 2026 ISP Suite contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Texts of the portal's own SMS (one-time code, payment link)."""
import re

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template, values):
    """Replace the known `{name}` placeholders of `template`; unknown ones
    and other braces stay as they are (an ISP's text cannot break sending)."""
    return PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values
                           else m.group(0), template or "")
