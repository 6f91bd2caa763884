"""Write the intersphinx inventories of the field's packages, from the installed packages themselves.

The docs build is offline: it cannot download a project's ``objects.inv``. This script writes one per
project into this folder (``python docs/_inventories/inventories.py``, with the versions pinned in
``constraints.txt`` installed), in Sphinx's inventory format (version 2). The names come from the
installed packages; each project's URL pattern is that of its hosted documentation:

* e3nn: the pages of ``docs/api`` in e3nn's repository (which objects each page documents is
  :data:`E3NN_PAGES`, from e3nn's ``docs/api/*.rst``), e.g. ``api/o3/o3_tp.html#e3nn.o3.TensorProduct``;
* torch: ``generated/torch.linspace.html#torch.linspace`` (one page per function, class and method);
* numpy: ``reference/generated/numpy.linspace.html#numpy.linspace``;
* scipy: ``reference/generated/scipy.linalg.null_space.html#scipy.linalg.null_space``;
* matplotlib: ``api/_as_gen/matplotlib.axes.Axes.plot.html#matplotlib.axes.Axes.plot``;
* plotly: ``generated/plotly.graph_objects.Surface.html#plotly.graph_objects.Surface``;
* python: ``library/functions.html#len``, ``library/pathlib.html#pathlib.Path``, ...

An inventory lists only objects a page of the project documents: a name that is not in it stays plain
text on the site rather than linking to a page that does not exist.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import zlib
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).parent

#: Where each project's documentation lives (the base of every URL in its inventory); ``conf.py``'s
#: ``intersphinx_mapping`` reads it from here.
BASE_URLS = {
    "e3nn": "https://docs.e3nn.org/en/stable/",
    "torch": "https://docs.pytorch.org/docs/stable/",
    "numpy": "https://numpy.org/doc/stable/",
    "scipy": "https://docs.scipy.org/doc/scipy/",
    "matplotlib": "https://matplotlib.org/stable/",
    "plotly": "https://plotly.com/python-api-reference/",
    "python": "https://docs.python.org/3/",
}

#: e3nn's API pages and the objects each documents (``autoclass``/``autofunction``/``automodule`` in
#: e3nn's ``docs/api``, commit 2aa7f584 of github.com/e3nn/e3nn); a class's page documents its members.
E3NN_PAGES = {
    "api/io/cartesian_tensor": ["e3nn.io.CartesianTensor"],
    "api/io/spherical_tensor": ["e3nn.io.SphericalTensor"],
    "api/math/math": [
        "e3nn.math.direct_sum",
        "e3nn.math.orthonormalize",
        "e3nn.math.complete_basis",
        "e3nn.math.soft_one_hot_linspace",
        "e3nn.math.soft_unit_step",
    ],
    "api/nn/models/gate_points_2101": ["e3nn.nn.models.gate_points_2101"],
    "api/nn/nn_bn": ["e3nn.nn.BatchNorm"],
    "api/nn/nn_fc": ["e3nn.nn.FullyConnectedNet"],
    "api/nn/nn_gate": ["e3nn.nn.Activation", "e3nn.nn.Gate"],
    "api/nn/nn_normact": ["e3nn.nn.NormActivation"],
    "api/nn/nn_s2act": ["e3nn.nn.S2Activation"],
    "api/o3/o3_irreps": ["e3nn.o3.Irrep", "e3nn.o3.Irreps"],
    "api/o3/o3_reduce": ["e3nn.o3.ReducedTensorProducts"],
    "api/o3/o3_rotation": [
        f"e3nn.o3.{name}"
        for name in [
            "rand_matrix",
            "matrix_x",
            "matrix_y",
            "matrix_z",
            "identity_angles",
            "rand_angles",
            "compose_angles",
            "inverse_angles",
            "identity_quaternion",
            "rand_quaternion",
            "compose_quaternion",
            "inverse_quaternion",
            "rand_axis_angle",
            "compose_axis_angle",
            "angles_to_matrix",
            "matrix_to_angles",
            "angles_to_quaternion",
            "matrix_to_quaternion",
            "axis_angle_to_quaternion",
            "quaternion_to_axis_angle",
            "matrix_to_axis_angle",
            "angles_to_axis_angle",
            "axis_angle_to_matrix",
            "quaternion_to_matrix",
            "quaternion_to_angles",
            "axis_angle_to_angles",
            "angles_to_xyz",
            "xyz_to_angles",
        ]
    ],
    "api/o3/o3_s2grid": [
        "e3nn.o3.s2_grid",
        "e3nn.o3.spherical_harmonics_s2_grid",
        "e3nn.o3.rfft",
        "e3nn.o3.irfft",
        "e3nn.o3.ToS2Grid",
        "e3nn.o3.FromS2Grid",
    ],
    "api/o3/o3_sh": [
        "e3nn.o3.spherical_harmonics",
        "e3nn.o3.spherical_harmonics_alpha_beta",
        "e3nn.o3.Legendre",
    ],
    "api/o3/o3_tp": [
        "e3nn.o3.TensorProduct",
        "e3nn.o3.FullyConnectedTensorProduct",
        "e3nn.o3.FullTensorProduct",
        "e3nn.o3.ElementwiseTensorProduct",
        "e3nn.o3.TensorSquare",
    ],
    "api/o3/o3_wigner": ["e3nn.o3.wigner_D", "e3nn.o3.wigner_3j"],
    "api/util/jit": ["e3nn.util.jit"],
    "api/util/test": ["e3nn.util.test"],
}

#: An inventory line: (name, Sphinx role, URI relative to the base, with ``$`` for the name).
Entry = tuple[str, str, str]


def _resolve(name: str) -> object:
    module, _, attribute = name.rpartition(".")
    try:
        return importlib.import_module(name)
    except ImportError:
        return getattr(importlib.import_module(module), attribute)


def _role(obj: object) -> str:
    if inspect.ismodule(obj):
        return "py:module"
    if inspect.isclass(obj):
        return "py:exception" if issubclass(obj, BaseException) else "py:class"
    return "py:function" if callable(obj) else "py:data"


def _public(names: Iterable[str]) -> list[str]:
    return sorted(name for name in names if not name.startswith("_"))


def _own_members(cls: type) -> Iterator[tuple[str, str]]:
    """The public methods and properties a class defines itself (autodoc's ``:members:``)."""
    for name, value in vars(cls).items():
        if name.startswith("_"):
            continue
        if isinstance(value, property):
            yield name, "py:property"
        elif inspect.isfunction(value) or isinstance(value, (classmethod, staticmethod)):
            function = value.__func__ if isinstance(value, (classmethod, staticmethod)) else value
            if function.__doc__:
                yield name, "py:method"


def e3nn_entries() -> list[Entry]:
    entries = []
    for page, names in E3NN_PAGES.items():
        for name in names:
            obj = _resolve(name)
            entries.append((name, _role(obj), f"{page}.html#$"))
            if inspect.isclass(obj):
                entries += [
                    (f"{name}.{member}", role, f"{page}.html#$") for member, role in _own_members(obj)
                ]
            if inspect.ismodule(obj):
                entries += [
                    (f"{name}.{member}", _role(value), f"{page}.html#$")
                    for member, value in vars(obj).items()
                    if not member.startswith("_") and getattr(value, "__module__", None) == name
                ]
    return entries


def _generated(
    module: str, names: Iterable[str], page: Callable[[str], str], keep: Callable[[object], bool]
) -> list[Entry]:
    """Entries of ``module.name`` for ``names``, each on its own page ``page(full name)``."""
    namespace = importlib.import_module(module)
    entries = []
    for name in _public(names):
        obj = getattr(namespace, name, None)
        if obj is None or inspect.ismodule(obj) or not keep(obj):
            continue
        full = f"{module}.{name}"
        entries.append((full, _role(obj), page(full)))
    return entries


def _documented(obj: object) -> bool:
    return bool(getattr(obj, "__doc__", None)) and (callable(obj) or inspect.isclass(obj))


def _torch_own(module: str, value: object) -> bool:
    """Whether ``module`` defines ``value`` (its classes, and its functions, many of them from C)."""
    origin = getattr(value, "__module__", None) or ""
    if inspect.isclass(value):
        return origin.startswith(module)
    return callable(value) and origin.startswith(("torch", module)) if origin else callable(value)


def torch_entries() -> list[Entry]:
    import torch

    page = "generated/{}.html#$".format
    entries = _generated("torch", torch.__all__, lambda full: page(full), _documented)
    for module in ("torch.linalg", "torch.nn", "torch.nn.functional", "torch.optim", "torch.autograd"):
        namespace = importlib.import_module(module)
        names = getattr(namespace, "__all__", None) or [
            name for name, value in vars(namespace).items() if _torch_own(module, value)
        ]
        entries += _generated(module, names, lambda full: page(full), _documented)
    methods = [name for name in _public(dir(torch.Tensor)) if _documented(getattr(torch.Tensor, name, None))]
    entries += [(f"torch.Tensor.{name}", "py:method", page(f"torch.Tensor.{name}")) for name in methods]
    entries += [(f"torch.{name}", "py:class", page(f"torch.{name}")) for name in ("Generator", "no_grad")]
    # dtypes are listed in one table, under torch.dtype.
    dtypes = [
        name
        for name, value in vars(torch).items()
        if isinstance(value, torch.dtype) and not name.startswith("_")
    ]
    entries += [(f"torch.{name}", "py:data", "tensor_attributes.html#torch.dtype") for name in dtypes]
    # Pages of their own, not generated ones.
    entries += [
        ("torch.Tensor", "py:class", "tensors.html#$"),
        ("torch.dtype", "py:class", "tensor_attributes.html#$"),
        ("torch.device", "py:class", "tensor_attributes.html#$"),
        ("torch.finfo", "py:class", "type_info.html#$"),
        ("torch.Size", "py:class", "size.html#$"),
        ("torch", "py:module", "torch.html#module-torch"),
    ]
    return _unique(entries)


def numpy_entries() -> list[Entry]:
    import numpy as np

    def page(full: str) -> str:
        # An alias (np.abs) is documented under the name of the function it is (numpy.absolute).
        module, _, name = full.rpartition(".")
        if module == "numpy" and isinstance(getattr(np, name), np.ufunc):
            canonical = getattr(np, name).__name__
            return f"reference/generated/numpy.{canonical}.html#numpy.{canonical}"
        return f"reference/generated/{full}.html#$"

    def keep(obj: object) -> bool:
        return _documented(obj) and not (inspect.isclass(obj) and issubclass(obj, np.generic))

    entries = _generated("numpy", np.__all__, page, keep)
    entries += _generated("numpy.linalg", np.linalg.__all__, page, keep)
    entries += _generated("numpy.random", ["default_rng"], page, keep)
    methods = [name for name in _public(dir(np.ndarray)) if _documented(getattr(np.ndarray, name, None))]
    entries += [(f"numpy.ndarray.{name}", "py:method", page(f"numpy.ndarray.{name}")) for name in methods]
    scalars = [
        name
        for name in np.__all__
        if inspect.isclass(getattr(np, name)) and issubclass(getattr(np, name), np.generic)
    ]
    entries += [(f"numpy.{name}", "py:class", "reference/arrays.scalars.html#$") for name in scalars]
    entries += [
        (f"numpy.{name}", "py:data", "reference/constants.html#$") for name in ("pi", "e", "inf", "nan")
    ]
    entries.append(("numpy", "py:module", "reference/index.html#module-numpy"))
    return _unique(entries)


def scipy_entries() -> list[Entry]:
    entries = []
    for module in (
        "scipy.linalg",
        "scipy.optimize",
        "scipy.spatial",
        "scipy.special",
        "scipy.spatial.transform",
    ):
        namespace = importlib.import_module(module)
        entries += _generated(
            module, getattr(namespace, "__all__", []), "reference/generated/{}.html#$".format, _documented
        )
    return _unique(entries)


def matplotlib_entries() -> list[Entry]:
    import matplotlib.axes
    import matplotlib.figure
    import matplotlib.pyplot as plt

    page = "api/_as_gen/{}.html#$".format
    pyplot = [
        name
        for name, value in vars(plt).items()
        if inspect.isfunction(value) and value.__module__ == plt.__name__
    ]
    entries = _generated("matplotlib.pyplot", pyplot, page, _documented)
    for full, cls in (
        ("matplotlib.axes.Axes", matplotlib.axes.Axes),
        ("matplotlib.figure.Figure", matplotlib.figure.Figure),
    ):
        entries.append((full, "py:class", page(full)))
        for name in _public(dir(cls)):
            value = getattr(cls, name)
            if inspect.isfunction(value) and value.__doc__:
                entries.append((f"{full}.{name}", "py:method", page(f"{full}.{name}")))
    for module in ("matplotlib.colors", "matplotlib.patches", "matplotlib.lines", "matplotlib.text"):
        namespace = importlib.import_module(module)
        classes = [
            name
            for name, value in vars(namespace).items()
            if inspect.isclass(value) and value.__module__ == module
        ]
        entries += _generated(module, classes, page, _documented)
    return _unique(entries)


def plotly_entries() -> list[Entry]:
    import plotly.graph_objects as go

    entries = []
    for name in _public(dir(go)):
        cls = getattr(go, name)
        # Deprecated names (go.Data, go.Annotations, ...) and the widget have no page.
        if not inspect.isclass(cls) or "deprecat" in cls.__module__ or name == "FigureWidget":
            continue
        full = f"plotly.graph_objects.{name}"
        uri = f"generated/{full}.html#$"
        entries.append((full, "py:class", uri))
        if name == "Figure":  # its methods are documented on its page
            entries += [
                (f"{full}.{member}", "py:method", f"generated/{full}.html#$")
                for member in _public(dir(cls))
                if inspect.isfunction(getattr(cls, member))
            ]
    return _unique(entries)


#: Standard-library modules whose page is ``library/<module>.html``.
PYTHON_MODULES = (
    "collections.abc",
    "dataclasses",
    "functools",
    "hashlib",
    "itertools",
    "json",
    "math",
    "os",
    "pathlib",
    "re",
    "typing",
)


def python_entries() -> list[Entry]:
    entries = []
    for name, value in vars(builtins).items():
        if name.startswith("_"):
            continue
        if inspect.isclass(value) and issubclass(value, BaseException):
            entries.append((name, "py:exception", "library/exceptions.html#$"))
        elif inspect.isclass(value) and name in {
            "int",
            "float",
            "complex",
            "str",
            "list",
            "tuple",
            "dict",
            "set",
            "frozenset",
            "bytes",
            "range",
        }:
            entries.append((name, "py:class", "library/stdtypes.html#$"))
        elif callable(value):
            entries.append(
                (
                    name,
                    "py:function" if not inspect.isclass(value) else "py:class",
                    "library/functions.html#$",
                )
            )
    for module in PYTHON_MODULES:
        namespace = importlib.import_module(module)
        entries.append((module, "py:module", f"library/{module}.html#module-{module}"))
        names = getattr(namespace, "__all__", None) or [
            name for name in vars(namespace) if not name.startswith("_")
        ]
        for name in _public(names):
            value = getattr(namespace, name, None)
            if value is None or inspect.ismodule(value) or not getattr(value, "__doc__", None):
                continue
            entries.append((f"{module}.{name}", _role(value), f"library/{module}.html#$"))
    return _unique(entries)


def _unique(entries: list[Entry]) -> list[Entry]:
    return sorted(dict(((name, role), (name, role, uri)) for name, role, uri in entries).values())


PROJECTS: dict[str, tuple[str, Callable[[], list[Entry]]]] = {
    "e3nn": ("e3nn", e3nn_entries),
    "torch": ("torch", torch_entries),
    "numpy": ("numpy", numpy_entries),
    "scipy": ("scipy", scipy_entries),
    "matplotlib": ("matplotlib", matplotlib_entries),
    "plotly": ("plotly", plotly_entries),
    "python": ("Python", python_entries),
}


def inventory(project: str, version_: str, entries: list[Entry]) -> bytes:
    """The bytes of a Sphinx inventory (version 2) that lists ``entries``."""
    header = (
        "# Sphinx inventory version 2\n"
        f"# Project: {project}\n"
        f"# Version: {version_}\n"
        "# The remainder of this file is compressed using zlib.\n"
    )
    body = "".join(f"{name} {role} 1 {uri} -\n" for name, role, uri in entries)
    return header.encode() + zlib.compress(body.encode(), 9)


def main() -> None:
    import platform

    for key, (project, entries) in PROJECTS.items():
        release = platform.python_version() if key == "python" else version(key)
        listed = entries()
        (HERE / f"{key}.inv").write_bytes(inventory(project, release, listed))
        print(f"{key}.inv: {len(listed)} objects of {project} {release}")


if __name__ == "__main__":
    main()
