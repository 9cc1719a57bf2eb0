"""The About page says what every page in the navigation is for."""

from __future__ import annotations

import re

import dlrev


def test_about_describes_every_page_in_the_navigation() -> None:
    from dlrev.web.site import site_files

    files = site_files(dlrev.load())
    about = str(files["about.html"])
    items = re.findall(r'<li><a href="([^"]+)">([^<]+)</a>: ([^<]*)</li>',
                       about[about.index('id="page-list"'):about.index("</ul>",
                                                                    about.index('id="page-list"'))])
    pages = [f for f in files if f.endswith(".html") and "/" not in f]
    assert len(items) >= 9 and {h for h, _, _ in items} <= set(pages)
    for href, label, text in items:
        assert len(text.strip()) > 20, (href, label)
