"""Choosing among several translations of one sentence: the one most like the others.

Minimum Bayes risk selection: each candidate is scored by its average character
n-gram F-score (chrF) against the other candidates, and the highest wins. Where
independent systems agree, they are more often right; a word one system got
wrong and the others did not costs it agreement. The first candidate wins ties.
"""
from __future__ import annotations

from collections import Counter
from typing import Sequence

NGRAM_ORDER = 6  # as chrF (Popović 2015) and sacreBLEU's default
BETA = 2.0  # recall weighs twice as much as precision, as in chrF


def _ngrams(text: str) -> list[Counter]:
    """Character n-gram counts of orders 1..NGRAM_ORDER, whitespace removed (as chrF)."""
    chars = "".join(text.split())
    return [Counter(chars[i:i + n] for i in range(len(chars) - n + 1)) for n in range(1, NGRAM_ORDER + 1)]


def _f_score(hypothesis: list[Counter], reference: list[Counter]) -> float:
    """chrF of two n-gram profiles: F-beta of n-gram precision and recall averaged over the orders."""
    precisions, recalls = [], []
    for hyp, ref in zip(hypothesis, reference):
        if not hyp or not ref:
            continue
        common = sum((hyp & ref).values())
        precisions.append(common / sum(hyp.values()))
        recalls.append(common / sum(ref.values()))
    if not precisions:
        return 0.0
    precision, recall = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    if not precision and not recall:
        return 0.0
    return (1 + BETA ** 2) * precision * recall / (BETA ** 2 * precision + recall)


def chrf(hypothesis: str, reference: str) -> float:
    """Sentence chrF (0-1) of `hypothesis` against `reference`."""
    return _f_score(_ngrams(hypothesis), _ngrams(reference))


def most_agreed(candidates: Sequence[str]) -> int:
    """Index of the candidate with the highest average chrF against the other candidates."""
    if len(candidates) < 3:
        return 0  # with two, agreement is symmetric: keep the first
    profiles = [_ngrams(candidate) for candidate in candidates]
    scores = [sum(_f_score(profiles[a], profiles[b]) for b in range(len(profiles)) if b != a)
              for a in range(len(profiles))]
    return max(range(len(scores)), key=lambda a: (scores[a], -a))
