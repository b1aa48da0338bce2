"""The server's garbage-collector settings hold while the app runs and are undone when it stops."""

from __future__ import annotations

import gc

from api.app import create_app
from api.gc_tuning import tuned_garbage_collector
from api.settings import Settings
from tests.servers import app_lifespan


def test_zero_leaves_the_interpreter_alone():
    before = gc.get_threshold(), gc.get_freeze_count()
    with tuned_garbage_collector(0):
        assert (gc.get_threshold(), gc.get_freeze_count()) == before


def test_objects_alive_at_start_are_frozen_and_everything_is_restored():
    threshold = gc.get_threshold()
    survivor = [object() for _ in range(10)]
    with tuned_garbage_collector(12_345):
        assert gc.get_threshold() == (12_345, *threshold[1:])
        assert gc.get_freeze_count() >= len(survivor)
    assert gc.get_threshold() == threshold
    assert gc.get_freeze_count() == 0  # handed back: an app that stops leaves nothing frozen


async def test_the_app_runs_with_the_configured_threshold(settings: Settings):
    threshold = gc.get_threshold()
    app = create_app(settings.model_copy(update={"gc_gen0_threshold": 7_777}))
    async with app_lifespan(app):
        assert gc.get_threshold()[0] == 7_777
    assert gc.get_threshold() == threshold
