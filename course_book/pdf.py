"""``make pdf``: the whole book as one PDF, ``dist/book.pdf``.

    python -m course_book.pdf [--html _build/html] [--out dist/book.pdf] [--paper a4|letter]

Built from the HTML book that ``make book`` wrote, so that the PDF says exactly what the
site says. The pages are read in the order of ``_toc.yml`` and joined into one print
document (BeautifulSoup on the built pages' ``<article>``; the theme's navigation is left
out), which Debian's Chromium prints (:mod:`course_book.printing`; why Chromium and not
LaTeX is explained there). The document has:

* a title page, a table of contents with page numbers, the book's parts each on a title
  page, and the chapters in order (the chapters carry their numbers in their titles; the
  appendices get letters);
* every chart as a static PNG drawn by vl-convert from the chart's own Vega-Lite
  specification (the JSON the page embeds), with its number, title, description and
  source; no chart is drawn from a screenshot, and nothing is fetched;
* every self-check question printed without its answer, and an appendix with the
  answers of every question (taken from the questions' own specifications in the pages,
  so none is missed), linked both ways with page numbers;
* links that work on paper and on screen: links between pages of the book become links
  inside the PDF (citations point into the bibliography, terms into the glossary);
  links to the web stay; links to files that are not in the PDF (slides, downloads) are
  turned into plain text, and their count is reported.

Page numbers in the contents and the cross-references come from a first print: Chromium
writes a named destination for every link target, ``pdfinfo -dests`` reads back the page
of each, and the document is printed again with the numbers in place (fixed-width slots,
so the layout does not move; the build checks that it did not).
"""

from __future__ import annotations

import argparse
import copy
import html as htmlmod
import json
import posixpath
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from course import ROOT

__all__ = ["PdfError", "Doc", "toc_docs", "Book", "build", "main"]

DEFAULT_HTML = ROOT / "_build" / "html"
DEFAULT_OUT = ROOT / "dist" / "book.pdf"
CSS = Path(__file__).resolve().parent / "print" / "book.css"
ANSWERS_ID = "appendix-selfcheck-answers"
#: How many prints at most until the page numbers stop moving.
MAX_PASSES = 4


class PdfError(RuntimeError):
    """The PDF cannot be built; the message says why and what to do."""


# --------------------------------------------------------------------------- table of contents
@dataclass
class Doc:
    """One page of the book in the PDF."""

    file: str  # path in the book without suffix, e.g. chapters/03_military_technical
    part: str  # the part's caption ("" for the root page)
    level: int  # 1 for a chapter, 2 for a section under it
    label: str = ""  # prefix in the PDF, e.g. "Appendix A"
    title: str = ""

    @property
    def docid(self) -> str:
        return re.sub(r"[^A-Za-z0-9_]+", "-", self.file)


def toc_docs(toc_path: Path) -> list[Doc]:
    """The book's pages in reading order, from ``_toc.yml`` (jb-book format)."""
    import yaml

    try:
        toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise PdfError(f"cannot read the table of contents {toc_path}: {exc}") from None
    docs = [Doc(str(toc["root"]), "", 1)]
    appendix = 0
    for part in toc.get("parts", []):
        caption = str(part.get("caption", ""))
        for chapter in part.get("chapters", []):
            doc = Doc(str(chapter["file"]), caption, 1)
            if caption.lower().startswith("appendi"):
                doc.label = f"Appendix {chr(ord('A') + appendix)}"
                appendix += 1
            docs.append(doc)
            for section in chapter.get("sections", []):
                docs.append(Doc(str(section["file"]), caption, 2))
    return docs


# --------------------------------------------------------------------------- charts
def chart_png(spec: dict[str, Any]) -> bytes:
    """A PNG of a chart, drawn offline by vl-convert from its Vega-Lite specification."""
    import vl_convert as vlc

    from course_book.sphinxext import VEGALITE_VERSION

    return vlc.vegalite_to_png(spec, scale=2, vl_version=VEGALITE_VERSION)


# --------------------------------------------------------------------------- the book
@dataclass
class Quiz:
    qid: str
    label: str  # e.g. "3.2"
    chapter: str  # the chapter's title
    legend: str  # HTML of the question
    options: list[str]  # HTML of each option
    spec: dict[str, Any]


@dataclass
class Book:
    """The book's pages parsed once; :meth:`render` makes the print document."""

    html_dir: Path
    docs: list[Doc]
    articles: dict[str, Any] = field(default_factory=dict)  # docid -> processed <section>
    quizzes: list[Quiz] = field(default_factory=list)
    charts: int = 0
    dropped_links: list[str] = field(default_factory=list)
    title: str = ""
    assets: Path | None = None

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, html_dir: Path, toc: Path, assets: Path) -> Book:
        from bs4 import BeautifulSoup

        if not (html_dir / "index.html").is_file():
            raise PdfError(f"no built book in {html_dir}: run 'make book' first")
        docs = toc_docs(toc)
        book = cls(html_dir, docs, assets=assets)
        from course_book import config

        book.title = str(config.settings().get("title", "The course"))
        known = {d.file for d in docs}
        for doc in docs:
            page = html_dir / f"{doc.file}.html"
            if not page.is_file():
                raise PdfError(f"{page} is missing: the book in {html_dir} is incomplete; run 'make book'")
            soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
            article = soup.select_one("article.bd-article")
            if article is None:
                raise PdfError(f"{page} has no <article class='bd-article'>: is it a page of the built book?")
            h1 = article.find("h1")
            doc.title = _text(h1) if h1 else doc.file
            if doc is docs[0]:  # the root page: the book's landing page
                doc.title = "About this course"
                if h1 is not None:
                    for child in list(h1.children):
                        if getattr(child, "name", None) != "a":
                            child.extract()
                    h1.insert(0, soup.new_string(doc.title))
            book.articles[doc.docid] = book._process(doc, soup, article, known)
        return book

    def _process(self, doc: Doc, soup: Any, article: Any, known: set[str]) -> Any:
        for sel in ("a.headerlink", "details.hide", "noscript", "button", "p.course-quiz__feedback"):
            for el in article.select(sel):
                el.decompose()
        for cell in article.select("div.cell"):
            if not cell.get_text(strip=True) and not cell.find(["img", "figure", "table"]):
                cell.decompose()
        # ids and links: every id gets the page's prefix; links between pages become
        # links inside the document
        for el in article.find_all(id=True):
            el["id"] = f"{doc.docid}--{el['id']}"
        for a in article.find_all("a", href=True):
            self._link(doc, a, known)
        for img in article.find_all("img", src=True):
            src = img["src"]
            if not re.match(r"^(data:|file:|[a-z]+://)", src):
                path = (self.html_dir / posixpath.dirname(doc.file) / src).resolve()
                img["src"] = path.as_uri()
        self._charts(doc, soup, article)
        self._quizzes(doc, soup, article)
        for script in article.find_all("script"):
            script.decompose()
        # the page's headings one level down: parts are the top level of the PDF
        for level in range(5, 0, -1):
            for h in article.find_all(f"h{level}"):
                h.name = f"h{level + 1}"
        h2 = article.find("h2")
        if h2 is not None and doc.label:
            h2.insert(0, soup.new_string(f"{doc.label} · "))
        section = soup.new_tag("section")
        section["class"] = ["doc", f"doc-level-{doc.level}"]
        section["id"] = doc.docid
        for child in list(article.children):
            section.append(child.extract())
        return section

    def _link(self, doc: Doc, a: Any, known: set[str]) -> None:
        href = a["href"]
        if re.match(r"^(https?|mailto):", href):
            return
        if href.startswith("#"):
            a["href"] = f"#{doc.docid}--{href[1:]}" if href[1:] else f"#{doc.docid}"
            return
        path, _, frag = href.partition("#")
        target = posixpath.normpath(posixpath.join(posixpath.dirname(doc.file), path))
        stem = target[:-5] if target.endswith(".html") else target
        if stem in known:
            docid = Doc(stem, "", 1).docid
            a["href"] = f"#{docid}--{frag}" if frag else f"#{docid}"
            return
        # a file the PDF does not hold (slides, downloads, search): keep the words only
        self.dropped_links.append(f"{doc.file}: {href}")
        a.name = "span"
        a.attrs = {"class": "dropped-link"}

    def _charts(self, doc: Doc, soup: Any, article: Any) -> None:
        figures = article.select("figure.course-chart")
        number = re.match(r"^(\d+)\s*·", doc.title)
        for k, fig in enumerate(figures, start=1):
            script = fig.select_one("script.course-chart__spec")
            if script is None or not script.string:
                raise PdfError(f"{doc.file}: a chart without its Vega-Lite specification")
            try:
                spec = json.loads(script.string)
            except json.JSONDecodeError as exc:
                raise PdfError(f"{doc.file}: a chart's specification is not JSON ({exc})") from None
            try:
                png = chart_png(spec)
            except Exception as exc:  # vl-convert raises plain ValueErrors with the cause
                raise PdfError(f"{doc.file}: vl-convert could not draw chart {k}: {exc}") from None
            self.charts += 1
            name = f"chart-{doc.docid}-{k}.png"
            assert self.assets is not None
            (self.assets / name).write_bytes(png)
            meta = spec.get("usermeta", {}) if isinstance(spec.get("usermeta"), dict) else {}
            caption = fig.find("figcaption")
            title = fig.get("aria-label") or meta.get("title") or ""
            img = soup.new_tag("img", src=f"assets/{name}", alt=f"{title}. {spec.get('description', '')}")
            img["class"] = ["course-chart__image"]
            for child in list(fig.children):
                if child is not caption:
                    child.extract()
            fig.insert(0, img)
            if caption is None:
                caption = soup.new_tag("figcaption")
                caption.append(soup.new_string(f"{title}. {spec.get('description', '')}"))
                if meta.get("source"):
                    src = soup.new_tag("p")
                    src["class"] = ["course-chart__source"]
                    src.string = f"Source: {meta['source']}"
                    caption.append(src)
                fig.append(caption)
            for note in caption.select(".course-chart__controls"):
                note.decompose()
            label = f"Figure {number.group(1)}.{k}. " if number else f"Figure {k}. "
            caption.insert(0, soup.new_string(label))
            note = soup.new_tag("p")
            note["class"] = ["print-note"]
            note.string = "Printed as the chart first appears; in the online book its controls are live."
            caption.append(note)

    def _quizzes(self, doc: Doc, soup: Any, article: Any) -> None:
        number = re.match(r"^(\d+)\s*·", doc.title)
        prefix = number.group(1) if number else doc.docid
        for section in article.select("section.course-quiz"):
            title = section.select_one(".course-quiz__title")
            if title is not None:
                title.clear()
                strong = soup.new_tag("strong")
                strong.string = "Check your understanding."
                title.append(strong)
                title.append(soup.new_string(" Answers are in the appendix of self-check answers."))
            for form in section.select("form.course-quiz__q"):
                qid = form.get("data-qid", "")
                script = form.select_one("script.course-quiz__spec")
                if not qid or script is None or not script.string:
                    raise PdfError(f"{doc.file}: a self-check question without its id or specification")
                spec = json.loads(script.string)
                legend = form.find("legend")
                options = [
                    _inner(lbl)
                    for lbl in form.select("label.course-quiz__option, label.course-quiz__numeric")
                ]
                label = f"{prefix}.{len([q for q in self.quizzes if q.chapter == doc.title]) + 1}"
                self.quizzes.append(
                    Quiz(qid, label, doc.title, _inner(legend) if legend else "", options, spec)
                )
                for inp in form.find_all("input"):
                    kind = inp.get("type", "text")
                    box = soup.new_tag("span")
                    box["class"] = ["quiz-box"]
                    box.string = "\u2610" if kind in ("radio", "checkbox") else "______________"
                    inp.replace_with(box)
                form.name = "div"
                form.attrs = {"class": ["course-quiz__q"], "id": f"quiz-{qid}"}
                ref = soup.new_tag("p")
                ref["class"] = ["quiz-answer-ref"]
                a = soup.new_tag("a", href=f"#answer-{qid}")
                a.append(soup.new_string(f"Answer {label}: p. "))
                slot = soup.new_tag("span")
                slot["class"] = ["page-ref"]
                slot["data-target"] = f"answer-{qid}"
                a.append(slot)
                ref.append(a)
                form.append(ref)

    # ---------------------------------------------------------------- rendering
    def targets(self) -> list[str]:
        """The link targets whose page numbers the document prints."""
        return [d.docid for d in self.docs] + [f"answer-{q.qid}" for q in self.quizzes] + [ANSWERS_ID]

    def render(self, pages: dict[str, int] | None, meta: dict[str, str]) -> str:
        from bs4 import BeautifulSoup

        def num(target: str) -> str:
            return str(pages[target]) if pages and target in pages else "000"

        parts: list[tuple[str, list[Doc]]] = []
        for doc in self.docs:
            if not parts or parts[-1][0] != doc.part:
                parts.append((doc.part, []))
            parts[-1][1].append(doc)

        e = htmlmod.escape
        out = [
            '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
            f"<title>{e(self.title)}</title>",
            f"<style>{CSS.read_text(encoding='utf-8')}</style>",
        ]
        pygments = self.html_dir / "_static" / "pygments.css"
        if pygments.is_file():
            out.append(f"<style>{pygments.read_text(encoding='utf-8')}</style>")
        out.append("</head><body>")
        out.append(
            '<section class="title-page">'
            f"<h1>{e(self.title)}</h1>"
            '<p class="subtitle">A course on Dmitry Gorenburg\'s policy brief <em>An Emerging Strategic '
            "Partnership: Trends in Russia-China Military Cooperation</em> (George C. Marshall European "
            "Center for Security Studies, Security Insights, 2020)</p>"
            f'<p class="meta">{e(meta.get("author", ""))}<br>'
            f"The whole book as one document, printed {e(meta.get('date', ''))} from commit "
            f"{e(meta.get('commit', ''))} of {e(meta.get('repository', ''))}.<br>"
            "The online book has the same text, with live charts and instant feedback on the "
            "self-check questions.<br>"
            f"{e(meta.get('licence', ''))}</p></section>"
        )
        toc = ['<nav class="toc" aria-label="Contents"><h1>Contents</h1><ol>']
        for caption, docs in parts:
            if caption:
                toc.append(f'<li class="toc-part">{e(caption)}</li>')
            for doc in docs:
                title = f"{doc.label} · {doc.title}" if doc.label else doc.title
                cls = "toc-section" if doc.level == 2 else "toc-doc"
                toc.append(
                    f'<li class="{cls}"><a href="#{doc.docid}"><span class="toc-title">{e(title)}</span>'
                    f'<span class="toc-page">{num(doc.docid)}</span></a></li>'
                )
        letter = chr(ord("A") + sum(1 for d in self.docs if d.label.startswith("Appendix")))
        answers_title = f"Appendix {letter} · Self-check answers"
        toc.append(
            f'<li class="toc-doc"><a href="#{ANSWERS_ID}"><span class="toc-title">{e(answers_title)}</span>'
            f'<span class="toc-page">{num(ANSWERS_ID)}</span></a></li>'
        )
        toc.append("</ol></nav>")
        out += toc
        for n, (caption, docs) in enumerate(parts):
            if caption:
                out.append(f'<section class="part-title-page" id="part-{n}"><h1>{e(caption)}</h1><ul>')
                out += [
                    f"<li>{e(f'{d.label} · {d.title}' if d.label else d.title)}</li>"
                    for d in docs
                    if d.level == 1
                ]
                out.append("</ul></section>")
            for doc in docs:
                out.append(str(self.articles[doc.docid]))
        out.append(self._answers_html(answers_title))
        out.append("</body></html>")
        text = "".join(out)
        # page numbers into the reserved slots
        soup = BeautifulSoup(text, "html.parser")
        for slot in soup.select("span.page-ref"):
            slot.string = num(slot["data-target"])
        return str(soup)

    def _answers_html(self, title: str) -> str:
        e = htmlmod.escape
        out = [f'<section class="doc answers" id="{ANSWERS_ID}"><h2>{e(title)}</h2>']
        out.append(
            "<p>The answers to every self-check question in the book, with the explanation the "
            "online book gives when an answer is checked. Each question's number sends you back to it.</p>"
        )
        chapter = None
        for q in self.quizzes:
            if q.chapter != chapter:
                chapter = q.chapter
                out.append(f"<h3>{e(chapter)}</h3>")
            out.append(f'<div class="answer" id="answer-{q.qid}">')
            out.append(
                f'<p class="answer-q"><a href="#quiz-{q.qid}">{e(q.label)}</a> {_strip_number(q.legend)}</p>'
            )
            spec = q.spec
            kind = spec.get("type")
            if kind in ("single", "multiple"):
                opts = spec.get("options", [])
                right = [(i, o) for i, o in enumerate(opts) if o.get("correct")]
                wrong = [(i, o) for i, o in enumerate(opts) if not o.get("correct")]
                word = "Answer" if len(right) == 1 else "Answers"
                out.append(f"<p><strong>{word}:</strong></p><ul>")
                for i, o in right:
                    text = q.options[i] if i < len(q.options) else f"option {i + 1}"
                    out.append(f"<li><strong>{text}</strong> {e(o.get('feedback', ''))}</li>")
                out.append("</ul>")
                if wrong:
                    out.append('<ul class="wrong">')
                    for i, o in wrong:
                        text = q.options[i] if i < len(q.options) else f"option {i + 1}"
                        stop = "" if re.search(r"[.?!]\W*$", text) else "."
                        out.append(f"<li>Not: {text}{stop} {e(o.get('feedback', ''))}</li>")
                    out.append("</ul>")
            elif kind == "numeric":
                answer, tol = spec.get("answer"), spec.get("tolerance", 0)
                unit = spec.get("unit", "")
                unit_html = e(f" {unit}" if unit and unit != "%" else unit or "")
                out.append(
                    f"<p><strong>Answer:</strong> {e(_num(answer))}{unit_html}"
                    f" (accepted from {e(_num(answer - tol))} to {e(_num(answer + tol))}). "
                    f"{e(spec.get('correct', ''))}</p>"
                )
                hints = spec.get("hints") or []
                if hints:
                    out.append('<ul class="wrong">')
                    out += [
                        f"<li>If you wrote {e(_num(h.get('value')))}: {e(h.get('feedback', ''))}</li>"
                        for h in hints
                    ]
                    out.append("</ul>")
            else:
                raise PdfError(f"self-check question {q.qid}: unknown type {kind!r}")
            out.append("</div>")
        out.append("</section>")
        return "".join(out)


def _text(el: Any) -> str:
    el = copy.copy(el)
    for a in el.select("a.headerlink"):
        a.decompose()
    return " ".join(el.get_text(" ", strip=True).split())


def _inner(el: Any) -> str:
    el = copy.copy(el)
    for inp in el.find_all("input"):
        inp.decompose()
    return el.decode_contents().strip()


def _strip_number(legend: str) -> str:
    return re.sub(r"^\s*\d+\.\s*", "", legend)


def _num(x: Any) -> str:
    if isinstance(x, float) and x.is_integer():
        return str(int(x))
    if isinstance(x, float):
        return f"{x:.6g}"
    return str(x)


def broken_links(document: str) -> list[str]:
    """Links inside the document (``href="#..."``) whose target id does not exist."""
    ids = set(re.findall(r'\sid="([^"]+)"', document))
    return sorted({h for h in re.findall(r'href="#([^"]*)"', document) if h not in ids})


# --------------------------------------------------------------------------- build
def _meta() -> dict[str, str]:
    from course_book import config

    settings = config.settings()
    repo, _branch = config.repository()
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        commit = ""
    licence = (
        (ROOT / "LICENSE").read_text(encoding="utf-8").splitlines()[0] if (ROOT / "LICENSE").is_file() else ""
    )
    return {
        "author": str(settings.get("author", "")),
        "date": datetime.now(UTC).strftime("%d %B %Y").lstrip("0"),
        "commit": commit or "unknown",
        "repository": repo,
        "licence": f"Text and code: {licence}." if licence else "",
    }


@dataclass
class Result:
    pdf: Path
    pages: int
    passes: int
    charts: int
    quizzes: int
    dropped_links: list[str]
    seconds: float
    document: str = ""  # the HTML that was printed
    docs: list[Doc] = field(default_factory=list)  # the pages, with their titles


def build(
    html_dir: Path = DEFAULT_HTML,
    out: Path = DEFAULT_OUT,
    paper: str = "a4",
    toc: Path | None = None,
    browser: Any = None,
) -> Result:
    """Write the book's PDF; return what was built (see the module doc).

    ``browser``: a Playwright Chromium already running in this process, to print with.
    """
    from course_book.printing import Printer, check_fonts, check_poppler, destinations

    start = time.perf_counter()
    check_fonts()
    check_poppler()
    toc = toc or ROOT / "_toc.yml"
    meta = _meta()
    with tempfile.TemporaryDirectory(prefix="course-pdf-") as tmpname:
        tmp = Path(tmpname)
        (tmp / "assets").mkdir()
        book = Book.load(html_dir, toc, tmp / "assets")
        pages: dict[str, int] | None = None
        with Printer(browser) as printer:
            passes = 0
            while passes < MAX_PASSES:
                passes += 1
                doc = tmp / "book.html"
                text = book.render(pages, meta)
                broken = broken_links(text)
                if broken:
                    raise PdfError(f"links to targets that are not in the document: {broken[:5]}")
                doc.write_text(text, encoding="utf-8")
                pdf = printer.pdf(doc, tmp / "book.pdf", paper=paper, outline=True)
                found = destinations(pdf)
                missing = [t for t in book.targets() if t not in found]
                if missing:
                    raise PdfError(f"link targets missing from the printed PDF: {missing[:5]}")
                now = {t: found[t] for t in book.targets()}
                if now == pages:
                    break
                pages = now
            else:
                raise PdfError(f"the page numbers still moved after {MAX_PASSES} prints")
        count = max(found.values()) if found else 0
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        m = re.search(r"^Pages:\s+(\d+)", info, re.M)
        count = int(m.group(1)) if m else count
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pdf, out.with_name(f".{out.name}.part"))
        out.with_name(f".{out.name}.part").replace(out)
    return Result(
        out,
        count,
        passes,
        book.charts,
        len(book.quizzes),
        book.dropped_links,
        time.perf_counter() - start,
        text,
        book.docs,
    )


def main(argv: list[str] | None = None) -> int:
    from course_book.printing import PrintError

    ap = argparse.ArgumentParser(prog="python -m course_book.pdf", description="The whole book as one PDF.")
    ap.add_argument("--html", type=Path, default=DEFAULT_HTML, help="the built book (default _build/html)")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PDF to write (default dist/book.pdf)")
    ap.add_argument("--paper", default="a4", help="a4 (default) or letter")
    args = ap.parse_args(argv)
    paper = args.paper.strip().lower()
    if paper not in ("a4", "letter"):
        print(f"pdf: unknown paper {args.paper!r}: choose a4 or letter", file=sys.stderr)
        return 2
    try:
        result = build(args.html, args.out, paper)
    except (PdfError, PrintError) as exc:
        print(f"pdf: {exc}", file=sys.stderr)
        return 2
    size = result.pdf.stat().st_size / 1e6
    print(
        f"pdf: wrote {result.pdf} ({result.pages} pages, {size:.1f} MB; {result.charts} charts, "
        f"{result.quizzes} self-check questions answered in the appendix; {result.passes} prints; "
        f"{result.seconds:.0f} s)"
    )
    if result.dropped_links:
        print(
            f"pdf: {len(result.dropped_links)} links to files outside the PDF (slides, downloads) "
            "are printed as plain text"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
