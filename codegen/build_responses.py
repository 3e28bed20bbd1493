"""A method's result: its request and reply media, the decoded type, and how a list reply pages."""

from __future__ import annotations

from typing import Any

import attrs

from trunkline.codegen import ir
from trunkline.codegen.build_ops import Op, is_json, is_text, json_schema, raw_media
from trunkline.codegen.build_types import Models
from trunkline.codegen.layout import MODELS
from trunkline.codegen.loader import Spec, pointer_join
from trunkline.codegen.naming import (
    pascal,
)

__all__ = ["Listing", "Responses"]


@attrs.frozen
class Listing:
    paging: str | None = None
    items_key: str | None = None
    returns: str = "_t.Any"
    decode: str | None = None
    schema: Any = None


def _item(item: ir.TypeRef) -> tuple[str, str | None]:
    if item.model is not None and "list[" not in item.annotation:
        return item.model, f"{item.model}.from_dict"
    return "_t.Any", None


class Responses:
    """The result half of a unit builder (:class:`trunkline.codegen.build._UnitBuilder`)."""

    spec: Spec
    models: Models

    @staticmethod
    def _op_id(op: Op) -> str:
        return str(op.node.get("operationId") or pascal(f"{op.method}_{op.path}"))

    def _body_kind(self, op: Op) -> tuple[str | None, str | None]:
        """How the request body is encoded, and the media type of a binary or text one."""
        body = op.node.get("requestBody")
        if body is None:
            return None, None
        body, pointer = self.spec.resolve(body, "#" + pointer_join(op.pointer, "requestBody"))
        kind, _, _ = json_schema(self.spec, body.get("content"), pointer_join(pointer, "content"))
        if kind is None and (media := raw_media(body.get("content"))) is not None:
            return ("text" if is_text(media) else "binary"), media
        return kind, None

    def _response(self, op: Op) -> tuple[tuple[str, str | None], Listing]:
        """The result type and decoder of a call, and how a list response holds its items."""
        responses = op.node.get("responses")
        if not isinstance(responses, dict):
            raise self.spec.error(pointer_join(op.pointer, "responses"), "responses are missing")
        for code in sorted(str(c) for c in responses):
            if not code.startswith("2"):
                continue
            pointer = pointer_join(op.pointer, "responses", code)
            response, pointer = self.spec.resolve(responses[code], "#" + pointer)
            _, schema, schema_pointer = json_schema(
                self.spec, response.get("content"), pointer_join(pointer.lstrip("#"), "content")
            )
            if schema is None:
                continue
            target, target_pointer = self.spec.resolve(schema, "#" + schema_pointer)
            listing = attrs.evolve(
                self._listing(target, target_pointer.lstrip("#"), self._op_id(op)), schema=target
            )
            # A page's wrapper is the runtime's business; its items are what a call returns.
            hint = f"{self._op_id(op)}_response"
            inline = listing.paging is None
            type_ = self.models.type_of(schema, schema_pointer, MODELS, hint=hint, inline=inline)
            if type_.model is not None and type_.annotation == type_.model:
                return (type_.model, f"{type_.model}.from_dict"), listing
            if type_.model is not None and type_.annotation == f"_b.list[{type_.model}]":
                return (type_.annotation, f"_m.list_of({type_.model}.from_dict)"), listing
            # :func:`trunkline._models.union_of` is typed for up to four members.
            if type_.union and type_.decode is not None and type_.annotation.count("|") < 4:
                decoder = type_.decode.replace("_m.one_of({v}, ", "_m.union_of(")
                return (type_.annotation, decoder), listing
            return ("_t.Any", None), listing
        return ("_t.Any", None), Listing()

    def _media(self, op: Op) -> tuple[str, bool, str]:
        """The ``Accept`` value for an operation's success replies, whether one has no body,
        and how a body is returned: ``json`` when any reply is JSON, else ``text`` for text
        and XML, ``bytes`` for the rest (octet-stream, images, ``format: binary``)."""
        types: list[str] = []
        others: list[str] = []
        empty = False
        for code, raw in (op.node.get("responses") or {}).items():
            if not str(code).startswith("2"):
                continue
            pointer = pointer_join(op.pointer, "responses", str(code))
            response, _ = self.spec.resolve(raw, "#" + pointer)
            content = response.get("content") if isinstance(response, dict) else None
            if not isinstance(content, dict) or not content:
                empty = True
                continue
            for media in content:
                if is_json(media) and media not in types:
                    types.append(media)
                elif not is_json(media) and media not in others:
                    others.append(media)
        if types or not others:
            return ", ".join(types) or "application/json", empty, "json"
        kind = "text" if all(is_text(media) for media in others) else "bytes"
        return ", ".join(others), empty, kind

    def _paging_kind(self, props: dict[str, Any], pointer: str) -> str | None:
        """How a response with these properties pages, if it is a list page at all.

        A ``meta`` object alone is not enough (a SCIM user has one): Twilio's pages say
        ``meta.next_page_url`` (or ``meta.next_token``, or camelCase ``meta.nextToken``,
        whose properties may come through ``allOf``), the 2010 API's ``next_page_uri``.
        """
        if "next_page_uri" in props:
            return "twilio_2010"
        meta = props.get("meta")
        if not isinstance(meta, dict):
            return None
        meta, meta_pointer = self.spec.resolve(
            meta, "#" + pointer_join(pointer, "properties", "meta")
        )
        if not isinstance(meta, dict):
            return None
        fields = {key for key, _, _ in self.models._properties(meta, meta_pointer.lstrip("#"))}
        if "next_page_url" in fields:
            return "twilio_meta"
        if "next_token" in fields:
            return "twilio_token"
        if "nextToken" in fields:
            return "twilio_camel_token"
        return None

    def _listing(self, schema: Any, pointer: str, op_id: str) -> Listing:
        if not isinstance(schema, dict):
            return Listing()
        if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
            item = self.models.type_of(
                schema["items"],
                pointer_join(pointer, "items"),
                MODELS,
                hint=f"{op_id}_response_item",
                inline=True,
            )
            return Listing(None, None, *_item(item))
        props = schema.get("properties") or {}
        if not isinstance(props, dict):
            return Listing()
        paging = self._paging_kind(props, pointer)
        for key, prop in props.items():
            prop_pointer = pointer_join(pointer, "properties", key)
            prop, prop_pointer = self.spec.resolve(prop, "#" + prop_pointer)
            if isinstance(prop, dict) and prop.get("type") == "array" and key != "meta":
                items = prop.get("items")
                if not isinstance(items, dict):
                    return Listing(paging, key)
                item = self.models.type_of(
                    items,
                    pointer_join(prop_pointer.lstrip("#"), "items"),
                    MODELS,
                    hint=f"{op_id}_response_{key}_item",
                    inline=True,
                )
                return Listing(paging, key, *_item(item))
        return Listing()
