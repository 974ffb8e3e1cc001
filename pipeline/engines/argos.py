"""The Argos Translate engine: an installed English-to-Spanish package, run in batches.

Segments arrive already split into sentences by the pipeline's segmenter, so
argostranslate's sentence splitters (MiniSBD, Stanza, spaCy: each wants a
download) are not used. The package's own tokenizer (argostranslate's
SentencePiece/BPE wrapper) and its CTranslate2 model translate all segments of a
call in one ``Translator.translate_batch``, with argostranslate's decoding options.

Protected spans are masked as placeholder tokens outside the vocabulary: the
model sees ``<unk>`` there, and CTranslate2's ``replace_unknowns`` copies the
placeholder back into the output, where the span's text replaces it. A segment
whose placeholders do not come back exactly once each is translated again piece
by piece (the unprotected pieces alone) and rejoined around its spans.

argostranslate, ctranslate2 and sentencepiece are imported only when a model loads.
"""
from __future__ import annotations

import importlib.util
import os
import re
from typing import Any, Sequence

from ..config import EngineSettings
from ..errors import EngineError
from ..model import SOURCE_LANG, TARGET_LANG, Span
from ..spans import translate_around
from . import argos_models
from .base import Engine

SPACE_MARK = "\u2581"  # SentencePiece's word-start mark
_PLACEHOLDER = re.compile(SPACE_MARK + r"?⟦(\d+)⟧")
LENGTH_PENALTY = 0.2  # as argostranslate decodes


class ArgosEngine(Engine):
    """English to Spanish with the installed Argos Translate package."""

    name = "argos"
    unavailable = ("no English-to-Spanish Argos model is installed: pipeline models install en es "
                   "(or pipeline models install --file MODEL.argosmodel offline)")

    def __init__(self, settings: EngineSettings = EngineSettings(), model: argos_models.ModelInfo | None = None):
        """`model`: the package to use (default: the newest installed English-to-Spanish one)."""
        found = model or argos_models.find_model(SOURCE_LANG, TARGET_LANG)
        if found is None:
            raise EngineError(f"no English-to-Spanish Argos model is installed in {argos_models.packages_dir()}: "
                              "pipeline models install en es (or --file MODEL.argosmodel offline)")
        self.model: argos_models.ModelInfo = found
        self.beam_size = settings.argos_beam_size
        self.batch_size = settings.argos_batch_size
        self.threads = settings.argos_threads or os.cpu_count() or 1  # 0: one per core
        # argostranslate's Package and CTranslate2's Translator, loaded on first use (untyped libraries)
        self._package: Any = None
        self._translator: Any = None
        self._sentencepiece = False

    @classmethod
    def available(cls, settings: EngineSettings = EngineSettings()) -> bool:
        """True when argostranslate and an English-to-Spanish package are installed (imports neither)."""
        try:
            if not all(importlib.util.find_spec(name) for name in ("argostranslate", "ctranslate2")):
                return False
            return argos_models.find_model(SOURCE_LANG, TARGET_LANG) is not None
        except Exception:  # a broken packages folder means "not available", never a crash
            return False

    @property
    def version(self) -> str:
        """The model's language pair and package version, and the beam size (which changes the output)."""
        return f"{self.model.pair} {self.model.version} beam {self.beam_size}"

    def load(self) -> None:
        """Load the package's tokenizer and CTranslate2 model, once per engine."""
        if self._translator is not None:
            return
        import ctranslate2
        from argostranslate import settings as argos_settings
        from argostranslate.package import Package
        from argostranslate.tokenizer import SentencePieceTokenizer

        path = self.model.path
        if path is None:  # an index entry, not an installed package
            raise EngineError(f"the Argos model {self.model.pair} {self.model.version} is not installed")
        try:
            self._package = Package(path)
            self._translator = ctranslate2.Translator(
                str(path / "model"), device=argos_settings.device,
                compute_type=argos_settings.compute_type, inter_threads=1, intra_threads=self.threads)
        except (OSError, RuntimeError, ValueError) as exc:
            raise EngineError(f"cannot load the Argos model ({exc})", self.model.path) from None
        self._sentencepiece = isinstance(self._package.tokenizer, SentencePieceTokenizer)

    def translate_batch(self, segments: Sequence[Sequence[Span]]) -> list[str]:
        """One translation per segment; protected spans come out as their `output`."""
        if not segments:
            return []
        self.load()
        masked = self._mask(segments)
        outputs = self.translate_tokens([tokens for tokens, _ in masked])
        results = self._unmask(outputs, [kept for _, kept in masked])
        failed = [i for i, text in enumerate(results) if text is None]
        around = dict(zip(failed, self._translate_around([segments[i] for i in failed]))) if failed else {}
        return [around[i] if text is None else text for i, text in enumerate(results)]

    def translate_tokens(self, batch: list[list[str]]) -> list[list[str]]:
        """Best hypothesis tokens for each tokenized source, with argostranslate's decoding options.

        Goes under argostranslate's `translate()`, which splits sentences again and calls
        the model once per paragraph; here one call takes every segment.
        """
        self.load()
        jobs = [i for i, tokens in enumerate(batch) if tokens]
        prefix = self._package.target_prefix
        results = self._translator.translate_batch(
            [batch[i] for i in jobs], target_prefix=[[prefix]] * len(jobs) if prefix else None,
            replace_unknowns=True, beam_size=self.beam_size, num_hypotheses=1, length_penalty=LENGTH_PENALTY,
            max_batch_size=self.batch_size, batch_type="examples") if jobs else []
        out: list[list[str]] = [[] for _ in batch]
        for i, result in zip(jobs, results):
            tokens = result.hypotheses[0]
            out[i] = tokens[1:] if prefix and tokens[:1] == [prefix] else tokens
        return out

    def _encode(self, texts: list[str]) -> list[list[str]]:
        """Tokens of each text, with the package's tokenizer.

        SentencePiece packages: one call for the whole list (argostranslate's wrapper
        encodes one sentence per call).
        """
        if self._sentencepiece:
            return self._package.tokenizer.lazy_processor().encode(texts, out_type=str) if texts else []
        return [self._package.tokenizer.encode(text) for text in texts]

    def _mask(self, segments: Sequence[Sequence[Span]]) -> list[tuple[list[str], list[Span]]]:
        """Per segment: source tokens with one placeholder per protected span, and those spans in order."""
        plans: list[list] = []  # per segment: placeholder tokens, and indexes of texts to encode
        texts: list[str] = []
        glued: list[bool] = []
        for spans in segments:
            if len(spans) == 1 and not spans[0].protected:  # the common case: nothing to mask
                plans.append([len(texts)] if spans[0].text.strip() else [])
                texts.append(spans[0].text.strip())
                glued.append(False)
                continue
            if not self._sentencepiece and any(s.protected for s in spans):
                plans.append([])  # BPE packages: no safe placeholder; translated around the spans
                continue
            plan: list[str | int] = []  # a placeholder token, or the index of a text to encode
            before, kept = "", 0
            for span in spans:
                if span.protected:
                    mark = SPACE_MARK if not before.strip() or before[-1:].isspace() else ""
                    plan.append(f"{mark}⟦{kept}⟧")
                    kept += 1
                elif span.text.strip():
                    plan.append(len(texts))
                    texts.append(span.text.strip())
                    glued.append(kept > 0 and not span.text[0].isspace() and not before[-1:].isspace())
                before += span.text
            plans.append(plan)
        encoded = self._encode(texts)
        for i, tokens in enumerate(encoded):
            if glued[i] and tokens and tokens[0].startswith(SPACE_MARK):  # no word start right after a span
                tokens[0] = tokens[0][1:]
                if not tokens[0]:
                    tokens.pop(0)
        masked = []
        for spans, plan in zip(segments, plans):
            tokens = []
            for item in plan:
                tokens += encoded[item] if isinstance(item, int) else [item]
            masked.append((tokens, [s for s in spans if s.protected] if plan else list(spans)))
        return masked

    def _decode(self, runs: list[list[str]]) -> list[str]:
        """Text of each token run (SentencePiece packages: one call for all runs)."""
        if not self._sentencepiece:
            return [self._package.tokenizer.decode(run).strip() for run in runs]
        texts = self._package.tokenizer.lazy_processor().decode(runs) if runs else []
        return [text.replace(SPACE_MARK, " ").strip() for text in texts]

    def _unmask(self, outputs: list[list[str]], kept: list[list[Span]]) -> list[str | None]:
        """Each translation with its placeholders replaced by their spans; None unless each came back once."""
        layouts: list[list[int | tuple[bool, int]] | None] = []  # per output: placeholder numbers and indexes of runs to decode
        runs: list[list[str]] = []
        for tokens, spans in zip(outputs, kept):
            if not spans:  # no placeholder went in, so none can come out
                layouts.append([len(runs)] if tokens else None)
                if tokens:
                    runs.append(tokens)
                continue
            layout: list[int | tuple[bool, int]] = []  # a run to decode, or (space before, placeholder number)
            run: list[str] = []
            found: list[int] = []
            for token in tokens:
                match = _PLACEHOLDER.fullmatch(token) if "⟧" in token else None
                if match is None:
                    run.append(token)
                    continue
                if run:
                    layout.append(len(runs))
                    runs.append(run)
                    run = []
                found.append(int(match.group(1)))
                layout.append((token.startswith(SPACE_MARK), found[-1]))
            if run:
                layout.append(len(runs))
                runs.append(run)
            ok = tokens and sorted(found) == list(range(len(spans)))
            layouts.append(layout if ok else None)
        texts = self._decode(runs)
        results: list[str | None] = []
        for placed, spans in zip(layouts, kept):
            if placed is None:
                results.append(None)
                continue
            parts: list[str] = []
            for item in placed:
                if isinstance(item, int):
                    space = " " if parts and runs[item][0].startswith(SPACE_MARK) else ""
                    parts.append(space + texts[item])
                else:
                    space = " " if parts and item[0] else ""
                    parts.append(space + spans[item[1]].output)
            results.append("".join(parts).strip() or None)
        return results

    def _translate_around(self, segments: list[Sequence[Span]]) -> list[str]:
        """Translate each segment's unprotected pieces alone, in one batch, and rejoin them around its spans."""
        return [text.strip() for text in translate_around(segments, self._translate_texts)]

    def _translate_texts(self, texts: list[str]) -> list[str]:
        """Plain texts translated in one batch; a text the model returns nothing for stays as it was."""
        outputs = self.translate_tokens(self._encode(texts))
        decoded = iter(self._decode([tokens for tokens in outputs if tokens]))
        return [next(decoded) if tokens else text for text, tokens in zip(texts, outputs)]
