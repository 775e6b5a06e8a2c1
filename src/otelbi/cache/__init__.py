"""The result cache of the warehouse views.

A view's answer is kept under its view, its normalised parameters and its warehouse's data
version (`data_version.DataVersion`, a fingerprint re-read at most every
RESULT_CACHE_FRESHNESS_SECONDS and after every job run), so new warehouse data shows within that
interval and an entry never outlives the data it was computed from. Entries live in the
process (`stores.MemoryStore`) or, with REDIS_URL, in Redis shared by every replica
(`stores.RedisStore`, which degrades to no cache while Redis is unreachable). Concurrent
misses of one key compute it once (`results.ResultCache`).
"""
