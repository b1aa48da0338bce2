"""Persisted-only covers the WebSocket too: a subscription whose document is not registered
is refused with PERSISTED_QUERY_NOT_ALLOWED, like an HTTP request."""

from __future__ import annotations

from tests.events.ws import subscriber
from tests.examples.conftest import Service

UNREGISTERED = "subscription { caseEvents { cursor } }"


async def test_an_unregistered_subscription_is_refused_over_the_socket(service: Service):
    token = service.token("border_police_officer", "ENFORCEMENT", "polisen-region-stockholm")
    async with subscriber(service.url.removesuffix("/graphql"), token) as socket:
        operation = await socket.subscribe(UNREGISTERED)
        message = await socket.receive()
    assert message["id"] == operation
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
