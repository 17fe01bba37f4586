from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sqlite_write_ahead_log(using="default", **_):
    """Readers don't block the writer (and in-process tasks) in the embedded database.

    The journal mode is stored in the database file, so setting it once is enough."""
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode=WAL")


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Platform"

    def ready(self):
        post_migrate.connect(_sqlite_write_ahead_log, sender=self)
