"""The SignalWire and Ziggeo specs this project writes: valid OpenAPI, every operation named."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml  # type: ignore[import-untyped]
from openapi_spec_validator import validate

SPECS = Path(__file__).resolve().parents[2] / "specs"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _load(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SPECS / name).read_text(encoding="utf-8"))
    return loaded


def _operations(spec: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (method.upper(), path): op
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    }


def _schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    found: dict[str, Any] = spec["components"]["schemas"][name]
    return found


@pytest.mark.parametrize("name", ["signalwire_fabric.yaml", "ziggeo.yaml"])
def test_spec_passes_the_openapi_validator(name: str) -> None:
    """Each hand-written spec is valid OpenAPI according to openapi-spec-validator."""
    validate(_load(name))


@pytest.mark.parametrize("name", ["signalwire_fabric.yaml", "ziggeo.yaml"])
def test_every_operation_names_its_resource_and_method(name: str) -> None:
    """Every operation carries x-trunkline resource and method, unique within the spec."""
    seen: set[tuple[str, str]] = set()
    for key, op in _operations(_load(name)).items():
        ext = op.get("x-trunkline")
        assert isinstance(ext, dict), key
        pair = (ext["resource"], ext["method"])
        assert pair not in seen, pair
        seen.add(pair)


def test_signalwire_operations_are_the_agreed_ones() -> None:
    """The SignalWire spec exposes exactly the agreed paths under the names the issue gives."""
    spec = _load("signalwire_fabric.yaml")
    named = {
        key: (op["x-trunkline"]["resource"], op["x-trunkline"]["method"])
        for key, op in _operations(spec).items()
    }
    assert named == {
        ("POST", "/api/fabric/subscribers/tokens"): ("subscriber_tokens", "create"),
        ("POST", "/api/fabric/subscribers/tokens/refresh"): ("subscriber_tokens", "refresh"),
        ("POST", "/api/fabric/guests/tokens"): ("guest_tokens", "create"),
        ("GET", "/api/fabric/resources/subscribers"): ("subscribers", "list"),
        ("POST", "/api/fabric/resources/subscribers"): ("subscribers", "create"),
        ("GET", "/api/fabric/resources/subscribers/{id}"): ("subscribers", "fetch"),
        ("PUT", "/api/fabric/resources/subscribers/{id}"): ("subscribers", "update"),
        ("DELETE", "/api/fabric/resources/subscribers/{id}"): ("subscribers", "delete"),
    }
    assert spec["servers"][0]["url"] == "https://{space}.signalwire.com"
    assert "space" in spec["servers"][0]["variables"]


def test_signalwire_bodies_are_json_and_carry_the_input_constraints() -> None:
    """SignalWire bodies are JSON and state the constraints checked before any request."""
    spec = _load("signalwire_fabric.yaml")
    for key, op in _operations(spec).items():
        if "requestBody" in op:
            assert list(op["requestBody"]["content"]) == ["application/json"], key
    token = _schema(spec, "SubscriberTokenRequest")
    assert token["required"] == ["reference"]
    assert token["properties"]["application_id"]["format"] == "uuid"
    for name in ("SubscriberTokenRequest", "SubscriberCreateRequest", "SubscriberUpdateRequest"):
        password = _schema(spec, name)["properties"]["password"]
        assert (password["minLength"], password["maxLength"]) == (8, 72), name
    assert _schema(spec, "SubscriberCreateRequest")["required"] == ["email"]
    guests = _schema(spec, "GuestTokenRequest")["properties"]["allowed_addresses"]
    assert guests["maxItems"] == 10
    assert guests["items"]["format"] == "uuid"
    listing = _operations(spec)[("GET", "/api/fabric/resources/subscribers")]["x-trunkline"]
    assert (listing["paging"], listing["items_key"]) == ("signalwire_links", "data")


def test_ziggeo_operations_are_the_agreed_ones() -> None:
    """The Ziggeo spec exposes the auth-token paths and an offset-paged video index."""
    spec = _load("ziggeo.yaml")
    named = {
        key: (op["x-trunkline"]["resource"], op["x-trunkline"]["method"])
        for key, op in _operations(spec).items()
    }
    assert named == {
        ("POST", "/v1/authtokens/"): ("auth_tokens", "create"),
        ("GET", "/v1/authtokens/{token_or_key}"): ("auth_tokens", "fetch"),
        ("POST", "/v1/authtokens/{token_or_key}"): ("auth_tokens", "update"),
        ("DELETE", "/v1/authtokens/{token_or_key}"): ("auth_tokens", "delete"),
        ("GET", "/v1/videos/"): ("videos", "list"),
    }
    assert spec["servers"][0]["url"] == "https://srv-api.ziggeo.com"
    videos = _operations(spec)[("GET", "/v1/videos/")]["x-trunkline"]
    assert videos["paging"] == "ziggeo_offset"


def test_ziggeo_bodies_are_forms_with_grants_as_json() -> None:
    """Ziggeo bodies are form encoded and declare grants as a JSON-encoded object."""
    spec = _load("ziggeo.yaml")
    for key, op in _operations(spec).items():
        if "requestBody" in op:
            content = op["requestBody"]["content"]
            assert list(content) == ["application/x-www-form-urlencoded"], key
            form = content["application/x-www-form-urlencoded"]
            assert form["encoding"]["grants"]["contentType"] == "application/json"
    grants = _schema(spec, "AuthTokenRequest")["properties"]["grants"]
    assert grants == {"$ref": "#/components/schemas/Grants"}
    assert _schema(spec, "Grants")["type"] == "object"


def test_each_spec_names_its_client_for_the_generator() -> None:
    """The root x-trunkline block names a client from specs/providers.json (and a domain)."""
    providers = json.loads((SPECS / "providers.json").read_text(encoding="utf-8"))
    clients = {config["client"]: config["specs"] for config in providers.values()}
    signalwire = _load("signalwire_fabric.yaml")["x-trunkline"]
    ziggeo = _load("ziggeo.yaml")["x-trunkline"]
    assert signalwire == {"client": "SignalWire", "domain": "fabric"}
    assert ziggeo == {"client": "Ziggeo"}
    assert "signalwire_fabric.yaml" in clients["SignalWire"]
    assert "ziggeo.yaml" in clients["Ziggeo"]
