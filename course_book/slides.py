"""Slides for each chapter, generated from the chapter notebooks (``make slides``).

``python -m course_book.slides [NN_slug ...] [--out _build/slides]`` writes
``_build/slides/NN_slug.slides.html`` for each chapter, an ``index.html`` listing the
decks, and the assets they use, all served from the same folder (nothing is loaded
from another host):

* ``reveal.js/``: reveal.js 5 (MIT licence) copied from the pinned PyPI package
  ``sphinx-revealjs``, which ships it; only the files the decks use are copied;
* ``course-charts-<hash>.js``: the Vega bundle the book uses for its charts
  (:func:`course_book.sphinxext.chart_bundle`), so charts stay interactive in the slides.

The HTML comes from nbconvert's reveal template, with its CDN scripts (jQuery,
RequireJS, Mermaid, MathJax, widget manager, and reveal.js itself) replaced by the local
copies. What goes on a slide (a deck an instructor would use, not every cell):

* the title slide holds the chapter title and its learning objectives;
* each ``##`` heading starts a slide and each ``###`` heading a vertical sub-slide;
* bullet lists, tables, quotations, charts, tables of data and printed key figures are
  shown; a list of long items that each open with a bold phrase shows the bold phrases;
* prose paragraphs, "Course note" and "The record" boxes go to the speaker notes (press
  S); a slide with no other content shows each paragraph's key sentence (the one
  with a bold phrase, else the first);
* code is hidden, as are self-check quizzes; a live tool is named with a pointer to
  JupyterLab, since it needs a running kernel;
* MyST markup is turned into plain text (:func:`course_book.readable.plain_inline`):
  glued values as the book prints them, ``{term}`` roles keep their text, citations
  become "(Author Year)", links to other pages of the book keep their text only.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import re
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from course import ROOT
from course.chapter import read as read_entry
from course_book import readable

__all__ = [
    "SlidesError",
    "reveal_source",
    "build_deck",
    "build_all",
    "slide_notebook",
    "myst_to_markdown",
    "chapters",
]

CHAPTERS_DIR = ROOT / "chapters"
DEFAULT_OUT = ROOT / "_build" / "slides"
REVEAL_DIR = "reveal.js"
#: The reveal.js files the decks use, relative to the package's copy.
REVEAL_FILES = (
    "LICENSE",
    "dist/reveal.css",
    "dist/reveal.js",
    "dist/theme/white.css",
    "dist/theme/fonts/source-sans-pro",
    "plugin/notes/notes.js",
)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
LONG_ITEM_WORDS = 28


class SlidesError(RuntimeError):
    """Slides cannot be built; the message says why."""


def reveal_source() -> Path:
    """The reveal.js folder shipped by the ``sphinx-revealjs`` package."""
    try:
        import sphinx_revealjs
    except ImportError:
        raise SlidesError(
            "the package sphinx-revealjs (which ships reveal.js) is not installed: "
            "run 'make setup' (it is pinned in requirements.txt)"
        ) from None
    path = Path(sphinx_revealjs.__file__).parent / "_static" / "revealjs"
    if not (path / "dist" / "reveal.js").is_file():
        raise SlidesError(f"no reveal.js in {path}: the installed sphinx-revealjs has another layout")
    return path


def chapters(names: Iterable[str] | None = None) -> list[Path]:
    """The chapter notebooks (``NN_slug.ipynb``), optionally only the named ones."""
    # Decks are for the seminar sessions, the chapters whose entry names a guide section:
    # the Python primer (chapter 0) has none.
    found = sorted(
        p for p in CHAPTERS_DIR.glob("[0-9][0-9]_*.ipynb") if read_entry(p.with_suffix(".yml")).get("guide")
    )
    if names:
        wanted = [n.removesuffix(".ipynb") for n in names]
        unknown = sorted(set(wanted) - {p.stem for p in found})
        if unknown:
            raise SlidesError(
                f"no chapter named {', '.join(unknown)} in {CHAPTERS_DIR} "
                f"(chapters: {', '.join(p.stem for p in found)})"
            )
        found = [p for p in found if p.stem in wanted]
    return found


# --------------------------------------------------------------------------- MyST -> Markdown
def _cite(role: str, keys: str, where: str) -> str:
    """A citation on a slide: "(Author Year; Author Year)", or "Author (Year)" for
    ``{cite:t}`` (labels from course_book.readable, as the book gives them)."""
    works = readable.cited_works(role, keys, where)
    if role == "cite:t":
        return "; ".join(f"{who} ({year})" for who, year in works)
    return "(" + "; ".join(f"{who} {year}" for who, year in works) + ")"


_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


def myst_to_markdown(text: str, glued: dict[str, str] | None = None, where: str = "a slide") -> str:
    """MyST roles, substitutions and book-internal links as plain Markdown (see the
    module doc): glued values from ``glued`` (the notebook's stored glue outputs)."""

    def link(m: re.Match) -> str:
        label, target = m.group(1), m.group(2)
        return m.group(0) if re.match(r"https?://", target) else label

    return _LINK.sub(link, readable.plain_inline(text, glued or {}, where, cite=_cite))


# --------------------------------------------------------------------------- blocks
@dataclass
class Block:
    kind: str  # heading, list, table, quote, code, admonition, paragraph
    text: str
    level: int = 0  # heading level
    title: str = ""  # admonition title
    css: str = ""  # admonition class


_FENCE = re.compile(r"^(`{3,}|~{3,})")


def split_blocks(markdown: str) -> list[Block]:
    """Split a Markdown cell into top-level blocks (MyST colon-fence boxes kept whole)."""
    lines = markdown.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        m = re.match(r"^(:{3,})\{([a-z-]+)\}\s*(.*)$", line)
        if m:
            fence, directive, title = m.groups()
            body, css = [], ""
            i += 1
            while i < len(lines) and lines[i].strip() != fence:
                opt = re.match(r"^:class:\s*(.*)$", lines[i])
                if opt and not body:
                    css = opt.group(1).strip()
                else:
                    body.append(lines[i])
                i += 1
            i += 1
            blocks.append(
                Block("admonition", "\n".join(body).strip(), title=title.strip() or directive, css=css)
            )
            continue
        if _FENCE.match(line):
            fence = _FENCE.match(line).group(1)
            chunk = [line]
            i += 1
            while i < len(lines) and not lines[i].startswith(fence):
                chunk.append(lines[i])
                i += 1
            chunk.append(fence)
            i += 1
            blocks.append(Block("code", "\n".join(chunk)))
            continue
        h = re.match(r"^(#{1,6})\s+(.*)$", line)
        if h:
            blocks.append(Block("heading", h.group(2).strip(), level=len(h.group(1))))
            i += 1
            continue
        chunk = []
        while i < len(lines) and lines[i].strip() and not re.match(r"^(#{1,6}\s|:{3,}\{)", lines[i]):
            chunk.append(lines[i])
            i += 1
        first = chunk[0].lstrip()
        if re.match(r"^([-*+]|\d+[.)])\s", first):
            kind = "list"
        elif first.startswith("|"):
            kind = "table"
        elif first.startswith(">"):
            kind = "quote"
        else:
            kind = "paragraph"
        blocks.append(Block(kind, "\n".join(chunk)))
    return blocks


def list_items(text: str) -> list[str]:
    items: list[str] = []
    for line in text.splitlines():
        if re.match(r"^([-*+]|\d+[.)])\s", line):
            items.append(re.sub(r"^([-*+]|\d+[.)])\s+", "", line))
        elif items:
            items[-1] += " " + line.strip()
    return items


def key_sentence(text: str, limit: int = 30) -> str:
    """The sentence that carries a paragraph's point: one with a bold phrase, else the first."""
    text = " ".join(text.split())
    sentences = re.split(r"(?<=[.!?])\s+(?=[A-Z*\"“(])", text)
    chosen = next((x for x in sentences if "**" in x), sentences[0])
    words = chosen.split()
    return chosen if len(words) <= limit else " ".join(words[:limit]) + " …"


# --------------------------------------------------------------------------- slides
@dataclass
class Slide:
    kind: str  # "slide" or "subslide"
    heading: str = ""
    level: int = 2
    visible: list[str] = field(default_factory=list)  # Markdown or HTML pieces
    outputs: list[dict[str, Any]] = field(default_factory=list)  # nbformat outputs, in order
    order: list[tuple[str, int]] = field(default_factory=list)  # ("md"|"out", index)
    notes: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    full: bool = False  # holds a chart: what follows goes on a new sub-slide

    def show(self, piece: str) -> None:
        self.order.append(("md", len(self.visible)))
        self.visible.append(piece)

    def show_output(self, output: dict[str, Any]) -> None:
        self.order.append(("out", len(self.outputs)))
        self.outputs.append(output)

    @property
    def empty(self) -> bool:
        return not self.order


def output_html(output: dict[str, Any]) -> str:
    """An output's HTML: its ``text/html``, or for a course chart (stored once, as
    Vega-Lite) the same ``<figure class="course-chart">`` the book draws."""
    data = output.get("data", {})
    value = data.get("text/html", "")
    if not value:
        from course.charts import ChartError, figure_html

        spec = data.get("application/vnd.vegalite.v5+json")
        try:
            return figure_html(spec) if isinstance(spec, dict) else ""
        except ChartError:
            return ""
    return "".join(value) if isinstance(value, list) else value


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else (value or "")


class DeckBuilder:
    def __init__(self, glued: dict[str, str] | None = None) -> None:
        self.slides: list[Slide] = []
        self.current: Slide | None = None
        self.glued = glued or {}  # the notebook's glued values, for {glue:text}

    def new(self, kind: str, heading: str = "", level: int = 2) -> Slide:
        self.current = Slide(kind, heading, level)
        self.slides.append(self.current)
        return self.current

    def slide(self) -> Slide:
        """The slide to add visible content to (a new sub-slide after a chart)."""
        s = self.current or self.new("slide")
        if s.full:
            s = self.new("subslide", s.heading, 3)
            s.show(f"### {s.heading} (continued)")
        return s

    # markdown ------------------------------------------------------------------------
    def markdown(self, source: str, title_cell: bool, where: str = "a slide") -> None:
        for block in split_blocks(myst_to_markdown(source, self.glued, where)):
            self.block(block, title_cell)

    def block(self, b: Block, title_cell: bool) -> None:
        if b.kind == "heading":
            if b.level == 1:
                s = self.new("slide", b.text, 1)
                s.show(f"# {b.text}")
            elif b.level == 2:
                s = self.new("slide", b.text, 2)
                s.show(f"## {b.text}")
            else:
                s = self.new("subslide", b.text, b.level)
                s.show(f"### {b.text}")
            return
        s = self.slide() if b.kind not in ("paragraph", "admonition") else (self.current or self.new("slide"))
        if b.kind == "admonition":
            if title_cell and b.title.lower().startswith("in this chapter"):
                self.objectives(b.text)
            elif b.css in ("important", "warning", "tip"):
                s.show(
                    f'<div class="course-slide-box course-slide-box--{html.escape(b.css)}">'
                    f'<p class="course-slide-box__title">{html.escape(b.title)}</p>\n\n'
                    f"{b.text}\n\n</div>"
                )
            else:
                s.notes.append(f"**{b.title}.** {b.text}")
            return
        if b.kind == "paragraph":
            s.paragraphs.append(b.text)
            s.notes.append(b.text)
            return
        if b.kind == "list":
            items = list_items(b.text)
            leads = [re.match(r"^\*\*(.+?)\*\*", it) for it in items]
            long = sum(len(it.split()) for it in items) / max(len(items), 1) > LONG_ITEM_WORDS
            if items and long and all(leads):
                ordered = re.match(r"^\d", b.text.lstrip())
                marker = "1." if ordered else "-"
                s.show(
                    "\n".join(
                        f"{marker} **{m.group(1)}** {key_sentence(it[m.end() :], limit=16)}"
                        for it, m in zip(items, leads)
                    )
                )
                s.notes.append(b.text)
            else:
                s.show(b.text)
            return
        s.show(b.text)  # table, quote, code

    def objectives(self, text: str) -> None:
        s = self.slide()
        m = re.search(r"^\s*1\.\s", text, re.M)
        if not m:
            s.notes.append(text)
            return
        listed = text[m.start() :].split("\n\n")[0]
        items = list_items(listed)
        s.show("**Learning objectives**\n\n" + "\n".join(f"{n}. {it}" for n, it in enumerate(items, 1)))
        rest = (text[: m.start()] + text[m.start() + len(listed) :]).strip()
        rest = re.sub(r"^\*\*Learning objectives\.\*\*[^\n]*\n?", "", rest).strip()
        if rest:
            s.notes.append(rest)

    # outputs -------------------------------------------------------------------------
    def code(self, cell: dict[str, Any]) -> None:
        tags = set(cell.get("metadata", {}).get("tags", []))
        if tags & {"remove-cell", "hide-input", "remove-input", "remove-output", "hide-cell"}:
            return  # set-up, Colab, self-check quizzes: not for the room
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "stream" and output.get("name") == "stdout":
                text = _text(output.get("text")).strip()
                if text:
                    self.slide().show(f'<pre class="course-slide-printed">{html.escape(text)}</pre>')
            elif kind in ("execute_result", "display_data"):
                data = output.get("data", {})
                body = output_html(output)
                if WIDGET_VIEW in data:
                    title = re.search(r"<h4>(.*?)</h4>", body)
                    name = html.unescape(re.sub(r"<[^>]+>", "", title.group(1))) if title else "live tool"
                    self.slide().show(
                        f'<p class="course-slide-live"><strong>Live tool:</strong> '
                        f"{html.escape(name)}. It runs Python: open the chapter in "
                        f"JupyterLab to use it.</p>"
                    )
                elif body:
                    chart = 'class="course-chart"' in body
                    s = self.slide()
                    if len(s.order) > 1 or s.outputs:  # outputs get a slide of their own
                        s = self.new("subslide", s.heading, 3)
                        s.show(f"### {s.heading}")
                    s.show_output({**output, "data": {"text/html": body}} if chart else output)
                    s.full = chart

    def finish(self) -> None:
        """Slides with nothing but a heading show their paragraphs' key sentences."""
        for s in self.slides:
            visible = [
                k
                for k, i in s.order
                if k == "out" or s.visible[i].strip() and not s.visible[i].lstrip().startswith("#")
            ]
            if not visible and s.paragraphs and s.level >= 2:
                s.show("\n".join(f"- {key_sentence(p)}" for p in s.paragraphs))


def slide_notebook(nb: Any) -> Any:
    """A new notebook whose cells carry reveal.js slide metadata (see the module doc)."""
    import nbformat

    builder = DeckBuilder(readable.glued_values(nb))
    seen_title = False
    for number, cell in enumerate(nb.cells, start=1):
        if cell.cell_type == "markdown":
            is_title = not seen_title and cell.source.lstrip().startswith("# ")
            seen_title = seen_title or is_title
            builder.markdown(cell.source, title_cell=is_title, where=f"cell {number}")
        elif cell.cell_type == "code":
            builder.code(cell)
    builder.finish()
    v4 = nbformat.v4
    cells = []
    for s in builder.slides:
        first = True
        for kind, index in s.order:
            slide_type = s.kind if first else "-"
            first = False
            if kind == "md":
                cell = v4.new_markdown_cell(s.visible[index])
            else:
                cell = v4.new_code_cell("")
                cell.outputs = [s.outputs[index]]
            cell.metadata["slideshow"] = {"slide_type": slide_type}
            cells.append(cell)
        if s.notes:
            note = v4.new_markdown_cell("\n\n".join(s.notes))
            note.metadata["slideshow"] = {"slide_type": "notes"}
            if first:  # a slide with only notes: give it its heading
                head = v4.new_markdown_cell(("#" * min(s.level, 3)) + " " + s.heading)
                head.metadata["slideshow"] = {"slide_type": s.kind}
                cells.append(head)
            cells.append(note)
    meta = {k: nb.metadata[k] for k in ("kernelspec", "language_info") if nb.metadata.get(k)}
    out = v4.new_notebook(cells=cells, metadata=meta)
    title = next((s.heading for s in builder.slides if s.level == 1), "")
    if title:
        out.metadata["title"] = title
    return out


# --------------------------------------------------------------------------- HTML
SLIDES_CSS = """
.reveal .slides section { text-align: left; }
.reveal .slides > section, .reveal .slides > section > section {
  height: 100%; overflow-y: auto; padding: 0 0.5em; box-sizing: border-box; }
.reveal .slides h1, .reveal .slides h2, .reveal .slides h3 { text-transform: none; }
.reveal .slides h1 { font-size: 1.9em; }
.reveal .slides h2 { font-size: 1.5em; }
.reveal .slides h3 { font-size: 1.2em; }
.reveal .jp-RenderedHTMLCommon { font-size: 0.62em; line-height: 1.35; }
.reveal .jp-RenderedHTMLCommon li { margin: 0.25em 0; }
.reveal blockquote { width: 90%; font-style: italic; box-shadow: none;
  border-left: 4px solid #0072B2; padding-left: 0.8em; background: #f5f8fb; }
.reveal table { font-size: 0.8em; margin: 0.5em 0; }
.reveal .course-table-wrap { max-height: 560px; overflow: auto; }
.reveal .course-table caption { font-weight: bold; text-align: left; }
.reveal .jp-OutputArea-output, .reveal .jp-OutputArea-child { width: 100%; }
.reveal figure.course-chart { margin: 0; width: 100%; }
.reveal .course-chart__view, .reveal .course-chart__view.vega-embed { display: block; width: 100%; }
.reveal figure.course-chart figcaption { font-size: 0.55em; line-height: 1.3; }
.reveal .course-chart__view { font-size: 14px; }
.reveal pre.course-slide-printed { font-size: 0.5em; white-space: pre-wrap; box-shadow: none;
  background: #f5f5f5; padding: 0.5em; width: 100%; }
.reveal .course-slide-box { border: 2px solid #E69F00; padding: 0.3em 0.8em; border-radius: 4px; }
.reveal .course-slide-box__title { font-weight: bold; margin: 0.2em 0; }
.reveal .course-slide-live { font-size: 0.9em; color: #444; }
.jp-InputPrompt, .jp-OutputPrompt { display: none; }
"""

#: nbconvert's reveal template with every remote script replaced by local files.
TEMPLATE = r"""{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_css -%}
<link rel="icon" href="data:,">
<style type="text/css">{{ resources.course_css }}</style>
{%- endblock html_head_css -%}
{% block footer_js %}
<script src="{{ resources.reveal.url_prefix }}/dist/reveal.js"></script>
<script src="{{ resources.reveal.url_prefix }}/plugin/notes/notes.js"></script>
<script src="{{ resources.course_charts }}" defer></script>
<script>
Reveal.initialize({
  controls: true, progress: true, history: true, hash: true, center: false,
  transition: "slide", slideNumber: "c/t", width: 1280, height: 800, margin: 0.04,
  plugins: [RevealNotes]
});
</script>
{% endblock footer_js %}
"""


def _css() -> str:
    """The book's own stylesheet (charts, tables) and the slides' additions."""
    book = ROOT / "course_book" / "static" / "course.css"
    return (book.read_text(encoding="utf-8") if book.is_file() else "") + SLIDES_CSS


def _exporter() -> Any:
    import jinja2
    from nbconvert import SlidesExporter

    exporter = SlidesExporter(
        template_file="course_slides.html.j2",
        extra_loaders=[jinja2.DictLoader({"course_slides.html.j2": TEMPLATE})],
        reveal_url_prefix=REVEAL_DIR,
        reveal_theme="white",  # the default theme ("simple") imports web fonts from Google
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


def _copy_reveal(out: Path) -> None:
    src = reveal_source()
    dest = out / REVEAL_DIR
    for rel in REVEAL_FILES:
        s, d = src / rel, dest / rel
        d.parent.mkdir(parents=True, exist_ok=True)
        if s.is_dir():
            shutil.copytree(s, d, dirs_exist_ok=True)
        else:
            shutil.copyfile(s, d)


def _write_charts(out: Path) -> str:
    from course_book.sphinxext import chart_bundle

    text = chart_bundle()
    name = f"course-charts-{hashlib.sha256(text.encode()).hexdigest()[:12]}.js"
    for old in out.glob("course-charts-*.js"):
        if old.name != name:
            old.unlink()
    target = out / name
    if not target.exists():
        target.write_text(text, encoding="utf-8")
    return name


def build_deck(path: Path, out: Path, charts_js: str, exporter: Any = None) -> Path:
    """Write ``out/<stem>.slides.html`` for one chapter notebook; return its path."""
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds
        raise SlidesError(f"{path}: not a readable notebook ({exc})") from None
    if not any(c.cell_type == "code" and c.get("outputs") for c in nb.cells):
        raise SlidesError(f"{path} has no outputs: run it first (python -m course_book.notebooks {path})")
    try:
        deck = slide_notebook(nb)
    except readable.ReadableError as exc:
        raise SlidesError(f"{path}, {exc}") from None
    exporter = exporter or _exporter()
    body, _ = exporter.from_notebook_node(
        deck, resources={"metadata": {"name": path.stem}, "course_css": _css(), "course_charts": charts_js}
    )
    target = out / f"{path.stem}.slides.html"
    target.write_text(body, encoding="utf-8")
    return target


def build_all(names: Iterable[str] | None = None, out: Path = DEFAULT_OUT) -> list[Path]:
    """Build the decks and their assets; return the decks' paths."""
    paths = chapters(names)
    if not paths:
        raise SlidesError(f"no chapter notebooks in {CHAPTERS_DIR}")
    out.mkdir(parents=True, exist_ok=True)
    _copy_reveal(out)
    charts_js = _write_charts(out)
    exporter = _exporter()
    decks = [build_deck(p, out, charts_js, exporter) for p in paths]
    _write_index(out)
    return decks


def _write_index(out: Path) -> None:
    import nbformat

    items = []
    for deck in sorted(out.glob("*.slides.html")):
        src = CHAPTERS_DIR / deck.name.replace(".slides.html", ".ipynb")
        title = deck.stem
        if src.is_file():
            nb = nbformat.read(src, as_version=4)
            title = next(
                (
                    ln[2:]
                    for c in nb.cells
                    if c.cell_type == "markdown"
                    for ln in c.source.splitlines()
                    if ln.startswith("# ")
                ),
                title,
            )
        items.append(f'<li><a href="{html.escape(deck.name)}">{html.escape(title)}</a></li>')
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Course slides</title></head><body><main><h1>Course slides</h1>"
        "<p>One deck per chapter. Press S for the speaker notes, F for full screen, "
        "Esc for an overview.</p><ul>" + "".join(items) + "</ul></main></body></html>\n"
    )
    (out / "index.html").write_text(page, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m course_book.slides", description="Build reveal.js slides from the chapter notebooks."
    )
    parser.add_argument("chapters", nargs="*", help="only these chapters, e.g. 03_military_technical")
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)})",
    )
    args = parser.parse_args(argv)
    try:
        decks = build_all(args.chapters or None, args.out)
    except SlidesError as exc:
        print(f"slides: {exc}", file=sys.stderr)
        return 2
    for deck in decks:
        print(f"slides: wrote {deck}")
    print(
        f"slides: open {args.out / 'index.html'} (serve the folder, e.g. "
        f"python -m http.server --directory {args.out})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
