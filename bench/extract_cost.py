"""CPU per page of extract.article.extract on real pages, old code beside new in one run.

    .venv/bin/python bench/extract_cost.py [--pages 120] [--rounds 2] [--base /tmp/l-base]

--base names another checkout of the project (e.g. ``git worktree add /tmp/l-base <commit>``):
each round runs that checkout's extraction and this one's over the same pages, one child process
each, interleaved, so the shared machine's drift falls on both alike; the ratio is printed per
round. Each child times only the loop (imports and a warm-up page excluded), in CPU seconds of
its own process, and splits them by stage (lxml parse, each trafilatura pass, readability,
htmldate, the headline date rule, the rest). Body F1 and day accuracy are scored on the same
pages with bench/real_pages.py, so a speed-up that costs quality shows in the same table.
The pages are a fixed hash sample of every dataset in ../shared/corpora plus labelled dated pages.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = 27

# (module, function) pairs timed as stages when the checkout has them; nested calls are
# counted in the outermost stage only.
STAGES = (("extract.metadata", "parse_tree", "parse"),
          ("extract.metadata", "page_tree", "parse"),
          ("extract.bodies", "_precise", "trafilatura precise"),
          ("extract.bodies", "_default", "trafilatura default"),
          ("extract.bodies", "_readability", "readability"),
          ("extract.dates", "htmldate_day", "htmldate"),
          ("extract.dates", "headline_date", "headline rule"),
          ("extract.korean", "refine", "korean"))


def _keys(n_per_dataset: int, dated: int) -> list[tuple[str, str]]:
    import real_pages as rp
    return sorted(rp.sample(SEED, {d: n_per_dataset for d in rp.DATASETS}, rp.date_labels(), dated))


def child(root: str, keys_file: str) -> None:
    """Run one checkout's extraction over the pages; print one JSON line."""
    sys.path.insert(0, root)
    sys.path.insert(1, str(HERE))
    import importlib
    import real_pages as rp
    keys = {tuple(k) for k in json.loads(Path(keys_file).read_text())}
    pages = rp.load(rp.DATASETS, keys)
    from extract import article
    assert Path(article.__file__).resolve().is_relative_to(Path(root).resolve()), article.__file__
    spent: dict[str, float] = {}
    depth = [0]

    def timed(fn, label):
        def wrapper(*a, **kw):
            if depth[0]:
                return fn(*a, **kw)
            depth[0] += 1
            start = time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                spent[label] = spent.get(label, 0.0) + time.process_time() - start
                depth[0] -= 1
        return wrapper

    for module, name, label in STAGES:
        mod = importlib.import_module(module)
        if hasattr(mod, name):
            setattr(mod, name, timed(getattr(mod, name), label))
    article.extract(pages[0].html, pages[0].url)       # warm-up: lazy imports, regex compiles
    spent.clear()
    outcomes = {}
    total = 0.0
    for page in pages:
        start = time.process_time()
        result = article.extract(page.html, page.url)
        cpu = time.process_time() - start
        total += cpu
        outcomes[page.key] = rp.score(page, result, cpu)
    table = rp.summarise(pages, {"policywatch": outcomes}, rp.date_labels())["policywatch"]["all"]
    spent["other"] = total - sum(spent.values())
    print(json.dumps({"pages": len(pages), "cpu": total, "stages": spent, "f1": table["f1"],
                      "date_day": table["date_day"], "dated": table["dated"],
                      "stored": sum(o.stored for o in outcomes.values())}))


def _run(root: Path, keys_file: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", str(root), "--keys", str(keys_file)],
                         capture_output=True, text=True, check=False)
    if out.returncode:
        sys.exit(f"extract_cost: the child for {root} failed: {out.stderr.strip().splitlines()[-1:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=20, help="pages per dataset (6 datasets)")
    ap.add_argument("--dated", type=int, default=40, help="labelled dated pages added")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--base", type=Path, help="another checkout to compare with (old code)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--keys", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.keys)
    sys.path.insert(0, str(HERE))
    import real_pages as rp
    from machine import cpu_model, speed_probe
    if not rp.available():
        sys.exit(f"extract_cost: no corpora at {rp.CORPORA} (set POLICYWATCH_CORPORA)")
    keys_file = Path("/tmp") / f"extract_cost_keys_{args.pages}_{args.dated}.json"
    keys_file.write_text(json.dumps(_keys(args.pages, args.dated)))
    trees = ([("base", args.base.resolve())] if args.base else []) + [("new", ROOT)]
    print(f"machine: {cpu_model()}, speed probe {speed_probe():.2f}s")
    runs: dict[str, list[dict]] = {name: [] for name, _ in trees}
    for r in range(args.rounds):
        for name, root in (trees if r % 2 == 0 else trees[::-1]):
            res = _run(root, keys_file)
            runs[name].append(res)
            print(f"round {r + 1} {name:4}: {res['pages'] / res['cpu']:6.1f} pages/s per core "
                  f"({res['cpu'] / res['pages'] * 1000:.1f} ms/page)  F1 {res['f1']:.4f}  "
                  f"day {res['date_day']:.3f} of {res['dated']}  stored {res['stored']}/{res['pages']}", flush=True)
        if args.base:
            b, n = runs["base"][-1], runs["new"][-1]
            print(f"round {r + 1} ratio new/base: {b['cpu'] / n['cpu']:.2f}x pages/s per core")
    print("\nCPU ms per page by stage (mean over rounds):")
    labels = list(dict.fromkeys(label for *_, label in STAGES)) + ["other"]
    print(f"{'stage':22}" + "".join(f"{name:>10}" for name, _ in trees))
    for label in labels:
        row = [sum(x["stages"].get(label, 0.0) for x in runs[name]) / sum(x["pages"] for x in runs[name]) * 1000
               for name, _ in trees]
        print(f"{label:22}" + "".join(f"{v:10.2f}" for v in row))
    for name, _ in trees:
        cpu = sum(x["cpu"] for x in runs[name])
        pages = sum(x["pages"] for x in runs[name])
        print(f"{name}: {pages / cpu:.1f} pages/s per core over {args.rounds} rounds")
    if args.base:
        ratio = sum(x["cpu"] for x in runs["base"]) / sum(x["cpu"] for x in runs["new"])
        print(f"new/base pages/s per core: {ratio:.2f}x (same pages, same run)")


if __name__ == "__main__":
    main()
