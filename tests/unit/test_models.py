from __future__ import annotations

import pytest
import torch
from torch import nn

from looplab.models import SimpleMLP, count_parameters, tiny_mlp


def test_simple_mlp_has_483_parameters() -> None:
    model = SimpleMLP()
    assert count_parameters(model) == 483
    widths = [layer.out_features for layer in model.net if isinstance(layer, nn.Linear)]
    assert widths == [16, 16, 8, 3]
    assert model(torch.zeros(5, 2)).shape == (5, 3)


def test_simple_mlp_other_sizes() -> None:
    model = SimpleMLP(input_dim=3, hidden_dim=4, num_classes=2)
    assert count_parameters(model) == (3 * 4 + 4) + (4 * 4 + 4) + (4 * 2 + 2) + (2 * 2 + 2)


def test_count_parameters_trainable_only() -> None:
    model = nn.Linear(3, 2)
    model.bias.requires_grad_(False)
    assert count_parameters(model) == 6
    assert count_parameters(model, trainable_only=False) == 8


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"hidden_dim": 1}, ValueError, "hidden_dim must be >= 2"),
        ({"num_classes": 1}, ValueError, "num_classes must be >= 2"),
        ({"input_dim": 2.0}, TypeError, "input_dim must be an int"),
    ],
)
def test_simple_mlp_rejects_bad_sizes(
    kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        SimpleMLP(**kwargs)  # type: ignore[arg-type]


def test_count_parameters_rejects_non_module() -> None:
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        count_parameters([torch.zeros(3)])  # type: ignore[arg-type]


def test_tiny_mlp_shape_and_parameter_count() -> None:
    model = tiny_mlp(3)
    assert count_parameters(model) == 21
    assert count_parameters(tiny_mlp(5)) == 33  # the PCPT reference answer
    assert [layer.out_features for layer in model if isinstance(layer, nn.Linear)] == [3, 3]
    assert isinstance(model[1], nn.ReLU)
    assert model(torch.zeros(4, 2)).shape == (4, 3)
    other = tiny_mlp(4, input_dim=3, num_classes=2)
    assert count_parameters(other) == (3 + 1) * 4 + (4 + 1) * 2
    assert other(torch.zeros(1, 3)).shape == (1, 2)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        ((0,), {}, ValueError, "hidden_dim must be >= 1"),
        ((2,), {"input_dim": 0}, ValueError, "input_dim must be >= 1"),
        ((2,), {"num_classes": 1}, ValueError, "num_classes must be >= 2"),
        ((2.0,), {}, TypeError, "hidden_dim must be an int"),
    ],
)
def test_tiny_mlp_rejects_bad_sizes(
    args: tuple[object, ...], kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        tiny_mlp(*args, **kwargs)  # type: ignore[arg-type]
