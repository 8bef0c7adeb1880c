"""Sphinx extension: the book theme made fast and accessible.

Everything here works through Sphinx's own mechanisms (an ``html-page-context``
handler, template overrides under ``course_book/templates/``, a translator mixin, one
generated stylesheet); nothing rewrites built HTML.

Template overrides sit where the themes look them up: components that the
themes include by bare name (``search-button-field.html``, ``page-toc.html``,
...) at the top of ``course_book/templates/``; those included with a folder
(``components/prev-next.html``, ``sections/header.html``) in that folder.

Page speed (measurements in benchmarks/README.md and benchmarks/results/pagespeed-*.md):

* icons are inline SVG drawn by the templates (``course_icon``), so no page
  loads Font Awesome's 1.5 MB script or its icon fonts; the theme's few icons
  drawn by CSS pseudo-elements (admonitions, download links, ...) are masks
  in ``_static/course/theme-<hash>.css``, not font glyphs;
* every theme script is deferred except ``documentation_options.js`` (the page's
  inline scripts use it at once);
* Sphinx's search scripts and the search index load on the search page only
  (the search box submits to it; ``search_as_you_type`` is off);
* MathJax loads only on a page that has maths; sphinx-design's stylesheet and
  tab script only on a page that uses sphinx-design.

Accessibility (axe-core, tests/test_a11y.py):

* the search button's accessible name contains its visible text
  (``label-content-name-mismatch``);
* every part of the page sits in a landmark (``region``): the primary sidebar is
  a labelled ``<aside>`` region, the back-to-top button and search dialog are
  inside it or labelled;
* decorative icons are ``aria-hidden``; icon-only buttons keep their labels.

Icons: Font Awesome Free 6.5.2 by Fonticons, Inc. (https://fontawesome.com),
icons under CC BY 4.0; the path data below is theirs, as shipped in
pydata-sphinx-theme's ``fontawesome.js``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
SYNC_SCRIPTS = {"documentation_options.js"}  # inline scripts use it at once
SEARCH_SCRIPTS = {"searchtools.js", "language_data.js", "searchindex.js"}

# name -> (width of the 512-high view box, SVG path data)
ICONS: dict[str, tuple[int, str]] = {
    "angle-left": (
        320,
        (
            "M41.4 233.4c-12.5 12.5-12.5 32.8 0 45.3l160 160c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8"
            " 0-45.3L109.3 256 246.6 118.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0l-160 160z"
        ),
    ),
    "angle-right": (
        320,
        (
            "M278.6 233.4c12.5 12.5 12.5 32.8 0 45.3l-160 160c-12.5 12.5-32.8 12.5-45.3 0s-12.5-32.8"
            " 0-45.3L210.7 256 73.4 118.6c-12.5-12.5-12.5-32.8 0-45.3s32.8-12.5 45.3 0l160 160z"
        ),
    ),
    "arrow-up": (
        384,
        (
            "M214.6 41.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3"
            " 0L160 141.2V448c0 17.7 14.3 32 32 32s32-14.3 32-32V141.2L329.4 246.6c12.5 12.5 32.8 12.5 45.3"
            " 0s12.5-32.8 0-45.3l-160-160z"
        ),
    ),
    "bars": (
        448,
        (
            "M0 96C0 78.3 14.3 64 32 64H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 128 0 113.7 0 96zM0"
            " 256c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM448"
            " 416c0 17.7-14.3 32-32 32H32c-17.7 0-32-14.3-32-32s14.3-32 32-32H416c17.7 0 32 14.3 32 32z"
        ),
    ),
    "chevron-down": (
        512,
        (
            "M233.4 406.6c12.5 12.5 32.8 12.5 45.3 0l192-192c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L256"
            " 338.7 86.6 169.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3l192 192z"
        ),
    ),
    "list": (
        512,
        (
            "M40 48C26.7 48 16 58.7 16 72v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7"
            " 24-24V72c0-13.3-10.7-24-24-24H40zM192 64c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3"
            " 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3"
            " 32-32s-14.3-32-32-32H192zm0 160c-17.7 0-32 14.3-32 32s14.3 32 32 32H480c17.7 0 32-14.3"
            " 32-32s-14.3-32-32-32H192zM16 232v48c0 13.3 10.7 24 24 24H88c13.3 0 24-10.7"
            " 24-24V232c0-13.3-10.7-24-24-24H40c-13.3 0-24 10.7-24 24zM40 368c-13.3 0-24 10.7-24 24v48c0 13.3"
            " 10.7 24 24 24H88c13.3 0 24-10.7 24-24V392c0-13.3-10.7-24-24-24H40z"
        ),
    ),
    "magnifying-glass": (
        512,
        (
            "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3"
            " 0L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416"
            " 208zM208 352a144 144 0 1 0 0-288 144 144 0 1 0 0 288z"
        ),
    ),
    "outdent": (
        448,
        (
            "M0 64C0 46.3 14.3 32 32 32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32C14.3 96 0 81.7 0 64zM192"
            " 192c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-32zm32"
            " 96H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H224c-17.7 0-32-14.3-32-32s14.3-32 32-32zM0"
            " 448c0-17.7 14.3-32 32-32H416c17.7 0 32 14.3 32 32s-14.3 32-32 32H32c-17.7 0-32-14.3-32-32zM.2"
            " 268.6c-8.2-6.4-8.2-18.9 0-25.3l101.9-79.3c10.5-8.2 25.8-.7 25.8 12.6V335.3c0 13.3-15.3"
            " 20.8-25.8 12.6L.2 268.6z"
        ),
    ),
    "download": (
        512,
        (
            "M288 32c0-17.7-14.3-32-32-32s-32 14.3-32 32V274.7l-73.4-73.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5"
            " 32.8 0 45.3l128 128c12.5 12.5 32.8 12.5 45.3 0l128-128c12.5-12.5 12.5-32.8"
            " 0-45.3s-32.8-12.5-45.3 0L288 274.7V32zM64 352c-35.3 0-64 28.7-64 64v32c0 35.3 28.7 64 64"
            " 64H448c35.3 0 64-28.7 64-64V416c0-35.3-28.7-64-64-64H346.5l-45.3 45.3c-25 25-65.5 25-90.5"
            " 0L165.5 352H64zm368 56a24 24 0 1 1 0 48 24 24 0 1 1 0-48z"
        ),
    ),
    "expand": (
        448,
        (
            "M32 32C14.3 32 0 46.3 0 64v96c0 17.7 14.3 32 32 32s32-14.3 32-32V96h64c17.7 0 32-14.3"
            " 32-32s-14.3-32-32-32H32zM64 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v96c0 17.7 14.3 32 32"
            " 32h96c17.7 0 32-14.3 32-32s-14.3-32-32-32H64V352zM320 32c-17.7 0-32 14.3-32 32s14.3 32 32"
            " 32h64v64c0 17.7 14.3 32 32 32s32-14.3 32-32V64c0-17.7-14.3-32-32-32H320zM448"
            " 352c0-17.7-14.3-32-32-32s-32 14.3-32 32v64H320c-17.7 0-32 14.3-32 32s14.3 32 32 32h96c17.7 0"
            " 32-14.3 32-32V352z"
        ),
    ),
    "file": (
        384,
        (
            "M0 64C0 28.7 28.7 0 64 0H224V128c0 17.7 14.3 32 32 32H384V448c0 35.3-28.7 64-64 64H64c-35.3"
            " 0-64-28.7-64-64V64zm384 64H256V0L384 128z"
        ),
    ),
    "file-pdf": (
        512,
        (
            "M0 64C0 28.7 28.7 0 64 0L224 0l0 128c0 17.7 14.3 32 32 32l128 0 0 144-208 0c-35.3 0-64 28.7-64"
            " 64l0 144-48 0c-35.3 0-64-28.7-64-64L0 64zm384 64l-128 0L256 0 384 128zM176 352l32 0c30.9 0 56"
            " 25.1 56 56s-25.1 56-56 56l-16 0 0 32c0 8.8-7.2 16-16 16s-16-7.2-16-16l0-48 0-80c0-8.8 7.2-16"
            " 16-16zm32 80c13.3 0 24-10.7 24-24s-10.7-24-24-24l-16 0 0 48 16 0zm96-80l32 0c26.5 0 48 21.5 48"
            " 48l0 64c0 26.5-21.5 48-48 48l-32 0c-8.8 0-16-7.2-16-16l0-128c0-8.8 7.2-16 16-16zm32 128c8.8 0"
            " 16-7.2 16-16l0-64c0-8.8-7.2-16-16-16l-16 0 0 96 16 0zm80-112c0-8.8 7.2-16 16-16l48 0c8.8 0 16"
            " 7.2 16 16s-7.2 16-16 16l-32 0 0 32 32 0c8.8 0 16 7.2 16 16s-7.2 16-16 16l-32 0 0 48c0 8.8-7.2"
            " 16-16 16s-16-7.2-16-16l0-64 0-64z"
        ),
    ),
    "rocket": (
        512,
        (
            "M156.6 384.9L125.7 354c-8.5-8.5-11.5-20.8-7.7-32.2c3-8.9 7-20.5 11.8-33.8L24 288c-8.6"
            " 0-16.6-4.6-20.9-12.1s-4.2-16.7 .2-24.1l52.5-88.5c13-21.9 36.5-35.3 61.9-35.3l82.3 0c2.4-4"
            " 4.8-7.7 7.2-11.3C289.1-4.1 411.1-8.1 483.9 5.3c11.6 2.1 20.6 11.2 22.8 22.8c13.4 72.9 9.3"
            " 194.8-111.4 276.7c-3.5 2.4-7.3 4.8-11.3 7.2v82.3c0 25.4-13.4 49-35.3 61.9l-88.5 52.5c-7.4"
            " 4.4-16.6 4.5-24.1 .2s-12.1-12.2-12.1-20.9V380.8c-14.1 4.9-26.4 8.9-35.7 11.9c-11.2 3.6-23.4"
            " .5-31.8-7.8zM384 168a40 40 0 1 0 0-80 40 40 0 1 0 0 80z"
        ),
    ),
    "code": (
        640,
        (
            "M392.8 1.2c-17-4.9-34.7 5-39.6 22l-128 448c-4.9 17 5 34.7 22 39.6s34.7-5"
            " 39.6-22l128-448c4.9-17-5-34.7-22-39.6zm80.6 120.1c-12.5 12.5-12.5 32.8 0 45.3L562.7 256l-89.4"
            " 89.4c-12.5 12.5-12.5 32.8 0 45.3s32.8 12.5 45.3 0l112-112c12.5-12.5 12.5-32.8"
            " 0-45.3l-112-112c-12.5-12.5-32.8-12.5-45.3 0zm-306.7 0c-12.5-12.5-32.8-12.5-45.3 0l-112"
            " 112c-12.5 12.5-12.5 32.8 0 45.3l112 112c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L77.3"
            " 256l89.4-89.4c12.5-12.5 12.5-32.8 0-45.3z"
        ),
    ),
    "play": (
        384,
        (
            "M73 39c-14.8-9.1-33.4-9.4-48.5-.9S0 62.6 0 80V432c0 17.4 9.4 33.4 24.5 41.9s33.7 8.1 48.5-.9L361"
            " 297c14.3-8.7 23-24.2 23-41s-8.7-32.2-23-41L73 39z"
        ),
    ),
    "pencil": (
        512,
        (
            "M410.3 231l11.3-11.3-33.9-33.9-62.1-62.1L291.7 89.8l-11.3 11.3-22.6 22.6L58.6 322.9c-10.4"
            " 10.4-18 23.3-22.2 37.4L1 480.7c-2.5 8.4-.2 17.5 6.1 23.7s15.3 8.5 23.7 6.1l120.3-35.4c14.1-4.2"
            " 27-11.8 37.4-22.2L387.7 253.7 410.3 231zM160 399.4l-9.1 22.7c-4 3.1-8.5 5.4-13.3 6.9L59.4"
            " 452l23-78.1c1.4-4.9 3.8-9.4 6.9-13.3l22.7-9.1v32c0 8.8 7.2 16 16 16h32zM362.7 18.7L348.3 33.2"
            " 325.7 55.8 314.3 67.1l33.9 33.9 62.1 62.1 33.9 33.9 11.3-11.3 22.6-22.6 14.5-14.5c25-25 25-65.5"
            " 0-90.5L453.3 18.7c-25-25-65.5-25-90.5 0zm-47.4 168l-144 144c-6.2 6.2-16.4 6.2-22.6 0s-6.2-16.4"
            " 0-22.6l144-144c6.2-6.2 16.4-6.2 22.6 0s6.2 16.4 0 22.6z"
        ),
    ),
    "lightbulb": (
        384,
        (
            "M272 384c9.6-31.9 29.5-59.1 49.2-86.2l0 0c5.2-7.1 10.4-14.2 15.4-21.4c19.8-28.5 31.4-63"
            " 31.4-100.3C368 78.8 289.2 0 192 0S16 78.8 16 176c0 37.3 11.6 71.9 31.4 100.3c5 7.2 10.2 14.3"
            " 15.4 21.4l0 0c19.8 27.1 39.7 54.4 49.2 86.2H272zM192 512c44.2 0 80-35.8 80-80V416H112v16c0 44.2"
            " 35.8 80 80 80zM112 176c0 8.8-7.2 16-16 16s-16-7.2-16-16c0-61.9 50.1-112 112-112c8.8 0 16 7.2 16"
            " 16s-7.2 16-16 16c-44.2 0-80 35.8-80 80z"
        ),
    ),
    "circle-info": (
        512,
        (
            "M256 512A256 256 0 1 0 256 0a256 256 0 1 0 0 512zM216 336h24V272H216c-13.3"
            " 0-24-10.7-24-24s10.7-24 24-24h48c13.3 0 24 10.7 24 24v88h8c13.3 0 24 10.7 24 24s-10.7 24-24"
            " 24H216c-13.3 0-24-10.7-24-24s10.7-24 24-24zm40-208a32 32 0 1 1 0 64 32 32 0 1 1 0-64z"
        ),
    ),
    "circle-xmark": (
        512,
        (
            "M256 512A256 256 0 1 0 256 0a256 256 0 1 0 0 512zM175 175c9.4-9.4 24.6-9.4 33.9 0l47 47"
            " 47-47c9.4-9.4 24.6-9.4 33.9 0s9.4 24.6 0 33.9l-47 47 47 47c9.4 9.4 9.4 24.6 0 33.9s-24.6"
            " 9.4-33.9 0l-47-47-47 47c-9.4 9.4-24.6 9.4-33.9 0s-9.4-24.6 0-33.9l47-47-47-47c-9.4-9.4-9.4-24.6"
            " 0-33.9z"
        ),
    ),
    "triangle-exclamation": (
        512,
        (
            "M256 32c14.2 0 27.3 7.5 34.5 19.8l216 368c7.3 12.4 7.3 27.7 .2 40.1S486.3 480 472 480H40c-14.3"
            " 0-27.6-7.7-34.7-20.1s-7-27.8 .2-40.1l216-368C228.7 39.5 241.8 32 256 32zm0 128c-13.3 0-24"
            " 10.7-24 24V296c0 13.3 10.7 24 24 24s24-10.7 24-24V184c0-13.3-10.7-24-24-24zm32 224a32 32 0 1 0"
            " -64 0 32 32 0 1 0 64 0z"
        ),
    ),
    "circle-exclamation": (
        512,
        (
            "M256 512A256 256 0 1 0 256 0a256 256 0 1 0 0 512zm0-384c13.3 0 24 10.7 24 24V264c0 13.3-10.7"
            " 24-24 24s-24-10.7-24-24V152c0-13.3 10.7-24 24-24zM224 352a32 32 0 1 1 64 0 32 32 0 1 1 -64 0z"
        ),
    ),
    "bell": (
        448,
        (
            "M224 0c-17.7 0-32 14.3-32 32V51.2C119 66 64 130.6 64 208v18.8c0 47-17.3 92.4-48.5 127.6l-7.4"
            " 8.3c-8.4 9.4-10.4 22.9-5.3 34.4S19.4 416 32 416H416c12.6 0 24-7.4"
            " 29.2-18.9s3.1-25-5.3-34.4l-7.4-8.3C401.3 319.2 384 273.9 384"
            " 226.8V208c0-77.4-55-142-128-156.8V32c0-17.7-14.3-32-32-32zm45.3 493.3c12-12 18.7-28.3"
            " 18.7-45.3H224 160c0 17 6.7 33.3 18.7 45.3s28.3 18.7 45.3 18.7s33.3-6.7 45.3-18.7z"
        ),
    ),
    "share": (
        512,
        (
            "M307 34.8c-11.5 5.1-19 16.6-19 29.2v64H176C78.8 128 0 206.8 0 304C0 417.3 81.5 467.9 100.2"
            " 478.1c2.5 1.4 5.3 1.9 8.1 1.9c10.9 0 19.7-8.9 19.7-19.7c0-7.5-4.3-14.4-9.8-19.5C108.8 431.9 96"
            " 414.4 96 384c0-53 43-96 96-96h96v64c0 12.6 7.4 24.1 19 29.2s25 3 34.4-5.4l160-144c6.7-6.1"
            " 10.6-14.7 10.6-23.8s-3.8-17.7-10.6-23.8l-160-144c-9.4-8.5-22.9-10.6-34.4-5.4z"
        ),
    ),
    "arrow-up-right-from-square": (
        512,
        (
            "M320 0c-17.7 0-32 14.3-32 32s14.3 32 32 32h82.7L201.4 265.4c-12.5 12.5-12.5 32.8 0 45.3s32.8"
            " 12.5 45.3 0L448 109.3V192c0 17.7 14.3 32 32 32s32-14.3 32-32V32c0-17.7-14.3-32-32-32H320zM80"
            " 32C35.8 32 0 67.8 0 112V432c0 44.2 35.8 80 80 80H400c44.2 0 80-35.8"
            " 80-80V320c0-17.7-14.3-32-32-32s-32 14.3-32 32V432c0 8.8-7.2 16-16 16H80c-8.8"
            " 0-16-7.2-16-16V112c0-8.8 7.2-16 16-16H192c17.7 0 32-14.3 32-32s-14.3-32-32-32H80z"
        ),
    ),
    "magnifying-glass-minus": (
        512,
        (
            "M416 208c0 45.9-14.9 88.3-40 122.7L502.6 457.4c12.5 12.5 12.5 32.8 0 45.3s-32.8 12.5-45.3"
            " 0L330.7 376c-34.4 25.2-76.8 40-122.7 40C93.1 416 0 322.9 0 208S93.1 0 208 0S416 93.1 416"
            " 208zM136 184c-13.3 0-24 10.7-24 24s10.7 24 24 24H280c13.3 0 24-10.7 24-24s-10.7-24-24-24H136z"
        ),
    ),
    "file-lines": (
        384,
        (
            "M64 0C28.7 0 0 28.7 0 64V448c0 35.3 28.7 64 64 64H320c35.3 0 64-28.7 64-64V160H256c-17.7"
            " 0-32-14.3-32-32V0H64zM256 0V128H384L256 0zM112 256H272c8.8 0 16 7.2 16 16s-7.2 16-16"
            " 16H112c-8.8 0-16-7.2-16-16s7.2-16 16-16zm0 64H272c8.8 0 16 7.2 16 16s-7.2 16-16 16H112c-8.8"
            " 0-16-7.2-16-16s7.2-16 16-16zm0 64H272c8.8 0 16 7.2 16 16s-7.2 16-16 16H112c-8.8"
            " 0-16-7.2-16-16s7.2-16 16-16z"
        ),
    ),
    "house": (
        576,
        (
            "M575.8 255.5c0 18-15 32.1-32 32.1h-32l.7 160.2c0 2.7-.2 5.4-.5 8.1V472c0 22.1-17.9 40-40"
            " 40H456c-1.1 0-2.2 0-3.3-.1c-1.4 .1-2.8 .1-4.2 .1H416 392c-22.1 0-40-17.9-40-40V448"
            " 384c0-17.7-14.3-32-32-32H256c-17.7 0-32 14.3-32 32v64 24c0 22.1-17.9 40-40 40H160 128.1c-1.5"
            " 0-3-.1-4.5-.2c-1.2 .1-2.4 .2-3.6 .2H104c-22.1 0-40-17.9-40-40V360c0-.9 0-1.9"
            " .1-2.8V287.6H32c-18 0-32-14-32-32.1c0-9 3-17 10-24L266.4 8c7-7 15-8 22-8s15 2 21 7L564.8"
            " 231.5c8 7 12 15 11 24z"
        ),
    ),
    "github": (
        496,
        (
            "M165.9 397.4c0 2-2.3 3.6-5.2 3.6-3.3.3-5.6-1.3-5.6-3.6 0-2 2.3-3.6 5.2-3.6 3-.3 5.6 1.3 5.6"
            " 3.6zm-31.1-4.5c-.7 2 1.3 4.3 4.3 4.9 2.6 1 5.6 0 6.2-2s-1.3-4.3-4.3-5.2c-2.6-.7-5.5.3-6.2"
            " 2.3zm44.2-1.7c-2.9.7-4.9 2.6-4.6 4.9.3 2 2.9 3.3 5.9 2.6 2.9-.7 4.9-2.6"
            " 4.6-4.6-.3-1.9-3-3.2-5.9-2.9zM244.8 8C106.1 8 0 113.3 0 252c0 110.9 69.8 205.8 169.5 239.2 12.8"
            " 2.3 17.3-5.6 17.3-12.1 0-6.2-.3-40.4-.3-61.4 0 0-70 15-84.7-29.8 0 0-11.4-29.1-27.8-36.6 0"
            " 0-22.9-15.7 1.6-15.4 0 0 24.9 2 38.6 25.8 21.9 38.6 58.6 27.5 72.9 20.9 2.3-16 8.8-27.1"
            " 16-33.7-55.9-6.2-112.3-14.3-112.3-110.5 0-27.5 7.6-41.3 23.6-58.9-2.6-6.5-11.1-33.3 2.6-67.9"
            " 20.9-6.5 69 27 69 27 20-5.6 41.5-8.5 62.8-8.5s42.8 2.9 62.8 8.5c0 0 48.1-33.6 69-27 13.7 34.7"
            " 5.2 61.4 2.6 67.9 16 17.7 25.8 31.5 25.8 58.9 0 96.5-58.9 104.2-114.8 110.5 9.2 7.9 17 22.9 17"
            " 46.4 0 33.7-.3 75.4-.3 83.6 0 6.5 4.6 14.4 17.3 12.1C428.2 457.8 496 362.9 496 252 496 113.3"
            " 383.5 8 244.8 8zM97.2 352.9c-1.3 1-1 3.3.7 5.2 1.6 1.6 3.9 2.3 5.2 1 1.3-1"
            " 1-3.3-.7-5.2-1.6-1.6-3.9-2.3-5.2-1zm-10.8-8.1c-.7 1.3.3 2.9 2.3 3.9 1.6 1 3.6.7"
            " 4.3-.7.7-1.3-.3-2.9-2.3-3.9-2-.6-3.6-.3-4.3.7zm32.4 35.6c-1.6 1.3-1 4.3 1.3 6.2 2.3 2.3 5.2 2.6"
            " 6.5 1 1.3-1.3.7-4.3-1.3-6.2-2.2-2.3-5.2-2.6-6.5-1zm-11.4-14.7c-1.6 1-1.6 3.6 0 5.9 1.6 2.3 4.3"
            " 3.3 5.6 2.3 1.6-1.3 1.6-3.9 0-6.2-1.4-2.3-4-3.3-5.6-2z"
        ),
    ),
    "gitlab": (
        512,
        (
            "M503.5 204.6L502.8 202.8L433.1 21.02C431.7 17.45 429.2 14.43 425.9 12.38C423.5 10.83 420.8 9.865"
            " 417.9 9.57C415 9.275 412.2 9.653 409.5 10.68C406.8 11.7 404.4 13.34 402.4 15.46C400.5 17.58"
            " 399.1 20.13 398.3 22.9L351.3 166.9H160.8L113.7 22.9C112.9 20.13 111.5 17.59 109.6 15.47C107.6"
            " 13.35 105.2 11.72 102.5 10.7C99.86 9.675 96.98 9.295 94.12 9.587C91.26 9.878 88.51 10.83 86.08"
            " 12.38C82.84 14.43 80.33 17.45 78.92 21.02L9.267 202.8L8.543 204.6C-1.484 230.8-2.72 259.6 5.023"
            " 286.6C12.77 313.5 29.07 337.3 51.47 354.2L51.74 354.4L52.33 354.8L158.3 434.3L210.9 474L242.9"
            " 498.2C246.6 500.1 251.2 502.5 255.9 502.5C260.6 502.5 265.2 500.1 268.9 498.2L300.9 474L353.5"
            " 434.3L460.2 354.4L460.5 354.1C482.9 337.2 499.2 313.5 506.1 286.6C514.7 259.6 513.5 230.8 503.5"
            " 204.6z"
        ),
    ),
    "bitbucket": (
        512,
        (
            "M22.2 32A16 16 0 0 0 6 47.8a26.35 26.35 0 0 0 .2 2.8l67.9 412.1a21.77 21.77 0 0 0 21.3"
            " 18.2h325.7a16 16 0 0 0 16-13.4L505 50.7a16 16 0 0 0-13.2-18.3 24.58 24.58 0 0 0-2.8-.2L22.2"
            " 32zm285.9 297.8h-104l-28.1-147h157.3l-25.2 147z"
        ),
    ),
    "sun": (
        512,
        (
            "M361.5 1.2c5 2.1 8.6 6.6 9.6 11.9L391 121l107.9 19.8c5.3 1 9.8 4.6 11.9 9.6s1.5 10.7-1.6"
            " 15.2L446.9 256l62.3 90.3c3.1 4.5 3.7 10.2 1.6 15.2s-6.6 8.6-11.9 9.6L391 391 371.1 498.9c-1"
            " 5.3-4.6 9.8-9.6 11.9s-10.7 1.5-15.2-1.6L256 446.9l-90.3 62.3c-4.5 3.1-10.2 3.7-15.2"
            " 1.6s-8.6-6.6-9.6-11.9L121 391 13.1 371.1c-5.3-1-9.8-4.6-11.9-9.6s-1.5-10.7 1.6-15.2L65.1 256"
            " 2.8 165.7c-3.1-4.5-3.7-10.2-1.6-15.2s6.6-8.6 11.9-9.6L121 121 140.9 13.1c1-5.3 4.6-9.8"
            " 9.6-11.9s10.7-1.5 15.2 1.6L256 65.1 346.3 2.8c4.5-3.1 10.2-3.7 15.2-1.6zM160 256a96 96 0 1 1"
            " 192 0 96 96 0 1 1 -192 0zm224 0a128 128 0 1 0 -256 0 128 128 0 1 0 256 0z"
        ),
    ),
    "moon": (
        384,
        (
            "M223.5 32C100 32 0 132.3 0 256S100 480 223.5 480c60.6 0 115.5-24.2 155.8-63.4c5-4.9 6.3-12.5"
            " 3.1-18.7s-10.1-9.7-17-8.5c-9.8 1.7-19.8 2.6-30.1 2.6c-96.9 0-175.5-78.8-175.5-176c0-65.8"
            " 36-123.1 89.3-153.3c6.1-3.5 9.2-10.5 7.7-17.3s-7.3-11.9-14.3-12.5c-6.3-.5-12.6-.8-19-.8z"
        ),
    ),
    "circle-half-stroke": (
        512,
        (
            "M448 256c0-106-86-192-192-192V448c106 0 192-86 192-192zM0 256a256 256 0 1 1 512 0A256 256 0 1 1"
            " 0 256z"
        ),
    ),
    "xmark": (
        384,
        (
            "M342.6 150.6c12.5-12.5 12.5-32.8 0-45.3s-32.8-12.5-45.3 0L192 210.7 86.6"
            " 105.4c-12.5-12.5-32.8-12.5-45.3 0s-12.5 32.8 0 45.3L146.7 256 41.4 361.4c-12.5 12.5-12.5 32.8 0"
            " 45.3s32.8 12.5 45.3 0L192 301.3 297.4 406.6c12.5 12.5 32.8 12.5 45.3 0s12.5-32.8 0-45.3L237.3"
            " 256 342.6 150.6z"
        ),
    ),
}
# Font Awesome class words that are styles or sizes, not icon names.
_FA_MODIFIERS = {
    "fa",
    "fas",
    "far",
    "fab",
    "fa-solid",
    "fa-regular",
    "fa-brands",
    "fa-lg",
    "fa-sm",
    "fa-xs",
    "fa-fw",
}
# Icon names the theme uses under an older alias.
_ALIASES = {"pencil-alt": "pencil", "search": "magnifying-glass", "info-circle": "circle-info"}


def icon_name(spec: str) -> str:
    """The icon name in a Font Awesome class string: 'fas fa-download' -> 'download'."""
    words = [w for w in spec.split() if w not in _FA_MODIFIERS]
    names = [w[3:] for w in words if w.startswith("fa-")] or words
    if len(names) != 1:
        raise ValueError(f"cannot tell which icon {spec!r} names")
    return _ALIASES.get(names[0], names[0])


def icon_svg(spec: str, label: str = "") -> Markup:
    """Inline SVG for a Font Awesome icon name or class string.

    Decorative (``aria-hidden``) unless ``label`` is given. An unknown icon is a
    build warning (an error under ``-W``), never a silently blank button.
    """
    name = icon_name(spec)
    if name not in ICONS:
        logger.warning(
            "course_book.theme: no inline SVG for icon %r (add it to course_book.theme.ICONS)", spec
        )
        return Markup("")
    width, path = ICONS[name]
    a11y = f'role="img" aria-label="{Markup.escape(label)}"' if label else 'aria-hidden="true"'
    return Markup(
        f'<svg class="course-icon course-icon--{name}" {a11y} focusable="false" '
        f'viewBox="0 0 {width} 512" width="{width / 512:.3g}em" height="1em">'
        f'<path fill="currentColor" d="{path}"/></svg>'
    )


def _mask(name: str) -> str:
    width, path = ICONS[name]
    svg = f"<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 {width} 512'><path d='{path}'/></svg>"
    return 'url("data:image/svg+xml,' + quote(svg, safe=" /=:,.'-") + '")'


# The theme's CSS draws these with an icon-font glyph in a pseudo-element; here
# the same glyph is an SVG mask painted in the element's colour (no font).
_PSEUDO_ICONS = {
    ".admonition>.admonition-title:after, div.admonition>.admonition-title:after": "bell",
    "a.reference.download:before": "download",
    "nav.bd-links li>a.reference.external:after, .nav-link.nav-external:after": "arrow-up-right-from-square",
    "ul.bd-breadcrumbs li.breadcrumb-item:not(.breadcrumb-home):before": "angle-right",
    "div#searchbox p.highlight-link a:before": "magnifying-glass-minus",
    "span.versionmodified:before": "circle-exclamation",
    "a.github:before": "github",
    "a.gitlab:before": "gitlab",
    ".bd-sidebar-secondary.hide:not(:hover) .onthispage:after": "chevron-down",
}
_ADMONITION_ICONS = {
    "attention": "circle-exclamation",
    "caution": "triangle-exclamation",
    "danger": "triangle-exclamation",
    "error": "circle-xmark",
    "hint": "lightbulb",
    "important": "circle-exclamation",
    "note": "circle-info",
    "seealso": "share",
    "tip": "lightbulb",
    "todo": "pencil",
    "warning": "triangle-exclamation",
}


# The theme's icon glyphs, as CSS variables: emptied, so that no pseudo-element
# draws a glyph and the browser never fetches the icon font.
_GLYPH_VARIABLES = (
    "check-circle",
    "info-circle",
    "exclamation-triangle",
    "exclamation-circle",
    "times-circle",
    "lightbulb",
    "download",
    "angle-left",
    "angle-right",
    "external-link",
    "search-minus",
    "github",
    "gitlab",
    "share",
    "bell",
    "pencil",
)


def theme_css() -> str:
    empty = " ".join(f'--pst-icon-{v}: "";' for v in _GLYPH_VARIABLES)
    rules = [
        "/* course_book.theme: inline-SVG icons instead of Font Awesome (generated; do not edit) */",
        f'html {{ {empty} --pst-breadcrumb-divider: ""; }}',
        ".course-icon { display: inline-block; vertical-align: -0.125em; overflow: visible; }",
    ]
    for selector, name in _PSEUDO_ICONS.items():
        rules.append(
            f'{selector} {{ font: inherit; content: ""; display: inline-block; width: 1em; height: 1em; '
            "vertical-align: -0.125em; background-color: currentColor; "
            f"mask: {_mask(name)} center / contain no-repeat; }}"
        )
    for kind, name in _ADMONITION_ICONS.items():
        sel = f".admonition.{kind}>.admonition-title:after, div.admonition.{kind}>.admonition-title:after"
        rules.append(f'{sel} {{ content: ""; mask-image: {_mask(name)}; }}')
    return "\n".join(rules) + "\n"


def _write_css(app: Sphinx) -> str:
    text = theme_css()
    key = hashlib.sha256(text.encode()).hexdigest()[:12]
    folder = Path(app.outdir) / "_static" / "course"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("theme-*.css"):
        if old.name != f"theme-{key}.css":
            old.unlink()
    (folder / f"theme-{key}.css").write_text(text, encoding="utf-8")
    return f"course/theme-{key}.css"


def _on_config_inited(app: Sphinx, config: Any) -> None:
    # Our overrides come before the theme's own templates.
    if str(TEMPLATES) not in config.templates_path:
        config.templates_path.insert(0, str(TEMPLATES))


def _on_builder_inited(app: Sphinx) -> None:
    if app.builder.format != "html":
        return
    app.add_css_file(_write_css(app))
    # A template global, not a page-context entry: pydata-sphinx-theme renders
    # sidebar templates inside its own html-page-context handler.
    app.builder.templates.environment.globals["course_icon"] = icon_svg


def _basename(asset: Any) -> str:
    return Path(str(getattr(asset, "filename", asset) or "").split("?")[0]).name


def _on_html_page_context(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    body = context.get("body", "")

    # The sidebar's expand/collapse chevrons come from the theme's Python code.
    toctree_html = context.get("generate_toctree_html")
    if toctree_html is not None:
        context["generate_toctree_html"] = _inline_chevrons(toctree_html)

    # The theme's back-to-top button sits outside every landmark and draws an
    # icon-font glyph; layout.html draws it again, inside a labelled landmark.
    if str(context.get("theme_back_to_top_button", "")).lower() not in ("", "false"):
        context["theme_back_to_top_button"] = False
        context["course_back_to_top"] = True

    # Sphinx's own pages (search) carry no meta description; give them the site's.
    description = (getattr(app.config, "myst_html_meta", None) or {}).get("description", "")
    if description and 'name="description"' not in str(context.get("metatags", "")):
        context["course_description"] = description

    # Pages with the course's tables, charts or labelled sections get the small
    # accessibility script in layout.html (scroll regions, unique landmark names).
    context["course_a11y_fixes"] = any(
        m in body for m in ("course-table-wrap", "course-chart", "course-quiz", "course-live")
    )

    uses_math = 'class="math' in body
    uses_design = re.search(r'class="[^"]*\bsd-', body) is not None
    scripts = context.get("script_files")
    if scripts is not None:
        kept = []
        for js in scripts:
            name = _basename(js)
            if not uses_math and (
                "mathjax" in name.lower() or "MathJax" in str(getattr(js, "attributes", {}).get("body", ""))
            ):
                continue
            if not uses_design and name == "design-tabs.js":
                continue
            kept.append(_deferred(js))
        scripts[:] = kept
    css = context.get("css_files")
    if css is not None and not uses_design:
        css[:] = [c for c in css if _basename(c) != "sphinx-design.min.css"]


def _deferred(js: Any) -> Any:
    """The same script, deferred (unless it is inline, a module, already async or
    deferred, or documentation_options.js, which inline scripts need at once)."""
    filename = getattr(js, "filename", None)
    attrs = dict(getattr(js, "attributes", {}))
    if not filename or _basename(js) in SYNC_SCRIPTS:
        return js
    if attrs.get("type") == "module" or attrs.get("async") or attrs.get("defer"):
        return js
    attrs["defer"] = "defer"
    return type(js)(filename, priority=js.priority, **attrs)


def _inline_chevrons(generate: Any) -> Any:
    """Wrap the theme's ``generate_toctree_html``: its expand/collapse chevrons
    become inline SVG, and each ``<summary>`` that holds only the chevron gets a
    name (axe: summary-name), "Sections of <page title>"."""

    from bs4 import BeautifulSoup

    @functools.wraps(generate)
    @functools.cache
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        result = generate(*args, **kwargs)  # a BeautifulSoup object (pydata-sphinx-theme 0.17) or a string
        soup = result if isinstance(result, BeautifulSoup) else BeautifulSoup(str(result), "html.parser")
        for icon in soup.select("i.fa-chevron-down"):
            icon.replace_with(BeautifulSoup(str(icon_svg("chevron-down")), "html.parser"))
        for summary in soup.find_all("summary"):
            if summary.get_text(strip=True) or summary.get("aria-label"):
                continue
            item = summary.find_parent("li")
            link = item.find("a", recursive=False) if item else None
            title = link.get_text(" ", strip=True) if link else ""
            summary["aria-label"] = f"Sections of {title}" if title else "Sections"
        return soup if isinstance(result, BeautifulSoup) else str(soup)

    return wrapper


class _CitationListItems:
    """docutils marks each bibliography entry ``role="doc-biblioentry"``, a role
    deprecated in DPUB-ARIA 1.1 and not allowed on a ``div``; inside its
    ``role="list"`` the entries must be list items (axe: aria-allowed-role,
    aria-deprecated-role, aria-required-children)."""

    def visit_citation(self, node: Any) -> None:
        if not isinstance(node.previous_sibling(), type(node)):
            self.body.append('<div role="list" class="citation-list">\n')
        self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def _on_builder_inited_translators(app: Sphinx) -> None:
    # After pydata-sphinx-theme has put its own mixin on the HTML translators.
    if app.builder.format != "html":
        return
    import types

    translators = dict(app.registry.translators.items())
    if not translators:
        default = getattr(app.builder, "default_translator_class", None)
        if default is None:
            return
        translators = {app.builder.name: default}
    for name, klass in translators.items():
        if issubclass(klass, _CitationListItems):
            continue
        app.set_translator(
            name, types.new_class("CourseHTMLTranslator", (_CitationListItems, klass), {}), override=True
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("config-inited", _on_config_inited)
    app.connect("builder-inited", _on_builder_inited)
    app.connect("builder-inited", _on_builder_inited_translators, priority=900)
    # After the themes' and the course's own handlers (they add scripts and
    # context functions at priority 500-501).
    app.connect("html-page-context", _on_html_page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
