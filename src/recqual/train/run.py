"""`recqual train`: every model from scratch, with a fixed seed, into models/."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from recqual.corpus.build import read_split
from recqual.nlp import models
from recqual.train import issues, spans, syntax

SEED = 0


def train_issue_models(corpus_dir: Path, out_dir: Path, seed: int = SEED, log: Any = print) -> dict[str, Any]:
    """Concern/domain classifiers (with and without the rule features) and the link classifier."""
    started = time.perf_counter()
    train = issues.prepare(read_split("train", corpus_dir))
    dev = issues.prepare(read_split("dev", corpus_dir))
    log(f"issues: {sum(len(p.cands) for p in train)} train sentences, {sum(len(p.cands) for p in dev)} dev sentences")
    combined = issues.fit_concerns(train, rules=True, seed=seed)
    link_bundle = issues.fit_links(train, combined, seed)
    models.save(link_bundle, "links", out_dir)
    report: dict[str, Any] = {"seed": seed}
    for method, bundle in (("combined", combined), ("model", issues.fit_concerns(train, rules=False, seed=seed))):
        chosen = issues.choose_thresholds(dev, bundle, link_bundle)
        bundle["threshold"], bundle["link_threshold"], bundle["flag_threshold"] = (
            chosen["concern_threshold"],
            chosen["link_threshold"],
            chosen["flag_threshold"],
        )
        bundle["rule_domains"], bundle["merge_shared"] = chosen["rule_domains"], chosen["merge_shared"]
        # The flag model replaces the concern's own confidence as the judge of what to flag only
        # where it does better on dev; the report keeps both sets of figures.
        flag_bundle = issues.fit_flags(train, bundle, seed)
        flagged = issues.choose_flag_thresholds(dev, bundle, link_bundle, flag_bundle)
        chosen["with_flag_model"] = flagged
        chosen["flag_model"] = issues.goal({k: v["f1"] for k, v in flagged["dev"].items()}) > issues.goal({k: v["f1"] for k, v in chosen["dev"].items()})
        if chosen["flag_model"]:
            bundle.update(flag_bundle, link_threshold=flagged["link_threshold"], flag_threshold=flagged["flag_threshold"])
        models.save(bundle, models.CONCERN_BUNDLES[method], out_dir)
        report[method] = chosen
        shipped = flagged if chosen["flag_model"] else chosen
        log(
            f"issues ({method}): thresholds {chosen['concern_threshold']}/{bundle['link_threshold']}/{bundle['flag_threshold']}, "
            f"flag model {'used' if chosen['flag_model'] else 'not used'}, dev {json.dumps(shipped['dev'])}"
        )
    report["seconds"] = round(time.perf_counter() - started, 1)
    return report


def train_all(corpus_dir: Path, out_dir: Path | None, treebank: Path | None, work: Path, seed: int = SEED, only: list[str] | None = None) -> dict[str, Any]:
    """Every model (or those in `only`), written to `out_dir` with a training report beside them."""
    out_dir = out_dir or models.MODELS_DIR
    out_dir.mkdir(parents=True, exist_ok=True)
    parts = only or ["syntax", "spans", "issues"]
    report: dict[str, Any] = {}
    if "syntax" in parts:
        started = time.perf_counter()
        target = syntax.train(treebank or syntax.TREEBANK, out_dir, work, seed)
        report["syntax"] = {
            "dev": syntax.evaluate(target, work / "ud" / "en_ewt-ud-dev.spacy"),
            "test": syntax.evaluate(target, work / "ud" / "en_ewt-ud-test.spacy"),
            "seconds": round(time.perf_counter() - started, 1),
        }
    if "spans" in parts:
        started = time.perf_counter()
        report["spans"] = spans.train(corpus_dir, out_dir, work, seed) | {"seconds": round(time.perf_counter() - started, 1)}
    if "issues" in parts:
        report["issues"] = train_issue_models(corpus_dir, out_dir, seed)
    previous = out_dir / "training-report.json"
    merged = json.loads(previous.read_text(encoding="utf-8")) if previous.exists() else {}
    merged.update(report)
    previous.write_text(json.dumps(merged, indent=1) + "\n", encoding="utf-8")
    return report
