"""Inter-annotator agreement on the corpus's issues (concerns): the second annotations in
`corpus/annotated/agreement/` against the primary ones in `corpus/annotated/source/`.

    python scripts/measure_agreement.py [--json]

Two annotations of one record are matched one to one, as `recqual evaluate` matches findings
with gold: an issue of one matches an issue of the other when any of their sentences (evidence
or `also`) overlap. Reported: detection F1 with and without the domain, domain agreement on the
matched issues, F1 of the unaddressed issues (education/identity and all), and how often the
matched issues name exactly the same addressing recommendations.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from recqual.corpus.annotation import Problems, load_source, resolve
from recqual.evaluate import PRF, _one_to_one, _overlap, issue_spans

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "annotated"


def _issues(text: str, ann: dict[str, Any], issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    problems = Problems(ann["record_id"])
    built = resolve(text, {**ann, "issues": issues}, problems)
    if problems.items:
        sys.exit("\n".join(problems.items))
    return built["issues"]


def _pairs(a: list[dict[str, Any]], b: list[dict[str, Any]], same_domain: bool) -> list[tuple[int, int]]:
    scored = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if same_domain and x["domain"] != y["domain"]:
                continue
            ov = max(_overlap(s, t) for s in issue_spans(x) for t in issue_spans(y))
            if ov:
                scored.append((ov, i, j))
    return _one_to_one(scored)


def _add(metric: PRF, a: list[Any], b: list[Any], pairs: list[tuple[int, int]]) -> None:
    metric.tp += len(pairs)
    metric.fp += len(b) - len(pairs)
    metric.fn += len(a) - len(pairs)


def measure(corpus: Path = CORPUS) -> dict[str, Any]:
    m = {k: PRF() for k in ("issues", "issues_any_domain", "unaddressed_all", "unaddressed_education_identity")}
    domain_same = links_same = matched = records = 0
    for second in sorted((corpus / "agreement").glob("*.json")):
        other = json.loads(second.read_text(encoding="utf-8"))
        rid = other["record_id"]
        text, ann = load_source(corpus / "source" / rid.split("-")[0] / f"{rid}.txt")
        a, b = _issues(text, ann, ann["issues"]), _issues(text, ann, other["issues"])
        records += 1
        _add(m["issues"], a, b, _pairs(a, b, True))
        loose = _pairs(a, b, False)
        _add(m["issues_any_domain"], a, b, loose)
        matched += len(loose)
        domain_same += sum(a[i]["domain"] == b[j]["domain"] for i, j in loose)
        links_same += sum(set(a[i]["addressed_by"]) == set(b[j]["addressed_by"]) for i, j in loose)
        for key, keep in (("unaddressed_all", lambda d: True), ("unaddressed_education_identity", lambda d: d in ("education", "identity"))):
            ua = [x for x in a if not x["addressed_by"] and keep(x["domain"])]
            ub = [x for x in b if not x["addressed_by"] and keep(x["domain"])]
            _add(m[key], ua, ub, _pairs(ua, ub, True))
    out: dict[str, Any] = {"records": records, **{k: v.result() for k, v in m.items()}}
    out["domain_agreement"] = round(domain_same / matched, 3) if matched else 0.0
    out["same_addressed_by"] = round(links_same / matched, 3) if matched else 0.0
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    result = measure()
    if parser.parse_args().json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['records']} records annotated twice")
    for key in ("issues", "issues_any_domain", "unaddressed_all", "unaddressed_education_identity"):
        r = result[key]
        print(f"{key:32} F1 {r['f1']:.3f}  (P {r['precision']:.3f} R {r['recall']:.3f}; {r['tp']} matched, {r['fn']} only first, {r['fp']} only second)")
    print(f"{'domain agreement (matched)':32} {result['domain_agreement']:.3f}")
    print(f"{'same addressed_by (matched)':32} {result['same_addressed_by']:.3f}")


if __name__ == "__main__":
    main()
