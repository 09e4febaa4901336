"""Assessment folders and scheme files: loading (with every problem reported) and dumping.

Data frames (``assessment_frames``, ``from_frames``, ``Frames``): an assessment's
tables in Apache Arrow, and an assessment read from tables with the loader's checks.

Also the writing of outputs, whole or not at all (``write_atomically``,
``stream_atomically``, ``write_pieces``), which the report layer and the
command line use.
"""

from rulelaw.convert import make_converter
from rulelaw.files._cells import read_observation
from rulelaw.files._dump import dump
from rulelaw.files._frames import FRAME_NAMES, Frames, assessment_frames, from_frames, needs
from rulelaw.files._inputs import refuse_input_as_output
from rulelaw.files._layout import FILES
from rulelaw.files._load import load, validate
from rulelaw.files._scheme_file import dump_scheme, load_scheme, scheme_from_text, scheme_to_text
from rulelaw.files._write import stream_atomically, write_atomically, write_pieces

__all__ = [
    "FILES",
    "FRAME_NAMES",
    "Frames",
    "assessment_frames",
    "dump",
    "dump_scheme",
    "from_frames",
    "load",
    "load_scheme",
    "make_converter",
    "needs",
    "read_observation",
    "refuse_input_as_output",
    "scheme_from_text",
    "scheme_to_text",
    "stream_atomically",
    "validate",
    "write_atomically",
    "write_pieces",
]
