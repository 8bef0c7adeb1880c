"""``make pdf`` (course_book/pdf.py, course_book/printing.py): the whole book as one PDF.

The PDF is printed once for the module from the built book (``make test`` builds it first)
and read back with poppler: pages, contents with page numbers, chart images with their
captions, the self-check answers, fonts and the Cyrillic and Chinese glossary terms, blank
pages; and the printed HTML for its links and citations.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from conftest import ROOT
from pdf_checks import (
    blank_pages,
    destinations,
    fonts_not_embedded,
    images,
    page_count,
    page_texts,
    pdf_text,
    script_runs,
    squeeze,
)

from course_book import pdf as pdfmod
from course_book import printing


@pytest.fixture(scope="module")
def book(built_book, browser, tmp_path_factory):
    """Printed with the session's Chromium (conftest.py), as make pdf prints with its own."""
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    return pdfmod.build(built_book, out, browser=browser)


def test_the_pdf_has_a_title_page_contents_and_every_page_of_the_book(book):
    assert book.pdf.is_file() and page_count(book.pdf) == book.pages
    texts = page_texts(book.pdf)
    assert "Russia–ChinaMilitaryCooperation" in squeeze(texts[0]) and "Gorenburg" in texts[0]
    assert "Contents" in texts[1].split("\n")[:3]
    dests = destinations(book.pdf)
    docs = book.docs
    assert [d.file for d in docs] == [d.file for d in pdfmod.toc_docs(ROOT / "_toc.yml")]
    pages = [dests[d.docid] for d in docs]
    assert pages == sorted(pages), "the pages are not in the order of _toc.yml"
    for d in docs:
        start = squeeze(d.title.split(" · ")[-1])[:25]
        assert start in squeeze(texts[dests[d.docid] - 1]), (
            f"{d.file} does not start on page {dests[d.docid]}"
        )


def test_chapters_are_numbered_and_appendices_lettered(book):
    docs = book.docs
    chapters = [d for d in docs if d.file.startswith("chapters/")]
    # chapter 0 (the Python primer) first, then 1, 2, ...: in order, none missing
    assert [int(re.match(r"(\d+) ·", d.title).group(1)) for d in chapters] == list(range(0, len(chapters)))
    labels = [d.label for d in docs if d.label]
    assert labels == [f"Appendix {chr(65 + i)}" for i in range(len(labels))]


def test_contents_page_numbers_are_the_pages_the_parts_start_on(book):
    dests = destinations(book.pdf)
    contents_end = dests[book.docs[0].docid] - 1
    toc = pdf_text(book.pdf, 2, contents_end, layout=True)
    printed = [
        (m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^\s*(\S.*?)\s*_*\s+(\d+)\s*$", toc, re.M)
    ]
    expected = [(d.label + " · " + d.title if d.label else d.title, dests[d.docid]) for d in book.docs]
    expected.append(
        (
            f"Appendix {chr(65 + sum(1 for d in book.docs if d.label))} · Self-check answers",
            dests[pdfmod.ANSWERS_ID],
        )
    )
    assert len(printed) == len(expected), f"{len(printed)} entries in the contents for {len(expected)} pages"
    for (title, number), (want_title, want) in zip(printed, expected):
        assert want_title.startswith(title.rstrip("_ ").strip()[:20]), (title, want_title)
        assert number == want, f"the contents say {want_title!r} is on p. {number}; it starts on p. {want}"


def test_every_chart_is_an_image_with_its_caption_and_source(book, built_book):
    charts = sum(
        (built_book / f"{d.file}.html").read_text(encoding="utf-8").count('<figure class="course-chart"')
        for d in book.docs
    )
    assert charts >= 8 and book.charts == charts
    found = images(book.pdf)
    assert len(found) == charts, f"{len(found)} images for {charts} charts"
    texts = page_texts(book.pdf)
    for img in found:
        assert img["width"] >= 1000, f"chart on p. {img['page']} is drawn at only {img['width']} px"
        page = texts[img["page"] - 1] + (texts[img["page"]] if img["page"] < len(texts) else "")
        assert re.search(r"Figure \d+\.\d+\.", page) and "Source:" in page, (
            f"p. {img['page']}: no caption or source"
        )
    assert len(set(re.findall(r"Figure \d+\.\d+\.", book.document))) == charts


def test_every_self_check_question_has_its_answer_in_the_appendix(book, built_book):
    qids = []
    for d in book.docs:
        qids += re.findall(
            r'class="course-quiz__q" data-qid="([^"]+)"', (built_book / f"{d.file}.html").read_text()
        )
    assert len(qids) == book.quizzes >= 60
    dests = destinations(book.pdf)
    appendix = dests[pdfmod.ANSWERS_ID]
    for q in qids:
        assert dests[f"answer-{q}"] >= appendix, f"{q}: the answer is not in the appendix"
        assert dests[f"quiz-{q}"] < appendix, f"{q}: the question is not in the book's body"
    answers = pdf_text(book.pdf, appendix)
    assert answers.count("Answer:") + answers.count("Answers:") == len(qids)


def test_links_work_and_citations_point_to_the_bibliography(book):
    doc = book.document
    assert pdfmod.broken_links(doc) == []
    cites = re.findall(r'<span class="bibtex-citation"[^>]*>.*?</span>', doc, re.S)
    assert len(cites) > 100
    targets = [h for c in cites for h in re.findall(r'href="([^"]+)"', c)]
    assert targets and all(t.startswith("#appendices-bibliography--") for t in targets), targets[:3]
    terms = re.findall(r'<a class="reference internal" href="([^"]+)"><span class="xref std std-term"', doc)
    assert terms and all(t.startswith("#appendices-glossary--") for t in terms)
    assert not re.search(r'href="(?!#|https?:|mailto:)', doc), "a relative link would be dead in the PDF"
    known = {f"{d.file}.html" for d in book.docs}
    for dropped in book.dropped_links:
        target = dropped.split(": ", 1)[1].split("#")[0]
        assert not any(target.endswith(k.split("/")[-1]) for k in known), (
            f"a page of the book was dropped: {dropped}"
        )


def test_the_link_check_bites():
    assert pdfmod.broken_links('<p id="a"></p><a href="#a">x</a><a href="#b">y</a>') == ["b"]


def test_no_blank_page_and_every_font_embedded(book):
    assert blank_pages(book.pdf) == []
    assert fonts_not_embedded(book.pdf) == []


def test_cyrillic_and_chinese_glossary_terms_print_as_in_the_html(book, built_book):
    page = (built_book / "appendices" / "glossary.html").read_text(encoding="utf-8")
    article = page[page.find("<article") : page.find("</article>")]
    runs = script_runs(html.unescape(re.sub(r"<[^>]+>", " ", article)))
    assert sum(1 for r in runs if re.match(r"[\u4e00-\u9fff]", r)) >= 5, "too few Chinese terms to check"
    assert sum(1 for r in runs if re.match(r"[\u0400-\u04ff]", r)) >= 20, "too few Russian words to check"
    text = squeeze(pdf_text(book.pdf))
    missing = [r for r in runs if r not in text]
    assert not missing, f"glossary terms that did not print as text: {missing[:8]}"


def test_the_font_check_names_the_package_to_install():
    printing.check_fonts({"DejaVu Serif", "DejaVu Sans", "Noto Serif CJK SC", "Noto Sans CJK SC"})
    with pytest.raises(printing.PrintError, match=r"apt-get install -y fonts-noto-cjk"):
        printing.check_fonts({"DejaVu Serif", "DejaVu Sans"})
    with pytest.raises(printing.PrintError, match="fonts-dejavu-core"):
        printing.check_fonts({"Noto Serif CJK SC", "Noto Sans CJK SC"})


def test_a_missing_book_gets_a_clear_message(tmp_path, capsys):
    assert pdfmod.main(["--html", str(tmp_path / "nowhere"), "--out", str(tmp_path / "b.pdf")]) == 2
    err = capsys.readouterr().err
    assert "no built book" in err and "make book" in err and "Traceback" not in err
    assert not (tmp_path / "b.pdf").exists()
    assert pdfmod.main(["--paper", "A3", "--out", str(tmp_path / "b.pdf")]) == 2
    assert "choose a4 or letter" in capsys.readouterr().err


def test_printing_refuses_other_hosts(tmp_path, browser):
    page = tmp_path / "remote.html"
    page.write_text('<html><body><img src="https://example.org/x.png"><p>x</p></body></html>')
    with printing.Printer(browser) as p, pytest.raises(printing.PrintError, match="other hosts|did not load"):
        p.pdf(page, tmp_path / "remote.pdf")
    assert not (tmp_path / "remote.pdf").exists()


GLYPH_SCRIPT = """
import sys
from pathlib import Path
from course_book.printing import Printer, PrintError
page = Path(sys.argv[1])
page.write_text('<html><body><p>Belt and Road (\u4e00\u5e26\u4e00\u8def)</p></body></html>', encoding='utf-8')
try:
    with Printer() as p:
        p.pdf(page, page.with_suffix('.pdf'))
except PrintError as exc:
    print(exc)
    sys.exit(3)
"""


def test_the_glyph_check_catches_chinese_text_without_a_chinese_font(tmp_path):
    """With fontconfig shown only the DejaVu fonts (no CJK), printing Chinese text must fail."""
    import os
    import subprocess
    import sys

    dejavu = subprocess.run(
        ["fc-list", "-f", "%{file}\\n", ":family=DejaVu Sans"], capture_output=True, text=True
    ).stdout.split()
    assert dejavu, "DejaVu Sans is not installed (apt-get install fonts-dejavu-core)"
    conf = tmp_path / "fonts.conf"
    conf.write_text(
        '<?xml version="1.0"?><fontconfig>'
        f"<dir>{Path(dejavu[0]).parent}</dir><cachedir>{tmp_path / 'cache'}</cachedir></fontconfig>"
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    proc = subprocess.run(
        [sys.executable, "-c", GLYPH_SCRIPT, str(tmp_path / "cjk.html")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "empty boxes" in proc.stdout and "fonts-noto-cjk" in proc.stdout
    assert not (tmp_path / "cjk.pdf").exists()
    proc = subprocess.run(
        [sys.executable, "-c", GLYPH_SCRIPT, str(tmp_path / "cjk.html")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
