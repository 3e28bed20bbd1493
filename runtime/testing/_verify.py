"""Verify v2's routes in the emulator: services, entities, factors and challenges over HTTP.

The rules are the service's: TOTP settings within Verify's ranges, a secret generated when
none is given and shown on create only, factors verified by a valid code or a signature over
the factor SID, challenges answered by a code (TOTP) or by an ES256 JWT over the fields the
``Twilio-Verify-Signature-Fields`` header names (push, sent on every challenge fetch), and
expiry honoured.

Error codes are coarse: every broken rule answers 400 with Verify's 60200 (invalid
parameter) and a message naming the parameter; unknown resources answer 404 with 20404;
a duplicate Entity answers 409 with 60301, as Twilio does. The records and the rules that
need no request live in ``_verify_state.py``, the JSON rendering in ``_verify_json.py``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from aiohttp import web

from trunkline.tokens import TokenError
from trunkline.tokens.push import verify_challenge_jwt
from trunkline.tokens.totp import Totp, random_secret

from ._core import (
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
from ._verify_json import challenge_json, entity_json, factor_json, service_json
from ._verify_state import (
    ALGS,
    DEFAULT_EXPIRY,
    MAX_EXPIRY,
    SIGNATURE_FIELDS,
    Challenge,
    Entity,
    Factor,
    Service,
    VerifyState,
    check_public_key,
    string_map,
)

__all__ = ["SIGNATURE_FIELDS", "Challenge", "Entity", "Factor", "Service", "Verify"]


class Verify(VerifyState):
    """The routes of the emulated Verify v2 API over its state (``_verify_state.py``)."""

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
        return self.new_entity(service, identity)

    def _factor(self, request: web.Request, entity: Entity) -> Factor:
        factor = self.factors.get(request.match_info["Sid"])
        if factor is None or factor.entity_sid != entity.sid:
            not_found(request)
        return factor

    def _challenge(self, request: web.Request, entity: Entity) -> Challenge:
        challenge = self.challenges.get(request.match_info["Sid"])
        if challenge is None or challenge.entity_sid != entity.sid:
            not_found(request)
        self.expire(challenge)
        return challenge

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
        return web.json_response(
            service_json(self.account_sid, origin(request), service), status=201
        )

    async def fetch_service(self, request: web.Request) -> web.Response:
        service = self._service(request, "Sid")
        return web.json_response(service_json(self.account_sid, origin(request), service))

    async def list_services(self, request: web.Request) -> web.Response:
        o = origin(request)
        return twilio_page(
            request,
            list(self.services.values()),
            "services",
            lambda s: service_json(self.account_sid, o, s),
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
        entity = self.new_entity(service, identity)
        return web.json_response(entity_json(self.account_sid, origin(request), entity), status=201)

    async def fetch_entity(self, request: web.Request) -> web.Response:
        return web.json_response(
            entity_json(self.account_sid, origin(request), self._entity(request))
        )

    async def list_entities(self, request: web.Request) -> web.Response:
        service = self._service(request)
        rows = [e for e in self.entities.values() if e.service_sid == service.sid]
        o = origin(request)
        return twilio_page(request, rows, "entities", lambda e: entity_json(self.account_sid, o, e))

    async def delete_entity(self, request: web.Request) -> web.Response:
        self.remove_entity(self._entity(request))
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
        metadata = string_map(form_json_object(form, "Metadata"), "Metadata")
        entity = self._entity(request, create=True)
        now = self.clock()
        sid = new_sid("YF")
        secret: str | None = None
        public_key: str | None = None
        config: JSONDict
        if factor_type == "totp":
            step, length, skew = self._totp_settings(form, "Config.")
            alg = str(form.get("Config.Alg") or "sha1").lower()
            if alg not in ALGS:
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
            check_public_key(public_key)
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
        self.add_factor(factor)
        body = factor_json(self.account_sid, origin(request), factor)
        body["binding"] = binding
        body["options"] = None
        return web.json_response(body, status=201)

    async def fetch_factor(self, request: web.Request) -> web.Response:
        factor = self._factor(request, self._entity(request))
        return web.json_response(factor_json(self.account_sid, origin(request), factor))

    async def list_factors(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        o = origin(request)
        rows = self.entity_factors(entity)
        return twilio_page(request, rows, "factors", lambda f: factor_json(self.account_sid, o, f))

    async def update_factor(self, request: web.Request) -> web.Response:
        factor = self._factor(request, self._entity(request))
        form = await request.post()
        if form.get("FriendlyName"):
            factor.friendly_name = str(form["FriendlyName"])
        if factor.factor_type == "totp":
            step, length, skew = self._totp_settings(form, "Config.")
            alg = form.get("Config.Alg")
            if alg is not None and str(alg).lower() not in ALGS:
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
        if payload is not None and unverified and self.factor_proof_ok(factor, str(payload)):
            factor.status = "verified"
        factor.updated = self.clock()
        return web.json_response(factor_json(self.account_sid, origin(request), factor))

    async def delete_factor(self, request: web.Request) -> web.Response:
        self.remove_factor(self._factor(request, self._entity(request)))
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
        expiration = now + DEFAULT_EXPIRY
        if form.get("ExpirationDate"):
            try:
                expiration = parse_iso(str(form["ExpirationDate"]))
            except ValueError:
                bad_param("Invalid parameter ExpirationDate: not an ISO 8601 date-time")
            if not now < expiration <= now + MAX_EXPIRY:
                bad_param("Invalid parameter ExpirationDate: must lie within the next 60 minutes")
        hidden = string_map(form_json_object(form, "HiddenDetails"), "HiddenDetails")
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
            self.answer_totp(challenge, factor, str(payload))
        self.store_challenge(challenge)
        return web.json_response(
            challenge_json(self.account_sid, origin(request), challenge), status=201
        )

    async def fetch_challenge(self, request: web.Request) -> web.Response:
        challenge = self._challenge(request, self._entity(request))
        return web.json_response(
            challenge_json(self.account_sid, origin(request), challenge),
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
        rows: Iterable[Challenge] = self.entity_challenges(entity)
        if factor_sid:
            rows = [c for c in rows if c.factor_sid == factor_sid]
        if status:
            rows = [c for c in rows if c.status == status]
        ordered = sorted(rows, key=lambda c: (c.created, c.seq), reverse=order == "desc")
        o = origin(request)
        return twilio_page(
            request, ordered, "challenges", lambda c: challenge_json(self.account_sid, o, c)
        )

    async def update_challenge(self, request: web.Request) -> web.Response:
        entity = self._entity(request)
        challenge = self._challenge(request, entity)
        form = await request.post()
        metadata = string_map(form_json_object(form, "Metadata"), "Metadata")
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
                self.answer_totp(challenge, factor, str(payload))
            else:
                self._answer_push(request, challenge, factor, str(payload))
        if metadata is not None:
            challenge.metadata = metadata
            challenge.updated = self.clock()
        return web.json_response(challenge_json(self.account_sid, origin(request), challenge))

    def _answer_push(
        self, request: web.Request, challenge: Challenge, factor: Factor, token: str
    ) -> None:
        assert factor.public_key is not None
        try:
            claims = verify_challenge_jwt(factor.public_key, token)
        except (TokenError, ValueError):
            bad_param("Invalid parameter AuthPayload: the JWT is not signed by the factor's key")
        expected = challenge_json(self.account_sid, origin(request), challenge)
        for name in SIGNATURE_FIELDS:
            if claims.get(name) != expected[name]:
                bad_param(f"Invalid parameter AuthPayload: signed field {name} does not match")
        status = claims.get("status")
        if status not in ("approved", "denied"):
            bad_param("Invalid parameter AuthPayload: status must be approved or denied")
        self.respond(challenge, str(status))
