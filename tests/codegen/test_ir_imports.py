"""A service module's imports follow from its IR: what each argument and method needs."""

from __future__ import annotations

from typing import Any

import attrs

from trunkline.codegen import ir


def _method(params: tuple[ir.Param, ...] = (), **changes: Any) -> ir.Method:
    method = ir.Method(
        name="fetch",
        kind="request",
        const="_FETCH",
        op_id="FetchThing",
        http_method="GET",
        server="https://api.example.test",
        path="/Things",
        body=None,
        paging=None,
        items_key=None,
        max_page_size=None,
        summary="Fetch a thing.",
        doc="",
        params=params,
        returns="_t.Any",
        decode=None,
    )
    return attrs.evolve(method, **changes)


def _param(location: str, type_: ir.TypeRef, **changes: Any) -> ir.Param:
    return attrs.evolve(ir.Param("thing", "Thing", location, type_, False, ""), **changes)


def _imports(*methods: ir.Method) -> frozenset[str]:
    return ir.Resource("things", "ThingService", "things", "Things.", methods).imports


def test_an_optional_query_string_needs_no_validator() -> None:
    """An optional plain string argument imports nothing beyond its result's ``_t``."""
    assert _imports(_method((_param("query", ir.TypeRef("str")),))) == {"_t"}


def test_path_values_with_lengths_are_checked_by_the_operation_not_the_validator() -> None:
    """A path value with no rule or only lengths is listed in ``path_args``; no ``_v`` import."""
    lengths = ir.Check("string", (("min_length", "34"), ("max_length", "34")))
    plain = _method((_param("path", ir.TypeRef("str")),))
    sized = _method((_param("path", ir.TypeRef("str"), check=lengths),))
    assert "_v" not in _imports(plain) | _imports(sized)
    assert plain.path_args == ('_op.PathArg("Thing", "thing")',)
    assert sized.path_args == ('_op.PathArg("Thing", "thing", min_length=34, max_length=34)',)
    assert plain.call_lines(())[1:4] == ("{", '"Thing": thing,', "},")


def test_path_required_enum_and_checked_arguments_import_the_validator() -> None:
    """A path format, a required value, an enum and a spec constraint each import ``_v``."""
    text = ir.TypeRef("str")
    cases = [
        _param("path", text, check=ir.Check("string", (("fmt", '"uuid"'),))),
        _param("query", text, required=True),
        _param("query", ir.TypeRef("_models.Color | str", enum="_models.Color")),
        _param("query", text, check=ir.Check("string", (("max_length", "8"),))),
    ]
    for param in cases:
        assert "_v" in _imports(_method((param,))), param


def test_a_styled_argument_imports_the_encoder_and_its_type_aliases() -> None:
    """A styled value imports ``_enc``; its annotation's aliases (``_dt``) come along."""
    when = ir.TypeRef("_dt.datetime", "_m.iso_datetime({v})", arg_annotation="_dt.date")
    found = _imports(_method((_param("query", when, style=("deepObject", True)),)))
    assert {"_enc", "_dt"} <= found
    assert "_v" not in found


def test_list_methods_import_paging_and_builtins() -> None:
    """A list method imports ``_paging``, ``_b`` and the ``_m.as_is`` decoder's ``_m``."""
    assert {"_paging", "_b", "_m"} <= _imports(_method(kind="list"))


def test_headers_and_empty_replies_import_what_their_calls_use() -> None:
    """Header arguments import ``_v`` (merge_headers); an empty-able reply imports ``_m``."""
    header = _param("header", ir.TypeRef("str"))
    assert "_v" in _imports(_method((header,)))
    assert "_m" in _imports(_method(decode="_models.Thing.from_dict", may_be_empty=True))
