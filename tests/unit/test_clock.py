"""The store's clock: one "now" for every domain, held by a test and let go again."""

from datetime import UTC, datetime, timedelta

from store_api.core.clock import CLOCK, Clock
from store_api.core.models import utcnow


def test_a_held_clock_is_what_every_domain_reads_and_it_runs_again_when_let_go():
    instant = datetime(2027, 1, 30, 16, 30, tzinfo=UTC)
    CLOCK.now = instant
    assert utcnow() == instant == CLOCK.now
    CLOCK.now += timedelta(hours=49)
    assert utcnow() == instant + timedelta(hours=49)
    CLOCK.now = None
    assert abs(utcnow() - datetime.now(UTC)) < timedelta(minutes=1)
    assert utcnow().tzinfo is not None


def test_a_clock_of_its_own_starts_running():
    clock = Clock()
    before = datetime.now(UTC)
    assert before <= clock.now <= datetime.now(UTC)
