"""Results kept in the shared cache until what they are computed from changes.

A *namespace* ("figures", "ranking") names a family of results computed from the same
tables. Each namespace has a version in the shared cache (an opaque token); a result is
stored beside the version current when it was computed, and is served only while that
version is still current, so one `touch()` retires every result of the namespace at once,
on every instance behind the same cache.

The models a namespace reads are declared once, in their app's `ready()`, with
`invalidated_by(namespace, *models)`: a save or a delete of any of them touches the
namespace. Writes that send no signal (`bulk_create`, `QuerySet.update`, raw SQL) call
`touch()` themselves.

Inside a transaction a touch is recorded on the connection and the version is changed when
the transaction commits, once whatever the number of rows written; a cached read on the same
connection before then computes afresh (it must see the transaction's own writes), and so
does every other instance once the commit is done. A rolled-back transaction leaves the
version as it was, which is right: nothing it wrote is left.

A result is also dropped after its timeout, a bound on how stale a result can get if a write
that does not signal forgot to touch.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")

DEFAULT_TIMEOUT = 600

_PREFIX = "focus:kept"
_DIRTY = "_focus_kept_dirty"


def _version_key(namespace: str) -> str:
    return f"{_PREFIX}:{namespace}:version"


def _result_key(namespace: str, key: Iterable[Hashable]) -> str:
    # A digest keeps any key within every backend's limits (250 characters for memcached).
    digest = hashlib.blake2b(repr(tuple(key)).encode(), digest_size=16).hexdigest()
    return f"{_PREFIX}:{namespace}:{digest}"


def _bump(namespaces: Iterable[str]) -> None:
    cache.set_many({_version_key(ns): secrets.token_hex(8) for ns in namespaces}, timeout=None)


def _dirty(connection) -> dict[str, Callable[[], None]]:
    """The namespaces touched in the connection's open transaction, each with the callback
    that changes its version at commit. A callback Django no longer holds (its transaction or
    savepoint was rolled back) no longer marks its namespace."""
    dirty = getattr(connection, _DIRTY, None)
    if dirty is None:
        dirty = {}
        setattr(connection, _DIRTY, dirty)
    if dirty:
        pending = {id(callback) for _, callback, _ in connection.run_on_commit}
        for namespace in [ns for ns, callback in dirty.items() if id(callback) not in pending]:
            del dirty[namespace]
    return dirty


def touch(*namespaces: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Retire every kept result of these namespaces: now outside a transaction, when the
    transaction commits inside one."""
    connection = connections[using]
    if not connection.in_atomic_block:
        _bump(namespaces)
        return
    dirty = _dirty(connection)
    fresh = [ns for ns in namespaces if ns not in dirty]
    if not fresh:
        return

    def committed() -> None:
        for ns in fresh:
            if dirty.get(ns) is committed:
                del dirty[ns]
        _bump(fresh)

    for ns in fresh:
        dirty[ns] = committed
    connection.on_commit(committed)


def kept(
    namespace: str,
    key: Iterable[Hashable],
    compute: Callable[[], T],
    *,
    timeout: int = DEFAULT_TIMEOUT,
    using: str = DEFAULT_DB_ALIAS,
) -> T:
    """The result of `compute()` for `key`, computed once per version of the namespace.

    `key` must name everything the result depends on besides the namespace's tables (the
    user's scope, the filters, the record's id...); the result must pickle. One cache round
    trip on a hit."""
    if namespace in _dirty(connections[using]):
        return compute()
    version_key, result_key = _version_key(namespace), _result_key(namespace, key)
    found = cache.get_many([version_key, result_key])
    version = found.get(version_key)
    if version is None:
        version = secrets.token_hex(8)
        if not cache.add(version_key, version, timeout=None):
            version = cache.get(version_key, version)
    stored = found.get(result_key)
    if stored is not None and stored[0] == version:
        return stored[1]
    result = compute()
    cache.set(result_key, (version, result), timeout=timeout)
    return result


def invalidated_by(namespace: str, *senders: type[models.Model]) -> None:
    """Touch `namespace` whenever a row of one of these models is saved or deleted, or a
    many-to-many set through one of them changes."""

    def changed(sender, **kwargs: Any) -> None:
        if kwargs.get("raw"):
            return
        touch(namespace, using=kwargs.get("using") or DEFAULT_DB_ALIAS)

    uid = f"focus.cache:{namespace}"
    for sender in senders:
        post_save.connect(changed, sender=sender, weak=False, dispatch_uid=(uid, sender))
        post_delete.connect(changed, sender=sender, weak=False, dispatch_uid=(uid, sender))
        m2m_changed.connect(changed, sender=sender, weak=False, dispatch_uid=(uid, sender))
