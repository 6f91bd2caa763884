"""The atlas of the 32 point groups: generated pages, their links, and their tables on the built site."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from symmetry_tasks.symmetry import NAMES, character_table, maximal_subgroups

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ATLAS = "point_groups"
SECTIONS = ("Generators", "Stereogram", "Character table", "Reduction of O(3)", "Maximal subgroups")


def test_generator_writes_an_index_and_a_page_per_group(tmp_path: Path) -> None:
    """The extension's generator alone: 33 files, the sections of each page, one block per subgroup class."""
    sys.path.insert(0, str(ROOT / "docs" / "_ext"))
    try:
        import atlas
    finally:
        sys.path.remove(str(ROOT / "docs" / "_ext"))
    written = atlas.write_atlas(tmp_path)
    assert sorted(written) == sorted(["index.rst", *(f"{name}.rst" for name in NAMES)])
    index = (tmp_path / "index.rst").read_text(encoding="utf-8")
    toctree = index.split(".. toctree::")[1]
    assert re.findall(r"^   (\w+)$", toctree, flags=re.MULTILINE) == list(NAMES)
    for name in NAMES:
        text = (tmp_path / f"{name}.rst").read_text(encoding="utf-8")
        headings = re.findall(r"^(.+)\n-+$", text, flags=re.MULTILINE)
        assert tuple(headings) == SECTIONS, (name, headings)
        classes = [f"{c.name}:{c.index}" for c in maximal_subgroups(name)]
        assert re.findall(rf"^\.\. correlation-table:: {name} (\S+)$", text, flags=re.MULTILINE) == classes
        assert (
            re.findall(rf"^\.\. order-parameter-table:: {name} (\S+)$", text, flags=re.MULTILINE) == classes
        )
    assert atlas.write_atlas(tmp_path) == []  # unchanged pages are not written again


def test_index_links_every_group_page(visit, site: Path) -> None:
    page = visit(f"{ATLAS}/index.html").page
    links = page.eval_on_selector_all("table a.group-link", "links => links.map(a => a.getAttribute('href'))")
    assert sorted(links) == sorted(f"{name}.html" for name in NAMES)
    for link in links:
        assert (site / ATLAS / link).is_file(), link


@pytest.mark.parametrize("name", ["C1", "C3", "D4h", "T", "Oh"])
def test_character_table_has_a_row_per_irrep(visit, name: str) -> None:
    page = visit(f"{ATLAS}/{name}.html").page
    rows = page.locator("table.character-table tbody tr").count()
    assert rows == len(character_table(name).irreps)
    title = page.inner_text("h1").strip()
    assert title.replace("\n", "").startswith(name[0]), title


def test_maximal_subgroups_each_have_their_tables(visit) -> None:
    page = visit(f"{ATLAS}/D4h.html").page
    classes = maximal_subgroups("D4h")
    assert page.locator("table.maximal-subgroup-table tbody tr").count() == len(classes)
    assert page.locator("table.correlation-table").count() == len(classes)
    headings = [
        text.strip().rstrip("#").strip()
        for text in page.locator("section section section h3").all_inner_texts()
    ]
    assert [h.replace("\n", "") for h in headings] == [f"{c.name}:{c.index}" for c in classes]


@pytest.mark.parametrize("path", ["theory/d4h_d2h.html", "theory/c4_c2.html", "theory/character_tables.html"])
def test_group_links_resolve(visit, site: Path, path: str) -> None:
    page = visit(path).page
    links = page.eval_on_selector_all(
        "a.group-link", "links => links.map(a => [a.getAttribute('href'), a.innerText])"
    )
    assert links, f"{path} links no group"
    for href, text in links:
        target = (site / path).parent / href
        assert target.resolve().is_file(), href
        assert target.stem == text.replace("\n", ""), (href, text)


def test_stereogram_follows_the_theme(visit) -> None:
    for scheme in ("light", "dark"):
        page = visit(f"{ATLAS}/Oh.html", color_scheme=scheme).page
        page.wait_for_function(f"() => document.documentElement.dataset.theme === '{scheme}'")
        shown = page.eval_on_selector_all(
            "img.plot-directive",
            "imgs => imgs.filter(img => img.getClientRects().length).map(img => img.getAttribute('src'))",
        )
        assert len(shown) == 1, shown
        assert shown[0].endswith(".dark.svg") == (scheme == "dark"), shown
