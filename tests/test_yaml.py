"""`_yaml.load` reads exactly what PyYAML's safe loader reads, or steps aside for it."""

from __future__ import annotations

import math
import random
from pathlib import Path
from typing import Any

import pytest
import yaml
from vcr.serializers import yamlserializer

from pytest_signcheck._resources import data_dir
from pytest_signcheck.traffic import _yaml
from pytest_signcheck.traffic.cassettes import load_cassette

SAFE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: Plain scalars the safe loader resolves to something other than a string, or nearly does.
TRICKY = [
    "", "~", "null", "Null", "NULL", "yes", "No", "ON", "off", "true", "False", "y", "n",
    "0", "-0", "+1", "017", "0o17", "0x1F", "0b101", "1_000", "1:20", "190:20:30", "1e3", "1.5e-3",
    "6.8523015e+5", ".inf", "-.Inf", ".nan", ".NaN", "2025-06-01", "2025-06-01T10:00:00Z",
    "2001-12-14 21:59:43.10 -5", "12:30", "-", "a: b", "#", "- x", "'quoted'", '"dq"', "1.0.0",
    "0.", "._", "<<", "=", "! x", "& x", "* x", "%x", "@x", "`x", "|", ">", "?", "{a}", "[1]",
    "tab\there", "line\nbreak", "trailing ", " leading", "ünïcödé", "emoji 🙂", "\x85nel", "\u2028ls",
    '{"json": [1, 2, {"x": null}]}', "http://127.0.0.1:8080/api/v1/packages/list",
]  # fmt: skip


def same(a: Any, b: Any) -> bool:
    """Equality that also holds for NaN and tells 1, 1.0 and True apart."""
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def expect_same(text: str) -> bool:
    """The fast reader agrees with the safe loader, or steps aside for a reason; whether it read."""
    try:
        found = _yaml.load(text)
    except _yaml.Unsupported:
        assert any(reason in text for reason in ("!", "<<", "=")), text  # tags, merge or value keys
        return False
    assert same(found, yaml.load(text, Loader=SAFE)), text
    return True


def random_value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 4 and roll < 0.3:
        return {random_key(rng): random_value(rng, depth + 1) for _ in range(rng.randrange(5))}
    if depth < 4 and roll < 0.45:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(5))]
    scalars = [
        rng.choice(TRICKY),
        rng.randrange(-(10**12), 10**12),
        rng.uniform(-1e6, 1e6),
        rng.choice([True, False, None]),
        "".join(rng.choice("ab :#-'\"\\\n\t{}[],&*!|>%@`") for _ in range(rng.randrange(12))),
        "x" * rng.randrange(60, 300),
    ]
    return rng.choice(scalars)


def random_key(rng: random.Random) -> Any:
    return rng.choice([rng.choice(TRICKY), rng.randrange(100), True, None, f"key{rng.randrange(9)}", 1.5])


STYLES: list[dict[str, Any]] = [
    {},
    {"default_flow_style": True},
    {"default_flow_style": None, "width": 20},
    {"default_style": '"'},
    {"default_style": "'"},
    {"allow_unicode": True, "width": 40},
    {"canonical": True},
]


@pytest.mark.parametrize("style", range(len(STYLES)))
def test_random_documents_read_the_same_as_the_safe_loader(style: int) -> None:
    rng = random.Random(style)
    read = sum(expect_same(yaml.safe_dump(random_value(rng), **STYLES[style])) for _ in range(300))
    if "default_style" not in STYLES[style] and "canonical" not in STYLES[style]:
        assert read > 250  # (quoted and canonical styles tag every non-string)


@pytest.mark.parametrize("text", TRICKY)
def test_every_tricky_scalar_resolves_as_the_safe_loader_does(text: str) -> None:
    assert expect_same(yaml.safe_dump({"k": text, text: [text]}))
    for document in (f"k: {text}\n", f"- {text}\n", f"{text}: v\n"):
        try:
            yaml.load(document, Loader=SAFE)
        except yaml.YAMLError:  # e.g. a flow mapping as a key: the fast reader may step aside
            with pytest.raises((yaml.YAMLError, _yaml.Unsupported)):
                _yaml.load(document)
        else:
            expect_same(document)


@pytest.mark.parametrize("name", sorted(path.name for path in (data_dir("cassettes")).glob("*.yaml")))
def test_shipped_cassettes_read_the_same(name: str) -> None:
    assert expect_same((data_dir("cassettes") / name).read_text(encoding="utf-8"))


def test_an_empty_stream_is_none() -> None:
    assert _yaml.load("") is None
    assert _yaml.load("# only a comment\n") is None


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # anchor and alias
        "a: !!binary aGVsbG8=\n",  # explicit tags
        "a: !!python/tuple [1, 2]\n",
        "a: !!str 1\n",
        "a: ! 1\n",
        "!!map {a: 1}\n",
        "base: &b {x: 1}\nderived:\n  <<: *b\n",  # merge key
        "<<: {x: 1}\n",
        "? [1, 2]\n: v\n",  # a sequence as a key
        "? {a: 1}\n: v\n",
        "a: 1\n---\nb: 2\n",  # a second document
        "a: 2001-13-45\nb: [\n",  # a plain scalar its constructor refuses: the full loader reports
    ],
)
def test_yaml_beyond_the_plain_subset_is_left_to_the_full_loader(text: str) -> None:
    with pytest.raises(_yaml.Unsupported):
        _yaml.load(text)


@pytest.mark.parametrize("text", ["a: [1, 2\n", "a: 'open\n", "- a\nb: c\n", "a:\n\t- b\n", "{a: 1}}"])
def test_malformed_yaml_raises_the_parsers_own_error(text: str) -> None:
    with pytest.raises(yaml.YAMLError) as full:
        yaml.load(text, Loader=SAFE)
    with pytest.raises(yaml.YAMLError) as fast:
        _yaml.load(text)
    assert type(fast.value) is type(full.value)
    assert str(fast.value) == str(full.value)


def test_a_cassette_with_tags_loads_through_vcrpys_loader(tmp_path: Path) -> None:
    """A body vcrpy stored as !!binary (not UTF-8) still loads: the full loader takes over."""
    cassette = {
        "interactions": [
            {
                "request": {
                    "body": None,
                    "headers": {"accept": ["*/*"]},
                    "method": "GET",
                    "uri": "http://127.0.0.1:8080/api/v1/packages/p-1/status",
                },
                "response": {
                    "body": {"string": b"\xff\xfe not utf-8"},
                    "headers": {"content-type": ["application/octet-stream"]},
                    "status": {"code": 200, "message": "OK"},
                },
            }
        ],
        "version": 1,
    }
    text = yamlserializer.serialize(cassette)
    assert "!!binary" in text
    with pytest.raises(_yaml.Unsupported):
        _yaml.load(text)
    path = tmp_path / "binary.yaml"
    path.write_text(text, encoding="utf-8")
    (interaction,) = load_cassette(path).interactions
    assert interaction.body == b"\xff\xfe not utf-8"
    assert interaction.status == 200
