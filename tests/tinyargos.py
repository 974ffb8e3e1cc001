"""Build a tiny but genuine English-to-Spanish Argos Translate package, offline, in well under a second.

The package is real in every part argostranslate and CTranslate2 look at: a
SentencePiece model trained here, a CTranslate2 Transformer with seeded random
weights, and a ``metadata.json``, zipped as ``.argosmodel`` with one top-level
folder. Its translations are meaningless text, so tests assert on what the
pipeline guarantees, never on the words.

Also runnable: ``python tests/tinyargos.py OUT.argosmodel``.
"""
from __future__ import annotations

import io
import json
import random
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

MODEL_WIDTH = 32
FEED_FORWARD = 64
VOCAB_PIECES = 128
EOS_BIAS = 4.0  # a head start for </s> so outputs stay short

_ENGLISH = ("the people of Lima marched through the streets and chanted against the government "
            "police protesters president congress elections water land students workers said "
            "on Monday thousands of women farmers from Puno and Cusco arrived in the capital").split()
_SPANISH = ("la gente de Lima marchó por las calles y coreó contra el gobierno policía "
            "manifestantes presidenta congreso elecciones agua tierra estudiantes trabajadores "
            "dijo el lunes miles de mujeres campesinas llegaron a la capital ¡Que se vayan todos! "
            "año niño acción según también está más así aquí después ¿qué? Perú").split()


def training_lines(count: int = 400, seed: int = 7) -> list[str]:
    """Seeded English and Spanish lines to train the tokenizer on."""
    rng = random.Random(seed)
    lines = []
    for i in range(count):
        words = _ENGLISH if i % 2 else _SPANISH
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(4, 14)))
        lines.append(sentence[0].upper() + sentence[1:] + rng.choice([".", "!", "?", ",", ":", ";", "\""]))
    lines.append("0123456789 «» “” ‘’ ' ( ) [ ] — - – / % & $ € @ # + = * ÁÉÍÓÚÑÜ áéíóúñü ¡¿")
    return lines


def train_sentencepiece(path: Path, seed: int = 7) -> list[str]:
    """Train a tiny SentencePiece model at `path`; returns its pieces in id order."""
    import sentencepiece as spm

    buffer = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(training_lines(seed=seed)), model_writer=buffer,
        vocab_size=VOCAB_PIECES, hard_vocab_limit=False, character_coverage=1.0,
        model_type="unigram", minloglevel=2, num_threads=1)
    path.write_bytes(buffer.getvalue())
    processor = spm.SentencePieceProcessor(model_file=str(path))
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _random_transformer(pieces: list[str], seed: int):
    """A 1-layer, 2-head Transformer spec with seeded random weights over `pieces`."""
    from ctranslate2.specs import TransformerSpec, model_spec

    spec = TransformerSpec.from_config(1, 2, pre_norm=True)
    rng = np.random.default_rng(seed)
    vocab, width, ff = len(pieces), MODEL_WIDTH, FEED_FORWARD

    def shape_of(name: str) -> tuple[int, ...]:
        if name.endswith(("gamma", "beta")):
            return (width,)
        if "embeddings" in name or "projection" in name:
            return (vocab, width)
        if "ffn/linear_0" in name:
            return (ff, width)
        if "ffn/linear_1" in name:
            return (width, ff)
        if "self_attention/linear_0" in name:  # fused query, key, value
            return (3 * width, width)
        if "/attention/linear_1" in name:  # fused key, value over the encoder output
            return (2 * width, width)
        return (width, width)

    def fill(layer, name: str, value) -> None:
        if value is not None:
            return
        attr = name.rsplit("/", 1)[-1]
        if attr == "gamma":
            array = np.ones(shape_of(name), dtype=np.float32)
        elif attr == "beta":
            array = np.zeros(shape_of(name), dtype=np.float32)
        else:
            array = rng.normal(0.0, 0.3, shape_of(name)).astype(np.float32)
        setattr(layer, attr, array)

    model_spec.visit_spec(spec, fill)
    bias = np.zeros(vocab, dtype=np.float32)
    bias[pieces.index("</s>")] = EOS_BIAS
    spec.decoder.projection.bias = bias
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    return spec


def convert_model(pieces: list[str], output_dir: Path, seed: int = 7) -> Path:
    """Write a CTranslate2 model of random weights over `pieces` to `output_dir`."""
    from ctranslate2.converters import Converter

    class RandomTransformerConverter(Converter):
        def _load(self):
            return _random_transformer(pieces, seed)

    RandomTransformerConverter().convert(str(output_dir), quantization="float32", force=True)
    return output_dir


def metadata(from_code: str = "en", to_code: str = "es", version: str = "0.1") -> dict:
    """The package's metadata.json content."""
    names = {"en": "English", "es": "Spanish"}
    return {"package_version": version, "argos_version": "1.11", "from_code": from_code,
            "from_name": names.get(from_code, from_code), "to_code": to_code,
            "to_name": names.get(to_code, to_code), "type": "translate", "links": []}


def build_package(out: Path, seed: int = 7, from_code: str = "en", to_code: str = "es") -> Path:
    """Build the tiny model and zip it as the `.argosmodel` file `out`; returns `out`."""
    folder_name = f"translate-{from_code}_{to_code}-tiny"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / folder_name
        root.mkdir()
        pieces = train_sentencepiece(root / "sentencepiece.model", seed)
        convert_model(pieces, root / "model", seed)
        (root / "metadata.json").write_text(json.dumps(metadata(from_code, to_code), indent=2))
        (root / "README.md").write_text("Tiny random model for tests: its output is meaningless.\n")
        out.parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(root.rglob("*")):
                archive.write(path, path.relative_to(Path(tmp)).as_posix())
    return out


def isolated_env(root: Path) -> dict[str, str]:
    """Environment variables that keep argostranslate's folders (home, XDG, packages) under `root`."""
    env = {"HOME": root / "home", "XDG_DATA_HOME": root / "data", "XDG_CONFIG_HOME": root / "config",
           "XDG_CACHE_HOME": root / "cache", "ARGOS_PACKAGES_DIR": root / "packages"}
    for folder in env.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {key: str(value) for key, value in env.items()}


if __name__ == "__main__":
    print(build_package(Path(sys.argv[1] if len(sys.argv) > 1 else "tiny-en_es.argosmodel")))
