"""Django's file cache (one machine without Redis), compressing at zlib's fastest level.

A reading page rendered on an empty cache writes some 300 KB to it (the reading as data, its HTML), and a
cached page goes in already compressed for browsers: zlib's default level took three times as long as
level 1 for about a fifth less disk.
"""

import pickle
import zlib

from django.core.cache.backends.filebased import FileBasedCache


class FileCache(FileBasedCache):
    def _write_content(self, file, timeout, value):
        file.write(pickle.dumps(self.get_backend_timeout(timeout), self.pickle_protocol))
        file.write(zlib.compress(pickle.dumps(value, self.pickle_protocol), 1))
