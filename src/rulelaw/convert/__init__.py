"""The one cattrs converter: every model value structured from file data and back.

A converter is an instance, configured once by :func:`make_converter` and
passed where it is needed (no global converter is touched);
:func:`shared_converter` is the one rulelaw keeps for its own use when none
is given. :func:`structure` turns a structuring failure into a
:class:`~rulelaw.errors.ValidationError` listing every problem at its key path.
"""

from rulelaw.convert._converter import (
    make_converter,
    shared_converter,
    structure,
    structure_errors,
)

__all__ = ["make_converter", "shared_converter", "structure", "structure_errors"]
