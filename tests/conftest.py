"""Shared test set-up: the pytest process computes under the course's numerical environment.

:data:`looplab.numerics.PINNED_ENV` is set here, before any test imports PyTorch, as it
is in the kernels that execute the lessons. The nbval failure report that names the
numerical environments lives in ``tests/nbval_numerics.py``.
"""

from __future__ import annotations

import os

from looplab.numerics import PINNED_ENV

os.environ.update(PINNED_ENV)
