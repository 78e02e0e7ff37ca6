"""Entry points of the PCPT course's Unit 8, gathered from the rest of looplab.

A reader who holds the PCPT notebook on training dynamics can run it against
looplab by changing only its import line::

    from looplab.lab import (generate_checkerboard_dataset, plot_decision_boundary,
                             plot_loss_and_accuracy, plot_boundary_and_loss_lr,
                             exercise_tiny_model, exercise_random_seeds, exercise_schedulers)

Nothing is defined here: each name is the looplab function documented in its
own module (:mod:`looplab.data`, :mod:`looplab.plot`,
:mod:`looplab.lab_solutions`). The plotting functions return the figure they
drew; in a notebook, end such a call with ``;`` (or assign the figure) when it
is the last line of a cell, or Jupyter shows the figure twice. Introduced in the
lab (:doc:`/book/lab/training-dynamics`).
"""

from __future__ import annotations

from looplab.data import generate_checkerboard_dataset
from looplab.lab_solutions import exercise_random_seeds, exercise_schedulers, exercise_tiny_model
from looplab.plot import plot_boundary_and_loss_lr, plot_decision_boundary, plot_loss_and_accuracy

__all__ = [
    "exercise_random_seeds",
    "exercise_schedulers",
    "exercise_tiny_model",
    "generate_checkerboard_dataset",
    "plot_boundary_and_loss_lr",
    "plot_decision_boundary",
    "plot_loss_and_accuracy",
]
