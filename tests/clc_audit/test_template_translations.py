"""Every piece of text in the templates is marked for translation.

Each template under templates/ is split with Django's template Lexer. Text outside
`{% translate %}`, `{% blocktranslate %}` and `{% comment %}` is put back together with
every template construct replaced by a placeholder, then read as HTML: what is left of the
text between tags, and of the attributes people read (aria-label, title, alt, placeholder,
the value of a submit button), must hold nothing but whitespace, punctuation, numbers and
a few symbols. Strings given to a template as text (a `default:` or `yesno:` argument, an
`{% include … with caption="…" %}`) must be `_("…")`.

The output of variables is not checked: it is user data, or translated where it is made
(`audits.labels`, the `audit_tags` filters, `get_…_display`). A `default:` argument that
lands in a class or another attribute nobody reads is not text either.
"""

import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
TEMPLATE_FILES = sorted(TEMPLATES.rglob("*.html"))

# Symbols that are shapes, not words: they stay as they are in every language.
ALLOWED_SYMBOLS = frozenset("×▲▼=")

# Attributes whose values are read (or heard) by people.
READ_ATTRIBUTES = frozenset(
    {"aria-label", "aria-description", "aria-roledescription", "title", "alt", "placeholder"}
)
# On these inputs `value` is the button's text.
BUTTON_INPUT_TYPES = frozenset({"submit", "button", "reset"})
# `{% include … with key="…" %}` arguments that are not text.
NOT_TEXT_INCLUDE_ARGUMENTS = frozenset({"css_class"})
# Blocks that a parent template puts inside an attribute nobody reads: the admin's
# `<body class="{% block bodyclass %}…">`.
NOT_TEXT_BLOCKS = frozenset({"bodyclass"})

# A template construct in the text put back together; stripped before checking. A
# variable with a literal text argument becomes LITERAL_OPEN, its number, LITERAL_CLOSE,
# so that the parser can tell whether that argument lands in text or in a class.
PLACEHOLDER = "\ue000"
LITERAL_OPEN, LITERAL_CLOSE = "\ue001", "\ue002"
LITERAL_MARK = re.compile(f"{LITERAL_OPEN}(\\d+){LITERAL_CLOSE}")
TEXT_FILTER_ARGUMENT = re.compile(
    r"""\|\s*(?:default|default_if_none|yesno)\s*:\s*("[^"]*"|'[^']*')"""
)
KEYWORD_LITERAL = re.compile(r"""(\w+)=("[^"]*"|'[^']*')""")


@dataclass(frozen=True)
class Unmarked:
    line: int
    text: str
    where: str = "text"

    def __str__(self) -> str:
        return f"line {self.line}: {self.where}: {self.text!r}"


def is_text(value: str) -> bool:
    """True when `value`, placeholders aside, holds anything but whitespace, punctuation,
    numbers and the allowed symbols: something a reader reads as words."""
    for char in LITERAL_MARK.sub("", value):
        category = unicodedata.category(char)
        if char.isspace() or category[0] in "PN" or category == "Co" or char in ALLOWED_SYMBOLS:
            continue
        return True
    return False


def _shown(value: str) -> str:
    return " ".join(LITERAL_MARK.sub(" ", value).replace(PLACEHOLDER, " ").split())


class _TextFinder(HTMLParser):
    """Collects the text between tags and the read attributes' values that are text."""

    def __init__(self, literals: list[Unmarked]):
        super().__init__(convert_charrefs=True)
        self.found: list[Unmarked] = []
        self._literals = literals  # literal text arguments, by number
        self._raw_text_tag: str | None = None  # inside <script> or <style>

    def _literals_in(self, value: str) -> list[Unmarked]:
        return [self._literals[int(number)] for number in LITERAL_MARK.findall(value)]

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            read = name in READ_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and (values.get("type") or "").lower() in BUTTON_INPUT_TYPES
            )
            if read and is_text(value):
                self.found.append(Unmarked(line, _shown(value), f"<{tag} {name}>"))
            if read:
                self.found += self._literals_in(value)
        if tag in {"script", "style"}:
            self._raw_text_tag = tag

    def handle_endtag(self, tag):
        if tag == self._raw_text_tag:
            self._raw_text_tag = None

    def handle_data(self, data):
        if self._raw_text_tag:
            return
        self.found += self._literals_in(data)
        if not is_text(data):
            return
        line = self.getpos()[0]
        leading = data[: len(data) - len(data.lstrip())]
        self.found.append(Unmarked(line + leading.count("\n"), _shown(data)))


def _filter_text_arguments(token) -> list[Unmarked]:
    """Quoted `default:`/`yesno:` arguments with words in them, rather than `_("…")`."""
    return [
        Unmarked(token.lineno, literal[1:-1], "filter argument")
        for literal in TEXT_FILTER_ARGUMENT.findall(token.contents)
        if is_text(literal[1:-1])
    ]


def _include_text_arguments(token) -> list[Unmarked]:
    """Quoted strings passed to an included template (or `{% with %}`) as text."""
    if token.contents.split()[0] not in {"include", "with"}:
        return []
    return [
        Unmarked(token.lineno, literal[1:-1], f"{{% {token.contents.split()[0]} {key}= %}}")
        for key, literal in KEYWORD_LITERAL.findall(token.contents)
        if key not in NOT_TEXT_INCLUDE_ARGUMENTS and is_text(literal[1:-1])
    ]


def unmarked_text(source: str) -> list[Unmarked]:
    """The text in a template's source that is not marked for translation."""
    tokens = Lexer(source).tokenize()
    pieces: list[str] = []
    found: list[Unmarked] = []
    literals: list[Unmarked] = []  # placed by the parser: in text or in a class
    blocks: list[str] = []
    in_translation = in_comment = 0
    for index, token in enumerate(tokens):
        # A construct keeps its newlines, so that the parser's line numbers stay true.
        following = tokens[index + 1].lineno if index + 1 < len(tokens) else token.lineno
        newlines = "\n" * (following - token.lineno)
        if token.token_type == TokenType.TEXT:
            not_text = in_translation or in_comment or NOT_TEXT_BLOCKS.intersection(blocks)
            pieces.append(PLACEHOLDER + newlines if not_text else token.contents)
            continue
        if token.token_type == TokenType.COMMENT:
            pieces.append(newlines)
            continue
        bits = token.contents.split()
        name = bits[0] if bits and token.token_type == TokenType.BLOCK else ""
        if name == "comment":
            in_comment += 1
        elif name == "endcomment":
            in_comment -= 1
        elif in_comment:
            pass
        elif name in {"blocktranslate", "blocktrans"}:
            in_translation += 1
        elif name in {"endblocktranslate", "endblocktrans"}:
            in_translation -= 1
        elif name == "block":
            blocks.append(bits[1])
        elif name == "endblock":
            blocks.pop()
        if not in_comment and name:
            found += _include_text_arguments(token)
        marks = ""
        if not in_comment and (not in_translation or name in {"blocktranslate", "blocktrans"}):
            for literal in _filter_text_arguments(token):
                marks += f"{LITERAL_OPEN}{len(literals)}{LITERAL_CLOSE}"
                literals.append(literal)
        pieces.append(PLACEHOLDER + marks + newlines)
    assert in_translation == 0 and in_comment == 0, "a blocktranslate or comment is not closed"
    finder = _TextFinder(literals)
    finder.feed("".join(pieces))
    finder.close()
    return sorted(found + finder.found, key=lambda unmarked: unmarked.line)


def test_there_are_templates_to_check():
    assert len(TEMPLATE_FILES) > 20
    assert TEMPLATES / "base.html" in TEMPLATE_FILES


@pytest.mark.parametrize(
    "path", TEMPLATE_FILES, ids=[str(p.relative_to(TEMPLATES)) for p in TEMPLATE_FILES]
)
def test_every_text_in_the_template_is_marked_for_translation(path):
    found = unmarked_text(path.read_text(encoding="utf-8"))
    name = path.relative_to(TEMPLATES)
    assert not found, "Text not marked for translation:\n" + "\n".join(
        f"templates/{name}:{unmarked}" for unmarked in found
    )


@pytest.mark.parametrize(
    "source",
    [
        "<p>Hello</p>",
        "<p>\n  {{ name }} (solid line)\n</p>",
        '<nav aria-label="Main"></nav>',
        '<img alt="A chart" src="{% static \'x.svg\' %}">',
        '<input type="submit" value="Import">',
        '{% if x %}Error: {% endif %}{% translate "Log in" %}',
        '{{ text|default:"(empty)" }}',
        '{{ flag|yesno:"yes,no" }}',
        "<p title=\"{{ x|default:'No title' }}\"></p>",
        '{% blocktranslate with name=n|default:"Someone" %}{{ name }}{% endblocktranslate %}',
        '{% include "x.html" with caption="Stage of each area" %}',
        "{% blocktranslate %}Marked{% endblocktranslate %} but not this",
        "<p>✓</p>",
    ],
)
def test_the_check_finds_unmarked_text(source):
    assert unmarked_text(source)


@pytest.mark.parametrize(
    "source",
    [
        '<p>{% translate "Hello" %}</p>',
        "<p>{% blocktranslate trimmed with name=x.name %}\n Hi {{ name }}\n{% endblocktranslate %}",
        "{% blocktranslate count counter=n %}{{ counter }} school{% plural %}{{ counter }} schools"
        "{% endblocktranslate %}",
        "<nav aria-label=\"{% translate 'Main' %}\"></nav>",
        '<input type="submit" value="{% translate \'Import\' %}">',
        '<input type="hidden" name="next" value="next page">',
        "<td>{{ n }}.</td> <span>▲</span> &amp; &nbsp; — · 2025/26",
        "<script>const label = 'not for readers';</script><style>p { color: red; }</style>",
        "{% comment %}Notes for developers{% endcomment %}{# and here #}",
        '{{ text|default:_("(empty)") }}',
        '{% include "x.html" with css_class="mb-3" heading=_("Area") %}',
        '<div class="alert-{% if error %}danger{% else %}info{% endif %}" role="status"></div>',
        "<div class=\"alert-{{ tags|default:'info' }} {{ d|yesno:'btn-outline,btn-primary' }}\">",
        "{% block bodyclass %}{{ block.super }} app-{{ label }}{% endblock bodyclass %}",
    ],
)
def test_the_check_accepts_marked_text(source):
    assert unmarked_text(source) == []


def test_the_check_names_the_line():
    source = (
        '{% load i18n %}\n<p>{% translate "One" %}</p>\n<p>\n  Two\n</p>\n<a title="Three"></a>'
    )
    assert [(u.line, u.text) for u in unmarked_text(source)] == [(4, "Two"), (6, "Three")]
