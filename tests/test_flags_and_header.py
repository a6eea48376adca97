"""Flags on recommendations and on the record, and the header the review date comes from."""

from conftest import run
from recqual.analyse import analyse


def codes(report):
    return [f.code for f in report.flags]


def test_header_fields_are_read():
    report = run("RECOMMENDATIONS\n\n1. SW to apply for a passport by 30/04/2025.\n")
    meta = report.metadata
    assert (meta.review_date, meta.next_review_date, meta.review_number, meta.child_first_name, meta.iro) == (
        "2025-03-14",
        "2025-09-10",
        3,
        "Tomasz",
        "Helen Mossbury",
    )


def test_review_date_in_prose_and_override():
    text = "This is Maya's second review, held on 4 March 2025 at her carers' home.\n\nRECOMMENDATIONS\n1. SW to book the RHA within 2 weeks.\n"
    assert analyse(text).metadata.review_date == "2025-03-04"
    assert analyse(text).recommendations[0].deadline.date == "2025-03-18"
    overridden = analyse(text, review_date="2025-04-01")
    assert overridden.metadata.review_date == "2025-04-01"
    assert overridden.recommendations[0].deadline.date == "2025-04-15"


def test_next_review_resolves_event_deadlines():
    report = run("RECOMMENDATIONS\n\n1. SW to update the care plan before the next review.\n")
    assert report.recommendations[0].deadline.date == "2025-09-10"


def test_vague_action_is_flagged_with_its_verb():
    report = run("RECOMMENDATIONS\n\n1. SW to monitor Tomasz's emotional wellbeing by 30/04/2025.\n")
    flag = next(f for f in report.flags if f.code == "vague_action")
    assert report.text[flag.span[0] : flag.span[1]] == "monitor"


def test_concrete_action_with_a_soft_verb_is_not_vague():
    report = run("RECOMMENDATIONS\n\n1. SW to support Tomasz to complete his passport application by 30/04/2025.\n")
    assert "vague_action" not in report.recommendations[0].flags


def test_standing_recommendations_are_flagged():
    report = run("RECOMMENDATIONS\n\n1. Tomasz to remain in his current placement.\n2. Carers to continue to meet his needs.\n")
    assert all("standing_recommendation" in r.flags for r in report.recommendations)


def test_every_recommendation_flag_points_inside_the_text():
    report = run("RECOMMENDATIONS\n\n1. All to monitor asap.\n2. A referral to CAMHS will be made.\n")
    for flag in report.flags:
        if flag.span is not None:
            assert 0 <= flag.span[0] < flag.span[1] <= len(report.text)
    assert codes(report).count("missing_owner") == 2
    assert "vague_deadline" in codes(report) and "missing_deadline" in codes(report)


def test_repeated_action_against_the_previous_review():
    previous = run("RECOMMENDATIONS\n\n1. SW to submit the CICA claim by 31/01/2025.\n2. FC to book the dental appointment.\n")
    current = run(
        "RECOMMENDATIONS\n\n1. Criminal injuries compensation application to be lodged by Ms Okafor by 30/04/2025.\n"
        "2. FC to take Tomasz to the dentist on 3 May.\n3. SW to apply for a school place.\n",
        previous=previous,
    )
    first = current.recommendations[0]
    assert "repeated_action" in first.flags and first.repeats.previous_id == "R1"
    assert "repeated_action" not in current.recommendations[2].flags


def test_unaddressed_identity_concern_is_flagged_with_its_sentence_by_the_rules():
    report = analyse(
        "Identity\n\nTomasz said he does not like being Polish because other children tease him.\n\n"
        "Education\n\nHis PEP has not been completed this term.\n\nRECOMMENDATIONS\n\n1. DT to complete the PEP by 30/04/2025.\n",
        method="rules",
    )
    by_domain = {i.domain: i for i in report.issues}
    assert by_domain["education"].addressed_by == ["R1"]
    identity = by_domain["identity"]
    assert identity.addressed_by == [] and "unaddressed_issue" in identity.flags
    assert "does not like being Polish" in report.text[identity.span[0] : identity.span[1]]


def test_the_default_models_flag_the_concerns_inspectors_name_and_link_the_addressed_one():
    # The two examples of the mission: a child's distress about their ethnicity, noted and
    # dropped, and a PEP "still being written up" that a recommendation does address.
    report = run(
        "Identity\n\nAmira is of Somali heritage. Amira said she does not like being Black.\n\n"
        "Education\n\nAmira is in Year 8. Her PEP is still being written up.\n\n"
        "RECOMMENDATIONS\n\n1. Designated teacher to finish and circulate Amira's PEP by 30/04/2025.\n"
    )
    by_domain = {i.domain: i for i in report.issues}
    assert by_domain["education"].addressed_by == ["R1"]
    identity = by_domain["identity"]
    assert identity.addressed_by == [] and "unaddressed_issue" in identity.flags
    assert report.text[identity.span[0] : identity.span[1]] == "Amira said she does not like being Black."


def test_late_next_review_and_missing_dates():
    late = analyse("Date of review: 14/03/2025\nReview number: 2\nNext review: 30/11/2025\n\nRECOMMENDATIONS\n1. SW to apply for a passport by 30/04/2025.\n")
    assert "late_next_review" in codes(late)
    bare = analyse("RECOMMENDATIONS\n1. SW to apply for a passport by 30/04/2025.\n")
    assert {"missing_review_date", "missing_next_review"} <= set(codes(bare))


def test_a_record_with_no_flags_scores_at_the_top():
    text = (
        "Date of review: 14/03/2025\nReview number: 3\nNext review: 10/09/2025\n"
        "Present: Tomasz, his foster carer and Dana Okafor, his social worker.\n\n"
        "Views\nTomasz told me he is happy at home and wants to keep seeing his sister. His permanence plan is long-term fostering.\n\n"
        "Health\nHis health assessment is up to date.\n\nEducation\nHe is doing well at school and his PEP is up to date.\n\n"
        "Identity\nHe enjoys Polish Saturday school.\n\nFamily\nHe sees his mum every month.\n\nEmotional wellbeing\nHe is settled.\n\n"
        "RECOMMENDATIONS\n1. Dana Okafor (SW) to book Tomasz's Polish passport appointment by 30/04/2025.\n"
    )
    report = analyse(text)
    assert report.flags == [] and report.score == 100 and report.grade == "outstanding"


def test_front_sheet_tables_with_padded_cells_and_role_words_after_the_iro_name():
    # Word and PDF front sheets come out as "| Date | 16/01/2025 |"; IROs sign as "Name SW".
    from recqual.segment.header import read_header

    meta = read_header("| Date | 16/01/2025 |\n| IRO | Aled Morgan-Price SW |\n")
    assert meta.review_date == "2025-01-16" and meta.iro == "Aled Morgan-Price"
    assert read_header("Chaired by: Bernadette Quigley Social Worker\n").iro == "Bernadette Quigley"
