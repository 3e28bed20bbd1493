"""The generic layer: every generated Twilio operation, stateful, with no per-API code.

One catch-all route hands each request to :meth:`Generic.handle`, which finds the
operation (:mod:`._catalog`), checks the request against the spec (:mod:`._checks`) and
acts on the operation's kind: a create stores a resource (SID from the spec's pattern,
request fields under their property names, server fields filled), fetch/update/delete
work on the instance path, a list pages in the spec's shape (:mod:`._pages`) with
filters on properties. APIs with rules register a handler for an operation id
(:meth:`Generic.register`); it gets the :class:`Call` and may use the generic steps.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from aiohttp import web

from ._catalog import Catalog, OpSpec, filter_name, snake
from ._checks import GENERIC_CODE, check_request
from ._core import Clock, TwilioProblem
from ._pages import render_page
from ._render import new_key, render, stamp
from ._store import CollectionKey, Store

__all__ = ["ACCOUNT", "Call", "Generic", "Handler", "dumps"]

# aiohttp 3.12+ types request storage keys; older versions take the plain string.
ACCOUNT: Any = getattr(web, "RequestKey", lambda name, _t: name)("trunkline_account", str)
"""Where the authentication step leaves the account a request acts for."""

Handler = Callable[["Call"], Awaitable[web.StreamResponse]]

try:
    import orjson

    def dumps(value: Any) -> bytes:
        """JSON bytes of ``value`` (orjson when installed)."""
        return orjson.dumps(value)

except ImportError:  # pragma: no cover - orjson is in the dev and speed extras

    def dumps(value: Any) -> bytes:
        """JSON bytes of ``value`` (orjson when installed)."""
        return json.dumps(value, separators=(",", ":")).encode()


_DATE_FORMATS = ("date-time", "date-time-rfc-2822", "date")
_ACCOUNTS = "/2010-04-01/Accounts"
_ACCOUNT_PREFIX = _ACCOUNTS + "/"


def parse_date(value: Any) -> dt.datetime | None:
    """An ISO 8601, date-only or RFC 2822 value as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        try:
            moment = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


class Call:
    """One request to one operation, parsed: what behaviour handlers work with."""

    def __init__(
        self,
        generic: Generic,
        request: web.Request,
        op: OpSpec,
        values: list[str],
        path: str,
        form: dict[str, list[str]],
        body: Any,
    ) -> None:
        self.generic = generic
        self.request = request
        self.op = op
        self.path = path
        self.values = dict(zip(op.names, values, strict=True))
        self.form = form
        self.body = body
        self.account: str = request.get(ACCOUNT) or generic.main_account

    @property
    def now(self) -> float:
        """The emulator's time."""
        return self.generic.clock()

    def field(self, wire: str) -> str | None:
        """The first value of a form field (or a JSON body's top-level value as text)."""
        if isinstance(self.body, Mapping) and wire in self.body:
            return str(self.body[wire])
        values = self.form.get(wire)
        return values[0] if values else None

    def fields(self) -> dict[str, Any]:
        """Request fields under their property names (``StatusCallback`` → ``status_callback``)."""
        # Both spellings: the 2010 and v1 APIs answer in snake_case, SCIM ones in the wire's.
        if isinstance(self.body, Mapping):
            items = list(self.body.items())
        else:
            items = [(k, v[0] if len(v) == 1 else v) for k, v in self.form.items()]
        return {name: v for k, v in items for name in (k, snake(k))}

    @property
    def scope(self) -> str:
        """Whose data this is: empty when the path names the account, else the caller's account."""
        return "" if self.path.startswith(_ACCOUNTS) else self.account

    @property
    def path_account(self) -> str | None:
        """The account a 2010 API path names, or None."""
        if not self.path.startswith(_ACCOUNT_PREFIX):
            return None
        return self.path[len(_ACCOUNT_PREFIX) :].split("/", 1)[0].removesuffix(".json")

    def collection(self, path: str | None = None) -> CollectionKey:
        """The store's key for the collection at ``path`` (this call's own by default)."""
        return (self.scope, self.op.host, (path or self.path).removesuffix(".json"))

    def instance(self) -> tuple[CollectionKey, str]:
        """The collection and key of the resource an instance path names."""
        parent, _, key = self.path.removesuffix(".json").rpartition("/")
        return self.collection(parent), key

    def not_found(self) -> TwilioProblem:
        """Twilio's 404 for this path."""
        return TwilioProblem(404, 20404, f"The requested resource {self.path} was not found")

    def respond(self, payload: Any, status: int | None = None) -> web.Response:
        """A JSON response with the operation's success status (no body where the spec
        draws none)."""
        if self.op.response is None:
            return web.Response(status=status or self.op.status)
        return web.Response(
            status=status or self.op.status, body=dumps(payload), content_type="application/json"
        )

    def render(self, record: Mapping[str, Any], op: OpSpec | None = None) -> Any:
        """``record`` through ``op``'s (this call's) response schema."""
        op = op or self.op
        return render(op.schemas, op.item_schema(), record, self.now)


class Generic:
    """Serves every catalogued operation from one :class:`Store`.

    Args:
        catalog: the operations.
        store: the state.
        clock: the emulator's time.
        main_account: the account a request acts for when its credentials name none.
    """

    def __init__(self, catalog: Catalog, store: Store, clock: Clock, main_account: str) -> None:
        self.catalog = catalog
        self.store = store
        self.clock = clock
        self.main_account = main_account
        self._handlers: dict[tuple[str, str], Handler] = {}
        self.before: list[Callable[[], None]] = []
        self._codes: dict[tuple[str, str], Mapping[str, int]] = {}
        self.account_guard: Callable[[str, str], bool] = lambda caller, owner: caller == owner
        self._defaults: dict[str, Callable[[Call], web.StreamResponse]] = {
            "create": lambda c: c.respond(c.render(self.create(c))),
            "fetch": lambda c: c.respond(c.render(self.fetch(c))),
            "update": lambda c: c.respond(c.render(self.update(c))),
            "upsert": lambda c: c.respond(c.render(self.update(c, upsert=True))),
            "delete": self._delete,
            "list": self._list,
            "read": self._read,
            "put_single": lambda c: c.respond(c.render(self.put_single(c))),
            "drop_single": self._drop_single,
        }

    def register(
        self, host: str, op_id: str, handler: Handler, codes: Mapping[str, int] | None = None
    ) -> None:
        """Serve ``op_id`` of ``host`` with ``handler``; ``codes`` name codes for missing
        parameters."""
        self._handlers[(host, op_id)] = handler
        if codes:
            self._codes[(host, op_id)] = codes

    def split_host(self, path: str) -> tuple[str | None, str]:
        """``/chat.twilio.com/v1/Services`` → ``("chat.twilio.com", "/v1/Services")``."""
        head, sep, rest = path[1:].partition("/")
        if sep and head in self.catalog.hosts:
            return head, "/" + rest
        return None, path

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Route one request to its operation's handler."""
        host, path = self.split_host(request.path)
        found = self.catalog.match(request.method, host, path)
        if found is None:
            if self.catalog.allowed(host, path):
                raise TwilioProblem(405, 20004, f"Method {request.method} not allowed on {path}")
            raise TwilioProblem(404, 20404, f"The requested resource {path} was not found")
        op, values = found
        form: dict[str, list[str]] = {}
        body: Any = None
        if request.can_read_body:
            if op.body == "json":
                try:
                    body = json.loads(await request.read() or b"null")
                except ValueError:
                    raise TwilioProblem(400, GENERIC_CODE, "Invalid JSON body") from None
            else:
                posted = await request.post()
                for key, value in posted.items():
                    form.setdefault(key, []).append(str(value))
        call = Call(self, request, op, values, path, form, body)
        owner = call.path_account
        if owner is not None and not self.account_guard(call.account, owner):
            raise call.not_found()
        query: dict[str, list[str]] = {}
        for key, value in request.query.items():
            query.setdefault(key, []).append(value)
        check_request(op, query, form, body, request.headers, self._codes.get((op.host, op.id)))
        for hook in self.before:
            hook()
        handler = self._handlers.get((op.host, op.id))
        if handler is not None:
            return await handler(call)
        return self._defaults[op.kind](call)

    # ------------------------------------------------------------------ steps

    def _server_fields(self, call: Call, record: dict[str, Any], instance: str) -> None:
        op = call.op
        props = op.schemas.properties(op.item_schema())
        now = call.now
        for name in ("date_created", "date_updated"):
            if name in props:
                record[name] = stamp(now, props[name].get("format"))
        if "account_sid" in props:
            record.setdefault("account_sid", call.path_account or call.account)
        if "url" in props:
            record["url"] = f"https://{op.host}{instance}"
        if "uri" in props:
            record["uri"] = instance + (".json" if op.path.endswith(".json") else "")
        if "api_version" in props and op.path.startswith("/2010-04-01"):
            record["api_version"] = "2010-04-01"
        for name in ("links", "subresource_uris"):
            if name in props:
                record[name] = self._links(call, record, instance, relative=name != "links")
        for name, prop in props.items():
            if prop.get("format") in _DATE_FORMATS and isinstance(record.get(name), str):
                moment = parse_date(record[name])
                if moment is not None:
                    record[name] = stamp(moment.timestamp(), prop["format"])

    def _links(
        self, call: Call, record: Mapping[str, Any], instance: str, *, relative: bool
    ) -> dict[str, str]:
        op = call.op
        origin = "" if relative else f"https://{op.host}"
        links: dict[str, str] = {}
        template = op.template
        if op.kind == "create":
            name = self.catalog.instance_param(op)
            template = f"{op.template}/{{{name}}}" if name else ""
        for child in self.catalog.children(op.host, template, op.spec) if template else ():
            segment = child.template.rsplit("/", 1)[-1]
            suffix = ".json" if child.path.endswith(".json") else ""
            links[snake(segment)] = f"{origin}{instance}/{segment}{suffix}"
        for name, dep in op.dependents.items():
            url = str(dep["url"])
            for target, source in (dep.get("mapping") or {}).items():
                url = url.replace("{" + target + "}", str(record.get(source, "")))
            if "{" not in url:
                links[name] = origin + url
        return links

    def _new(
        self, call: Call, overrides: Mapping[str, Any], instance_key: str | None
    ) -> dict[str, Any]:
        op = call.op
        record: dict[str, Any] = {snake(k): v for k, v in call.values.items()}
        record.update(call.fields())
        record.update(overrides)
        props = op.schemas.properties(op.item_schema())
        if "sid" in props and "sid" not in overrides:
            record["sid"] = new_key(props["sid"])
        if instance_key is not None and op.names:
            record[snake(op.names[-1])] = instance_key
        return record

    def create(self, call: Call, **overrides: Any) -> dict[str, Any]:
        """Store a new resource in this call's collection and return it."""
        op = call.op
        record = self._new(call, overrides, None)
        name = self.catalog.instance_param(op)
        prop = snake(name) if name else "sid"
        assigned = name is None or name.endswith("Sid")
        if (assigned and prop not in overrides) or record.get(prop) is None:
            if record.get(prop) is None or assigned:
                schema = self._key_schema(op, name, prop)
                if schema.get("type") == "integer":
                    record[prop] = len(self.store.items(call.collection()))
                else:
                    record[prop] = new_key(schema)
            if "sid" not in record or prop == "sid":
                record["sid"] = record[prop]
        key = str(record[prop])
        instance = f"{call.path.removesuffix('.json')}/{key}"
        self._server_fields(call, record, instance)
        self.store.put(call.collection(), key, record)
        return record

    def _key_schema(self, op: OpSpec, name: str | None, prop: str) -> Mapping[str, Any]:
        """Where a new resource's SID pattern is stated: the create's answer, the instance's
        answer, or the instance path's parameter."""
        own: Mapping[str, Any] = op.schemas.properties(op.item_schema()).get(prop) or {}
        if own.get("pattern") or own.get("type") == "integer":
            return own
        for other in self.catalog.siblings_at(op.host, f"{op.template}/{{{name or 'Sid'}}}"):
            found: Mapping[str, Any] = other.schemas.properties(other.item_schema()).get(prop) or {}
            if found.get("pattern"):
                return found
            for param in other.params:
                if param.name == name and param.schema.get("pattern"):
                    return param.schema
        return {}

    def fetch(self, call: Call) -> dict[str, Any]:
        """The resource the instance path names (404 when there is none)."""
        collection, key = call.instance()
        record = self.store.get(collection, key)
        if record is None:
            raise call.not_found()
        return record

    def update(self, call: Call, *, upsert: bool = False, **overrides: Any) -> dict[str, Any]:
        """Merge the request's fields into the resource (create it first when ``upsert``)."""
        collection, key = call.instance()
        record = self.store.get(collection, key)
        if record is None:
            if not upsert:
                raise call.not_found()
            record = self._new(call, overrides, key)
            self._server_fields(call, record, call.path.removesuffix(".json"))
            self.store.put(collection, key, record)
            return record
        created = record.get("date_created")
        record.update(call.fields())
        record.update(overrides)
        self._server_fields(call, record, call.path.removesuffix(".json"))
        if created is not None:
            record["date_created"] = created
        return record

    def put_single(self, call: Call, **overrides: Any) -> dict[str, Any]:
        """Write a singleton (it always exists)."""
        collection = call.collection()
        record = self.store.get(collection, "")
        if record is None:
            record = self._new(call, {}, None)
        record.update(call.fields())
        record.update(overrides)
        self._server_fields(call, record, call.path.removesuffix(".json"))
        self.store.put(collection, "", record)
        return record

    def _delete(self, call: Call) -> web.StreamResponse:
        collection, key = call.instance()
        record = self.store.get(collection, key)
        if record is None or not self.store.delete(collection, key):
            raise call.not_found()
        return self._deleted(call, record)

    def _drop_single(self, call: Call) -> web.StreamResponse:
        record = self.store.get(call.collection(), "") or {}
        self.store.delete(call.collection(), "")
        return self._deleted(call, record)

    def _deleted(self, call: Call, record: Mapping[str, Any]) -> web.StreamResponse:
        # A delete the spec answers with a body (an accepted long-running operation, 202)
        # gets one; otherwise no content.
        if call.op.response is not None:
            return call.respond(call.render(record))
        return web.Response(status=call.op.status if call.op.status != 200 else 204)

    def _read(self, call: Call) -> web.StreamResponse:
        op = call.op
        schema = op.schemas.resolve(op.response)
        if schema.get("type") == "array":
            items = self.store.items(call.collection())
            return call.respond([call.render(r) for r in items])
        record = self.store.get(call.collection(), "")
        if record is None:
            record = self._new(call, {}, None)
            self._server_fields(call, record, call.path.removesuffix(".json"))
        return call.respond(render(op.schemas, op.response, record, call.now))

    def matching(self, call: Call) -> list[dict[str, Any]]:
        """The resources of this list call's collection that its filters select."""
        items = self.store.items(call.collection())
        props = call.op.schemas.properties(call.op.item_schema())
        for wire, wanted in call.request.query.items():
            name, mark = filter_name(wire)
            if name not in props or wire in ("PageSize", "Page", "PageToken"):
                continue
            items = [r for r in items if _matches(r.get(name), wanted, mark)]
        return items

    def default(self, call: Call) -> web.StreamResponse:
        """What the generic layer answers for ``call`` (for handlers that add to it)."""
        return self._defaults[call.op.kind](call)

    def _list(self, call: Call) -> web.StreamResponse:
        return self.page(call, self.matching(call))

    def page(self, call: Call, items: list[dict[str, Any]]) -> web.StreamResponse:
        """One page of ``items`` in the list operation's shape."""
        op = call.op
        code = 60200 if op.host == "verify.twilio.com" else GENERIC_CODE
        page = render_page(op, call.path, call.request.query, items, call.render, call.now, code)
        return call.respond(page)


def _matches(value: Any, wanted: str, mark: str) -> bool:
    if mark == "=":
        if isinstance(value, bool):
            return str(value).lower() == wanted.lower()
        if isinstance(value, list):
            return wanted in [str(v) for v in value]
        got = parse_date(value) if isinstance(value, str) and len(wanted) == 10 else None
        if got is not None and wanted[4:5] == "-":
            return got.date().isoformat() == wanted
        return str(value) == wanted
    have, limit = parse_date(value), parse_date(wanted)
    if have is None or limit is None:
        return False
    if len(wanted) == 10:
        have_day, limit_day = have.date(), limit.date()
        return {
            "<": have_day < limit_day,
            ">": have_day > limit_day,
            "<=": have_day <= limit_day,
            ">=": have_day >= limit_day,
        }[mark]
    return {"<": have < limit, ">": have > limit, "<=": have <= limit, ">=": have >= limit}[mark]
