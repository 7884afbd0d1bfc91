"""Terminal output that never passes a control sequence through.

Names and cells come from untrusted workbooks; an ESC sequence in one could move the cursor,
recolour or rewrite the screen, and a bidi override could reorder what an officer reads.
`SafeConsole` shows such characters as visible escapes (`\\x1b`, `\\u202e`) in everything it
prints, tables included (rich turns every string into text through `render_str`); its own
styling is unaffected.
"""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.text import Text

_SHOWN: dict[int, str] = {
    c: f"\\x{c:02x}" for c in (*range(0x00, 0x20), *range(0x7F, 0xA0)) if c not in (0x09, 0x0A)
}
_SHOWN.update({c: f"\\u{c:04x}" for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))})


def visible(text: str) -> str:
    r"""The text with control characters and bidi overrides shown as escapes.

    >>> visible("江西\x1b[31m铜业\u202e"), visible("行一\n行二\t制表")
    ('江西\\x1b[31m铜业\\u202e', '行一\n行二\t制表')
    """
    return text.translate(_SHOWN) if not text.isprintable() else text


class SafeConsole(Console):
    """A rich Console whose every printed string is passed through `visible`."""

    def render_str(self, text: str, **kwargs: Any) -> Text:
        return super().render_str(visible(text), **kwargs)
