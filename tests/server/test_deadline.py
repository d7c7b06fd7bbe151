"""The deadline bounding each exchange: one watchdog thread for all of a client's exchanges,
which expires the running exchange at its deadline and no other.

(That a trickling server is cut off at the deadline, end to end through pytest, is
``tests/reliability/test_misbehaving_servers.py``.)
"""

from __future__ import annotations

import socket
import threading
import time

from postman_contracts.server._http import _Deadline


def _watchdogs() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "postman-contracts deadline"]


def test_an_exchange_past_its_deadline_is_expired_and_its_sockets_shut() -> None:
    deadline = _Deadline()
    left, right = socket.socketpair()
    try:
        deadline.add(left)
        with deadline.running(0.05):
            assert left.recv(1) == b""  # blocked until the watchdog shuts the socket
            assert deadline.expired
    finally:
        deadline.close()
        left.close()
        right.close()


def test_an_exchange_that_ends_in_time_is_never_expired_later() -> None:
    deadline = _Deadline()
    try:
        for _ in range(3):
            with deadline.running(0.1):
                pass
            time.sleep(0.15)  # past the deadline the exchange no longer runs under
            assert not deadline.expired
        with deadline.running(0.05):  # still watched: the next one still expires
            time.sleep(0.3)
        assert deadline.expired
    finally:
        deadline.close()


def test_one_thread_watches_every_exchange_and_ends_with_the_client() -> None:
    before = set(_watchdogs())  # other clients' (a closed one's may not have ended yet)
    deadline = _Deadline()
    for _ in range(50):
        with deadline.running(5):
            pass
    (watchdog,) = set(_watchdogs()) - before
    deadline.close()
    watchdog.join(timeout=5)
    assert not watchdog.is_alive()
    # A closed client that is used again is watched again.
    with deadline.running(0.05):
        time.sleep(0.3)
    assert deadline.expired
    deadline.close()
