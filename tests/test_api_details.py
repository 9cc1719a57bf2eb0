"""The API's small contracts on a site folder made from the real milestones: an unknown
milestone domain is a 400 naming the allowed ones, and /api lists /api/lab even when the site
was built without a lab folder (saying so)."""

from __future__ import annotations

import json
import warnings
from typing import Any

import pytest

import dlrev
from dlrev.web.pagedata import milestone_records


@pytest.fixture(scope="module")
def milestones() -> list[dict[str, Any]]:
    return json.loads(json.dumps(milestone_records(dlrev.load().milestones)))


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, milestones: list[dict[str, Any]]) -> Any:
    from dlrev.web.app import create_app

    root = tmp_path_factory.mktemp("site")
    (root / "data").mkdir()
    (root / "index.html").write_text("<!doctype html><title>Story</title>", encoding="utf-8")
    (root / "data" / "systems.json").write_text("[]", encoding="utf-8")
    (root / "data" / "meta.json").write_text("{}", encoding="utf-8")
    (root / "data" / "milestones.json").write_text(json.dumps(milestones), encoding="utf-8")
    (root / "data" / "benchmarks.json").write_text('{"x": 1}', encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(create_app(root))


def test_unknown_milestone_domain_is_a_400_naming_the_allowed(client: Any) -> None:
    r = client.get("/api/milestones", params={"domain": "foo"})
    assert r.status_code == 400
    assert r.json()["error"] == ("domain 'foo' is not one of games, language, science, vision "
                                 "(comma-separate several).")
    r = client.get("/api/milestones", params={"domain": "games,foo"})
    assert r.status_code == 400 and "'foo'" in r.json()["error"]


def test_known_milestone_domains_still_filter(client: Any,
                                              milestones: list[dict[str, Any]]) -> None:
    games = [m for m in milestones if m["domain"] == "games"]
    science = [m for m in milestones if m["domain"] == "science"]
    assert len(games) > 5 and len(science) > 5
    r = client.get("/api/milestones", params={"domain": "games"})
    assert r.status_code == 200 and r.json()["total"] == len(games)
    r = client.get("/api/milestones", params={"domain": "Games, science"})
    assert r.status_code == 200 and r.json()["total"] == len(games) + len(science)
    assert client.get("/api/milestones").json()["total"] == len(milestones)


def test_api_index_lists_lab_and_says_it_is_absent(client: Any) -> None:
    index = client.get("/api").json()
    assert "/api/lab" in index["endpoints"] and "/api/benchmarks" in index["endpoints"]
    assert "--lab" in index["not_in_this_site"]["/api/lab"]
    assert "/api/benchmarks" not in index["not_in_this_site"]
    assert client.get("/api/lab").status_code == 404
    assert client.get("/api/benchmarks").json() == {"x": 1}
