"""Live reload: every worker runs the newest stored policy version within a second of its
commit, without a restart (PostgreSQL LISTEN/NOTIFY, or a version poll on SQLite).

A version that cannot be loaded never replaces the running policy: the last good one keeps
serving, and the failure is logged once.
"""

from __future__ import annotations

import logging

from api.authz.authorizer import Authorizer
from api.errors import ApiError
from api.policy import safety, store
from api.telemetry import metrics
from db.engine import Database
from db.watch import Watcher

log = logging.getLogger("returncases.policy")


class PolicyReloader:
    def __init__(
        self,
        database: Database,
        authorizer: Authorizer,
        *,
        poll_seconds: float,
        fallback_seconds: float,
    ) -> None:
        self.database = database
        self.authorizer = authorizer
        self._refused: set[int] = set()
        self._watcher = Watcher(
            database,
            channel=store.CHANNEL,
            probe=store.newest_version,
            on_change=self.reload,
            poll_seconds=poll_seconds,
            fallback_seconds=fallback_seconds,
        )

    async def start(self) -> None:
        """Seed the store from the policy files if it is empty, run its newest version, and
        follow later versions."""
        stored = await store.seed(self.database, self.authorizer.policy.text)
        await self.reload(stored.version)
        self._watcher.start()

    async def close(self) -> None:
        await self._watcher.close()

    async def reload(self, version: int) -> None:
        if self._superseded(version) or version in self._refused:
            return
        async with self.database.reads() as session:
            stored = await store.get(session, version)
        if stored is None:
            return
        try:
            policy = safety.load(stored.text)
        except ApiError as error:
            self._refused.add(version)
            log.error("policy version %s cannot be loaded; keeping the running one: %s",
                      version, error.message)  # fmt: skip
            return
        # A notification and a poll may reload at once: the one that read an older version
        # must not install it over a newer one installed while it awaited the database. No
        # await lies between this check and the install.
        if self._superseded(version):
            return
        self.authorizer.install(policy, version)
        metrics.POLICY_VERSION.set(version)
        log.info("running policy version %s (%s)", version, policy.version)

    def _superseded(self, version: int) -> bool:
        current = self.authorizer.stored_version
        return current is not None and version <= current
