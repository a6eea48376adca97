"""Readability of the recommendations for the child: sentence length, a reading age, jargon and unexplained abbreviations."""

from __future__ import annotations

import json

import pytest

from conftest import run
from recqual.cli import main
from recqual.readability import grade_level, limits, reading_ease, syllables


def findings(report, code: str) -> list[str]:
    """The words each `code` flag points at, in order."""
    return [report.text[f.span[0] : f.span[1]] for f in report.flags if f.code == code]


@pytest.mark.parametrize(
    "word, count",
    [("the", 1), ("school", 1), ("cake", 1), ("hoped", 1), ("table", 2), ("wishes", 2), ("completed", 3), ("appointment", 3), ("education", 4), ("virtual", 3)],
)
def test_syllables_are_counted_by_english_vowel_rules(word, count):
    assert syllables(word) == count


def test_initialisms_are_read_letter_by_letter_and_numbers_by_their_parts():
    assert syllables("SDQ") == 3 and syllables("31/05/2025") == 3


def test_the_flesch_kincaid_formulas():
    # 20 words, 2 sentences, 30 syllables: 0.39 x 10 + 11.8 x 1.5 - 15.59 = 6.01
    assert grade_level(20, 2, 30) == pytest.approx(6.01)
    assert reading_ease(20, 2, 30) == pytest.approx(206.835 - 10.15 - 126.9)


def test_plain_recommendations_read_younger_than_professional_ones():
    plain = run(
        "RECOMMENDATIONS\n1. Sam will take you to see your sister on Saturday by 30/04/2025.\n"
        "2. Jo will buy you a new bike for your birthday by 14/06/2025.\n3. I will ring you in May to see how school is going, by 31/05/2025.\n"
        "4. Your carer will help you make a memory book about your mum by 30/06/2025.\n"
    )
    wordy = run(
        "RECOMMENDATIONS\n1. Dana Okafor to facilitate an independent therapeutic assessment regarding Tomasz's emotional and developmental presentation by 30/04/2025.\n"
        "2. Dana Okafor to commission specialist educational psychology consultation concerning Tomasz's individualised curriculum arrangements by 30/04/2025.\n"
        "3. Dana Okafor to coordinate comprehensive multidisciplinary documentation evidencing Tomasz's communication requirements by 30/04/2025.\n"
    )
    assert plain.readability["reading_age"] < wordy.readability["reading_age"]
    assert plain.readability["reading_age"] <= limits()["reading_age"] < wordy.readability["reading_age"]
    assert "hard_to_read" in {f.code for f in wordy.flags} and "hard_to_read" not in {f.code for f in plain.flags}
    [flag] = [f for f in wordy.flags if f.code == "hard_to_read"]
    assert f"reading age of about {wordy.readability['reading_age']}" in flag.message and flag.span is None


def test_too_few_words_get_no_reading_age_verdict():
    report = run("RECOMMENDATIONS\n1. Dana Okafor to facilitate consultation by 30/04/2025.\n")
    assert report.readability["measurable"] is False and "hard_to_read" not in {f.code for f in report.flags}


def test_contact_as_family_time_is_jargon_but_contacting_someone_is_not():
    report = run(
        "RECOMMENDATIONS\n1. Contact with mum to continue at the family centre by 30/04/2025.\n"
        "2. Dana Okafor (social worker) to contact the school about swimming by 30/04/2025.\n"
        "3. Dana Okafor to arrange sibling contact with Ola by 30/04/2025.\n"
    )
    assert findings(report, "jargon") == ["Contact", "sibling", "contact"]
    first = next(f for f in report.flags if f.code == "jargon")
    assert first.recommendation == "R1" and "family time" in first.suggestion
    assert "jargon" not in report.recommendations[1].flags
    assert report.readability["jargon"][0] == {"recommendation": "R1", "span": list(first.span), "term": "Contact", "plain": "family time"}


def test_an_abbreviation_is_flagged_unless_the_record_spells_it_out():
    body = "RECOMMENDATIONS\n1. Dana Okafor (social worker) to hold the PEP meeting and send the SDQ by 30/04/2025.\n"
    bare = run(body)
    assert findings(bare, "unexplained_abbreviation") == ["PEP", "SDQ"]
    pep = next(f for f in bare.flags if f.code == "unexplained_abbreviation")
    assert "'personal education plan'" in pep.suggestion and pep.recommendation == "R1"
    assert bare.recommendations[0].flags.count("unexplained_abbreviation") == 1
    explained = run("Education\nHis personal education plan (PEP) is due. The strengths and difficulties questionnaire was last done in 2024.\n\n" + body)
    assert findings(explained, "unexplained_abbreviation") == []


def test_letters_the_vocabulary_does_not_know_are_checked_by_their_initials():
    body = "RECOMMENDATIONS\n1. Dana Okafor (social worker) to refer Tomasz to the KLS by 30/04/2025.\n"
    assert findings(run(body), "unexplained_abbreviation") == ["KLS"]
    [flag] = [f for f in run(body).flags if f.code == "unexplained_abbreviation"]
    assert flag.suggestion.endswith("the first time it is used")
    assert findings(run("Health\nThe Kestley Listening Service has a place for him.\n\n" + body), "unexplained_abbreviation") == []


def test_capitals_that_are_ordinary_words_or_well_known_are_not_abbreviations():
    # A shouting case-system export: SEND is the verb used elsewhere as "send"; GP is understood by everyone.
    report = run(
        "Health\nPlease send the letter to the GP.\n\nRECOMMENDATIONS\n1. DANA OKAFOR TO SEND THE LETTER TO THE GP BY 30/04/2025.\n"
        "2. Dana Okafor (social worker) to book the GP appointment by 30/04/2025.\n"
    )
    assert findings(report, "unexplained_abbreviation") == []


def test_a_long_sentence_is_flagged_at_its_words():
    long = (
        "Dana Okafor (social worker) to meet Tomasz, his foster carers, his mum and his teacher together after school one day soon to talk about "
        "how his week is going, what he enjoys, what worries him and who he would like to see more of over the summer by 30/04/2025."
    )
    report = run(f"RECOMMENDATIONS\n1. {long}\n2. Dana Okafor (social worker) to book the dentist by 30/04/2025.\n")
    [words] = findings(report, "long_sentence")
    assert words == long
    [flag] = [f for f in report.flags if f.code == "long_sentence"]
    assert f"has {len(long.split())} words" in flag.message and flag.recommendation == "R1"
    assert report.readability["longest_sentence_words"] == len(long.split()) > limits()["sentence_words"]


def test_plain_language_findings_cost_points_in_the_plain_language_criterion():
    report = run("RECOMMENDATIONS\n1. Dana Okafor (social worker) to hold the PEP meeting by 30/04/2025.\n")
    [reason] = [r for r in report.reasons if r["flag"] == "unexplained_abbreviation"]
    assert (reason["subscore"], reason["criterion"], reason["recommendations"]) == ("recommendations", "plain_language", ["R1"])
    assert reason["points"] == 5.0


def test_readability_is_in_the_json_and_text_reports(root, capsys):
    record = str(root / "examples/review-record.txt")
    assert main(["analyse", record, "--format", "json", "--no-text"]) == 0
    readability = json.loads(capsys.readouterr().out)["readability"]
    assert readability["measure"] == "Flesch-Kincaid grade level" and readability["words"] > 40
    assert [a["abbreviation"] for a in readability["unexplained_abbreviations"]] == ["CAMHS", "SDQ"]
    assert main(["analyse", record]) == 0
    out = capsys.readouterr().out
    assert f"reading age about {readability['reading_age']}" in out and "not spelled out in the record: CAMHS (R5), SDQ (R5)" in out
