"""Every generated Twilio operation as the emulator routes it, read from the generator's data files.

The generator writes ``_emulation.json`` beside each generated package (see
``trunkline.codegen.emulation``); this module reads them from the installed package, so a
wheel without ``specs/`` serves the same operations. Each operation gets a *kind* that the
generic layer acts on, decided from its method, its path's shape and the spec's paging:

- ``list``: a paged GET; ``read``: an unpaged GET on a path ending in a static segment
  (a singleton, or a plain array);
- ``create``: a POST to a collection (a path with an instance path below it, or a
  ``pathType: list`` path);
- ``fetch`` / ``update`` / ``delete``: the instance path (its last segment a parameter);
  ``upsert``: a PUT, or a POST to an instance whose collection has no create;
- ``put_single`` / ``drop_single``: a write or DELETE on a singleton path.

Paths that several specs share (``/v1/Services`` is in Chat, Sync, Notify, ...) are told
apart by the host: a request may start with it (``/chat.twilio.com/v1/Services``); without
one, the hosts with hand-written behaviour win, then ``api.twilio.com``, then by name.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator, Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

import attrs

__all__ = ["DATA_FILE", "Catalog", "OpSpec", "ParamSpec", "Schemas", "filter_name", "snake"]

DATA_FILE = "_emulation.json"
_PARAM = re.compile(r"\{([^}]+)\}")
_PREFERRED_HOSTS = ("verify.twilio.com", "taskrouter.twilio.com", "api.twilio.com")
_INEQUALITIES = ("<=", ">=", "<", ">")


def snake(wire: str) -> str:
    """A wire name as a response property name (``StatusCallback`` → ``status_callback``)."""
    words = re.sub(r"[^0-9A-Za-z]+", "_", wire)
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", words)
    return words.strip("_").lower()


class Schemas:
    """One spec's component schemas, with ``$ref`` resolution."""

    def __init__(self, components: Mapping[str, Any]) -> None:
        self._components = components
        # Keyed by the schema object's id: the data is loaded once and never changes.
        self._properties: dict[int, dict[str, Any]] = {}

    def resolve(self, node: Any) -> Any:
        """``node`` with its ``$ref`` chain followed (an unknown reference gives ``{}``)."""
        if node.__class__ is dict and "$ref" not in node:
            return node
        seen = 0
        while isinstance(node, Mapping) and "$ref" in node and seen < 16:
            name = str(node["$ref"]).rsplit("/", 1)[-1]
            node = self._components.get(name, {})
            seen += 1
        return node if isinstance(node, Mapping) else {}

    def properties(self, node: Any) -> dict[str, Any]:
        """The properties of an object schema, ``allOf`` parts merged, each resolved."""
        found = self._properties.get(id(node))
        if found is None:
            found = self._properties[id(node)] = self._merge(node)
        return found

    def _merge(self, node: Any) -> dict[str, Any]:
        schema = self.resolve(node)
        props: dict[str, Any] = {}
        for part in schema.get("allOf") or ():
            props.update(self._merge(part))
        for name, prop in (schema.get("properties") or {}).items():
            props[name] = self.resolve(prop)
        branches = schema.get("oneOf") or schema.get("anyOf")
        if not props and branches:
            # One answer can take only one shape: the first, so it matches exactly one.
            props.update(self._merge(branches[0]))
        return props


@attrs.frozen
class ParamSpec:
    """One wire parameter: name, location, whether required, resolved schema."""

    name: str
    location: str
    required: bool
    schema: Mapping[str, Any]


@attrs.frozen(eq=False)
class OpSpec:
    """One operation of one spec, with what the generic layer needs to serve it."""

    spec: str
    id: str
    method: str
    host: str
    path: str
    kind: str
    paging: str | None
    items: str | None
    params: tuple[ParamSpec, ...]
    body: str | None
    body_schema: Any
    status: int
    response: Any
    dependents: Mapping[str, Any]
    schemas: Schemas
    pattern: str
    names: tuple[str, ...]
    static: int
    memo: list[Any] = attrs.field(factory=list, repr=False, init=False)

    @property
    def label(self) -> str:
        """``verify_v2 CreateVerification (POST /v2/Services/{ServiceSid}/Verifications)``."""
        return f"{self.spec} {self.id} ({self.method} {self.path})"

    @property
    def regex(self) -> re.Pattern[str]:
        """The path matcher (compiled on first use: most operations are never called)."""
        return _regex(self.pattern)

    @property
    def template(self) -> str:
        """The path template without the 2010 API's ``.json`` suffix."""
        return self.path.removesuffix(".json")

    def response_props(self) -> dict[str, Any]:
        """The properties of the success response (the page object for a list)."""
        return self.schemas.properties(self.response)

    def item_schema(self) -> Any:
        """The schema of one resource this operation answers with (a list's item)."""
        if not self.memo:
            self.memo.append(self._item_schema())
        return self.memo[0]

    def _item_schema(self) -> Any:
        if self.items:
            array = self.response_props().get(self.items, {})
            return self.schemas.resolve(array.get("items") or {})
        schema = self.schemas.resolve(self.response)
        if schema.get("type") == "array":
            return self.schemas.resolve(schema.get("items") or {})
        return schema


@functools.cache
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _compile(path: str) -> tuple[str, tuple[str, ...], int]:
    names: list[str] = []
    out = ""
    last = 0
    for match in _PARAM.finditer(path):
        out += re.escape(path[last : match.start()]) + "([^/]+?)"
        names.append(match.group(1))
        last = match.end()
    out += re.escape(path[last:])
    static = len(_PARAM.sub("", path))
    return out + r"\Z", tuple(names), static


def _param_last(path: str) -> bool:
    last = path.removesuffix(".json").rsplit("/", 1)[-1]
    return bool(_PARAM.fullmatch(last))


def _kinds(ops: list[dict[str, Any]]) -> dict[int, str]:
    templates = {o["path"].removesuffix(".json") for o in ops}
    instance_parents = {t.rsplit("/", 1)[0] for t in templates if _param_last(t)}
    creatable = {
        o["path"].removesuffix(".json")
        for o in ops
        if o["method"] == "POST" and not _param_last(o["path"])
    }
    out: dict[int, str] = {}
    for i, op in enumerate(ops):
        method, path = op["method"], op["path"].removesuffix(".json")
        if _param_last(path):
            parent = path.rsplit("/", 1)[0]
            kind = {"GET": "fetch", "DELETE": "delete"}.get(method)
            if kind is None:
                has_create = parent in creatable and (parent in instance_parents)
                kind = "update" if method == "POST" and has_create else "upsert"
        elif method == "GET":
            kind = "list" if op.get("paging") else "read"
        elif method == "DELETE":
            kind = "drop_single"
        elif method == "POST" and (path in instance_parents or op.get("path_type") == "list"):
            kind = "create"
        else:
            kind = "put_single"
        out[i] = kind
    return out


def _loads(data: bytes) -> Any:
    """JSON data (orjson when installed: the files are megabytes)."""
    try:
        import orjson
    except ImportError:  # pragma: no cover - orjson is in the dev and speed extras
        return json.loads(data)
    return orjson.loads(data)


def _host(server: str) -> str:
    return server.split("://", 1)[-1].split("/", 1)[0].lower()


def _data_files(root: Traversable) -> Iterator[Traversable]:
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and entry.name != "__pycache__":
            yield from _data_files(entry)
        elif entry.name == DATA_FILE:
            yield entry


def _host_rank(host: str) -> tuple[int, str]:
    rank = _PREFERRED_HOSTS.index(host) if host in _PREFERRED_HOSTS else len(_PREFERRED_HOSTS)
    return rank, host


class Catalog:
    """The operations of every generated Twilio spec, indexed for routing."""

    def __init__(self, operations: list[OpSpec]) -> None:
        self.operations = operations
        self.hosts = frozenset(op.host for op in operations)
        self._index: dict[tuple[str, int, str, str], list[OpSpec]] = {}
        for op in operations:
            self._index.setdefault(self._key(op.method, op.path), []).append(op)
        for bucket in self._index.values():
            bucket.sort(key=lambda o: (-o.static, _host_rank(o.host)))
        self._instances: dict[tuple[str, str], str | None] = {}
        self._children: dict[tuple[str, str], list[OpSpec]] = {}
        self._by_template: dict[tuple[str, str], list[OpSpec]] = {}
        for op in operations:
            self._by_template.setdefault((op.host, op.template), []).append(op)

    @staticmethod
    def _key(method: str, path: str, template: bool = True) -> tuple[str, int, str, str]:
        # The first segment and the one before the last are static in almost every path,
        # so they narrow a bucket to a few operations; a parameter there files it under "*".
        parts = path.split("/")
        first = parts[1] if len(parts) > 1 else ""
        inner = parts[-2] if len(parts) > 2 else ""
        if template and "{" in inner:
            inner = "*"
        if template and "{" in first:
            first = "*"
        return method, len(parts), first, inner

    @classmethod
    @functools.cache
    def load(cls, package: str = "trunkline.generated.twilio") -> Catalog:
        """Read every data file under ``package`` (once per process)."""
        try:
            root = resources.files(package)
        except ModuleNotFoundError:
            return cls([])
        operations: list[OpSpec] = []
        for file in _data_files(root):
            operations += _operations(_loads(file.read_bytes()))
        return cls(operations)

    def match(self, method: str, host: str | None, path: str) -> tuple[OpSpec, list[str]] | None:
        """The operation serving ``method path`` (on ``host`` when given) and its path values."""
        key = self._key(method, path, template=False)
        method, count, first, inner = key
        candidates = [
            op
            for k in (key, (method, count, first, "*"), (method, count, "*", inner))
            for op in self._index.get(k, ())
        ]
        if len(candidates) > 1:
            candidates.sort(key=lambda o: (-o.static, _host_rank(o.host)))
        for op in candidates:
            if host is not None and op.host != host:
                continue
            found = op.regex.match(path)
            if found is not None:
                return op, list(found.groups())
        return None

    def allowed(self, host: str | None, path: str) -> list[str]:
        """The methods some operation serves on ``path`` (for a 405's ``Allow``)."""
        methods = ("GET", "POST", "PUT", "PATCH", "DELETE")
        return [m for m in methods if self.match(m, host, path) is not None]

    def siblings_at(self, host: str, template: str) -> list[OpSpec]:
        """The operations on one path template of one host (fetch beside update)."""
        return self._by_template.get((host, template.removesuffix(".json")), [])

    def instance_param(self, op: OpSpec) -> str | None:
        """The parameter naming one resource of ``op``'s collection (``Sid``), if any."""
        key = (op.host, op.template)
        if key not in self._instances:
            found = None
            prefix = op.template + "/{"
            for host, template in self._by_template:
                rest = template[len(prefix) :]
                mine = host == op.host and template.startswith(prefix)
                if mine and rest.endswith("}") and "/" not in rest:
                    found = rest[:-1]
                    break
            self._instances[key] = found
        return self._instances[key]

    def children(self, host: str, template: str, spec: str) -> list[OpSpec]:
        """Collections and singletons one static segment below ``template``."""
        key = (host, template)
        found = self._children.get(key)
        if found is None:
            found = []
            for (other_host, other), ops in self._by_template.items():
                if other_host != host or not other.startswith(template + "/"):
                    continue
                rest = other[len(template) + 1 :]
                if "/" not in rest and "{" not in rest and ops[0].spec == spec:
                    found.append(ops[0])
            self._children[key] = found
        return found


def _operations(data: Mapping[str, Any]) -> list[OpSpec]:
    spec = str(data["spec"]).removesuffix(".json").removeprefix("twilio_")
    schemas = Schemas(data.get("schemas") or {})
    raw = list(data["operations"])
    kinds = _kinds(raw)
    out = []
    for i, op in enumerate(raw):
        pattern, names, static = _compile(op["path"])
        params = tuple(
            ParamSpec(p["name"], p["in"], bool(p["required"]), schemas.resolve(p["schema"]))
            for p in op["params"]
        )
        out.append(
            OpSpec(
                spec=spec,
                id=op["id"],
                method=op["method"],
                host=_host(op["server"]),
                path=op["path"],
                kind=kinds[i],
                paging=op.get("paging"),
                items=op.get("items"),
                params=params,
                body=op.get("body"),
                body_schema=op.get("body_schema"),
                status=int(op.get("status") or 200),
                response=op.get("response"),
                dependents=op.get("dependents") or {},
                schemas=schemas,
                pattern=pattern,
                names=names,
                static=static,
            )
        )
    return out


def filter_name(wire: str) -> tuple[str, str]:
    """A list filter's property and comparison (``DateSent<`` → ``("date_sent", "<")``)."""
    for mark in _INEQUALITIES:
        if wire.endswith(mark):
            return snake(wire[: -len(mark)]), mark
    return snake(wire), "="
