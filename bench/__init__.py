"""Reproducible benchmarks. `python -m bench` runs every registered script in its own process
(so peak memory is per script) and writes docs/benchmarks.md. Add a script: a module in
bench/ with a `main() -> str` that returns a Markdown section, named in SCRIPTS."""

SCRIPTS: list[str] = [
    "bench.collector_calls",
    "bench.collector_upsert",
    "bench.collector_memory",
    "bench.webhook_ingest",
    "bench.pages",
    "bench.research_pages",
    "bench.story_upload",
    "bench.releases",
    "bench.comment_coding",
    "bench.discovery_calls",
]
