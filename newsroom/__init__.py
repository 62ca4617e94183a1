"""The sample newsroom: local news sites for PolicyWatch's demo, tests and benchmarks.
May import nothing of PolicyWatch's own: it stands in for the outlets.

Three outlets, each on its own port: "yonhap" (a wire service shaped like Yonhap's English
site), "dmr" (a WordPress news site shaped like DMR News) and "faults" (pages that
misbehave). The articles are test data written for PolicyWatch, not real reporting.

    from newsroom import running, sources_yaml
    with running(scale=500) as newsroom:
        print(newsroom.urls)
        yaml_text = sources_yaml(newsroom.urls)

Ground truth for tests is in ``newsroom.corpus``.
"""
from .server import Newsroom, NewsroomError, running, start
from .sources import sources_yaml

__all__ = ["Newsroom", "NewsroomError", "running", "sources_yaml", "start"]
