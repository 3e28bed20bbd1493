"""Where generated models live: one module per service, shared and unused classes apart."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from trunkline.codegen.build import ProviderConfig, build_unit
from trunkline.codegen.generate import discover, generate
from trunkline.codegen.loader import load_spec

TWILIO = ProviderConfig("twilio", "Twilio", "trunkline._twilio:TwilioClient", ("AccountSid",))


def _object(**props: Any) -> dict[str, Any]:
    return {"type": "object", "properties": props}


def _fetch(op_id: str, ref: str) -> dict[str, Any]:
    content = {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}
    return {
        "get": {
            "operationId": op_id,
            "responses": {"200": {"description": "OK", "content": content}},
        }
    }


SPEC = {
    "openapi": "3.0.1",
    "info": {"title": "Shop", "version": "1"},
    "servers": [{"url": "https://shop.twilio.com"}],
    "paths": {
        "/v1/Carts/{Sid}": _fetch("FetchCart", "cart"),
        "/v1/Orders/{Sid}": _fetch("FetchOrder", "order"),
        "/v1/Shelves/{Sid}": _fetch("FetchShelf", "shelf"),
    },
    "components": {
        "schemas": {
            "cart": _object(sid={"type": "string"}, owner={"$ref": "#/components/schemas/owner"}),
            "order": _object(
                sid={"type": "string"},
                owner={"$ref": "#/components/schemas/owner"},
                status={"type": "string", "enum": ["open", "paid"]},
            ),
            "owner": _object(name={"type": "string"}, home={"$ref": "#/components/schemas/home"}),
            "home": _object(city={"type": "string"}),
            "shelf": _object(sid={"type": "string"}),
            "coupon": _object(code={"type": "string"}),
        }
    },
}


def _write_spec(tmp_path: Path) -> Path:
    path = tmp_path / "twilio_shop_v1.json"
    path.write_text(json.dumps(SPEC))
    return path


def _generate_and_run(tmp_path: Path, probe: str) -> list[str]:
    """Generate the spec into ``tmp_path/out`` and run ``probe`` in a fresh interpreter."""
    generate(discover([_write_spec(tmp_path)]), tmp_path / "out", workers=1, echo=lambda *_: None)
    (tmp_path / "__init__.py").write_text("")
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    return done.stdout.splitlines()


def _homes(tmp_path: Path) -> dict[str, str]:
    unit = build_unit(load_spec(_write_spec(tmp_path)), TWILIO, ("shop", "v1"), "x.shop.v1")
    return {name: mod.name for mod in unit.model_modules for name in mod.defined}


def test_each_class_lives_with_the_services_that_use_it(tmp_path: Path) -> None:
    """A class one service uses sits in that service's module; shared and unused ones apart."""
    homes = _homes(tmp_path)
    assert homes["Cart"] == "carts"
    assert homes["Order"] == "orders"
    assert homes["Status"] == "orders"
    assert homes["Shelf"] == "shelves"
    # ``Home`` is reached only through ``Owner``: it has the same users, so the same module.
    assert homes["Owner"] == homes["Home"] == "_home"
    assert homes["Coupon"] == "_unreferenced"


def test_a_service_module_imports_only_its_own_models(tmp_path: Path) -> None:
    """Importing one service imports no models; its first decode imports its models and what
    they refer to, not the others."""
    probe = (
        "import sys\n"
        "from out.twilio.shop.v1 import carts\n"
        "print(sorted(m for m in sys.modules if '.models' in m))\n"
        "cart = carts._models.Cart.from_dict({'owner': {'home': {'city': 'Oslo'}}})\n"
        "print(sorted(m for m in sys.modules if '.models' in m))\n"
        "print(cart.owner.home.city)\n"
    )
    package = "out.twilio.shop.v1.models"
    assert _generate_and_run(tmp_path, probe) == [
        "[]",
        repr([package, f"{package}._home", f"{package}.carts"]),
        "Oslo",
    ]


def test_the_models_package_offers_every_class_lazily(tmp_path: Path) -> None:
    """``models`` imports a class from its module on first use; an unknown name is an error."""
    probe = (
        "import sys\n"
        "from out.twilio.shop.v1 import models\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('out.twilio.shop.v1.models.'))\n"
        "from out.twilio.shop.v1.models import Coupon, Order\n"
        "from out.twilio.shop.v1.models.orders import Order as Home\n"
        "print(loaded, Order is Home, Coupon.__module__, sorted(models.__all__))\n"
        "try:\n"
        "    models.Basket\n"
        "except AttributeError as exc:\n"
        "    print(exc)\n"
    )
    names = ["Cart", "Coupon", "Home", "Order", "Owner", "Shelf", "Status"]
    assert _generate_and_run(tmp_path, probe) == [
        f"[] True out.twilio.shop.v1.models._unreferenced {names!r}",
        "module 'out.twilio.shop.v1.models' has no attribute 'Basket'",
    ]


def test_messages_service_of_the_2010_api_loads_one_models_module_on_first_use() -> None:
    """Importing ``api.v2010.messages`` imports no models; its first model read imports the
    messages models module alone and leaves the real module in the service's globals."""
    probe = (
        "import sys\n"
        "from trunkline.generated.twilio.api.v2010 import messages\n"
        "prefix = 'trunkline.generated.twilio.api.v2010.models'\n"
        "print(sorted(m for m in sys.modules if m.startswith(prefix)))\n"
        "message = messages._models.Message\n"
        "print(sorted(m for m in sys.modules if m.startswith(prefix)))\n"
        "print(messages._models is sys.modules[prefix + '.messages'], message.__module__)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    package = "trunkline.generated.twilio.api.v2010.models"
    assert done.stdout.splitlines() == [
        "[]",
        repr([package, f"{package}.messages"]),
        f"True {package}.messages",
    ]
