"""Cache clients share one Redis connection pool per process."""

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.cache import caches


def test_every_cache_client_of_a_process_uses_the_same_pool(redis_service):
    def pool_in_new_context():
        # Each request context gets its own cache client (as under ASGI); read its pool.
        client = caches.create_connection("default")
        client.get("probe")
        return client._cache._get_connection_pool(write=False)

    first = async_to_sync(sync_to_async(pool_in_new_context, thread_sensitive=False))()
    second = async_to_sync(sync_to_async(pool_in_new_context, thread_sensitive=False))()

    assert first is second


@pytest.mark.parametrize("write", [True, False])
def test_it_reads_and_writes_through_the_shared_pool(redis_service, write):
    cache = caches["default"]
    cache.set("shared-pool", {"write": write}, timeout=10)

    assert cache.get("shared-pool") == {"write": write}
