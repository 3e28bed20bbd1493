"""Verify v2's state and rules in the emulator: services, entities, factors, challenges.

Nothing here knows HTTP: the routes in ``_verify.py`` parse a request, call these rules and
render the records. A rule that refuses raises the Twilio error the API answers with
(``bad_param``: 400 / 60200 unless another code is named).
"""

from __future__ import annotations

import re

import attrs

from trunkline.tokens.push import load_public_key, verify_factor_signature
from trunkline.tokens.totp import Totp

from ._core import Clock, JSONDict, bad_param, iso, new_sid

__all__ = [
    "ALGS",
    "DEFAULT_EXPIRY",
    "MAX_EXPIRY",
    "SIGNATURE_FIELDS",
    "Challenge",
    "Entity",
    "Factor",
    "Service",
    "VerifyState",
    "check_public_key",
    "string_map",
]

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

_IDENTITY = re.compile(r"^[A-Za-z0-9-]{8,64}$")
ALGS = ("sha1", "sha256", "sha512")
DEFAULT_EXPIRY = 300.0
MAX_EXPIRY = 3600.0


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


def string_map(value: JSONDict | None, name: str) -> JSONDict | None:
    """``value`` when every value in it is a string, else a 400 naming ``name``."""
    if value is not None and not all(isinstance(v, str) for v in value.values()):
        bad_param(f"Invalid parameter {name}: every value must be a string")
    return value


def check_public_key(text: str) -> None:
    """A 400 unless ``text`` is a base64 DER EC P-256 public key."""
    try:
        load_public_key(text)
    except ValueError:
        bad_param("Invalid parameter Binding.PublicKey: not a base64 DER EC P-256 public key")


class VerifyState:
    """The records of the emulated Verify v2 API and the rules that change them."""

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

    def new_entity(self, service: Service, identity: str) -> Entity:
        """Add the entity ``identity`` to ``service`` (a 400 for a malformed identity)."""
        if not _IDENTITY.match(identity):
            bad_param("Invalid parameter Identity: 8 to 64 letters, digits and dashes")
        now = self.clock()
        entity = Entity(new_sid("YE"), service.sid, identity, now, now)
        self.entities[(service.sid, identity)] = entity
        self._entity_factors[entity.sid] = []
        self._entity_challenges[entity.sid] = []
        return entity

    def remove_entity(self, entity: Entity) -> None:
        """Remove ``entity`` with its factors and challenges."""
        del self.entities[(entity.service_sid, entity.identity)]
        for factor in self._entity_factors.pop(entity.sid):
            self.factors.pop(factor.sid, None)
        for challenge in self._entity_challenges.pop(entity.sid):
            self.challenges.pop(challenge.sid, None)

    def entity_factors(self, entity: Entity) -> list[Factor]:
        """``entity``'s factors, oldest first."""
        return self._entity_factors[entity.sid]

    def add_factor(self, factor: Factor) -> None:
        """Store a new factor of an existing entity."""
        self.factors[factor.sid] = factor
        self._entity_factors[factor.entity_sid].append(factor)

    def remove_factor(self, factor: Factor) -> None:
        """Remove ``factor`` (its challenges stay, as Twilio's do)."""
        del self.factors[factor.sid]
        self._entity_factors[factor.entity_sid].remove(factor)

    def factor_proof_ok(self, factor: Factor, payload: str) -> bool:
        """Whether ``payload`` verifies ``factor``: a current code, or a signature over its SID."""
        if factor.factor_type == "totp":
            return factor.totp().verify(payload, at=self.clock(), skew=int(factor.config["skew"]))
        assert factor.public_key is not None
        return verify_factor_signature(factor.public_key, factor.sid, payload)

    def expire(self, challenge: Challenge) -> None:
        """Mark a pending challenge expired once its expiration has passed."""
        if challenge.status == "pending" and self.clock() >= challenge.expiration:
            challenge.status = "expired"
            challenge.updated = challenge.expiration

    def entity_challenges(self, entity: Entity) -> list[Challenge]:
        """``entity``'s challenges in creation order, each expired if its time has passed."""
        rows = self._entity_challenges[entity.sid]
        for challenge in rows:
            self.expire(challenge)
        return rows

    def store_challenge(self, challenge: Challenge) -> None:
        """Store a new challenge, numbered so equal creation times keep their order."""
        self._seq += 1
        challenge.seq = self._seq
        self.challenges[challenge.sid] = challenge
        self._entity_challenges[challenge.entity_sid].append(challenge)

    def answer_totp(self, challenge: Challenge, factor: Factor, code: str) -> None:
        """Approve ``challenge`` for a current code, deny it for a wrong one."""
        if not 3 <= len(code) <= 8:
            bad_param("Invalid parameter AuthPayload: a TOTP code of 3 to 8 characters")
        ok = factor.totp().verify(code, at=self.clock(), skew=int(factor.config["skew"]))
        self.respond(challenge, "approved" if ok else "denied")

    def respond(self, challenge: Challenge, status: str) -> None:
        """Record the answer ``status`` on ``challenge``, now."""
        now = self.clock()
        challenge.status = status
        challenge.responded = now
        challenge.updated = now

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
                expiration=now + MAX_EXPIRY,
            )
            self.store_challenge(challenge)
            made.append(challenge)
        return made
