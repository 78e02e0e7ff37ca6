"""looplab: the small companion package of *Learn the Training Loop with PyTorch*.

Lessons import it for what they need again and again: seeding, synthetic
datasets, the reference models, the training loop with early stopping and
schedulers, learning-rate schedules and the course's figures. Each public
function names, in its docstring, the lesson that introduces it.

The package never prints unless asked and never downloads anything.
"""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
