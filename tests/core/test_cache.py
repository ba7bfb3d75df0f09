"""The file cache a machine without Redis uses: what goes in comes out, and it is compressed."""

from core.cache import FileCache


def test_the_file_cache_gives_back_what_it_was_given_compressed(tmp_path):
    cache = FileCache(str(tmp_path), {})
    page = "<p>The Helsinki round of May 1978.</p>" * 2000
    cache.set("page", page, 60)
    assert cache.get("page") == page
    assert cache.get("missing", "none") == "none"
    (stored,) = list(tmp_path.rglob("*.djcache"))
    assert stored.stat().st_size < len(page) // 10  # compressed (zlib, fastest level)
