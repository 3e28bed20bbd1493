"""Which specs ``generate`` builds: discovery of spec files and their provider and container path.

A spec is Twilio's (``twilio_*``, one unit per domain version), one of ours marked
``x-trunkline``, or any other OpenAPI document, which gets a client of its own.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import attrs

from trunkline.codegen.specs import REPO_ROOT, load_lock, spec_dir

__all__ = ["GenerateError", "SpecJob", "discover", "job_for", "openapi_reason", "provider_configs"]

PROVIDERS = REPO_ROOT / "specs" / "providers.json"


class GenerateError(Exception):
    """Generation cannot proceed (bad arguments, missing specs)."""


@attrs.frozen
class SpecJob:
    """One spec to generate: which provider it belongs to and where its container sits."""

    provider: str
    client: str
    base: str
    caller_defaults: tuple[str, ...]
    spec: Path
    path: tuple[str, ...]

    @property
    def key(self) -> str:
        """The manifest key: provider and container path."""
        return "/".join((self.provider, *self.path))


def provider_configs() -> dict[str, dict[str, Any]]:
    """Each provider of ``specs/providers.json`` by name: its client, base class and specs."""
    data: dict[str, dict[str, Any]] = json.loads(PROVIDERS.read_text())
    return data


def _twilio_path(spec: Path) -> tuple[str, ...]:
    stem = spec.stem
    if stem.startswith("twilio_"):
        stem = stem[len("twilio_") :]
    parts = stem.rsplit("_", 1)
    return tuple(p for p in parts if p)


def openapi_reason(path: Path) -> str | None:
    """Why ``path`` is not an OpenAPI 3 document, or None when it is one.

    Decided by parsing the file and reading its top-level keys: Twilio's specs may open
    with a long ``components`` block, so the ``openapi`` key can sit anywhere.
    """
    from trunkline.codegen.loader import parse_document

    try:
        data = parse_document(path)
    except ValueError as exc:
        return f"not valid JSON/YAML ({' '.join(str(exc).split())[:200]})"
    if not isinstance(data, dict):
        return f"the top level is a {type(data).__name__}, not a mapping"
    version = data.get("openapi")
    if version is None:
        if "swagger" in data:
            return "a Swagger 2.0 document; OpenAPI 3.0 or 3.1 is needed"
        return "no top-level 'openapi' key"
    if not isinstance(version, str) or not version.startswith("3."):
        return f"'openapi' is {version!r}; OpenAPI 3.0 or 3.1 is needed"
    return None


def _own_spec_path(spec: Path) -> tuple[str, dict[str, Any]] | None:
    """The ``x-trunkline`` block of a spec of ours (read cheaply), or None."""
    text = spec.read_text()
    if "x-trunkline" not in text:
        return None
    from trunkline.codegen.loader import load_spec

    data = load_spec(spec).data
    block = data.get("x-trunkline")
    return (spec.name, block) if isinstance(block, dict) else None


def _job(name: str, config: dict[str, Any], spec: Path, path: tuple[str, ...]) -> SpecJob:
    return SpecJob(
        provider=name,
        client=str(config["client"]),
        base=str(config["base"]),
        caller_defaults=tuple(config.get("caller_defaults") or ()),
        spec=spec,
        path=path,
    )


def _for_file(spec: Path, providers: dict[str, dict[str, Any]], name: str | None = None) -> SpecJob:
    own = _own_spec_path(spec) if spec.suffix.lower() in (".yaml", ".yml") else None
    if own is not None:
        block = own[1]
        for provider, config in providers.items():
            if config["client"] == block.get("client"):
                domain = block.get("domain")
                return _job(provider, config, spec, (str(domain),) if domain else ())
    if spec.name.startswith("twilio_"):
        return _job("twilio", providers["twilio"], spec, _twilio_path(spec))
    return _generic_job(spec, name)


def _generic_job(spec: Path, name: str | None) -> SpecJob:
    """Any other spec gets its own client, named from ``name`` or its ``info.title``."""
    from trunkline.codegen.loader import load_spec
    from trunkline.codegen.spec_client import GENERIC_BASE, client_names

    package, client = client_names(load_spec(spec), name)
    return SpecJob(package, client, GENERIC_BASE, (), spec, ())


def _folder_specs(folder: Path, notes: list[str] | None) -> list[Path]:
    """The OpenAPI files of ``folder``; every other JSON/YAML file is noted as skipped."""
    from trunkline.codegen.loader import OVERLAY_SUFFIX

    candidates = sorted(
        (
            p
            for p in [*folder.glob("*.json"), *folder.glob("*.yaml"), *folder.glob("*.yml")]
            if not p.name.endswith(OVERLAY_SUFFIX)
        ),
        key=lambda p: p.name,
    )
    found: list[Path] = []
    skipped: list[str] = []
    for file in candidates:
        reason = openapi_reason(file)
        if reason is None:
            found.append(file)
        else:
            skipped.append(f"{file}: skipped, {reason}")
    if notes is not None:
        notes += skipped
    if not found:
        looked = f"{len(candidates)} JSON/YAML files" if candidates else "no JSON/YAML files"
        raise GenerateError(f"no OpenAPI spec in the folder {folder} ({looked} there)")
    return found


def discover(
    specs: list[Path] | None = None, *, notes: list[str] | None = None, name: str | None = None
) -> list[SpecJob]:
    """The specs to generate: the given files and folders, or every provider's default specs.

    A folder contributes each ``.json``/``.yaml``/``.yml`` file that parses as an OpenAPI 3
    document; the others are noted as skipped with the reason. A provider whose runtime base
    class does not exist yet is left out, with a note why. A spec that is neither Twilio's
    (``twilio_*``) nor marked ``x-trunkline`` gets its own client, named ``name`` (one spec
    only) or from its ``info.title``.

    Raises:
        GenerateError: a path does not exist, or a folder holds no OpenAPI document.
    """
    providers = provider_configs()
    jobs: list[SpecJob] = []
    if specs:
        for given in specs:
            if given.is_dir():
                files = _folder_specs(given, notes)
            elif given.is_file():
                files = [given]
            else:
                raise GenerateError(f"no spec file or folder at {given}")
            jobs += [_for_file(f, providers, name) for f in files]
        from trunkline.codegen.spec_client import GENERIC_BASE

        generic = [job for job in jobs if job.base == GENERIC_BASE]
        if name and len(generic) > 1:
            raise GenerateError("--name names one spec's client; more than one was given")
        return jobs
    for name, config in providers.items():
        module = str(config["base"]).split(":")[0]
        if importlib.util.find_spec(module) is None:
            if notes is not None:
                notes.append(f"{name}: skipped, its runtime client {module} does not exist yet")
            continue
        if config["specs"] == "twilio-lock":
            folder = spec_dir(load_lock())
            files = sorted(folder.glob("twilio_*.json"))
            if not files:
                raise GenerateError(f"no Twilio specs in {folder}; run `make specs` first")
            jobs += [_job(name, config, f, _twilio_path(f)) for f in files]
            continue
        for file_name in config["specs"]:
            spec = REPO_ROOT / "specs" / file_name
            if not spec.exists():
                if notes is not None:
                    notes.append(f"{name}: skipped, {spec.name} does not exist yet")
                continue
            jobs.append(_for_file(spec, {name: config, "twilio": providers["twilio"]}))
    return jobs


def job_for(spec: Path) -> SpecJob:
    """How ``generate`` places one spec file: its provider and its container path."""
    return _for_file(spec, provider_configs())
