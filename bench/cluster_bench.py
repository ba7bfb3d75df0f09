"""Two-server figures for `make bench`: a reading page through nginx in front of two app servers, against one.

The set-up is `make cluster`'s (arms_talks_site/cluster.py): nginx, two granian app servers with the production
settings, one PostgreSQL, a Redis of its own. Both figures come from the same run on the same machine, so on a
2-core machine they show the balancer's cost more than a gain: two servers need cores (or machines) of their own.
"""

import os
import subprocess

from arms_talks_site.cluster import Cluster
from core.embedded_db import VAR_DIR, database_url

PAGE = "/documents/frus1977-80v26-d293/"


def two_servers(wrk) -> None:
    """`wrk(url, encoding=…)` gives requests per second (bench/run.py's)."""
    workers = int(os.environ.get("CLUSTER_WORKERS", "2"))
    cluster = Cluster(database_url(), workers=workers, directory=VAR_DIR / "cluster-bench", redis_url=None)
    with cluster:
        print(f"Two app servers ({workers} granian workers each) behind nginx, one PostgreSQL, Redis; doc. 293, br:")
        for url in (cluster.app_url(0), cluster.url):
            subprocess.run(["curl", "-sf", "-o", "/dev/null", url + PAGE], check=True)  # warm the shared cache
        one = wrk(cluster.app_url(0) + PAGE, encoding="br")
        print(f"  {'one app server, direct':<45} {one:>9.0f} req/s")
        two = wrk(cluster.url + PAGE, encoding="br")
        print(f"  {'nginx in front of two app servers':<45} {two:>9.0f} req/s   {two / one:>5.2f} of one server")
        cluster.stop_app(0)
        left = wrk(cluster.url + PAGE, encoding="br")
        print(f"  {'nginx, one of the two stopped':<45} {left:>9.0f} req/s   {left / one:>5.2f} of one server")
