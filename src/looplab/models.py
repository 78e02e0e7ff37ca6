"""The reference models lessons share, and parameter counting."""

from __future__ import annotations

from torch import Tensor, nn

from looplab._checks import check_int

__all__ = ["SimpleMLP", "count_parameters", "tiny_mlp"]


class SimpleMLP(nn.Module):
    """A small multilayer perceptron for 2-D classification: ``input -> h -> h -> h/2 -> classes``.

    With the defaults (``2 -> 16 -> 16 -> 8 -> 3``, ReLU between layers) it has
    483 parameters, enough to carve the lab's 3x3 checkerboard. It returns raw
    scores (logits); pair it with ``nn.CrossEntropyLoss``. Introduced in the lab.

    Args:
        input_dim: number of input features.
        hidden_dim: width of the first two hidden layers; the third has
            ``hidden_dim // 2`` units, so it must be at least 2.
        num_classes: number of output scores.

    Raises:
        TypeError: if an argument is not an int.
        ValueError: if ``input_dim < 1``, ``hidden_dim < 2`` or ``num_classes < 2``.
    """

    def __init__(self, input_dim: int = 2, hidden_dim: int = 16, num_classes: int = 3) -> None:
        super().__init__()
        input_dim = check_int("input_dim", input_dim, minimum=1)
        hidden_dim = check_int("hidden_dim", hidden_dim, minimum=2)
        num_classes = check_int("num_classes", num_classes, minimum=2)
        self.net = nn.Sequential(
            nn.Linear(input_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim),
            nn.ReLU(),
            nn.Linear(hidden_dim, hidden_dim // 2),
            nn.ReLU(),
            nn.Linear(hidden_dim // 2, num_classes),
        )

    def forward(self, x: Tensor) -> Tensor:
        """Return the class scores (logits) for a batch ``x`` of shape ``(batch, input_dim)``."""
        out: Tensor = self.net(x)
        return out


def tiny_mlp(hidden_dim: int, *, input_dim: int = 2, num_classes: int = 3) -> nn.Sequential:
    """A one-hidden-layer ReLU network ``input_dim -> hidden_dim -> num_classes``.

    It has ``(input_dim + 1) * hidden_dim + (hidden_dim + 1) * num_classes``
    parameters: 21 for three hidden units. It returns raw scores (logits).
    Introduced in the lab (:doc:`/book/lab/training-dynamics`), exercise 1.

    Raises:
        TypeError: if an argument is not an int.
        ValueError: if ``hidden_dim < 1``, ``input_dim < 1`` or ``num_classes < 2``.
    """
    hidden_dim = check_int("hidden_dim", hidden_dim, minimum=1)
    input_dim = check_int("input_dim", input_dim, minimum=1)
    num_classes = check_int("num_classes", num_classes, minimum=2)
    return nn.Sequential(nn.Linear(input_dim, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, num_classes))


def count_parameters(model: nn.Module, *, trainable_only: bool = True) -> int:
    """Count the scalar parameters of ``model``.

    Args:
        model: any ``nn.Module``.
        trainable_only: count only parameters with ``requires_grad=True``.

    Introduced in the lab (:doc:`/book/lab/training-dynamics`).

    Raises:
        TypeError: if ``model`` is not an ``nn.Module``.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return sum(p.numel() for p in model.parameters() if p.requires_grad or not trainable_only)
