"""A TCP proxy on loopback that a test can cut and restore: a database outage without
touching the shared PostgreSQL server."""

from __future__ import annotations

import asyncio
import contextlib

from sqlalchemy.engine import make_url


class Proxy:
    """Forwards 127.0.0.1:<port> to the database. `stop()` closes the listener and every
    connection through it (clients see connections reset, then refused); `start()` opens it
    again on the same port (the first start takes a free one). `cut_on(marker)` stops it the
    moment a client sends `marker` (e.g. the audit chain's table name): an outage at an exact
    step of a request."""

    def __init__(self, database_url: str) -> None:
        self.url = make_url(database_url)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self._marker: bytes | None = None

    @property
    def database_url(self) -> str:
        """The database's URL through the proxy."""
        through = self.url.set(host="127.0.0.1", port=self.port)
        return through.render_as_string(hide_password=False)

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._connected, "127.0.0.1", self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        for writer in list(self._writers):
            writer.transport.abort()
        self._writers.clear()

    def cut_on(self, marker: bytes) -> None:
        self._marker = marker

    async def _connected(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            upstream = await asyncio.open_connection(self.url.host, self.url.port or 5432)
        except OSError:
            writer.transport.abort()
            return
        self._writers |= {writer, upstream[1]}
        await asyncio.gather(
            self._pipe(reader, upstream[1], watch=True), self._pipe(upstream[0], writer)
        )

    async def _pipe(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, *, watch: bool = False
    ) -> None:
        try:
            while data := await reader.read(65536):
                if watch and self._marker is not None and self._marker in data:
                    self._marker = None
                    await self.stop()
                    return
                writer.write(data)
                await writer.drain()
        except (OSError, asyncio.IncompleteReadError):
            pass
        finally:
            self._writers.discard(writer)
            with contextlib.suppress(Exception):
                writer.transport.abort()
