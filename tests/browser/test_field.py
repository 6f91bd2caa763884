"""The site connected to its field: the paper and the tutorial cited, links into the field's docs, copy
buttons that copy code alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.browser

GALLERY = "auto_examples"
DOI_URL = "https://doi.org/10.1103/PhysRevResearch.3.L012002"
TUTORIAL_HOST = "blondegeek.github.io/e3nn_tutorial"
#: The hosts of the documentation that the site's code and prose link into.
FIELD_DOCS = {
    "e3nn": "docs.e3nn.org",
    "torch": "docs.pytorch.org",
    "numpy": "numpy.org",
    "matplotlib": "matplotlib.org",
}


def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def _links(soup: BeautifulSoup) -> list[str]:
    return [a["href"] for a in soup.find_all("a", href=True)]


def _assert_cites(site: Path, path: str) -> None:
    soup = _soup(site, path)
    links = _links(soup)
    assert DOI_URL in links, f"{path} does not link the paper's DOI"
    assert any(TUTORIAL_HOST in link for link in links), f"{path} does not link the original tutorial"
    bibtex = soup.select(".highlight-bibtex pre")
    assert bibtex and "10.1103/PhysRevResearch.3.L012002" in bibtex[0].get_text(), f"{path}: no BibTeX"


def test_landing_page_cites_the_paper_and_the_tutorial(site: Path) -> None:
    _assert_cites(site, "index.html")


def test_task_page_cites_the_paper_and_the_tutorial(site: Path, gallery_path: str) -> None:
    _assert_cites(site, gallery_path)


def test_notebooks_end_with_the_citation_in_markdown(site: Path, gallery_paths: list[str]) -> None:
    for path in gallery_paths:
        stem = Path(path).stem
        (notebook,) = site.glob(f"_downloads/*/{stem}.ipynb")
        last = json.loads(notebook.read_text(encoding="utf-8"))["cells"][-1]
        text = "".join(last["source"])
        assert last["cell_type"] == "markdown", notebook
        assert DOI_URL in text and TUTORIAL_HOST in text and "```bibtex" in text, text
        assert ":doc:" not in text and ".. " not in text, text


def test_code_and_prose_link_the_fields_docs(site: Path, gallery_paths: list[str]) -> None:
    """Every task page links into the field's docs (e3nn, torch, numpy or matplotlib: the crystal pages
    use no e3nn or torch name in their code); over the site, each of the four projects."""
    hosts = set()
    for path in gallery_paths:
        links = _links(_soup(site, path))
        page_hosts = {host for host in FIELD_DOCS.values() if any(f"//{host}/" in link for link in links)}
        assert page_hosts, f"{path} links none of {sorted(FIELD_DOCS)}"
        hosts |= page_hosts
    api = site / "api" / "generated"
    for page in api.glob("*.html"):
        links = _links(_soup(site, str(page.relative_to(site))))
        hosts |= {host for host in FIELD_DOCS.values() if any(f"//{host}/" in link for link in links)}
    assert hosts == set(FIELD_DOCS.values()), f"no links into {set(FIELD_DOCS.values()) - hosts}"


COPY = """async (index) => {
    const button = document.querySelectorAll('button.copybtn')[index];
    button.closest('.highlight').dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
    button.click();
    await new Promise(resolve => setTimeout(resolve, 200));
    return navigator.clipboard.readText();
}"""


def test_copy_buttons_copy_code_without_prompts_or_outputs(tab, visit) -> None:
    """Code cells have a copy button and outputs have none; a doctest copies without ``>>>`` or output."""
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = visit(f"{GALLERY}/03_breaking_with_x2_y2.html").page
    counts = page.evaluate(
        """() => ({
            code: document.querySelectorAll('div.highlight-Python pre').length,
            buttons: document.querySelectorAll('div.highlight-Python button.copybtn').length,
            outputs: document.querySelectorAll('.sphx-glr-script-out button.copybtn').length,
        })"""
    )
    assert counts["code"] > 0 and counts["buttons"] == counts["code"] and counts["outputs"] == 0, counts
    copied = page.evaluate(COPY, 0)
    first_cell = page.inner_text("div.highlight-Python pre")
    assert copied.strip() == first_cell.strip()
    # A docstring example on an API page: prompts and printed results are left out.
    page = visit("api/generated/symmetry_tasks.symmetry.html").page
    index = page.evaluate(
        "() => Array.from(document.querySelectorAll('button.copybtn'))"
        ".findIndex(b => b.closest('.highlight').querySelector('.gp'))"
    )
    assert index >= 0, "no doctest with a copy button on the page"
    copied = page.evaluate(COPY, index)
    assert copied.strip(), "nothing copied"
    assert ">>>" not in copied and "..." not in copied.split("\n")[0], copied
    outputs = page.evaluate(
        "(index) => Array.from(document.querySelectorAll('button.copybtn')[index]"
        ".closest('.highlight').querySelectorAll('.go'), o => o.textContent.trim()).filter(t => t)",
        index,
    )
    assert outputs and not any(line in copied.splitlines() for line in outputs), (copied, outputs)
