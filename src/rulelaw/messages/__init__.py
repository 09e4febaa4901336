"""Messages as data: a stable code and its parameters, rendered to text only at the edge.

Every reason, grade step, adjustment line, flag and error rulelaw produces is
a :class:`Message` — ``Message.of("rate.met", observed=…, target=Decimal(95))``
— and text is made from it in the language asked for, by the catalogue:
``message.text("zh-CN")``. A program reads the code and the parameters; a
person reads the text. The codes are stable across versions (the reference
lists them with their parameters; a test pins the list).

The catalogue (``rulelaw/messages/catalogue/*.toml``) gives each code its
template in every language rulelaw speaks (:data:`LANGUAGES`); a rule kind of
a third party brings its own templates for the codes of its own namespace.
The language is always chosen per call (:func:`choose_language`), never by a
process-wide setting.
"""

from rulelaw.messages._catalogue import Catalogue, builtin_catalogue
from rulelaw.messages._language import LANGUAGES, choose_language
from rulelaw.messages._message import Message, Text, params_data, render

__all__ = [
    "LANGUAGES",
    "Catalogue",
    "Message",
    "Text",
    "builtin_catalogue",
    "choose_language",
    "params_data",
    "render",
]
