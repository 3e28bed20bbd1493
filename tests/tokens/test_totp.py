"""TOTP codes: RFC 6238 vectors, settings bounds, skew and binding URIs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from trunkline.tokens.totp import Totp, random_secret

SEEDS = {
    "SHA1": b"12345678901234567890",
    "SHA256": b"12345678901234567890123456789012",
    "SHA512": b"1234567890" * 6 + b"1234",
}

# RFC 6238 appendix B: (time, SHA1, SHA256, SHA512), 8 digits, 30 s period.
RFC_VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC_VECTORS)
def test_rfc6238_vectors(at: int, sha1: str, sha256: str, sha512: str) -> None:
    """Each RFC 6238 appendix B vector is reproduced for SHA1, SHA256 and SHA512."""
    for algorithm, expected in (("SHA1", sha1), ("SHA256", sha256), ("SHA512", sha512)):
        totp = Totp(SEEDS[algorithm], digits=8, algorithm=algorithm)
        assert totp.code(at) == expected
        assert totp.verify(expected, at=at, skew=0)


def test_datetime_and_seconds_agree() -> None:
    """An aware datetime gives the same code as its epoch seconds; a naive one is refused."""
    totp = Totp(SEEDS["SHA1"], digits=8)
    moment = datetime.fromtimestamp(1111111109, tz=UTC)
    assert totp.code(moment) == "07081804"
    with pytest.raises(ValueError, match="timezone-aware"):
        totp.code(datetime(2020, 1, 1))


def test_base32_secret_equals_raw_key() -> None:
    """A base32 secret (any case, spaces, no padding) decodes to the same key as raw bytes."""
    raw = Totp(SEEDS["SHA1"], digits=8)
    text = Totp("gezd gnbv gy3t qojq gezd gnbv gy3t qojq", digits=8)
    assert text.key == raw.key
    assert text.code(59) == "94287082"
    assert raw.secret == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize("digits", [3, 4, 5, 6, 7, 8])
def test_digits_range_pads_codes(digits: int) -> None:
    """Codes have exactly `digits` characters, zero-padded, for every allowed length."""
    totp = Totp(SEEDS["SHA1"], digits=digits)
    code = totp.code(1111111109)
    assert len(code) == digits
    assert code == "07081804"[-digits:]


@pytest.mark.parametrize("digits", [2, 9, 0, -1])
def test_digits_out_of_range(digits: int) -> None:
    """Digits outside 3–8 are refused with a message naming the setting."""
    with pytest.raises(ValueError, match="digits"):
        Totp(SEEDS["SHA1"], digits=digits)


@pytest.mark.parametrize("period", [19, 61, 0])
def test_period_out_of_range(period: int) -> None:
    """Periods outside 20–60 seconds are refused."""
    with pytest.raises(ValueError, match="period"):
        Totp(SEEDS["SHA1"], period=period)


@pytest.mark.parametrize("period", [20, 45, 60])
def test_period_changes_step(period: int) -> None:
    """The time step is floor(t / period): codes change exactly at period boundaries."""
    totp = Totp(SEEDS["SHA1"], period=period)
    start = 1_700_000_000 // period * period
    assert totp.code(start) == totp.code(start + period - 1)
    assert totp.code(start) != totp.code(start + period)


def test_unknown_algorithm_refused() -> None:
    """Only SHA1, SHA256 and SHA512 are accepted (case-insensitive)."""
    assert Totp(SEEDS["SHA1"], algorithm="sha256").algorithm == "SHA256"
    with pytest.raises(ValueError, match="algorithm"):
        Totp(SEEDS["SHA1"], algorithm="MD5")


def test_bad_secrets_refused() -> None:
    """Empty or non-base32 secrets raise ValueError; other types raise TypeError."""
    with pytest.raises(ValueError, match="empty"):
        Totp("")
    with pytest.raises(ValueError, match="base32"):
        Totp("not*base32!")
    with pytest.raises(TypeError):
        Totp(12345)  # type: ignore[arg-type]


@pytest.mark.parametrize("skew", [0, 1, 2])
def test_skew_window(skew: int) -> None:
    """A code verifies within `skew` periods either side and not one period further."""
    totp = Totp(SEEDS["SHA1"])
    now = 1_700_000_015
    for offset in range(-skew, skew + 1):
        assert totp.verify(totp.code(now + 30 * offset), at=now, skew=skew)
    assert not totp.verify(totp.code(now + 30 * (skew + 1)), at=now, skew=skew)
    assert not totp.verify(totp.code(now - 30 * (skew + 1)), at=now, skew=skew)


def test_skew_out_of_range() -> None:
    """A skew outside 0–2 is refused."""
    with pytest.raises(ValueError, match="skew"):
        Totp(SEEDS["SHA1"]).verify("123456", at=0, skew=3)


def test_verify_rejects_wrong_shapes() -> None:
    """Wrong-length or non-string codes are simply invalid, not errors."""
    totp = Totp(SEEDS["SHA1"], digits=8)
    assert not totp.verify("9428708", at=59)
    assert not totp.verify("942870820", at=59)
    assert not totp.verify(94287082, at=59)  # type: ignore[arg-type]


def test_from_uri_reads_binding() -> None:
    """A factor binding URI yields its issuer, account and settings."""
    uri = (
        "otpauth://totp/Acme%20Inc:ana%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        "&issuer=Acme%20Inc&algorithm=SHA256&digits=8&period=60"
    )
    totp = Totp.from_uri(uri)
    assert (totp.issuer, totp.account) == ("Acme Inc", "ana@example.com")
    assert (totp.digits, totp.period, totp.algorithm) == (8, 60, "SHA256")
    assert totp.key == SEEDS["SHA1"]
    assert Totp.from_uri(totp.to_uri()) == totp


def test_from_uri_defaults() -> None:
    """Missing settings take the RFC defaults and the label prefix gives the issuer."""
    totp = Totp.from_uri("otpauth://totp/Issuer:Account?secret=GEZDGNBVGY3TQOJQ")
    assert (totp.digits, totp.period, totp.algorithm) == (6, 30, "SHA1")
    assert (totp.issuer, totp.account) == ("Issuer", "Account")


@pytest.mark.parametrize(
    ("uri", "problem"),
    [
        ("https://totp/x?secret=GEZDGNBV", "otpauth"),
        ("otpauth://hotp/x?secret=GEZDGNBV", "totp"),
        ("otpauth://totp/x?issuer=a", "secret"),
        ("otpauth://totp/x?secret=GEZDGNBV&digits=six", "digits"),
        ("otpauth://totp/x?secret=GEZDGNBV&digits=10", "digits"),
    ],
)
def test_from_uri_errors(uri: str, problem: str) -> None:
    """Malformed binding URIs raise ValueError naming the problem."""
    with pytest.raises(ValueError, match=problem):
        Totp.from_uri(uri)


def test_secret_not_in_repr() -> None:
    """Neither the key nor its base32 form appears in repr."""
    totp = Totp(SEEDS["SHA1"])
    text = repr(totp)
    assert "1234567890" not in text
    assert totp.secret not in text


def test_random_secret_injected_randomness() -> None:
    """random_secret encodes exactly the injected bytes as unpadded base32."""
    secret = random_secret(random_bytes=lambda n: b"\xff" * n)
    assert secret == "7" * 32
    assert Totp(secret).key == b"\xff" * 20
    assert len(random_secret()) == 32
    assert random_secret() != random_secret()
    with pytest.raises(ValueError, match="16 bytes"):
        random_secret(8)
