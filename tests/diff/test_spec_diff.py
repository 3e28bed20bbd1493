"""The spec diff on small hand-written spec pairs, one pair per kind of change."""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from trunkline.codegen import diff
from trunkline.codegen.diff import BREAKING, INFO, NOTABLE, Change, diff_paths, python_name

SPECS = Path(__file__).parent / "specs"
REPO = Path(__file__).resolve().parents[2]


def _pair(case: str) -> list[Change]:
    return list(diff_paths(SPECS / case / "old.yaml", SPECS / case / "new.yaml").changes)


def _one(changes: list[Change], kind: str, name: str | None = None) -> Change:
    found = [c for c in changes if c.kind == kind and (name is None or c.name == name)]
    assert len(found) == 1, f"{kind} {name}: {found}"
    return found[0]


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser()
    diff.add_arguments(parser)
    status = diff.main(parser.parse_args(argv))
    out, err = capsys.readouterr()
    return status, out, err


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("DateCreated>", "date_created_after"),
        ("DateCreated<", "date_created_before"),
        ("EndTime>=", "end_time_on_or_after"),
        ("EndTime<=", "end_time_on_or_before"),
        ("2fa", "n2fa"),
        ("Details.Message", "details_message"),
        ("Config.TimeStep", "config_time_step"),
        ("From", "from_"),
        ("X-Twilio-Webhook-Enabled", "x_twilio_webhook_enabled"),
        ("SmsUrl", "sms_url"),
        ("friendly_name", "friendly_name"),
        ("isRecoveryCodeGenerated", "is_recovery_code_generated"),
        ("Limit", "limit_"),
        ("Timeout", "timeout_"),
        ("PageSize", "page_size_"),
        ("match", "match_"),
    ],
)
def test_python_name(wire: str, expected: str) -> None:
    """Wire names map to the snake_case keyword the generated method takes."""
    assert python_name(wire) == expected


def test_operations_added_removed_renamed() -> None:
    """Operations match on method + path ignoring path parameter names; removal breaks."""
    changes = _pair("operations")
    removed = _one(changes, "operation-removed")
    assert (removed.subject, removed.severity) == ("POST /v1/Widgets", BREAKING)
    added = _one(changes, "operation-added")
    assert (added.subject, added.operation_id, added.severity) == (
        "POST /v1/Widgets/{WidgetSid}",
        "UpdateWidget",
        INFO,
    )
    renamed = _one(changes, "operation-id-changed")
    assert (renamed.old, renamed.new, renamed.severity) == ("ListWidget", "ListWidgets", NOTABLE)
    assert _one(changes, "operation-deprecated").subject == "GET /v1/Widgets"
    moved = [c for c in changes if c.kind == "path-parameter-renamed"]
    assert {c.subject for c in moved} == {
        "GET /v1/Widgets/{WidgetSid}",
        "DELETE /v1/Widgets/{WidgetSid}",
    }
    assert all(c.severity == NOTABLE for c in moved)
    # The renamed path parameter is matched by position, not reported as removed + added.
    assert not [c for c in changes if c.kind.startswith("parameter-")]


def test_parameters_each_kind() -> None:
    """Parameter changes are classified: removals, new required and narrowing break."""
    changes = _pair("parameters")
    removed = _one(changes, "parameter-removed", "From")
    assert (removed.python_name, removed.location, removed.severity) == ("from_", "query", BREAKING)
    assert _one(changes, "parameter-added", "Edge").severity == BREAKING
    optional = _one(changes, "parameter-added", "StartTime<")
    assert (optional.python_name, optional.severity) == ("start_time_before", INFO)
    assert _one(changes, "parameter-required", "To").severity == BREAKING
    assert _one(changes, "parameter-optional", "Region").severity == INFO
    # Status's enum lives in a $ref'd component schema; it lost a value and gained one.
    narrowed = _one(changes, "parameter-enum-removed", "Status")
    assert (narrowed.old, narrowed.severity) == (["failed"], BREAKING)
    assert _one(changes, "parameter-enum-added", "Status").new == ["canceled"]
    assert _one(changes, "parameter-enum-added", "Direction").severity == INFO
    assert _one(changes, "parameter-enum-introduced", "Trim").severity == BREAKING
    assert _one(changes, "parameter-enum-dropped", "Zone").severity == INFO
    # Types are the Python types of the generated signature: a date-time query filter
    # takes a datetime or a date.
    after = _one(changes, "parameter-type-changed", "StartTime>")
    assert (after.python_name, after.old, after.new, after.severity) == (
        "start_time_after",
        "datetime | date",
        "str",
        BREAKING,
    )
    assert _one(changes, "parameter-type-changed", "Callback").severity == BREAKING
    # int → float widens what a caller may pass.
    assert _one(changes, "parameter-type-changed", "Duration").severity == NOTABLE
    # A format the generated code does not act on (decimal) leaves the signature as it was.
    untouched = {"PageSize", "X-Twilio-Webhook-Enabled", "Price"}
    assert not [c for c in changes if c.name in untouched]


def test_request_body_fields() -> None:
    """Form and JSON request fields are compared like parameters, nested JSON objects too."""
    changes = _pair("request_body")
    required = _one(changes, "request-field-added", "Config.TimeStep")
    assert (required.python_name, required.severity) == ("config_time_step", BREAKING)
    assert _one(changes, "request-field-added", "Config.Skew").severity == INFO
    assert _one(changes, "request-field-removed", "Psd2Enabled").python_name == "psd2_enabled"
    code_length = _one(changes, "request-field-type-changed", "CodeLength")
    assert (code_length.old, code_length.new, code_length.severity) == ("int", "str", BREAKING)
    assert _one(changes, "request-field-enum-added", "Channel").new == ["whatsapp"]
    # The JSON body is a $ref; its nested field became required, which breaks callers.
    nested = _one(changes, "request-field-required", "card.title")
    assert (nested.python_name, nested.severity) == (None, BREAKING)
    # A required member of a brand-new optional object breaks nobody.
    assert _one(changes, "request-field-added", "flows.flow_id").severity == INFO
    assert _one(changes, "request-field-removed", "legacy").severity == BREAKING


def test_models_fields_and_responses() -> None:
    """Model fields: removal and type change break; response enum changes are notable."""
    changes = _pair("models")
    message = [c for c in changes if c.subject == "model api.v1.message"]
    # allOf with a $ref is merged, so a field added to the base shows on the model too.
    assert _one(message, "model-field-added", "date_updated").severity == INFO
    assert _one(message, "model-field-removed", "legacy_flag").severity == BREAKING
    # A field holding other models is one change; their fields belong to their own diff.
    assert _one(message, "model-field-added", "media").new == "list[NewThing]"
    assert not [c for c in changes if c.name == "media.sid"]
    assert _one(message, "model-field-type-changed", "num_segments").severity == BREAKING
    assert _one(message, "model-field-type-changed", "metadata").severity == NOTABLE
    assert _one(message, "model-field-enum-added", "status").severity == NOTABLE
    assert _one(message, "model-field-enum-removed", "status").severity == NOTABLE
    assert _one(changes, "model-removed").subject == "model api.v1.old_thing"
    assert {c.subject for c in changes if c.kind == "model-added"} == {
        "model api.v1.message_v2",
        "model api.v1.new_thing",
    }
    response = _one(changes, "response-changed")
    assert (response.old, response.new) == ("api.v1.message", "api.v1.message_v2")
    # Enum schemas are reported where they are used, not as models of their own.
    assert not [c for c in changes if "message_enum_status" in c.subject]


def test_python_names_and_types_from_the_ir() -> None:
    """Renamed Python methods, keywords and classes, paging on or off and new checks show."""
    changes = _pair("python_names")
    # A list page became one object: the generated methods change from list() to fetch().
    method = _one(changes, "method-renamed")
    assert (method.old, method.new, method.severity) == ("things.list", "things.fetch", BREAKING)
    paging = _one(changes, "paging-changed")
    assert (paging.old, paging.new, paging.severity) == ("twilio_meta", None, BREAKING)
    # A new header Mode takes the keyword `mode`; the query Mode's keyword becomes mode_query.
    renamed = _one(changes, "parameter-renamed", "Mode")
    assert (renamed.location, renamed.old, renamed.new, renamed.severity) == (
        "query",
        "mode",
        "mode_query",
        BREAKING,
    )
    header = _one(changes, "parameter-added", "Mode")
    assert (header.location, header.python_name, header.severity) == ("header", "mode", INFO)
    # The enum schema's new name renames its class; callers passing strings are unaffected.
    status = _one(changes, "parameter-type-changed", "Status")
    assert (status.old, status.new, status.severity) == (
        "CallStatus | str",
        "CallState | str",
        NOTABLE,
    )
    # A free-form dict that became a model breaks `thing.capabilities["voice"]`.
    capabilities = _one(changes, "model-field-type-changed", "capabilities")
    assert (capabilities.old, capabilities.new, capabilities.severity) == (
        "dict[str, Any]",
        "Capabilities",
        BREAKING,
    )
    voice = _one(changes, "model-field-added", "capabilities.voice")
    assert (voice.python_name, voice.new) == ("capabilities.voice", "bool")
    # A uuid format and a length bound become checks the method runs before any request.
    token = _one(changes, "parameter-checks-changed", "Token")
    assert (token.old, token.new, token.severity) == (None, ["max_length=36", "fmt=uuid"], NOTABLE)
    assert len(changes) == 8


def test_str_to_enum_names_the_enum_class() -> None:
    """A str parameter that gets an enum names the generated enum class it now takes."""
    trim = _one(_pair("parameters"), "parameter-enum-introduced", "Trim")
    assert trim.new == ["trim-silence", "do-not-trim"]
    assert trim.message.startswith("parameter Trim (trim): type str → CallsTrim | str, ")


def test_same_spec_has_no_changes() -> None:
    """A spec compared with itself (JSON against YAML) yields no change at all."""
    result = diff_paths(
        SPECS / "folder_old" / "widgets.yaml", SPECS / "folder_new" / "widgets.json"
    )
    assert result.changes == ()


def test_folders_match_specs_by_name() -> None:
    """Folders pair specs by file name without extension; others are added or removed."""
    result = diff_paths(SPECS / "folder_old", SPECS / "folder_new")
    kinds = {(c.spec, c.kind, c.severity) for c in result.changes}
    assert kinds == {("gone", "spec-removed", BREAKING), ("fresh", "spec-added", INFO)}
    summary = result.summary()
    assert (summary["specs_compared"], summary["specs_added"], summary["specs_removed"]) == (
        1,
        1,
        1,
    )


def test_text_output_groups_by_spec_and_operation(capsys: pytest.CaptureFixture[str]) -> None:
    """Text output names the operation once, then its changes with Python names and marks."""
    status, out, _ = _run(
        [str(SPECS / "parameters" / "old.yaml"), str(SPECS / "parameters" / "new.yaml")], capsys
    )
    assert status == 1
    lines = out.splitlines()
    head = lines.index("  GET /v1/Calls  [ListCall]")
    assert "    ! removed parameter From (from_) in query" in lines[head + 1 :]
    assert "    * parameter Duration (duration): type int → float" in lines
    assert lines[-2].startswith("13 changes, 7 breaking, across 1 specs")


def test_breaking_only_hides_the_rest(capsys: pytest.CaptureFixture[str]) -> None:
    """--breaking-only lists breaking changes only, but the summary still counts all."""
    _, out, _ = _run(
        [
            "--breaking-only",
            str(SPECS / "parameters" / "old.yaml"),
            str(SPECS / "parameters" / "new.yaml"),
        ],
        capsys,
    )
    body = [line for line in out.splitlines() if line.startswith("    ")]
    assert body
    assert all(line.startswith("    ! ") for line in body)
    assert "13 changes" in out


def test_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    """--json prints every change with its kind, severity and Python name, and counts."""
    status, out, _ = _run(
        [
            "--json",
            str(SPECS / "request_body" / "old.yaml"),
            str(SPECS / "request_body" / "new.yaml"),
        ],
        capsys,
    )
    assert status == 1
    data: dict[str, Any] = json.loads(out)
    assert data["summary"]["breaking"] == 6
    assert data["summary"]["by_kind"]["request-field-added"] == 4
    assert isinstance(data["summary"]["seconds"], float)
    field = next(c for c in data["changes"] if c.get("name") == "Config.TimeStep")
    assert field == {
        "spec": "new",
        "kind": "request-field-added",
        "severity": "breaking",
        "subject": "POST /v2/Services",
        "message": "added required request field Config.TimeStep (config_time_step)",
        "operation_id": "CreateService",
        "name": "Config.TimeStep",
        "python_name": "config_time_step",
        "location": "body",
        "new": "int",
    }


def test_exit_zero_without_breaking_changes(capsys: pytest.CaptureFixture[str]) -> None:
    """Exit status 0 when the only changes are additions."""
    status, out, _ = _run(
        [str(SPECS / "operations" / "new.yaml"), str(SPECS / "operations" / "new.yaml")], capsys
    )
    assert status == 0
    assert "0 changes" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["only-one"], "give two spec files or folders"),
        (["missing-old.yaml", "missing-new.yaml"], "missing-old.yaml: no such file or folder"),
        ([str(SPECS / "folder_old"), str(SPECS / "operations" / "new.yaml")], "file with a folder"),
        ([str(SPECS / "folder_new" / "package.json")] * 2, "not an OpenAPI document"),
    ],
)
def test_bad_input_exits_two(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Usage and input errors exit 2 with a message naming the problem."""
    status, out, err = _run(argv, capsys)
    assert status == 2
    assert out == ""
    assert message in err


def test_unparsable_yaml_exits_two(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A spec that does not parse is an input error naming the file."""
    broken = tmp_path / "broken.yaml"
    broken.write_text("openapi: [3.0\npaths: {", encoding="utf-8")
    status, _, err = _run([str(broken), str(SPECS / "operations" / "new.yaml")], capsys)
    assert status == 2
    assert "broken.yaml: not valid YAML" in err


def test_spec_the_generator_refuses_exits_two(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spec the builder cannot generate (no server URL) is an input error naming why."""
    serverless = tmp_path / "serverless.yaml"
    text = (SPECS / "operations" / "new.yaml").read_text(encoding="utf-8")
    serverless.write_text(
        "\n".join(line for line in text.splitlines() if not line.startswith("servers:")),
        encoding="utf-8",
    )
    status, out, err = _run([str(SPECS / "operations" / "old.yaml"), str(serverless)], capsys)
    assert (status, out) == (2, "")
    assert "the generator cannot build this spec" in err
    assert "no server URL" in err


def _unpack(root: Path, slug: str, source: Path, version: str, integrity: str) -> None:
    """Lay out a fetched spec folder the way codegen/specs.py leaves it."""
    target = root / slug
    target.mkdir(parents=True)
    shutil.copy(source, target / "twilio_widgets_v1.yaml")
    digest = hashlib.sha256((target / "twilio_widgets_v1.yaml").read_bytes()).hexdigest()
    manifest = {
        "package": "@example/specs",
        "version": version,
        "integrity": integrity,
        "files": {"twilio_widgets_v1.yaml": digest},
    }
    (target / ".manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def _lock_setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    lock = tmp_path / "specs.lock.json"
    lock.write_text(
        json.dumps(
            {
                "package": "@example/specs",
                "version": "1.0.0",
                "integrity": "sha512-pinned",
                "folder": "specs",
                "files": "twilio_*.yaml",
            }
        ),
        encoding="utf-8",
    )
    upstream = tmp_path / "upstream"
    _unpack(
        upstream, "example-specs-1.0.0", SPECS / "operations" / "old.yaml", "1.0.0", "sha512-pinned"
    )
    # No npm on PATH: anything that tries to download fails at once instead of going online.
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    return lock, upstream


def test_lock_mode_uses_unpacked_versions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """--lock compares the pinned version with an already unpacked candidate, fetching nothing."""
    lock, upstream = _lock_setup(tmp_path, monkeypatch)
    _unpack(upstream, "example-specs-2.0.0", SPECS / "operations" / "new.yaml", "2.0.0", "sha512-x")
    status, out, err = _run(
        ["--lock", "2.0.0", "--lock-file", str(lock), "--upstream-dir", str(upstream)], capsys
    )
    assert status == 1
    assert out.startswith("spec diff: @example/specs@1.0.0 (locked) → @example/specs@2.0.0")
    assert "! POST /v1/Widgets  [CreateWidget]: operation removed" in out
    assert "already in" in err
    assert "npm" not in err


def test_lock_mode_fetch_failure_exits_two(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A candidate version that cannot be fetched is an input error, reported as such."""
    lock, upstream = _lock_setup(tmp_path, monkeypatch)
    status, out, err = _run(
        ["--lock", "9.9.9", "--lock-file", str(lock), "--upstream-dir", str(upstream)], capsys
    )
    assert status == 2
    assert out == ""
    assert "npm is not installed" in err


def test_lock_mode_rejects_a_tampered_candidate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """An unpacked candidate whose files no longer match its manifest is fetched again."""
    lock, upstream = _lock_setup(tmp_path, monkeypatch)
    _unpack(upstream, "example-specs-2.0.0", SPECS / "operations" / "new.yaml", "2.0.0", "sha512-x")
    (upstream / "example-specs-2.0.0" / "twilio_widgets_v1.yaml").write_text("{}", encoding="utf-8")
    status, _, err = _run(
        ["--lock", "2.0.0", "--lock-file", str(lock), "--upstream-dir", str(upstream)], capsys
    )
    assert status == 2
    assert "npm is not installed" in err


_REAL_OLD = REPO / "specs" / ".upstream" / "twilio-cli-core-8.0.2"
_REAL_NEW = REPO / "specs" / ".upstream" / "twilio-cli-core-8.3.2"


# Both versions are built by the generator: several seconds.
@pytest.mark.slow
@pytest.mark.skipif(
    not (_REAL_OLD.is_dir() and _REAL_NEW.is_dir()),
    reason="needs @twilio/cli-core 8.0.2 and 8.3.2 unpacked (make specs-history)",
)
def test_real_twilio_upgrade() -> None:
    """On Twilio's 8.0.2 → 8.3.2 specs the diff finds known breaking and added changes."""
    result = diff_paths(_REAL_OLD, _REAL_NEW)
    sink = _one(list(result.changes), "request-field-removed", "SinkSid")
    assert (sink.spec, sink.subject, sink.severity) == (
        "twilio_events_v1",
        "POST /v1/Subscriptions/{Sid}",
        BREAKING,
    )
    passkeys = {c.operation_id for c in result.changes if c.kind == "operation-added"}
    assert "CreateNewFactorPasskey" in passkeys
    assert {c.spec for c in result.changes if c.kind == "spec-added"} >= {"twilio_oauth_v2"}
    assert result.breaking


_PINNED_OLD = REPO / "specs" / ".upstream" / "twilio-cli-core-8.3.2"
_PINNED_NEW = REPO / "specs" / ".upstream" / "twilio-cli-core-9.0.0"


# Both versions are built by the generator: several seconds.
@pytest.mark.slow
@pytest.mark.skipif(
    not (_PINNED_OLD.is_dir() and _PINNED_NEW.is_dir()),
    reason="needs @twilio/cli-core 8.3.2 and 9.0.0 unpacked (make specs specs-history)",
)
def test_twilio_8_3_2_to_9_0_0_matches_hand_checked_facts() -> None:
    """The 8.3.2 → 9.0.0 report holds facts read by hand from both spec versions."""
    result = diff_paths(_PINNED_OLD, _PINNED_NEW)
    changes = list(result.changes)
    # Added: POST /v1/CallerIds/SmsVerifications exists only in 9.0.0's numbers_v1.
    added = [c for c in changes if c.kind == "operation-added"]
    sms = [c for c in added if c.operation_id == "CreateSmsVerification"]
    assert [(c.spec, c.subject) for c in sms] == [
        ("twilio_numbers_v1", "POST /v1/CallerIds/SmsVerifications")
    ]
    # Removed: no operation loses a parameter or body field; the one field gone from a
    # request schema is `type` of iam.v1.organization.VendorOauthAppUpdateRequest.
    removed = _one(changes, "model-field-removed", "type")
    assert (removed.spec, removed.subject, removed.severity) == (
        "twilio_iam_v1",
        "model iam.v1.organization.VendorOauthAppUpdateRequest",
        BREAKING,
    )
    assert not [c for c in changes if c.kind in ("request-field-removed", "parameter-removed")]
    # New enum values: UpdatePayments' Capture gains the four *-matcher values.
    capture = _one(changes, "request-field-enum-added", "Capture")
    assert capture.operation_id == "UpdatePayments"
    assert capture.severity == INFO
    assert capture.new == [
        "payment-card-number-matcher",
        "expiration-date-matcher",
        "security-code-matcher",
        "postal-code-matcher",
    ]
    # Breaking: the OAuth token endpoint now requires grant_type.
    grant = _one(changes, "request-field-required", "grant_type")
    assert (grant.spec, grant.operation_id, grant.severity) == (
        "twilio_oauth_v2",
        "CreateOauth2Token",
        BREAKING,
    )
    # Against the diff that read the specs itself: messaging.v3's TypingIndicatorRequest
    # (a oneOf) is no generated class, so no model-added; the Usa2p list's items (now a
    # oneOf) change the response; numbers.v2's new response classes take the short names
    # `BusinessInformation` and `Setup`, so the request's inline classes of those names are
    # renamed after their position (two notable changes only the IR shows).
    summary = result.summary()
    assert (summary["changes"], summary["breaking"], summary["specs_added"]) == (422, 11, 9)
    renamed = [c for c in changes if c.subject == "model CreateShortCodeApplicationRequest"]
    assert {(c.name, c.new) for c in renamed if c.kind == "model-field-type-changed"} == {
        ("business_information", "CreateShortCodeApplicationRequestBusinessInformation"),
        ("setup", "CreateShortCodeApplicationRequestSetup"),
    }
    assert len(added) == 25
