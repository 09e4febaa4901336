"""Assessment folders and scheme files: loading (with every problem reported) and dumping."""

from rulelaw.convert import make_converter
from rulelaw.files.folder import FILES, dump, load, validate
from rulelaw.files.scheme_file import dump_scheme, load_scheme, scheme_from_text, scheme_to_text

__all__ = [
    "FILES",
    "dump",
    "dump_scheme",
    "load",
    "load_scheme",
    "make_converter",
    "scheme_from_text",
    "scheme_to_text",
    "validate",
]
