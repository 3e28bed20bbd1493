"""How the emulated Verify v2 renders its records: the JSON Verify v2 answers with.

Each function takes the account, the origin the client used (so every URL leads back to
the emulator) and one record.
"""

from __future__ import annotations

from ._core import JSONDict, iso
from ._verify_state import Challenge, Entity, Factor, Service

__all__ = ["challenge_json", "entity_json", "factor_json", "service_json"]


def service_json(account_sid: str, o: str, s: Service) -> JSONDict:
    """A service as the API renders it (``o`` is the scheme and host of the URLs)."""
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
        "account_sid": account_sid,
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


def entity_json(account_sid: str, o: str, e: Entity) -> JSONDict:
    """An entity as the API renders it."""
    url = f"{o}/v2/Services/{e.service_sid}/Entities/{e.identity}"
    return {
        "sid": e.sid,
        "identity": e.identity,
        "account_sid": account_sid,
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


def factor_json(account_sid: str, o: str, f: Factor) -> JSONDict:
    """A factor as the API renders it (without its binding, shown on create only)."""
    return {
        "sid": f.sid,
        "account_sid": account_sid,
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


def challenge_json(account_sid: str, o: str, c: Challenge) -> JSONDict:
    """A challenge as the API renders it (``o`` is the scheme and host of the URLs)."""
    url = f"{o}/v2/Services/{c.service_sid}/Entities/{c.identity}/Challenges/{c.sid}"
    return {
        "sid": c.sid,
        "account_sid": account_sid,
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
