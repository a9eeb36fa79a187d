"""Property tests: no input makes a reader raise; every outcome is a storable document or a
one-line reason.

`make test` runs DOSSIER_FUZZ_EXAMPLES examples per reader (default 200; 100 for HTML, which
trafilatura reads at about 40 ms a page); `make fuzz` runs 10,000 per reader.
"""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dossier.ingest import read_bytes
from dossier.ingest.encoding import DecodeError, decode_with_warnings
from dossier.ingest.readers import ReadResult, read_input

EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "200"))
HTML_EXAMPLES = int(os.environ.get("DOSSIER_FUZZ_EXAMPLES", "100"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check(results: list[ReadResult]) -> None:
    """What every reader promises, whatever it was given."""
    assert results, "an input gave neither a document nor a reason"
    for result in results:
        assert (result.document is None) != (result.error is None)
        if result.error is not None:
            assert result.error.reason and "\n" not in str(result.error)
            continue
        doc = result.document
        assert doc.body.strip() and isinstance(doc.raw, bytes)
        for value in (doc.body, doc.title, doc.url, doc.outlet, doc.source, doc.encoding):
            if value is not None:
                value.encode("utf-8")  # storable: no lone surrogates anywhere


# ---- random bytes, as every kind of input ------------------------------------------------

text_like = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8", errors="surrogatepass")),
    st.tuples(st.text(max_size=300), st.sampled_from(["utf-8", "utf-16", "utf-16-le", "cp1251",
                                                      "koi8_r", "utf-32", "utf-8-sig"]))
    .map(lambda p: p[0].encode(p[1], errors="replace")),
    st.tuples(st.text(max_size=200), st.binary(max_size=20), st.text(max_size=200))
    .map(lambda p: p[0].encode("utf-8", "replace") + p[1] + p[2].encode("cp1251", "replace")),
)


@pytest.mark.parametrize("kind", [None, "text", "json", "html"])  # None: sniffed (stdin)
@FUZZ
@given(data=text_like)
def test_random_bytes_never_raise(data: bytes, kind: str | None) -> None:
    check(read_input("fuzz", data, kind))


@FUZZ
@given(data=text_like)
def test_decoder_gives_text_or_decode_error(data: bytes) -> None:
    try:
        text, encoding, warnings = decode_with_warnings(data)
    except DecodeError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert isinstance(text, str) and encoding and all(isinstance(w, str) for w in warnings)


# ---- random JSON trees ---------------------------------------------------------------------

scalars = st.one_of(
    st.none(), st.booleans(), st.floats(allow_nan=True), st.integers(),
    st.text(max_size=50), st.sampled_from(["\ud800", "x\udfff", "2026-03-01", "EN", ""]),
)
trees = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.dictionaries(st.sampled_from(["text", "title", "url", "published", "language",
                                         "source", "other"]) | st.text(max_size=8),
                        children, max_size=6),
    ),
    max_leaves=30,
)


def _dumps(tree: object, ascii_only: bool) -> bytes:
    return json.dumps(tree, ensure_ascii=ascii_only).encode("utf-8", errors="surrogatepass")


@FUZZ
@given(tree=trees, ascii_only=st.booleans(), lines=st.booleans())
def test_random_json_trees_never_raise(tree: object, ascii_only: bool, lines: bool) -> None:
    data = _dumps(tree, ascii_only)
    if lines:  # as JSON Lines: the tree, a broken line, the tree again
        data = data + b"\n{broken\n" + data
    check(read_input("fuzz.json", data, "json"))


@FUZZ
@given(depth=st.integers(min_value=1, max_value=200_000), digits=st.integers(1, 20_000),
       opener=st.sampled_from(["[", '{"text":']))
def test_deep_json_and_huge_numbers(depth: int, digits: int, opener: str) -> None:
    closer = "]" if opener == "[" else "}"
    nested = (opener * depth + "1" + closer * depth).encode()
    check(read_input("deep.json", nested, "json"))
    number = ('{"text": "Activist detained.", "n": ' + "9" * digits + "}").encode()
    results = read_input("number.json", number, "json")
    check(results)
    assert results[0].document is not None  # the long number does not cost the article


# ---- random HTML ---------------------------------------------------------------------------

TAGS = ["html", "head", "body", "article", "p", "div", "nav", "script", "style", "title",
        "meta", "a", "span", "table", "tr", "td", "h1", "aside", "footer", "br", "img", "!--"]
words = st.text(alphabet=st.characters(codec="utf-8"), max_size=80)
attributes = st.lists(st.tuples(st.sampled_from(["lang", "href", "class", "content",
                                                 "property", "charset", "x"]), words),
                      max_size=3)


def _element(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def build(tag: str, attrs: list[tuple[str, str]], inner: list[str], closed: bool) -> str:
        attr_text = "".join(f' {k}="{v}"' for k, v in attrs)
        close = f"</{tag}>" if closed else ""
        return f"<{tag}{attr_text}>{''.join(inner)}{close}"

    return st.builds(build, st.sampled_from(TAGS), attributes, st.lists(children, max_size=4),
                     st.booleans())


html_pages = st.recursive(words, _element, max_leaves=25).map(
    lambda body: "<!DOCTYPE html><html><body>" + body)


@settings(FUZZ, max_examples=HTML_EXAMPLES)
@given(page=html_pages, encoding=st.sampled_from(["utf-8", "utf-16", "cp1251"]))
def test_random_html_never_raises(page: str, encoding: str) -> None:
    check(read_input("fuzz.html", page.encode(encoding, errors="replace"), "html"))


def test_read_bytes_still_raises_for_callers_that_want_it() -> None:
    """read_bytes is the raising form (read_input wraps it): its reasons stay InputErrors."""
    from dossier.ingest import InputError

    try:
        list(read_bytes("x", b"\x00\x01" * 50, "text"))
    except InputError as exc:
        assert "binary" in exc.reason
    else:
        raise AssertionError("binary input was read")
