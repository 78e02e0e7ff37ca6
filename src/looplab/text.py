"""Text for character-level language models: the course's texts, a vocabulary, next-character windows.

The package ships short English texts written for the course (``looplab/texts/*.txt``,
plain ASCII); :func:`load_text` reads one with ``importlib.resources``, so
nothing is downloaded. :class:`CharVocab` maps each character to an integer and
back, and :func:`next_char_windows` cuts a sequence of integers into
(context window, next character) pairs, the examples a next-character model
learns from. Introduced in lesson 3.8
(:doc:`/book/module3/3-8-training-in-practice`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from importlib import resources

import torch
from torch import Tensor

from looplab._checks import check_int

__all__ = ["CharVocab", "available_texts", "load_text", "next_char_windows"]


def available_texts() -> list[str]:
    """The names of the texts shipped with looplab, sorted (``"training_loop"``, ...).

    Introduced in lesson 3.8.
    """
    folder = resources.files("looplab").joinpath("texts")
    return sorted(entry.name[: -len(".txt")] for entry in folder.iterdir() if entry.name.endswith(".txt"))


def load_text(name: str = "training_loop") -> str:
    """Return one of the course's texts, read from the installed package.

    ``"training_loop"`` is about 6 KB of lower-case English prose about training
    loops, written for the course; its characters are the 26 letters, space,
    comma, full stop and newline. Introduced in lesson 3.8.

    Args:
        name: the text's name, one of :func:`available_texts`.

    Returns:
        The whole text as a ``str``.

    Raises:
        TypeError: if ``name`` is not a ``str``.
        ValueError: if no text of that name ships with looplab.
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, got {type(name).__name__}")
    names = available_texts()
    if name not in names:
        raise ValueError(f"name must be one of {names}, got {name!r}")
    return resources.files("looplab").joinpath("texts", f"{name}.txt").read_text(encoding="ascii")


class CharVocab:
    """A character vocabulary: each distinct character gets an integer id.

    The ids follow the sorted order of the characters, so the same text always
    gives the same vocabulary. Introduced in lesson 3.8.

    Args:
        chars: the characters of the vocabulary, each a one-character ``str``,
            all distinct; build it from a text with :meth:`from_text`.

    Raises:
        TypeError: if ``chars`` holds something other than one-character strings.
        ValueError: if ``chars`` is empty or holds a character twice.
    """

    def __init__(self, chars: Iterable[str]) -> None:
        chars = list(chars)
        for char in chars:
            if not isinstance(char, str) or len(char) != 1:
                raise TypeError(f"chars must hold one-character strings, got {char!r}")
        if not chars:
            raise ValueError("chars must not be empty")
        if len(set(chars)) != len(chars):
            raise ValueError("chars must not hold a character twice")
        self.chars: list[str] = sorted(chars)
        self._ids: dict[str, int] = {char: i for i, char in enumerate(self.chars)}

    @classmethod
    def from_text(cls, text: str) -> CharVocab:
        """The vocabulary of every distinct character in ``text``.

        Raises:
            TypeError: if ``text`` is not a ``str``.
            ValueError: if ``text`` is empty.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        if not text:
            raise ValueError("text must not be empty")
        return cls(set(text))

    def __len__(self) -> int:
        """The number of characters, the vocabulary size V."""
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab({''.join(self.chars)!r})"

    def encode(self, text: str) -> Tensor:
        """The ids of the characters of ``text``, as a 1-D ``int64`` tensor.

        Raises:
            TypeError: if ``text`` is not a ``str``.
            ValueError: if ``text`` holds a character outside the vocabulary.
        """
        if not isinstance(text, str):
            raise TypeError(f"text must be a str, got {type(text).__name__}")
        unknown = sorted(set(text) - self._ids.keys())
        if unknown:
            raise ValueError(f"text holds characters outside the vocabulary: {unknown}")
        return torch.tensor([self._ids[char] for char in text], dtype=torch.int64)

    def decode(self, ids: Tensor | Sequence[int]) -> str:
        """The text whose character ids are ``ids`` (a 1-D integer tensor or a sequence of ints).

        Raises:
            TypeError: if ``ids`` is not a 1-D integer tensor or a sequence of ints.
            ValueError: if an id is outside ``[0, len(self))``.
        """
        if isinstance(ids, Tensor):
            if (
                ids.dim() != 1
                or ids.dtype.is_floating_point
                or ids.dtype.is_complex
                or ids.dtype == torch.bool
            ):
                raise TypeError(
                    f"ids must be a 1-D integer tensor, got dtype {ids.dtype} and shape {list(ids.shape)}"
                )
            values = [int(i) for i in ids.tolist()]
        elif isinstance(ids, Sequence) and not isinstance(ids, str):
            values = [check_int(f"ids[{k}]", i) for k, i in enumerate(ids)]
        else:
            raise TypeError(
                f"ids must be a 1-D integer tensor or a sequence of ints, got {type(ids).__name__}"
            )
        for i in values:
            if not 0 <= i < len(self.chars):
                raise ValueError(f"ids must lie in [0, {len(self.chars)}), got {i}")
        return "".join(self.chars[i] for i in values)


def next_char_windows(ids: Tensor, context: int) -> tuple[Tensor, Tensor]:
    """Every (context window, next character) pair of a sequence of character ids.

    Row ``i`` of the inputs is ``ids[i : i + context]`` and target ``i`` is
    ``ids[i + context]``: the model reads ``context`` characters and learns
    the one that follows. A sequence of length ``n`` gives ``n - context``
    pairs; the windows overlap and are views of ``ids`` (no copy). Introduced in
    lesson 3.8.

    Args:
        ids: a 1-D ``int64`` tensor of character ids (:meth:`CharVocab.encode`).
        context: the window length, ``>= 1`` and less than ``len(ids)``.

    Returns:
        ``(inputs, targets)`` of shapes ``(n - context, context)`` and ``(n - context,)``.

    Raises:
        TypeError: if ``ids`` is not a 1-D ``int64`` tensor or ``context`` not an int.
        ValueError: if ``context < 1`` or ``context >= len(ids)``.
    """
    if not isinstance(ids, Tensor) or ids.dtype != torch.int64 or ids.dim() != 1:
        raise TypeError("ids must be a 1-D torch.int64 tensor")
    context = check_int("context", context, minimum=1)
    if context >= ids.numel():
        raise ValueError(f"context must be < len(ids)={ids.numel()}, got {context}")
    inputs = ids.unfold(0, context, 1)[:-1]
    targets = ids[context:]
    return inputs, targets
