"""Fixes to the translated text, once it is out of the pipe (the OUTPUT steps of :mod:`.steps`).

The engine runs them on each segment's text with the kept spans masked, so a kept
span is never touched. Two are Spanish conventions the pair leaves in English:
thousands separators ("17,500" -> "17 500") and double quotes ("..." -> «...»);
one puts right what the post-generator misses. Dates are not the engine's: the
dates stage hands them over as kept text.
"""
from __future__ import annotations

import re

# Spanish (RAE, Ortografía 2010) writes numbers of up to four digits without a separator ("1400")
# and groups longer ones in threes with a space ("17 500"); a no-break space keeps them together.
UNGROUPED_DIGITS = 4
_GROUP_SEPARATOR = "\u00a0"


def postgeneration(text: str) -> str:
    """What the post-generator misses or mangles: "EL agua" -> "El agua" (turning a capitalised
    "La agua" into "El agua" it writes the word in capitals), and "de el" / "a el" -> "del" / "al"
    where the article came from text it never saw joined ("más allá de" + "el día")."""
    text = re.sub(r"\b(E|A|DE)L(?= [a-záéíóúñü])", lambda m: m.group(1).capitalize() + "l", text)
    return re.sub(r"\b([Dd]e|[Aa]) el(?= [a-záéíóúñü])", r"\1l", text)


def spanish_thousands(text: str) -> str:
    """English thousands separators as in Spanish: "1,400" -> "1400", "17,500" -> "17 500" (no-break space)."""
    def regroup(match: re.Match) -> str:
        digits = match.group().replace(",", "")
        if len(digits) <= UNGROUPED_DIGITS:
            return digits
        groups = [digits[max(0, end - 3):end] for end in range(len(digits), 0, -3)]
        return _GROUP_SEPARATOR.join(reversed(groups))
    return re.sub(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d]|[.,]\d)", regroup, text)


def spanish_quotes(text: str) -> str:
    """Paired double quotes, straight or curly, as Spanish angle quotes: "no" -> «no».

    Unpaired straight quotes stay, and so do all of them in text with markup-like attributes (id="s0").
    """
    text = re.sub(r"“([^“”]*)”", r"«\1»", text)
    if text.count('"') % 2 == 0 and '="' not in text:
        text = re.sub(r'"([^"]*)"', r"«\1»", text)
    return text
