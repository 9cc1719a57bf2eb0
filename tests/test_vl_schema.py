"""Every chart spec names the Vega-Lite the pages run (vl-convert's bundle), so vega-embed has no
version mismatch to warn about in the console."""

from __future__ import annotations

import re

import dlrev


def test_specs_name_the_bundled_vega_lite() -> None:
    import vl_convert as vlc

    from dlrev.web.site import site_files
    from dlrev.web.vlspec import SCHEMA

    bundled = vlc.get_vegalite_versions()[-1].split(".")[0]
    assert SCHEMA.endswith(f"/vega-lite/v{bundled}.json")
    files = site_files(dlrev.load())
    named = set()
    for path, text in files.items():
        if path.endswith((".json", ".html")) and isinstance(text, str):
            named |= set(re.findall(r"schema/vega-lite/v(\d+)", text))
    assert named == {bundled}, named
