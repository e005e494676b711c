"""``python -m pytest_signcheck.cli``: the ``signcheck`` command."""

from __future__ import annotations

import sys

from pytest_signcheck.cli import main

sys.exit(main())
