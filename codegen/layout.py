"""Where a unit's models go: one module per service, shared and unused classes apart.

A service imports one module of its unit's ``models`` package and finds there every class
it names; importing it builds those classes and what they refer to, not the unit's others.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import attrs

from trunkline.codegen import ir
from trunkline.codegen.naming import snake

__all__ = ["MODELS", "place_models"]

# How a service module refers to its models module (``from .models import x as _models``).
MODELS = "_models."


def _service_uses(resource: ir.Resource) -> set[str]:
    """The model and enum classes a service's own code names: results decoded, enums checked.

    A model-typed argument is passed as a mapping, so its class is not among them; a
    method's ``decode`` names its classes as ``_models.<class>`` (``<model>.from_dict``,
    or a list or union decoder of several).
    """
    used: set[str] = set()
    for method in resource.methods:
        if method.decode is not None:
            used.update(re.findall(r"\b_models\.(\w+)", method.decode))
        used.update(p.type.enum.removeprefix(MODELS) for p in method.params if p.type.enum)
    return used


def _users(refers: dict[str, set[str]], direct: dict[str, set[str]]) -> dict[str, set[str]]:
    """For each class, the service modules that name it or reach it through other classes."""
    users: dict[str, set[str]] = {name: set() for name in refers}
    for module, names in direct.items():
        stack, seen = list(names), set()
        while stack:
            name = stack.pop()
            if name not in seen:
                seen.add(name)
                users[name].add(module)
                stack.extend(refers[name])
    return users


def _homes(
    groups: dict[tuple[str, ...], list[str]], services: dict[str, str], title: str
) -> tuple[dict[str, str], dict[str, str]]:
    """The module of each class, and the docstring of each module, from the classes' users.

    A group used by one service goes to that service's module; any other group gets a
    module named after its first class (``_unreferenced`` for the classes nobody uses).
    """
    taken = set(services)
    home: dict[str, str] = {}
    docs: dict[str, str] = {}
    for key in sorted(groups, key=lambda k: (len(k) == 1, k)):
        if len(key) == 1:
            module = key[0]
            docs[module] = (
                f"Models and enums ``{services[module]}`` takes and returns, "
                "and those they refer to."
            )
        else:
            base = "_unreferenced" if not key else "_" + snake(min(groups[key]))
            module, n = base, 2
            while module in taken:
                module, n = f"{base}_{n}", n + 1
            taken.add(module)
            if key:
                names = [f"``{services[m]}``" for m in key]
                docs[module] = (
                    f"Models and enums shared by {', '.join(names[:-1])} and {names[-1]}."
                )
            else:
                docs[module] = f"Models and enums of {title} that no operation takes or returns."
        home.update(dict.fromkeys(groups[key], module))
    return home, docs


def place_models(
    resources: Sequence[ir.Resource],
    models: tuple[ir.ModelDef, ...],
    enums: tuple[ir.EnumDef, ...],
    title: str,
) -> tuple[tuple[ir.Resource, ...], tuple[ir.ModelModule, ...]]:
    """Split a unit's models into modules, so importing a service imports only what it uses.

    Each class goes with the services that use it, directly or through a model that refers
    to it: a class one service uses lives in that service's module (named after the service
    module); classes used by the same several services, or by none, share a module of
    their own. A service's module imports what it needs from those, so the service finds
    every class it names in one module. A class's users are a superset of those of every
    class referring to it, so the imports never go round in a circle.
    """
    refers: dict[str, set[str]] = {e.name: set() for e in enums}
    known = {e.name for e in enums} | {m.name for m in models}
    for model in models:
        # The annotation names every class a field decodes to, a union's members too.
        refers[model.name] = {
            name
            for f in model.fields
            for name in re.findall(r"\w+", f.type.annotation)
            if name in known
        }
    direct = {r.module: _service_uses(r) for r in resources}
    groups: dict[tuple[str, ...], list[str]] = {}
    for name, users in _users(refers, direct).items():
        groups.setdefault(tuple(sorted(users)), []).append(name)
    services = {r.module: r.class_name for r in resources}
    home, docs = _homes(groups, services, title)
    for module, names in direct.items():
        if names:
            docs.setdefault(module, f"Models and enums ``{services[module]}`` takes and returns.")
    out: list[ir.ModelModule] = []
    for module in sorted(docs):
        own_models = tuple(m for m in models if home[m.name] == module)
        own_enums = tuple(e for e in enums if home[e.name] == module)
        needed = set(direct.get(module, ()))
        for model in own_models:
            needed |= refers[model.name]
        imports: dict[str, list[str]] = {}
        for name in sorted(needed, key=ir.import_order):
            if home[name] != module:
                imports.setdefault(home[name], []).append(name)
        out.append(
            ir.ModelModule(
                name=module,
                doc=docs[module],
                models=own_models,
                enums=own_enums,
                imports=tuple((m, tuple(imports[m])) for m in sorted(imports, key=ir.import_order)),
            )
        )
    placed = tuple(
        attrs.evolve(r, models_module=r.module if direct[r.module] else None) for r in resources
    )
    return placed, tuple(out)
