"""``python -m trunkline.codegen diff OLD NEW``: what changed between two spec versions.

Both versions go through the generator's own loader and builder, and the diff compares the
two IRs, so it names what the generated client names: the wire name of a parameter and the
keyword the method takes (``DateCreated>`` → ``date_created_after``), the Python types a
caller passes and reads, the Python method of each operation. The modules, one job each:
:mod:`.model` (what a diff is), :mod:`.load` (specs on disk to IRs), :mod:`.view` (an IR as
a caller sees it), :mod:`.compare` (IR x IR to changes, with the severity rules) and
:mod:`.cli` (the command line, its output and exit codes).
"""

from __future__ import annotations

from trunkline.codegen.diff.cli import add_arguments, main, render_text
from trunkline.codegen.diff.compare import diff_paths, diff_sides, diff_specs
from trunkline.codegen.diff.load import SpecIR, load_specs
from trunkline.codegen.diff.model import BREAKING, INFO, NOTABLE, Change, DiffInputError, SpecDiff
from trunkline.codegen.naming import argument_name as python_name

__all__ = [
    "BREAKING",
    "INFO",
    "NOTABLE",
    "Change",
    "DiffInputError",
    "SpecDiff",
    "SpecIR",
    "add_arguments",
    "diff_paths",
    "diff_sides",
    "diff_specs",
    "load_specs",
    "main",
    "python_name",
    "render_text",
]
