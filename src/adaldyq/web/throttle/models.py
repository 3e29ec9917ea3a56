"""The table of Django's database cache (settings.CACHES), declared as a model.

`manage.py createcachetable` would make the same table outside the migrations; as a model it is made by
`adaldyq web migrate` like every other table, and emptied with the others when a test flushes the
database. Its columns are the ones `django.core.cache.backends.db.DatabaseCache` reads and writes.
"""

from __future__ import annotations

from django.db import models

TABLE = "adaldyq_cache"


class CacheEntry(models.Model):
    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = TABLE
