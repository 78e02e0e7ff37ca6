"""Tests of looplab.text: the shipped text, the character vocabulary, next-character windows."""

from __future__ import annotations

from typing import Any

import pytest
import torch

from looplab.text import CharVocab, available_texts, load_text, next_char_windows


def test_the_course_text_ships_with_the_package() -> None:
    assert "training_loop" in available_texts()
    text = load_text()
    assert text == load_text("training_loop")
    assert 5_000 <= len(text) <= 8_000
    assert text.isascii()
    assert set(text) <= set("abcdefghijklmnopqrstuvwxyz ,.\n")


def test_load_text_errors() -> None:
    with pytest.raises(TypeError, match="name must be a str"):
        load_text(3)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="name must be one of"):
        load_text("no_such_text")


def test_vocab_round_trip_and_order() -> None:
    text = load_text()
    vocab = CharVocab.from_text(text)
    assert len(vocab) == len(set(text))
    assert vocab.chars == sorted(set(text))
    ids = vocab.encode(text)
    assert ids.dtype == torch.int64 and ids.shape == (len(text),)
    assert vocab.decode(ids) == text
    assert vocab.decode([0, 1]) == "".join(vocab.chars[:2])
    assert CharVocab("cab").chars == ["a", "b", "c"]
    assert repr(CharVocab("ba")) == "CharVocab('ab')"


@pytest.mark.parametrize(
    ("chars", "error", "match"),
    [
        (["ab"], TypeError, "one-character strings"),
        ([1], TypeError, "one-character strings"),
        ([], ValueError, "must not be empty"),
        (["a", "a"], ValueError, "twice"),
    ],
)
def test_vocab_constructor_errors(chars: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        CharVocab(chars)


def test_vocab_from_text_errors() -> None:
    with pytest.raises(TypeError, match="text must be a str"):
        CharVocab.from_text(["a"])  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="text must not be empty"):
        CharVocab.from_text("")


def test_encode_errors() -> None:
    vocab = CharVocab("abc")
    with pytest.raises(TypeError, match="text must be a str"):
        vocab.encode(b"abc")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"outside the vocabulary: \['d', 'z'\]"):
        vocab.encode("abzd")


@pytest.mark.parametrize(
    ("ids", "error", "match"),
    [
        (torch.tensor([0.0, 1.0]), TypeError, "1-D integer tensor"),
        (torch.tensor([[0, 1]]), TypeError, "1-D integer tensor"),
        (torch.tensor([True]), TypeError, "1-D integer tensor"),
        ("ab", TypeError, "sequence of ints"),
        (5, TypeError, "sequence of ints"),
        ([0, 1.5], TypeError, r"ids\[1\] must be an int"),
        ([0, 3], ValueError, r"\[0, 3\)"),
        (torch.tensor([-1]), ValueError, r"\[0, 3\)"),
    ],
)
def test_decode_errors(ids: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        CharVocab("abc").decode(ids)


def test_next_char_windows() -> None:
    ids = torch.arange(10)
    inputs, targets = next_char_windows(ids, 3)
    assert inputs.shape == (7, 3) and targets.shape == (7,)
    assert inputs[0].tolist() == [0, 1, 2] and targets[0].item() == 3
    assert inputs[-1].tolist() == [6, 7, 8] and targets[-1].item() == 9
    for i in range(7):
        assert torch.equal(inputs[i], ids[i : i + 3])
        assert targets[i].item() == ids[i + 3].item()
    one, last = next_char_windows(ids, 9)
    assert one.tolist() == [list(range(9))] and last.tolist() == [9]


@pytest.mark.parametrize(
    ("ids", "context", "error", "match"),
    [
        ([0, 1, 2], 1, TypeError, "1-D torch.int64 tensor"),
        (torch.arange(5, dtype=torch.int32), 1, TypeError, "1-D torch.int64 tensor"),
        (torch.zeros(2, 3, dtype=torch.int64), 1, TypeError, "1-D torch.int64 tensor"),
        (torch.arange(5), 1.0, TypeError, "context must be an int"),
        (torch.arange(5), 0, ValueError, "context must be >= 1"),
        (torch.arange(5), 5, ValueError, r"context must be < len\(ids\)=5"),
    ],
)
def test_next_char_windows_errors(ids: Any, context: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        next_char_windows(ids, context)
