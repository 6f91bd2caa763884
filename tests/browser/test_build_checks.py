"""The strict build's own checks fail on what they are meant to catch (here: a printed line too wide)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

EXT = Path(__file__).resolve().parents[2] / "docs" / "_ext"
OUTPUT = """Example
=======

.. rst-class:: sphx-glr-script-out

 .. code-block:: none

    {line}
"""


def strict_build(
    source: Path, conf: str, index: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``sphinx-build -W`` of a one-page project in ``source``: this folder's extensions importable, then
    ``conf`` as its conf.py, ``index`` as its page; HTML into ``source / "_build"``."""
    source.mkdir(parents=True, exist_ok=True)
    (source / "conf.py").write_text(f"import sys\nsys.path.insert(0, {str(EXT)!r})\n{conf}")
    (source / "index.rst").write_text(index)
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source), str(source / "_build")]
    return subprocess.run(command, capture_output=True, text=True, check=False, env=env)


def build(tmp_path: Path, line: str) -> subprocess.CompletedProcess[str]:
    return strict_build(tmp_path, "extensions = ['output_width']\n", OUTPUT.format(line=line))


def test_a_printed_line_wider_than_the_column_fails_the_build(tmp_path: Path) -> None:
    sys.path.insert(0, str(EXT))
    from output_width import COLUMN

    fits = build(tmp_path, "x" * COLUMN)
    assert fits.returncode == 0, fits.stderr
    too_wide = build(tmp_path, "y" * (COLUMN + 1))
    assert too_wide.returncode != 0
    assert f"printed line of {COLUMN + 1} characters" in too_wide.stderr, too_wide.stderr


MATH = """Formulas
========

Inline :math:`{inline}` and displayed:

.. math::
   :label: shown

   {display}
"""


def build_math(tmp_path: Path, inline: str, display: str) -> subprocess.CompletedProcess[str]:
    conf = "extensions = ['mathml']\nhtml_math_renderer = 'mathml'\n"
    return strict_build(tmp_path, conf, MATH.format(inline=inline, display=display))


def test_math_is_mathml_with_its_tex(tmp_path: Path) -> None:
    inline, display = r"\mathfrak{so}(3) \ni \hat u", r"\bar t_a = \frac{1}{|G|} \sum_{g \in G} D(g)\, t_a"
    built = build_math(tmp_path, inline, display)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "_build" / "index.html").read_text(encoding="utf-8")
    assert page.count("<math") == 2, page
    assert '<div class="math notranslate nohighlight" id="equation-shown">' in page, page
    assert '<math display="block">' in page and '<span class="eqno">(1)' in page, page
    assert r'<annotation encoding="application/x-tex">\bar t_a = \frac{1}{|G|}' in page, page
    assert "<mi>\U0001d530</mi><mi>\U0001d52c</mi>" in page, page  # \mathfrak as Unicode's fraktur letters
    assert "mathjax" not in page.lower(), page


def test_a_formula_mathml_cannot_show_fails_the_build(tmp_path: Path) -> None:
    for inline, display, message in (
        (r"\notacommand{x}", "x", r"unknown command '\\notacommand'"),
        ("x", r"\cancel{x}", "menclose"),
        (r"\frac{1}{", "x", "cannot typeset"),
        ("x", r"a & b", "'&' outside a matrix environment"),
    ):
        built = build_math(tmp_path, inline, display)
        assert built.returncode != 0, (inline, display)
        assert message in built.stderr, built.stderr


def test_mathml_is_what_browsers_draw() -> None:
    """latex2mathml's output, rewritten into what MathML Core draws as TeX would set it."""
    sys.path.insert(0, str(EXT))
    from xml.etree.ElementTree import fromstring

    from mathml import to_mathml

    def tree(latex: str) -> object:
        return fromstring(to_mathml(latex))

    # no mathvariant but "normal" (browsers ignore the others): Unicode's letters instead
    for latex in (r"\mathfrak{so}(3)", r"\boldsymbol{x}", r"\mathbb{R}"):
        assert all(node.get("mathvariant") in (None, "normal") for node in tree(latex).iter()), latex
    # the minus of (-1) is unary, the one of a - b binary
    signs = [node.get("form") for node in tree("(-1)^l - a").iter("mo") if node.text == "\u2212"]
    assert signs == ["prefix", None], signs
    # two primes share one superscript
    assert [node.tag for node in tree("C_2''").iter() if node.tag.startswith("ms")] == ["msubsup"]
    # a function name is spaced from its argument, not from a delimiter
    assert len(list(tree(r"\dim V").iter("mspace"))) == 1
    assert len(list(tree(r"\sin(x)").iter("mspace"))) == 0
    # no TeX left in what is drawn: only the annotation holds it
    for node in tree(r"\big\| x \big\|").iter():
        assert node.tag == "annotation" or "\\" not in (node.text or ""), node.text


def background_build(tmp_path: Path, experiment: str, cache: bool = True) -> subprocess.CompletedProcess[str]:
    """A strict build with the background_tasks extension, its experiment replaced by ``experiment``."""
    conf = (
        f"import background_tasks\nbackground_tasks.EXPERIMENT = {experiment!r}\n"
        "extensions = ['background_tasks']\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "SYMMETRY_TASKS_CACHE"}
    if cache:
        env["SYMMETRY_TASKS_CACHE"] = str(tmp_path / "cache")
    return strict_build(tmp_path / "source", conf, "Title\n=====\n", env)


def test_the_background_experiment_runs_once_per_build_and_its_failure_fails_it(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    ran = background_build(tmp_path / "ok", f"open({str(marker)!r}, 'a').write('x')")
    assert ran.returncode == 0, ran.stderr
    assert marker.read_text() == "x"  # started, and waited for before the build ended
    failed = background_build(tmp_path / "bad", "raise SystemExit('no crystal today')")
    assert failed.returncode != 0
    assert "background perovskite experiment failed" in failed.stderr and "no crystal today" in failed.stderr
    alone = background_build(tmp_path / "off", f"open({str(marker)!r}, 'a').write('y')", cache=False)
    assert alone.returncode == 0, alone.stderr
    assert marker.read_text() == "x"  # without a cache there is nothing to share: nothing started


SETTINGS = '''class Settings:
    """Settings of an example."""

    #: {comment}
    radius: float = 3.0

    @property
    def diameter(self) -> float:
        """{docstring}"""
        return 2 * self.radius
'''
SETTINGS_PAGE = """API
===

.. autoclass:: example_settings.Settings
   :members:
"""


def attribute_build(tmp_path: Path, comment: str, docstring: str) -> subprocess.CompletedProcess[str]:
    """A strict autodoc build of one class whose attribute has the doc ``comment`` and whose property has
    the docstring ``docstring``."""
    tmp_path.mkdir(parents=True)
    (tmp_path / "example_settings.py").write_text(SETTINGS.format(comment=comment, docstring=docstring))
    conf = (
        f"sys.path.insert(0, {str(tmp_path)!r})\n"
        "extensions = ['sphinx.ext.autodoc', 'sphinx.ext.napoleon', 'attribute_docs']\n"
    )
    return strict_build(tmp_path, conf, SETTINGS_PAGE)


def test_an_attribute_doc_whose_first_line_napoleon_would_cut_at_a_colon_fails_the_build(
    tmp_path: Path,
) -> None:
    """Napoleon shows "Cutoff in Å" of ``#: Cutoff in Å: ...`` as the attribute's type; colons in code
    spans and roles are not cut at."""
    fine = attribute_build(
        tmp_path / "fine", "Cutoff in Å, as ``radius: 3.0`` in a file.", "Twice :attr:`radius`, in Å."
    )
    assert fine.returncode == 0, fine.stderr
    for comment, docstring, shown in (
        ("Cutoff in Å: points farther apart do not interact.", "Twice the radius.", "Cutoff in Å"),
        ("Cutoff in Å.", "Twice the radius: in Å.", "Twice the radius"),
    ):
        cut = attribute_build(tmp_path / shown.replace(" ", "_"), comment, docstring)
        assert cut.returncode != 0
        assert f"Napoleon would show '{shown}' as its type" in cut.stderr, cut.stderr
