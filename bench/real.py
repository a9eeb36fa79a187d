"""Throughput of `dossier ingest` on real news from ../shared/data, against a reference NER pass.

    python -m bench.real [--quick]

The corpus: SlavicNER raw articles in six languages (taken round-robin over its five topics),
NEREL Russian Wikinews texts, and RONEC Romanian sentences grouped into articles of about 4 KB.
Each becomes a plain .txt file (no header line: language and date come from the text, as with
real crawled pages). The ingest runs as the real command in a child process (`--jobs 2`), so
start-up, analysis workers and linking are all counted; the peak resident memory is that of the
whole process tree sampled together. Workers write per-stage seconds (DOSSIER_STAGE_TIMES) for
the stage shares. The reference is natasha's Russian NER (segmenter, embeddings, tagger) over
the Russian texts in this same run, so the ratio holds on a busy machine.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path
from typing import Self

from dossier.model import Analysis
from dossier.store import Store

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data"
SLAVIC_LANGUAGES = ("bg", "cs", "pl", "ru", "sl", "uk")
RONEC_ARTICLE_BYTES = 4000
CLUSTER_DOCS = 60


def have_data() -> bool:
    return (SHARED / "slavicner" / "raw").is_dir()


def slavicner_texts(per_language: int) -> list[tuple[str, str, str]]:
    """(name, language, text): `per_language` articles a language, round-robin over topics."""
    raw = SHARED / "slavicner" / "raw"
    out = []
    for language in SLAVIC_LANGUAGES:
        by_topic = [sorted((topic / language).glob("*.txt")) for topic in sorted(raw.iterdir())
                    if (topic / language).is_dir()]
        picked: list[Path] = []
        for i in range(max((len(t) for t in by_topic), default=0)):
            picked += [t[i] for t in by_topic if i < len(t)]
        for path in picked[:per_language]:
            name = f"slavicner-{path.parts[-3]}-{language}-{path.stem}"
            out.append((name, language, path.read_text(encoding="utf-8")))
    return out


def nerel_texts(count: int) -> list[tuple[str, str, str]]:
    folder = SHARED / "nerel" / "NEREL-v1.1" / "train"
    paths = sorted(folder.glob("*.txt"))[:count] if folder.is_dir() else []
    return [(f"nerel-{p.stem}", "ru", p.read_text(encoding="utf-8")) for p in paths]


def ronec_texts(count: int) -> list[tuple[str, str, str]]:
    """RONEC sentences in file order, joined into paragraphs of articles of about 4 KB."""
    path = SHARED / "ronec" / "valid.json"
    if not path.exists():
        return []
    articles: list[tuple[str, str, str]] = []
    parts: list[str] = []
    for sentence in json.loads(path.read_text(encoding="utf-8")):
        spaces = sentence.get("space_after") or [True] * len(sentence["tokens"])
        parts.append("".join(t + (" " if s else "") for t, s in
                             zip(sentence["tokens"], spaces, strict=False)).strip())
        if sum(len(p.encode()) for p in parts) >= RONEC_ARTICLE_BYTES:
            articles.append((f"ronec-{len(articles):03}", "ro", _paragraphs(parts)))
            parts = []
            if len(articles) == count:
                break
    return articles


def _paragraphs(sentences: list[str], size: int = 4) -> str:
    groups = [" ".join(sentences[i:i + size]) for i in range(0, len(sentences), size)]
    return "\n\n".join(groups) + "\n"


def real_corpus(quick: bool) -> list[tuple[str, str, str]]:
    if quick:
        return slavicner_texts(3) + nerel_texts(4) + ronec_texts(2)
    return slavicner_texts(30) + nerel_texts(60) + ronec_texts(20)


def write_corpus(folder: Path, corpus: list[tuple[str, str, str]]) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    for name, _, text in corpus:
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    return sum(len(text.encode()) for _, _, text in corpus)


# ---- memory of a process tree -------------------------------------------------------------


def tree_rss_kb(root: int) -> int:
    """Resident kB of `root` and all its descendants, from /proc."""
    parent_of: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rfind(")") + 2:].split()
            parent_of[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE") // 1024
        except (OSError, ValueError, IndexError):
            continue
    tree = {root}
    grew = True
    while grew:
        grew = False
        for pid, parent in parent_of.items():
            if parent in tree and pid not in tree:
                tree.add(pid)
                grew = True
    return sum(rss.get(pid, 0) for pid in tree)


class Sampler:
    """Calls `sample()` on a background thread every `interval` seconds while the `with`
    block runs (and once at the start)."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def sample(self) -> None:
        raise NotImplementedError

    def _run(self) -> None:
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.interval)


class PeakRss(Sampler):
    """The largest summed RSS of a process tree, sampled every `interval` seconds."""

    def __init__(self, root: int, interval: float = 0.2) -> None:
        super().__init__(interval)
        self.root, self.peak_kb = root, 0

    def sample(self) -> None:
        self.peak_kb = max(self.peak_kb, tree_rss_kb(self.root))


def run_command(args: list[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Run a command to its end: (wall seconds, peak RSS MB of its whole process tree)."""
    started = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with PeakRss(process.pid) as peak:
        _, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        tail = stderr.decode(errors="replace")[-500:]
        raise RuntimeError(f"{' '.join(args)} exited {process.returncode}: {tail}")
    return elapsed, round(peak.peak_kb / 1024, 1)


def children_cpu_s() -> float:
    """CPU seconds of every finished child process and its descendants (they were waited for):
    on a busy machine a steadier measure of the work than the wall clock."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def dossier_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "dossier.cli", *args]


# ---- the reference ------------------------------------------------------------------------


def natasha_seconds(texts: list[str]) -> tuple[float, float, float]:
    """(load seconds, tagging seconds, tagging CPU seconds) of natasha's Russian NER."""
    started = time.perf_counter()
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    loaded, cpu = time.perf_counter(), time.process_time()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_ner(tagger)
    return loaded - started, time.perf_counter() - loaded, time.process_time() - cpu


# ---- the benchmark ------------------------------------------------------------------------


def stage_shares(path: Path) -> tuple[dict[str, float], dict[str, float]]:
    """From the workers' per-document lines: each stage's share of analysis time, and the
    analysis seconds per KB of text by language."""
    stages: dict[str, float] = defaultdict(float)
    seconds: dict[str, float] = defaultdict(float)
    chars: dict[str, int] = defaultdict(int)
    if not path.exists():
        return {}, {}
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for stage, value in row["stages"].items():
            stages[stage] += value
        seconds[row["language"]] += sum(row["stages"].values())
        chars[row["language"]] += row["chars"]
    total = sum(stages.values()) or 1.0
    shares = {k: round(v / total, 3) for k, v in sorted(stages.items(), key=lambda kv: -kv[1])}
    per_kb = {lang: round(seconds[lang] / (chars[lang] / 1000), 3)
              for lang in sorted(chars) if chars[lang]}
    return shares, per_kb


def bench_real(
    quick: bool = False, jobs: int = 2, cluster: bool = False
) -> tuple[dict, list[Analysis]]:
    """Ingest the real corpus with the real command: the figures and the stored analyses
    (for the stages' own benchmarks); nothing without ../shared/data."""
    if not have_data():
        print("real: ../shared/data not found; skipped", flush=True)
        return {}, []
    corpus = real_corpus(quick)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        size = write_corpus(folder, corpus)
        russian = [text for _, language, text in corpus if language == "ru"]
        load_s, tag_s, tag_cpu_s = natasha_seconds(russian)
        russian_mb = sum(len(t.encode()) for t in russian) / 2**20
        times = Path(tmp) / "stages.jsonl"
        env = {**os.environ, "DOSSIER_STAGE_TIMES": str(times)}
        db = str(Path(tmp) / "real.db")
        cpu_before = children_cpu_s()
        elapsed, peak = run_command(
            dossier_command("ingest", str(folder), "--db", db, "--jobs", str(jobs), "-q"), env
        )
        cpu_s = children_cpu_s() - cpu_before
        shares, per_kb = stage_shares(times)
        with Store(db) as store:
            analyses = list(store.analyses())
        one_s = _one_article_seconds(Path(tmp), corpus)
        scaled = {}
        if cluster:  # on a slice: two more ingests of it
            subset = Path(tmp) / "subset"
            write_corpus(subset, corpus[:: max(1, len(corpus) // CLUSTER_DOCS)][:CLUSTER_DOCS])
            scaled = bench_cluster(subset, Path(tmp))
    mb_per_s = size / 2**20 / elapsed
    reference_mb_per_s = russian_mb / tag_s if tag_s else 0.0
    return {
        "real_docs": len(corpus),
        "real_mb": round(size / 2**20, 3),
        "real_jobs": jobs,
        "real_docs_per_s": round(len(corpus) / elapsed, 2),
        "real_mb_per_s": round(mb_per_s, 4),
        "real_ingest_s": round(elapsed, 1),
        "real_peak_rss_mb": peak,
        # CPU seconds of the command and its workers: what a quiet machine would need, less
        # the parallelism; docs per CPU second times the cores is the quiet-machine rate
        "real_cpu_s": round(cpu_s, 1),
        "real_docs_per_cpu_s": round(len(corpus) / cpu_s, 3) if cpu_s else 0.0,
        "real_stage_shares": shares,
        "real_analyse_s_per_kb": per_kb,
        "reference_natasha_load_s": round(load_s, 2),
        "reference_natasha_s": round(tag_s, 2),
        "reference_natasha_mb_per_s": round(reference_mb_per_s, 4),
        # how many times slower per MB the whole ingest is than natasha's NER alone
        "real_vs_reference": round(reference_mb_per_s / mb_per_s, 2) if mb_per_s else 0.0,
        "reference_natasha_cpu_s": round(tag_cpu_s, 2),
        # the same ratio in CPU seconds per MB (steady when other work shares the machine)
        "real_vs_reference_cpu": round((cpu_s / (size / 2**20)) / (tag_cpu_s / russian_mb), 2)
        if tag_cpu_s and russian_mb else 0.0,
        "one_article_s": one_s,
        **scaled,
    }, analyses


def bench_cluster(folder: Path, tmp: Path) -> dict:
    """`dossier ingest --cluster` on a LocalCluster of one, then two worker processes (one
    thread each): seconds and the speed-up of two workers over one. Nothing without Dask."""
    try:
        from distributed import LocalCluster
    except ImportError:
        print("real: Dask not installed; cluster speed-up skipped", flush=True)
        return {}
    seconds = {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          dashboard_address=None) as cluster:
            db = str(tmp / f"cluster{workers}.db")
            seconds[workers], _ = run_command(dossier_command(
                "ingest", str(folder), "--db", db, "-q", "--cluster", cluster.scheduler_address))
    return {
        "cluster_docs": len(list(folder.glob("*.txt"))),
        "cluster_1_worker_s": round(seconds[1], 1),
        "cluster_2_workers_s": round(seconds[2], 1),
        "cluster_speedup_2_workers": round(seconds[1] / seconds[2], 2),
    }


def _one_article_seconds(tmp: Path, corpus: list[tuple[str, str, str]]) -> float:
    """One short article into an empty store, the whole command with its start-up."""
    path = tmp / "one.txt"
    russian = [text for _, language, text in corpus if language == "ru"]
    path.write_text(min(russian or [corpus[0][2]], key=len), encoding="utf-8")
    elapsed, _ = run_command(dossier_command("ingest", str(path), "--db", str(tmp / "one.db")))
    return round(elapsed, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a few articles a language")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--cluster", action="store_true", help="also the Dask speed-up")
    args = parser.parse_args()
    print(json.dumps(bench_real(args.quick, args.jobs, args.cluster)[0], ensure_ascii=False))


if __name__ == "__main__":
    main()
