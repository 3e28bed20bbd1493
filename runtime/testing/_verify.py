"""Verify v2 in the emulator: services, entities, factors (TOTP and push) and challenges.

The rules are the service's: TOTP settings within Verify's ranges, a secret generated when
none is given and shown on create only, factors verified by a valid code or a signature over
the factor SID, challenges answered by a code (TOTP) or by an ES256 JWT over the fields the
``Twilio-Verify-Signature-Fields`` header names (push), and expiry honoured.

Error codes are coarse: every broken rule answers 400 with Verify's 60200 (invalid
parameter) and a message naming the parameter; unknown resources answer 404 with 20404;
a duplicate Entity answers 409 with 60301, as Twilio does.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import attrs
from aiohttp import web

from trunkline.tokens import TokenError
from trunkline.tokens.push import load_public_key, verify_challenge_jwt, verify_factor_signature
from trunkline.tokens.totp import Totp, random_secret

from ._core import (
    Clock,
    JSONDict,
    bad_param,
    form_int,
    form_json_object,
    iso,
    new_sid,
    not_found,
    origin,
    parse_iso,
    twilio_error,
    twilio_page,
)

__all__ = ["SIGNATURE_FIELDS", "Challenge", "Entity", "Factor", "Service", "Verify"]

SIGNATURE_FIELDS = (
    "sid",
    "service_sid",
    "entity_sid",
    "factor_sid",
    "date_created",
    "date_updated",
    "details",
    "expiration_date",
)
"""The challenge fields a push approval must sign, in the order the header lists them."""

_IDENTITY = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_ALGS = ("sha1", "sha256", "sha512")
_DEFAULT_EXPIRY = 300.0
_MAX_EXPIRY = 3600.0


@attrs.define
class Service:
    """A Verify service and its TOTP defaults."""

    sid: str
    friendly_name: str
    code_length: int
    totp_issuer: str | None
    totp_time_step: int
    totp_code_length: int
    totp_skew: int
    push_include_date: bool
    created: float
    updated: float


@attrs.define
class Entity:
    """The owner of factors and challenges, named by the caller's identity."""

    sid: str
    service_sid: str
    identity: str
    created: float
    updated: float


@attrs.define
class Factor:
    """A TOTP or push factor; ``secret`` (TOTP) or ``public_key`` (push) is its binding."""

    sid: str
    service_sid: str
    entity_sid: str
    identity: str
    friendly_name: str
    factor_type: str
    status: str
    config: JSONDict
    metadata: JSONDict | None
    created: float
    updated: float
    secret: str | None = attrs.field(default=None, repr=False)
    public_key: str | None = attrs.field(default=None, repr=False)

    def totp(self) -> Totp:
        """The TOTP checker for this factor's secret and settings."""
        assert self.secret is not None
        return Totp(
            self.secret,
            digits=int(self.config["code_length"]),
            period=int(self.config["time_step"]),
            algorithm=str(self.config["alg"]).upper(),
        )


@attrs.define
class Challenge:
    """A challenge to one factor; ``status`` moves from pending to approved/denied/expired."""

    sid: str
    service_sid: str
    entity_sid: str
    identity: str
    factor_sid: str
    factor_type: str
    status: str
    details: JSONDict | None
    hidden_details: JSONDict | None
    metadata: JSONDict | None
    created: float
    updated: float
    expiration: float
    responded: float | None = None
    seq: int = 0


def _string_map(value: JSONDict | None, name: str) -> JSONDict | None:
    if value is not None and not all(isinstance(v, str) for v in value.values()):
        bad_param(f"Invalid parameter {name}: every value must be a string")
    return value


def _check_public_key(text: str) -> None:
    try:
        load_public_key(text)
    except ValueError:
        bad_param("Invalid parameter Binding.PublicKey: not a base64 DER EC P-256 public key")


class Verify:
    """State and handlers of the emulated Verify v2 API."""

    def __init__(self, account_sid: str, clock: Clock) -> None:
        self.account_sid = account_sid
        self.clock = clock
        self.services: dict[str, Service] = {}
        self.entities: dict[tuple[str, str], Entity] = {}
        self.factors: dict[str, Factor] = {}
        self.challenges: dict[str, Challenge] = {}
        self._entity_factors: dict[str, list[Factor]] = {}
        self._entity_challenges: dict[str, list[Challenge]] = {}
        self._seq = 0

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register every Verify path, exactly as the spec writes them."""
        base = "/v2/Services"
        entity = base + "/{ServiceSid}/Entities/{Identity}"
        router.add_post(base, self.create_service)
        router.add_get(base, self.list_services)
        router.add_get(base + "/{Sid}", self.fetch_service)
        router.add_post(base + "/{ServiceSid}/Entities", self.create_entity)
        router.add_get(base + "/{ServiceSid}/Entities", self.list_entities)
        router.add_get(entity, self.fetch_entity)
        router.add_delete(entity, self.delete_entity)
        router.add_post(entity + "/Factors", self.create_factor)
        router.add_get(entity + "/Factors", self.list_factors)
        router.add_get(entity + "/Factors/{Sid}", self.fetch_factor)
        router.add_post(entity + "/Factors/{Sid}", self.update_factor)
        router.add_delete(entity + "/Factors/{Sid}", self.delete_factor)
        router.add_post(entity + "/Challenges", self.create_challenge)
        router.add_get(entity + "/Challenges", self.list_challenges)
        router.add_get(entity + "/Challenges/{Sid}", self.fetch_challenge)
        router.add_post(entity + "/Challenges/{Sid}", self.update_challenge)

    # ----------------------------------------------------------------- lookups

    def _service(self, request: web.Request, key: str = "ServiceSid") -> Service:
        service = self.services.get(request.match_info[key])
        if service is None:
            not_found(request)
        return service

    def _entity(self, request: web.Request, *, create: bool = False) -> Entity:
        service = self._service(request)
        identity = request.match_info["Identity"]
        found = self.entities.get((service.sid, identity))
        if found is not None:
            return found
        if not create:
            not_found(request)
        return self._new_entity(service, identity)

    def _new_entity(self, service: Service, identity: str) -> Entity:
        if not _IDENTITY.match(identity):
            bad_param("Invalid parameter Identity: 1 to 64 letters, digits and dashes")
        now = self.clock()
        entity = Entity(new_sid("YE"), service.sid, identity, now, now)
        self.entities[(service.sid, identity)] = entity
        self._entity_factors[entity.sid] = []
        self._entity_challenges[entity.sid] = []
        return entity

    def _factor(self, request: web.Request, entity: Entity) -> Factor:
        factor = self.factors.get(request.match_info["Sid"])
        if factor is None or factor.entity_sid != entity.sid:
            not_found(request)
        return factor

    def _challenge(self, request: web.Request, entity: Entity) -> Challenge:
        challenge = self.challenges.get(request.match_info["Sid"])
        if challenge is None or challenge.entity_sid != entity.sid:
            not_found(request)
        self._expire(challenge)
        return challenge

    def _expire(self, challenge: Challenge) -> None:
        if challenge.status == "pending" and self.clock() >= challenge.expiration:
            challenge.status = "expired"
            challenge.updated = challenge.expiration

    # ----------------------------------------------------------------- rendering

    def _service_json(self, o: str, s: Service) -> JSONDict:
        url = f"{o}/v2/Services/{s.sid}"
        links = {
            name: f"{url}/{path}"
            for name, path in (
                ("verification_checks", "VerificationCheck"),
                ("verifications", "Verifications"),
                ("rate_limits", "RateLimits"),
                ("messaging_configurations", "MessagingConfigurations"),
                ("entities", "Entities"),
                ("webhooks", "Webhooks"),
                ("access_tokens", "AccessTokens"),
            )
        }
        return {
            "sid": s.sid,
            "account_sid": self.account_sid,
            "friendly_name": s.friendly_name,
            "code_length": s.code_length,
            "lookup_enabled": False,
            "psd2_enabled": False,
            "skip_sms_to_landlines": False,
            "dtmf_input_required": False,
            "tts_name": None,
            "do_not_share_warning_enabled": False,
            "custom_code_enabled": False,
            "push": {
                "include_date": s.push_include_date,
                "apn_credential_sid": None,
                "fcm_credential_sid": None,
            },
            "totp": {
                "issuer": s.totp_issuer,
                "time_step": s.totp_time_step,
                "code_length": s.totp_code_length,
                "skew": s.totp_skew,
            },
            "default_template_sid": None,
            "whatsapp": {"msg_service_sid": None, "from": None},
            "passkeys": None,
            "verify_event_subscription_enabled": False,
            "date_created": iso(s.created),
            "date_updated": iso(s.updated),
            "url": url,
            "links": links,
        }

    def _entity_json(self, o: str, e: Entity) -> JSONDict:
        url = f"{o}/v2/Services/{e.service_sid}/Entities/{e.identity}"
        return {
            "sid": e.sid,
            "identity": e.identity,
            "account_sid": self.account_sid,
            "service_sid": e.service_sid,
            "date_created": iso(e.created),
            "date_updated": iso(e.updated),
            "url": url,
            "links": {
                "factors": f"{url}/Factors",
                "new_factors": f"{url}/Factors",
                "challenges": f"{url}/Challenges",
            },
        }

    def _factor_json(self, o: str, f: Factor) -> JSONDict:
        return {
            "sid": f.sid,
            "account_sid": self.account_sid,
            "service_sid": f.service_sid,
            "entity_sid": f.entity_sid,
            "identity": f.identity,
            "date_created": iso(f.created),
            "date_updated": iso(f.updated),
            "friendly_name": f.friendly_name,
            "status": f.status,
            "factor_type": f.factor_type,
            "config": dict(f.config),
            "metadata": f.metadata,
            "url": f"{o}/v2/Services/{f.service_sid}/Entities/{f.identity}/Factors/{f.sid}",
        }

    def challenge_json(self, o: str, c: Challenge) -> JSONDict:
        """A challenge as the API renders it (``o`` is the scheme and host of the URLs)."""
        url = f"{o}/v2/Services/{c.service_sid}/Entities/{c.identity}/Challenges/{c.sid}"
        return {
            "sid": c.sid,
            "account_sid": self.account_sid,
            "service_sid": c.service_sid,
            "entity_sid": c.entity_sid,
            "identity": c.identity,
            "factor_sid": c.factor_sid,
            "date_created": iso(c.created),
            "date_updated": iso(c.updated),
            "date_responded": iso(c.responded),
            "expiration_date": iso(c.expiration),
            "status": c.status,
            "responded_reason": "none",
            "details": c.details,
            "hidden_details": c.hidden_details,
            "metadata": c.metadata,
            "factor_type": c.factor_type,
            "url": url,
            "links": {"notifications": f"{url}/Notifications"},
        }

    # ----------------------------------------------------------------- services

    def _totp_settings(self, form: Any, prefix: str) -> tuple[int | None, int | None, int | None]:
        return (
            form_int(form, f"{prefix}TimeStep", low=20, high=60),
            form_int(form, f"{prefix}CodeLength", low=3, high=8),
            form_int(form, f"{prefix}Skew", low=0, high=2),
        )

    async def create_service(self, request: web.Request) -> web.Response:
        form = await request.post()
        name = str(form.get("FriendlyName") or "")
        if not name:
            bad_param("Missing required parameter FriendlyName in the post body")
        if len(name) > 32:
            bad_param("Invalid parameter FriendlyName: at most 32 characters")
        step, length, skew = self._totp_settings(form, "Totp.")
        now = self.clock()
        service = Service(
            sid=new_sid("VA"),
            friendly_name=name,
            code_length=form_int(form, "CodeLength", low=4, high=10) or 6,
            totp_issuer=str(form.get("Totp.Issuer") or name),
            totp_time_step=step or 30,
            totp_code_length=length or 6,
            totp_skew=1 if skew is None else skew,
            push_include_date=str(form.get("Push.IncludeDate", "true")).lower() == "true",
            created=now,
            updated=now,
        )
        self.services[service.sid] = service
        return web.json_response(self._service_json(origin(request), service), status=201)

    async def fetch_service(self, request: web.Request) -> web.Response:
        service = self._service(request, "Sid")
        return web.json_response(self._service_json(origin(request), service))

    async def list_services(self, request: web.Request) -> web.Response:
        o = origin(request)
        return twilio_page(
            request, list(self.services.values()), "services", lambda s: self._service_json(o, s)
        )

    # ----------------------------------------------------------------- entities

    async def create_entity(self, request: web.Request) -> web.Response:
        service = self._service(request)
        form = await request.post()
        identity = str(form.get("Identity") or "")
        if not identity:
            bad_param("Missing required parameter Identity in the post body")
        if (service.sid, identity) in self.entities:
            # Twilio's answer to a duplicate: 409 with code 60301, not a 400.
            twilio_error(409, 60301, f"Entity {identity} already exists")
        entity = self._new_entity(service, identity)
        return web.json_response(self._entity_json(origin(request), entity), status=201)

    async def fetch_entity(self, request: web.Request) -> web.Response:
        return web.json_response(self._entity_json(origin(request), self._entity(request)))

    async def list_entities(self, request: web.Request) -> web.Response:
        service = self._service(request)
        rows = [e for e in self.entities.values() if e.service_sid == service.sid]
        o = origin(request)
        return twilio_page(request, rows, "entities", lambda e: self._entity_json(o, e))

    async def delete_entity(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        del self.entities[(entity.service_sid, entity.identity)]
        for factor in self._entity_factors.pop(entity.sid):
            self.factors.pop(factor.sid, None)
        for challenge in self._entity_challenges.pop(entity.sid):
            self.challenges.pop(challenge.sid, None)
        return web.Response(status=204)

    # ----------------------------------------------------------------- factors

    async def create_factor(self, request: web.Request) -> web.Response:
        service = self._service(request)
        form = await request.post()
        name = str(form.get("FriendlyName") or "")
        factor_type = str(form.get("FactorType") or "")
        if not name:
            bad_param("Missing required parameter FriendlyName in the post body")
        if len(name) > 64:
            bad_param("Invalid parameter FriendlyName: at most 64 characters")
        if factor_type not in ("totp", "push"):
            bad_param(
                f"Invalid parameter FactorType: {factor_type!r} (the emulator has totp, push)"
            )
        metadata = _string_map(form_json_object(form, "Metadata"), "Metadata")
        entity = self._entity(request, create=True)
        now = self.clock()
        sid = new_sid("YF")
        secret: str | None = None
        public_key: str | None = None
        config: JSONDict
        if factor_type == "totp":
            step, length, skew = self._totp_settings(form, "Config.")
            alg = str(form.get("Config.Alg") or "sha1").lower()
            if alg not in _ALGS:
                bad_param("Invalid parameter Config.Alg: one of sha1, sha256, sha512")
            secret = str(form.get("Binding.Secret") or random_secret())
            config = {
                "alg": alg,
                "skew": service.totp_skew if skew is None else skew,
                "code_length": length or service.totp_code_length,
                "time_step": step or service.totp_time_step,
            }
        else:
            public_key = str(form.get("Binding.PublicKey") or "")
            if not public_key:
                bad_param("Missing required parameter Binding.PublicKey for a push factor")
            if form.get("Binding.Alg") != "ES256":
                bad_param("Invalid parameter Binding.Alg: push factors need ES256")
            _check_public_key(public_key)
            token = str(form.get("Config.NotificationToken") or "")
            if token and not 32 <= len(token) <= 255:
                bad_param("Invalid parameter Config.NotificationToken: 32 to 255 characters")
            platform = str(form.get("Config.NotificationPlatform") or "none")
            if platform not in ("apn", "fcm", "none"):
                bad_param("Invalid parameter Config.NotificationPlatform: apn, fcm or none")
            config = {
                "sdk_version": form.get("Config.SdkVersion"),
                "app_id": form.get("Config.AppId"),
                "notification_platform": platform,
                "notification_token": token or None,
            }
        factor = Factor(
            sid,
            service.sid,
            entity.sid,
            entity.identity,
            name,
            factor_type,
            "unverified",
            config,
            metadata,
            now,
            now,
            secret=secret,
            public_key=public_key,
        )
        binding: JSONDict
        if secret is not None:
            try:
                totp = factor.totp()
            except ValueError:
                bad_param("Invalid parameter Binding.Secret: not base32 text")
            uri = Totp(
                totp.key,
                digits=totp.digits,
                period=totp.period,
                algorithm=totp.algorithm,
                issuer=service.totp_issuer,
                account=name,
            ).to_uri()
            binding = {"secret": totp.secret, "uri": uri}
        else:
            binding = {"alg": "ES256", "public_key": public_key}
        self.factors[sid] = factor
        self._entity_factors[entity.sid].append(factor)
        body = self._factor_json(origin(request), factor)
        body["binding"] = binding
        body["options"] = None
        return web.json_response(body, status=201)

    async def fetch_factor(self, request: web.Request) -> web.Response:
        factor = self._factor(request, self._entity(request))
        return web.json_response(self._factor_json(origin(request), factor))

    async def list_factors(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        o = origin(request)
        rows = self._entity_factors[entity.sid]
        return twilio_page(request, rows, "factors", lambda f: self._factor_json(o, f))

    async def update_factor(self, request: web.Request) -> web.Response:
        factor = self._factor(request, self._entity(request))
        form = await request.post()
        if form.get("FriendlyName"):
            factor.friendly_name = str(form["FriendlyName"])
        if factor.factor_type == "totp":
            step, length, skew = self._totp_settings(form, "Config.")
            alg = form.get("Config.Alg")
            if alg is not None and str(alg).lower() not in _ALGS:
                bad_param("Invalid parameter Config.Alg: one of sha1, sha256, sha512")
            for key, value in (("time_step", step), ("code_length", length), ("skew", skew)):
                if value is not None:
                    factor.config[key] = value
            if alg is not None:
                factor.config["alg"] = str(alg).lower()
        else:
            for key, wire in (
                ("notification_token", "Config.NotificationToken"),
                ("sdk_version", "Config.SdkVersion"),
                ("notification_platform", "Config.NotificationPlatform"),
            ):
                if form.get(wire):
                    factor.config[key] = str(form[wire])
        payload = form.get("AuthPayload")
        unverified = factor.status == "unverified"
        if payload is not None and unverified and self._factor_proof_ok(factor, str(payload)):
            factor.status = "verified"
        factor.updated = self.clock()
        return web.json_response(self._factor_json(origin(request), factor))

    def _factor_proof_ok(self, factor: Factor, payload: str) -> bool:
        if factor.factor_type == "totp":
            return factor.totp().verify(payload, at=self.clock(), skew=int(factor.config["skew"]))
        assert factor.public_key is not None
        return verify_factor_signature(factor.public_key, factor.sid, payload)

    async def delete_factor(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        factor = self._factor(request, entity)
        del self.factors[factor.sid]
        self._entity_factors[entity.sid].remove(factor)
        return web.Response(status=204)

    # ----------------------------------------------------------------- challenges

    def _details(self, form: Any, factor: Factor, now: float) -> JSONDict | None:
        message = form.get("Details.Message")
        raw_fields = form.getall("Details.Fields", [])
        if factor.factor_type == "push" and not message:
            bad_param("Missing required parameter Details.Message for a push challenge")
        if message is None and not raw_fields:
            return None
        if message is not None and len(str(message)) > 256:
            bad_param("Invalid parameter Details.Message: at most 256 characters")
        if len(raw_fields) > 20:
            bad_param("Invalid parameter Details.Fields: at most 20 fields")
        fields = []
        for raw in raw_fields:
            try:
                item = json.loads(str(raw))
            except ValueError:
                bad_param("Invalid parameter Details.Fields: each field is a JSON object")
            if (
                not isinstance(item, dict)
                or set(item) != {"label", "value"}
                or not isinstance(item["label"], str)
                or not isinstance(item["value"], str)
                or len(item["label"]) > 36
                or len(item["value"]) > 128
            ):
                bad_param(
                    "Invalid parameter Details.Fields: each field is {label (≤36), value (≤128)}"
                )
            fields.append(item)
        details: JSONDict = {"message": None if message is None else str(message)}
        if factor.factor_type == "push":
            details["date"] = iso(now)
        details["fields"] = fields
        return details

    async def create_challenge(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        form = await request.post()
        factor_sid = str(form.get("FactorSid") or "")
        if not factor_sid:
            bad_param("Missing required parameter FactorSid in the post body")
        factor = self.factors.get(factor_sid)
        if factor is None or factor.entity_sid != entity.sid:
            bad_param(f"Factor {factor_sid} not found for this entity", 20404)
        if factor.status != "verified":
            bad_param("The factor is not verified; verify it before challenging it")
        now = self.clock()
        expiration = now + _DEFAULT_EXPIRY
        if form.get("ExpirationDate"):
            try:
                expiration = parse_iso(str(form["ExpirationDate"]))
            except ValueError:
                bad_param("Invalid parameter ExpirationDate: not an ISO 8601 date-time")
            if not now < expiration <= now + _MAX_EXPIRY:
                bad_param("Invalid parameter ExpirationDate: must lie within the next 60 minutes")
        hidden = _string_map(form_json_object(form, "HiddenDetails"), "HiddenDetails")
        if hidden is not None and len(str(form["HiddenDetails"])) > 1024:
            bad_param("Invalid parameter HiddenDetails: at most 1024 characters")
        challenge = Challenge(
            sid=new_sid("YC"),
            service_sid=entity.service_sid,
            entity_sid=entity.sid,
            identity=entity.identity,
            factor_sid=factor.sid,
            factor_type=factor.factor_type,
            status="pending",
            details=self._details(form, factor, now),
            hidden_details=hidden,
            metadata=None,
            created=now,
            updated=now,
            expiration=expiration,
        )
        payload = form.get("AuthPayload")
        if payload is not None:
            if factor.factor_type != "totp":
                bad_param("AuthPayload on create is only for totp factors")
            self._answer_totp(challenge, factor, str(payload))
        self._store_challenge(challenge)
        return web.json_response(self.challenge_json(origin(request), challenge), status=201)

    def _store_challenge(self, challenge: Challenge) -> None:
        self._seq += 1
        challenge.seq = self._seq
        self.challenges[challenge.sid] = challenge
        self._entity_challenges[challenge.entity_sid].append(challenge)

    def _answer_totp(self, challenge: Challenge, factor: Factor, code: str) -> None:
        if not 3 <= len(code) <= 8:
            bad_param("Invalid parameter AuthPayload: a TOTP code of 3 to 8 characters")
        ok = factor.totp().verify(code, at=self.clock(), skew=int(factor.config["skew"]))
        self._respond(challenge, "approved" if ok else "denied")

    def _respond(self, challenge: Challenge, status: str) -> None:
        now = self.clock()
        challenge.status = status
        challenge.responded = now
        challenge.updated = now

    async def fetch_challenge(self, request: web.Request) -> web.Response:
        challenge = self._challenge(request, self._entity(request))
        return web.json_response(
            self.challenge_json(origin(request), challenge),
            headers={"Twilio-Verify-Signature-Fields": ",".join(SIGNATURE_FIELDS)},
        )

    async def list_challenges(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        query = request.query
        status = query.get("Status")
        if status is not None and status not in ("pending", "expired", "approved", "denied"):
            bad_param("Invalid parameter Status: pending, expired, approved or denied")
        order = query.get("Order", "asc")
        if order not in ("asc", "desc"):
            bad_param("Invalid parameter Order: asc or desc")
        factor_sid = query.get("FactorSid")
        rows: Iterable[Challenge] = self._entity_challenges[entity.sid]
        for challenge in rows:
            self._expire(challenge)
        if factor_sid:
            rows = [c for c in rows if c.factor_sid == factor_sid]
        if status:
            rows = [c for c in rows if c.status == status]
        ordered = sorted(rows, key=lambda c: (c.created, c.seq), reverse=order == "desc")
        o = origin(request)
        return twilio_page(request, ordered, "challenges", lambda c: self.challenge_json(o, c))

    async def update_challenge(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        challenge = self._challenge(request, entity)
        form = await request.post()
        metadata = _string_map(form_json_object(form, "Metadata"), "Metadata")
        payload = form.get("AuthPayload")
        if payload is not None:
            if challenge.status == "expired":
                bad_param("The challenge has expired and can no longer be answered")
            if challenge.status != "pending":
                bad_param(f"The challenge was already answered ({challenge.status})")
            factor = self.factors.get(challenge.factor_sid)
            if factor is None:
                bad_param("The challenge's factor was deleted", 20404)
            if factor.factor_type == "totp":
                self._answer_totp(challenge, factor, str(payload))
            else:
                self._answer_push(request, challenge, factor, str(payload))
        if metadata is not None:
            challenge.metadata = metadata
            challenge.updated = self.clock()
        return web.json_response(self.challenge_json(origin(request), challenge))

    def _answer_push(
        self, request: web.Request, challenge: Challenge, factor: Factor, token: str
    ) -> None:
        assert factor.public_key is not None
        try:
            claims = verify_challenge_jwt(factor.public_key, token)
        except (TokenError, ValueError):
            bad_param("Invalid parameter AuthPayload: the JWT is not signed by the factor's key")
        expected = self.challenge_json(origin(request), challenge)
        for name in SIGNATURE_FIELDS:
            if claims.get(name) != expected[name]:
                bad_param(f"Invalid parameter AuthPayload: signed field {name} does not match")
        status = claims.get("status")
        if status not in ("approved", "denied"):
            bad_param("Invalid parameter AuthPayload: status must be approved or denied")
        self._respond(challenge, str(status))

    # ----------------------------------------------------------------- seeding

    def seed_challenges(
        self, service_sid: str, identity: str, factor_sid: str, count: int, *, message: str
    ) -> list[Challenge]:
        """Insert ``count`` pending challenges directly (no HTTP), e.g. to try paging at scale."""
        entity = self.entities.get((service_sid, identity))
        factor = self.factors.get(factor_sid)
        if entity is None or factor is None or factor.entity_sid != entity.sid:
            raise ValueError("seed_challenges needs an existing entity and one of its factors")
        now = self.clock()
        made = []
        for number in range(count):
            challenge = Challenge(
                sid=new_sid("YC"),
                service_sid=service_sid,
                entity_sid=entity.sid,
                identity=identity,
                factor_sid=factor_sid,
                factor_type=factor.factor_type,
                status="pending",
                details={"message": f"{message} #{number + 1}", "date": iso(now), "fields": []},
                hidden_details=None,
                metadata=None,
                created=now,
                updated=now,
                expiration=now + _MAX_EXPIRY,
            )
            self._store_challenge(challenge)
            made.append(challenge)
        return made
