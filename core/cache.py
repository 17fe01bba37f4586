"""Redis connection pools shared by every cache client of a process.

Django builds a cache client per request context under ASGI, and each client would open its
own connection pool: a new Redis connection for every request. This pool class hands every
client of a process the same pool per URL (redis-py re-creates it after a fork).
"""

import threading

import redis

_pools: dict[tuple, redis.ConnectionPool] = {}
_lock = threading.Lock()


class SharedConnectionPool(redis.ConnectionPool):
    @classmethod
    def from_url(cls, url: str, **kwargs) -> redis.ConnectionPool:
        key = (url, tuple(sorted(kwargs.items())))
        with _lock:
            pool = _pools.get(key)
            if pool is None:
                pool = _pools[key] = super().from_url(url, **kwargs)
            return pool
