"""Rendering the IR to source files with Jinja (one template per kind of file)."""

from __future__ import annotations

import functools
from pathlib import Path

import jinja2

from trunkline.codegen import ir

__all__ = ["render_containers", "render_unit"]

TEMPLATES = Path(__file__).resolve().parent / "templates"


@functools.cache
def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        autoescape=False,
    )
    env.filters["doc"] = ir.doc_text
    env.filters["pyrepr"] = ir.pyrepr
    return env


def _render(template: str, **context: object) -> str:
    return _env().get_template(template).render(**context)


def _container_files(
    container: ir.Container, folder: tuple[str, ...], source: str
) -> dict[tuple[str, ...], str]:
    if container.base:
        return {
            (*folder, "__init__.py"): _render(
                "provider_init.py.jinja", client=container.class_name, source=source
            ),
            (*folder, "_client.py"): _render(
                "container.py.jinja", container=container, source=source
            ),
        }
    return {
        (*folder, "__init__.py"): _render("container.py.jinja", container=container, source=source)
    }


def render_unit(unit: ir.Unit) -> dict[tuple[str, ...], str]:
    """The files of one spec, keyed by path parts relative to the output root."""
    folder = (unit.provider, *unit.path)
    files = _container_files(unit.container, folder, unit.spec)
    for resource in unit.resources:
        files[(*folder, f"{resource.module}.py")] = _render(
            "service.py.jinja", resource=resource, spec=unit.spec
        )
    if unit.shortcuts:
        files[(*folder, "_shortcuts.py")] = _render(
            "shortcuts.py.jinja", spec=unit.spec, shortcuts=unit.shortcuts, unit=unit.path
        )
    if unit.model_modules:
        package = (*folder, "models")
        files[(*package, "__init__.py")] = _render(
            "models_init.py.jinja",
            spec=unit.spec,
            title=unit.container.doc,
            modules=unit.model_modules,
            homes=sorted(
                ((name, mod.name) for mod in unit.model_modules for name in mod.defined),
                key=lambda home: ir.export_order(home[0]),
            ),
        )
        for mod in unit.model_modules:
            files[(*package, f"{mod.name}.py")] = _render(
                "models.py.jinja", spec=unit.spec, module=mod
            )
    return files


def render_containers(
    provider: str, containers: list[ir.Container], source: str
) -> dict[tuple[str, ...], str]:
    """The files of the grouping containers of one provider."""
    files: dict[tuple[str, ...], str] = {}
    for container in containers:
        files.update(_container_files(container, (provider, *container.path), source))
    return files
