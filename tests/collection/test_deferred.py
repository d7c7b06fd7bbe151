"""Fields worked out on first read: the frozen models' values, computed once, when asked."""

from __future__ import annotations

import dataclasses
import functools
import gc
import threading
import time
import weakref
from typing import Any

import pytest

from postman_contracts.collection._deferred import deferred_fields, later


@deferred_fields("value", "late")
@dataclasses.dataclass(frozen=True)
class _Model:
    name: str
    value: Any
    late: Any = None


@deferred_fields("value", keep=True)
@dataclasses.dataclass(frozen=True)
class _Kept:
    value: Any = "default"


class _Counter:
    def __init__(self, result: Any, delay: float = 0.0) -> None:
        self.calls = 0
        self.result = result
        self.delay = delay

    def __call__(self) -> Any:
        self.calls += 1
        if self.delay:
            time.sleep(self.delay)  # lets other threads in while the value is computed
        return self.result


def test_a_deferred_value_is_computed_on_first_read_and_once() -> None:
    compute = _Counter({"a": 1})
    model = _Model("m", later(compute))
    assert compute.calls == 0
    assert model.value == {"a": 1} and model.value is model.value
    assert compute.calls == 1


def test_a_field_given_a_value_is_a_plain_field() -> None:
    assert _Model("m", 3).value == 3 and _Model("m", 3).late is None
    assert _Kept().value == "default"
    with pytest.raises(TypeError):
        _Model("m")  # type: ignore[call-arg]  # still required
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Model("m", 3).value = 4  # type: ignore[misc]


def test_equality_repr_and_replace_see_the_computed_value() -> None:
    model = _Model("m", later(lambda: [1, 2]))
    assert model == _Model("m", [1, 2])
    assert "value=[1, 2]" in repr(model)
    assert dataclasses.replace(model, name="n").value == [1, 2]
    assert dataclasses.asdict(_Model("m", later(lambda: 5)))["value"] == 5


def test_the_computation_is_let_go_once_it_has_run() -> None:
    class Held:
        pass

    held = Held()
    model = _Model("m", later(functools.partial(isinstance, held, Held)))
    watch = weakref.ref(held)
    del held
    assert watch() is not None  # the computation holds it
    assert model.value is True
    gc.collect()
    assert watch() is None


def test_a_kept_computation_runs_again_after_its_value_is_forgotten() -> None:
    compute = _Counter("x")
    kept = _Kept(later(compute))
    field = type(kept).__dict__["value"]
    assert field.deferred(kept) and field.known(kept) is None
    assert kept.value == "x" and field.known(kept) == "x"
    field.forget(kept)
    assert field.known(kept) is None
    assert kept.value == "x" and compute.calls == 2
    plain = _Kept("y")
    field.forget(plain)  # a value given is never forgotten: nothing could make it again
    assert plain.value == "y"


def test_threads_reading_at_once_all_get_the_value() -> None:
    """The mock serves each request in a thread of its own, reading the same contracts."""

    for _ in range(20):
        compute = _Counter({"a": 1}, delay=0.001)
        model = _Model("m", later(compute))
        barrier = threading.Barrier(8)
        seen: list[Any] = []

        def read(model: _Model, barrier: threading.Barrier, seen: list[Any]) -> None:
            barrier.wait()
            seen.append(model.value)

        threads = [threading.Thread(target=read, args=(model, barrier, seen)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert seen == [{"a": 1}] * 8
        assert 1 <= compute.calls <= 8
