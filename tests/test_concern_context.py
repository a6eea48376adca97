"""A follow-on sentence with no topic words of its own is read with its neighbours' topic (fictional text)."""

from recqual.nlp.concerns import candidates, meta_features
from recqual.segment.lines import split_lines
from recqual.segment.sections import split_sections

TEXT = """Views of the child

Mia said she wants to see her brother Leo more often. Nobody has asked yet. She enjoys football club.
"""


def _cands():
    return candidates(TEXT, split_sections(split_lines(TEXT), len(TEXT)), [])


def test_follow_on_sentence_reads_the_topic_of_the_sentences_around_it():
    by_text = {c.text: c for c in _cands()}
    follow_on = meta_features(by_text["Nobody has asked yet."], rules=True)
    assert follow_on["domain_words_before=family"] >= 1
    assert not any(k.startswith("domain_words=") for k in follow_on)  # no topic words of its own
    assert follow_on["domain_words_after=leisure"] >= 1


def test_first_and_last_sentences_have_no_neighbour_on_the_missing_side():
    cands = [c for c in _cands() if c.kind == "views"]
    assert not cands[0].neighbour_hits[0] and not cands[-1].neighbour_hits[1]


def test_words_only_model_does_not_read_the_neighbours():
    assert not any("domain_words" in k for c in _cands() for k in meta_features(c, rules=False))
