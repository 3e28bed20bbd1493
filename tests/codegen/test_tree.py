"""Where resources hang: parents, implied levels, names and their clashes."""

from __future__ import annotations

from trunkline.codegen.tree import Node, plan_tree, resource_key


def _plan(
    paths: list[str | tuple[str, str | None, str | None]],
    methods: dict[tuple[str, ...], set[str]] | None = None,
    caller_defaults: tuple[str, ...] = (),
) -> dict[str, Node]:
    pairs = [(p, None, None) if isinstance(p, str) else p for p in paths]
    keys = {k for p, _, _ in pairs if (k := resource_key(p)) is not None}
    nodes = plan_tree(pairs, keys, {}, methods or {}, caller_defaults)
    return {".".join(n.tree): n for n in nodes.values()}


def test_resources_hang_under_their_static_prefix() -> None:
    """A path's nearest resource prefix is its parent; its mountName, else its segment, names it."""
    tree = _plan(
        [
            "/v2/Services",
            "/v2/Services/{Sid}",
            "/v2/Services/{ServiceSid}/Entities/{Identity}",
            "/v2/Services/{ServiceSid}/Entities/{Identity}/Factors",
            ("/v2/Services/{ServiceSid}/VerificationCheck", None, "verification_checks"),
        ]
    )
    assert sorted(tree) == [
        "services",
        "services.entities",
        "services.entities.factors",
        "services.verification_checks",
    ]
    assert tree["services.entities.factors"].module == "factors"


def test_a_spec_that_declares_parents_is_taken_at_its_word() -> None:
    """With ``x-twilio.parent`` (written without the version), undeclared paths hang on the unit."""
    tree = _plan(
        [
            "/v1/DialingPermissions",
            ("/v1/Settings", "/DialingPermissions", None),
            "/v1/DialingPermissions/Countries",
        ]
    )
    assert sorted(tree) == ["countries", "dialing_permissions", "dialing_permissions.settings"]


def test_a_parameter_the_client_fills_is_an_implied_level() -> None:
    """Children of ``/Accounts/{AccountSid}`` hang beside Accounts, which keeps its own methods."""
    tree = _plan(
        [
            "/2010-04-01/Accounts.json",
            "/2010-04-01/Accounts/{Sid}.json",
            "/2010-04-01/Accounts/{AccountSid}/Messages.json",
            "/2010-04-01/Accounts/{AccountSid}/Messages/{MessageSid}/Media.json",
        ],
        caller_defaults=("AccountSid",),
    )
    assert sorted(tree) == ["accounts", "messages", "messages.media"]


def test_a_collection_without_a_path_of_its_own_is_still_a_level() -> None:
    """``/Calls/{CallSid}/Notes`` alone gives ``calls.notes``, not a ``notes`` beside others."""
    tree = _plan(
        [
            "/2010-04-01/Accounts/{AccountSid}/Notes.json",
            "/2010-04-01/Accounts/{AccountSid}/Calls/{CallSid}/Notes.json",
        ],
        caller_defaults=("AccountSid",),
    )
    assert sorted(tree) == ["calls", "calls.notes", "notes"]
    assert tree["calls.notes"].module == "call_notes"


def test_a_child_named_like_a_parent_method_takes_an_underscore() -> None:
    """A child called ``list`` under a resource with a ``list`` method becomes ``list_``."""
    methods = {("v1", "Things"): {"list", "page", "pages", "stream", "fetch"}}
    tree = _plan(["/v1/Things", "/v1/Things/{Sid}/List", "/v1/Things/{Sid}/Fetch"], methods)
    assert sorted(tree) == ["things", "things.fetch_", "things.list_"]


def test_names_do_not_depend_on_path_order_within_a_parent() -> None:
    """A child listed before its parent in the spec still hangs under it."""
    tree = _plan(["/v1/Messages/{MessageSid}/Media", "/v1/Messages", "/v1/Messages/{Sid}"])
    assert sorted(tree) == ["messages", "messages.media"]
