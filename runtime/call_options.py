"""The options every generated method takes, documented once (each method's docstring links here).

Every generated method ends its signature with the same keyword-only options; their
meaning never depends on the operation, so the methods name them and point here instead
of repeating this text.

``timeout``
    A per-call limit: seconds for the whole call across every retry (a ``float``), a
    :class:`trunkline.Timeout` with ``total``, ``connect`` and ``read`` limits, or ``None``
    for the client's default. Past it the call raises :class:`trunkline.ApiTimeoutError`.

``headers``
    Extra HTTP headers sent with this call only (``{"X-Request-Tag": "a1"}``), added to
    the client's own; the operation's header parameters (``x_twilio_webhook_enabled``)
    are set by their own arguments and win over a header of the same name here.

``idempotent``
    POST and PATCH methods only. ``False`` (the default): the call is repeated only after
    a 429 or a connection that never reached the server, since repeating one that may
    have arrived could repeat its effect (a second SMS). ``True`` says repeating is safe
    (the request carries its own idempotency key, or sets absolute values), so it is
    retried as a GET is: after 502, 503, 504 and lost connections too.

``page_size``
    List methods only: how many items to ask the server for per page (capped at the
    operation's maximum, 1,000 for most Twilio lists). ``None``: ``limit`` when one is
    given, the server's default otherwise.

``limit``
    ``pages``, ``stream`` and ``list`` only: the most items handed out in all; paging
    stops once they are read (the last page is cut short). ``None``: every item. The
    ``page`` method reads one page and takes no limit.

Arguments an operation declares are typed from its spec: an enum argument takes the
enum's members or its values as string literals (a typo is a type error, and a
:class:`trunkline.ValidationError` at run time); a ``date`` argument a
:class:`datetime.date`; a ``date-time`` argument an aware :class:`datetime.datetime`
(a naive one is a ``ValidationError``: it names no instant), sent in UTC as ISO 8601
(``2024-05-01T09:30:00Z``); a ``date-time`` query filter also takes a date, sent as
``YYYY-MM-DD``. Twilio's inequality filters (``start_time_before``, ``start_time_after``)
send ``StartTime<`` and ``StartTime>``, which the query string completes to
``StartTime<=value`` (on or before) and ``StartTime>=value`` (on or after).

Bodies that are not forms or JSON: a ``format: binary`` field of a multipart body takes a
file, as ``bytes``, a binary file object (its base name is sent as the filename) or
``(filename, bytes, content_type)``; an ``application/octet-stream`` body is ``bytes``, a
text or XML body a ``str``; a binary response comes back as ``bytes``, a ``text/*`` or XML
one as a ``str`` decoded by its charset.
"""

from __future__ import annotations

__all__: list[str] = []
