"""Fields of the frozen models whose value is worked out when first read.

Why it exists: a large collection is loaded (and its contracts built) in every pytest start
and every xdist worker, yet most of what the models hold is read by a few tests only, or by
one operation at a time: a body's parsed JSON, a response's schema, the replay of an
example. A :class:`DeferredField` holds either its value or a :class:`Deferred` computation,
run on first read and its result kept. The frozen dataclasses keep their fields, their
constructors and their equality (which reads every field, and so computes it):
:func:`deferred_fields` sets the descriptor on the class, through which the dataclass's own
``__init__`` stores a field as any code reads it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast, overload

__all__ = ["Deferred", "DeferredField", "deferred_fields", "later"]

T = TypeVar("T")
_REQUIRED: Any = object()  # no default


class Deferred:
    """A field's value as a computation to run when it is first read."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute


def later(compute: Callable[[], T]) -> T:
    """A :class:`Deferred` ``compute()``, typed as the value it stands for: what a
    :class:`DeferredField` is given in place of its value."""
    return cast(T, Deferred(compute))


def deferred_fields(*names: str, keep: bool = False) -> Callable[[type[T]], type[T]]:
    """A class decorator, above ``@dataclass``: each field of ``names`` may be given
    :func:`later` (see :class:`DeferredField`; ``keep`` as there).

    The dataclass's own ``__init__``, equality and ``replace`` go through the field's
    descriptor, as they do for any descriptor set on the class."""

    def install(cls: type[T]) -> type[T]:
        for name in names:
            field = DeferredField(cls.__dict__.get(name, _REQUIRED), keep=keep)
            field.__set_name__(cls, name)
            setattr(cls, name, field)
        return cls

    return install


class DeferredField:
    """A dataclass field holding a value or a :class:`Deferred` one (see the module).

    Args:
        default: the field's default; without one, the field has none.
        keep: keep the computation after it has run, so that :meth:`forget` may drop the
            value and the next read compute it again (a body parsed from the text the model
            keeps anyway); otherwise it is let go with what it holds.
    """

    def __init__(self, default: Any = _REQUIRED, *, keep: bool = False) -> None:
        self._default = default
        self._keep = keep

    def __set_name__(self, owner: type, name: str) -> None:
        self._value, self._deferred = f"_{name}_value", f"_{name}_deferred"

    @overload
    def __get__(self, obj: None, objtype: type | None = None) -> Any: ...
    @overload
    def __get__(self, obj: object, objtype: type | None = None) -> Any: ...
    def __get__(self, obj: object | None, objtype: type | None = None) -> Any:
        if obj is None:  # read on the class: the field's default
            if self._default is _REQUIRED:
                raise AttributeError("no default")  # which tells a dataclass there is none
            return self._default
        state = obj.__dict__
        try:
            return state[self._value]
        except KeyError:
            pass
        # Threads may read at once (the mock serves each request in its own): the value is
        # stored before the computation is let go, so a reader that finds neither lost the
        # race to one that has finished. Two may compute it; they store the same value.
        deferred = state.get(self._deferred)
        if deferred is None:
            return state[self._value]
        value = state[self._value] = deferred.compute()
        if not self._keep:
            state.pop(self._deferred, None)
        return value

    def __set__(self, obj: object, value: Any) -> None:
        if type(value) is Deferred:
            obj.__dict__[self._deferred] = value
        else:
            obj.__dict__[self._value] = value

    def deferred(self, obj: object) -> bool:
        """Whether ``obj``'s value is still to be computed (or may be again)."""
        return self._deferred in obj.__dict__

    def known(self, obj: object, default: Any = None) -> Any:
        """``obj``'s value if it is already computed, else ``default`` (computing nothing)."""
        return obj.__dict__.get(self._value, default)

    def forget(self, obj: object) -> None:
        """Drop ``obj``'s value if it can be computed again."""
        if self._deferred in obj.__dict__:
            obj.__dict__.pop(self._value, None)
