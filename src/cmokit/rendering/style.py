"""How figures look: the Okabe-Ito palette, a shape per element kind, text wrapping and escaping.

Colours come from the Okabe-Ito palette (Okabe and Ito 2008), which stays distinguishable
for the common forms of colour blindness. Every kind of node also differs in shape and
border, so a figure still reads when printed in grey.

Example:
    >>> from cmokit.model import ElementKind
    >>> look_of(ElementKind.MECHANISM).shape
    'hexagon'
    >>> html_lines("Staff <feel> accountable & engaged", width=12)
    'Staff &lt;feel&gt;<BR/>accountable<BR/>&amp; engaged'
"""

from __future__ import annotations

import html
import textwrap
import unicodedata

import attrs

from cmokit.model import ElementKind

__all__ = [
    "CHAINED_PENWIDTH",
    "FONT",
    "OKABE_ITO",
    "NodeLook",
    "html_lines",
    "look_of",
    "tint",
    "wrap",
]

OKABE_ITO: dict[str, str] = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}
"""The eight Okabe-Ito colours, by their published names."""

FONT = "Helvetica"
"""Font family: metric-compatible substitutes (Liberation Sans, Arimo) ship with both engines."""

CHAINED_PENWIDTH = 2.6
"""Border width marking an outcome that becomes the context or mechanism of a later CMOC."""

TEXT_COLOUR = "#1A1A1A"
MUTED_TEXT_COLOUR = "#555555"
LINK_COLOUR = "#666666"
EDGE_COLOUR = "#3A3A3A"
STAGE_FILL = "#F4F4F4"
STAGE_BORDER = "#BDBDBD"
THEME_BORDER = OKABE_ITO["reddish_purple"]


def tint(colour: str, amount: float) -> str:
    """Return ``colour`` mixed with white: ``amount`` 0 gives white, 1 the colour itself.

    Example:
        >>> tint("#0072B2", 0.5)
        '#80B8D8'
    """
    if not 0 <= amount <= 1:
        raise ValueError(f"amount must be between 0 and 1, not {amount!r}")
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mixed = (round(255 - (255 - part) * amount) for part in (red, green, blue))
    return "#" + "".join(f"{part:02X}" for part in mixed)


@attrs.frozen
class NodeLook:
    """The Graphviz attributes that draw one kind of node.

    Attributes:
        name: What the legend calls it.
        shape: Graphviz node shape.
        style: Graphviz style list, e.g. ``"filled,rounded"``.
        fill: Fill colour.
        border: Border colour.

    Example:
        >>> look_of(ElementKind.CONTEXT).attributes()["shape"]
        'box'
    """

    name: str
    shape: str
    style: str
    fill: str
    border: str

    def attributes(self) -> dict[str, str]:
        """Return the node attributes for ``graphviz.Digraph.node``."""
        attributes = {
            "shape": self.shape,
            "style": self.style,
            "fillcolor": self.fill,
            "color": self.border,
            "penwidth": "1.3",
        }
        if self.shape == "hexagon":
            # A hexagon already leaves room around its text at its pointed ends: the usual
            # margin on top of that makes mechanisms half as wide again as their labels.
            attributes["margin"] = "0.02,0.03"
        return attributes


_LOOKS: dict[ElementKind, NodeLook] = {
    ElementKind.CONTEXT: NodeLook(
        "Context", "box", "filled", tint(OKABE_ITO["orange"], 0.32), "#A87400"
    ),
    ElementKind.MECHANISM: NodeLook(
        "Mechanism", "hexagon", "filled", tint(OKABE_ITO["sky_blue"], 0.38), OKABE_ITO["blue"]
    ),
    ElementKind.OUTCOME: NodeLook(
        "Outcome",
        "box",
        "filled,rounded",
        tint(OKABE_ITO["bluish_green"], 0.30),
        "#00704F",
    ),
}

UNINTENDED_LOOK = NodeLook(
    "Unintended outcome",
    "box",
    "filled,rounded,dashed",
    tint(OKABE_ITO["vermillion"], 0.22),
    OKABE_ITO["vermillion"],
)
"""Unintended outcomes: vermillion, with a dashed border."""


def look_of(kind: ElementKind, *, unintended: bool = False) -> NodeLook:
    """Return how to draw an element of this kind.

    Args:
        kind: The element's kind.
        unintended: The element is an unintended outcome.

    Example:
        >>> look_of(ElementKind.OUTCOME, unintended=True).style
        'filled,rounded,dashed'
    """
    if unintended and kind is ElementKind.OUTCOME:
        return UNINTENDED_LOOK
    return _LOOKS[kind]


def _visible(text: str) -> str:
    """Replace control characters, which XML cannot carry, with their visible pictures."""
    if text.isprintable():
        # No tab, control character, surrogate or noncharacter (none is printable): the
        # common case, checked in C instead of character by character.
        return text
    out = []
    for char in text:
        code = ord(char)
        if char == "\t":
            out.append(" ")
        elif code < 0x20:
            out.append(chr(0x2400 + code))
        elif code == 0x7F:
            out.append("\u2421")
        elif unicodedata.category(char) == "Cs" or code in (0xFFFE, 0xFFFF):
            out.append("\ufffd")
        else:
            out.append(char)
    return "".join(out)


def wrap(text: str, width: int, *, balanced: bool = False) -> list[str]:
    """Split text into lines of at most ``width`` characters, keeping the writer's line breaks.

    A ``width`` of 0 keeps each paragraph on one line. ``balanced`` evens out the lengths
    of a paragraph's lines (same number of lines, none left with one short word), as a
    title wants.

    Example:
        >>> wrap("Higher hand-hygiene compliance", 16)
        ['Higher hand-', 'hygiene', 'compliance']
        >>> wrap("first\\nsecond", 0)
        ['first', 'second']
        >>> wrap("From engagement through enactment to outcome themes", 45)
        ['From engagement through enactment to outcome', 'themes']
        >>> wrap("From engagement through enactment to outcome themes", 45, balanced=True)
        ['From engagement through', 'enactment to outcome themes']
    """
    lines: list[str] = []
    for paragraph in _visible_paragraphs(text):
        if width <= 0 or len(paragraph) <= width:
            lines.append(paragraph)
            continue
        wrapped = textwrap.wrap(paragraph, width) or [""]
        if balanced and len(wrapped) > 1:
            # The narrowest width that still needs no more lines shares the words evenly.
            for narrower in range(-(-len(paragraph) // len(wrapped)), width):
                candidate = textwrap.wrap(paragraph, narrower)
                if len(candidate) == len(wrapped):
                    wrapped = candidate
                    break
        lines.extend(wrapped)
    return lines


def _visible_paragraphs(text: str) -> list[str]:
    return [_visible(part) for part in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def html_lines(text: str, width: int, *, align: str | None = None, balanced: bool = False) -> str:
    r"""Return text wrapped and escaped for a Graphviz HTML-like label, lines joined by ``<BR/>``.

    Every character of the text is drawn as written: markup characters are escaped and
    cannot change the figure, and control characters are shown as their visible pictures.
    ``align`` (``"LEFT"`` or ``"RIGHT"``) justifies the lines; they are centred otherwise.
    ``balanced`` evens out the line lengths (see :func:`wrap`).

    Example:
        >>> html_lines('a "quote" & <tag>', 40)
        'a &quot;quote&quot; &amp; &lt;tag&gt;'
        >>> print(html_lines(r"C:\new", 40))
        C:\\new
    """
    lines = [_escape(line) for line in wrap(text, width, balanced=balanced)]
    if align is None:
        return "<BR/>".join(lines)
    # In Graphviz a line's justification is set by the break that ends it.
    return "".join(f'{line}<BR ALIGN="{align}"/>' for line in lines)


def _escape(line: str) -> str:
    if not line:
        return " "  # a space keeps the height of a blank line the writer put in
    # Graphviz expands escapes such as \N (the node's name) even in HTML-like labels, after
    # decoding entities; a doubled backslash is the only way to draw one as written.
    return html.escape(line, quote=True).replace("\\", "\\\\")
