"""The package imports lazily: the command line (naming, tabulating and enumerating groups, order parameters)
loads neither torch nor e3nn nor sympy.

Properties of what gets imported, checked in fresh interpreters; how long it takes is measured in
``benchmarks/bench_cli.py``, not here.
"""

import ast
import subprocess
import sys
import textwrap

import pytest

import symmetry_tasks
from symmetry_tasks import symmetry

HEAVY = ("torch", "e3nn", "sympy", "scipy", "matplotlib", "plotly")


def _fresh(code: str) -> list[str]:
    """The lines a fresh interpreter prints after running ``code``, then the heavy modules it loaded."""
    probe = f"import sys\n{textwrap.dedent(code)}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return done.stdout.splitlines()


def test_the_command_line_loads_no_heavy_module():
    """``table``, ``subgroups`` and ``breaking`` (both parities, JSON, a turned subgroup) run on numpy; the
    probe sees a heavy module when one is loaded (the API's torch tensors, made on first use)."""
    quiet = textwrap.dedent("""
        import contextlib, io
        from symmetry_tasks.__main__ import main
        with contextlib.redirect_stdout(io.StringIO()):
            statuses = [main(["table", "Oh"]), main(["subgroups", "D4h"]), main(["table", "-4m2", "--json"])]
            statuses += [main(["breaking", "Oh", "O"]), main(["breaking", "D4h", "D4", "--lmax", "6"])]
            statuses += [main(["breaking", "Oh", "D3d", "--json"]), main(["breaking", "D4h", "D2h:2"])]
        print(statuses)
    """)
    assert _fresh(quiet)[-2:] == ["[0, 0, 0, 0, 0, 0, 0]", "[]"]
    vector = (
        "from symmetry_tasks.symmetry import order_parameters\norder_parameters('D4h', 'D4', 2)[0].vector"
    )
    assert _fresh(quiet + vector)[-1] == "['torch']"


def test_top_level_names_load_only_their_module():
    """``from symmetry_tasks import point_group`` and the group core load no torch; a network name does."""
    core = """
        from symmetry_tasks import character_table, point_group
        from symmetry_tasks.symmetry import NAMES, CharacterTable, subgroups, maximal_subgroups
        group = point_group("D4h")
        print(character_table(group).irreps[0], len(subgroups(group)), group.order)
    """
    expected = f"{symmetry.character_table('D4h').irreps[0]} {len(symmetry.subgroups('D4h'))} 16"
    assert _fresh(core) == [expected, "[]"]
    assert "torch" in ast.literal_eval(_fresh("from symmetry_tasks import EquivariantNetwork")[-1])


def test_lazy_names_are_the_defined_objects():
    """Every name of ``__all__`` resolves, to the object its module defines, and ``dir`` lists it."""
    for package in (symmetry_tasks, symmetry):
        assert set(package.__all__) <= set(dir(package))
        for name in package.__all__:
            value = getattr(package, name)
            home = sys.modules[value.__module__] if hasattr(value, "__module__") else package
            assert getattr(home, name, value) is value, name
    assert (
        symmetry.subgroups.__module__ == "symmetry_tasks.symmetry.subgroups"
    )  # the function, not the module
    assert symmetry.breaking.__name__ == "symmetry_tasks.symmetry.breaking"
    assert symmetry_tasks.point_group is symmetry.point_group


@pytest.mark.parametrize("package", [symmetry_tasks, symmetry])
def test_unknown_attribute_is_an_attribute_error(package):
    with pytest.raises(AttributeError, match="no_such_name"):
        package.no_such_name  # noqa: B018
