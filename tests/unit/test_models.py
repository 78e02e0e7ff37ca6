from __future__ import annotations

import pytest
import torch
from torch import nn

from looplab.models import SimpleMLP, count_parameters


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
