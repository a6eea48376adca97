"""Recommendations are found in every shape real records use, and nothing else is taken for one."""

from conftest import rec_texts, run


def test_pipe_table_with_an_empty_owner_cell():
    report = run(
        "RECOMMENDATIONS\n\n"
        "| No | Recommendation | Person responsible | Timescale |\n"
        "|----|----------------|--------------------|-----------|\n"
        "| 1 | Refer Tomasz to CAMHS | Dana Okafor (SW) | within 4 weeks |\n"
        "| 2 | Book a dental check |  | 30/04/2025 |\n"
    )
    assert rec_texts(report) == ["Refer Tomasz to CAMHS", "Book a dental check"]
    first, second = report.recommendations
    assert first.owner.text == "Dana Okafor (SW)" and first.owner.role == "social_worker"
    assert first.deadline.kind == "relative" and first.deadline.date == "2025-04-11"
    assert second.owner is None and "missing_owner" in second.flags
    assert second.deadline.date == "2025-04-30"


def test_tab_separated_table():
    report = run("Actions agreed\n\nAction\tResponsible\tTimescale\nApply for a passport\tSW\t31/05/2025\nUpdate the placement plan\tSSW\tongoing\n")
    assert rec_texts(report) == ["Apply for a passport", "Update the placement plan"]
    assert report.recommendations[1].owner.role == "supervising_social_worker"
    # "placement" is also flagged as jargon for the child (plain language); the owner and deadline flags are the point here
    assert [c for c in report.recommendations[1].flags if c != "jargon"] == ["vague_deadline"]


def test_wrapped_table_cell_stays_one_recommendation():
    report = run(
        "RECOMMENDATIONS\n\n| No | Action | Who | By when |\n|---|---|---|---|\n"
        "| 1 | Complete the life story book with Tomasz and | SW | 31/05/2025 |\n"
        "|   | give him a copy to keep |  |  |\n"
        "| 2 | Hold the PEP meeting | DT | by the end of the summer term |\n"
    )
    assert len(report.recommendations) == 2
    assert "give him a copy" in report.recommendations[0].text


def test_numbered_list_with_multi_line_item():
    report = run(
        "Recommendations:\n\n1. SW to complete life story work with Tomasz, including\n   photographs from his mum, by 30/06/2025.\n"
        "2. Foster carer to register Tomasz with a dentist within 2 weeks.\n"
    )
    assert len(report.recommendations) == 2
    assert report.recommendations[0].deadline.date == "2025-06-30"
    assert report.recommendations[1].owner.role == "foster_carer"


def test_bullets_under_what_we_agreed():
    report = run("What we agreed\n\n- Dana to ask school about tuition by Feb half term\n- Carers to take Tomasz swimming every Saturday\n")
    assert len(report.recommendations) == 2
    assert report.recommendations[0].deadline.kind == "event"
    assert report.recommendations[1].deadline is None  # a frequency is not a deadline


def test_labelled_form_per_action():
    report = run(
        "Decisions of the review\n\nAction: Request the review health assessment\nResponsible: LAC nurse\nBy when: 2 wks\n\n"
        "Action: Complete the SDQ\nResponsible: all professionals\nBy when: asap\n"
    )
    first, second = report.recommendations
    assert first.text == "Request the review health assessment"
    assert first.owner.role == "health" and first.deadline.date == "2025-03-28"
    assert second.owner is None and set(second.flags) >= {"missing_owner", "vague_deadline"}


def test_narrative_decisions_inside_a_paragraph():
    report = run(
        "Summary and decisions\n\nThe meeting heard that the PEP is late. It was agreed that Mrs Clarewood will arrange the PEP meeting "
        "by 4 April 2025. The IRO recommended that Dana Okafor refers Tomasz to the advocacy service within 10 working days.\n"
    )
    texts = rec_texts(report)
    assert texts[0].startswith("Mrs Clarewood will arrange the PEP meeting")
    assert report.recommendations[0].owner.text == "Mrs Clarewood"
    assert any(t.startswith("Dana Okafor refers Tomasz") for t in texts)


def test_letter_to_the_child():
    text = (
        "Dear Tomasz,\n\nThank you for coming to your review on 14/03/2025. You told me you like your school.\n\n"
        "What happens next\n\nYour social worker Jess will ask school about extra maths help by half-term.\n"
        "I will check that this has happened before your next review.\n\nYour next review will be on 10/09/2025.\n\nHelen (your IRO)\n"
    )
    from recqual.analyse import analyse

    report = analyse(text)
    owners = [r.owner.text if r.owner else None for r in report.recommendations]
    assert "Your social worker Jess" in owners
    assert report.recommendations[owners.index("Your social worker Jess")].owner.role == "social_worker"
    assert report.recommendations[owners.index("I")].owner.role == "iro"


def test_inline_action_in_a_paragraph():
    report = run("Health\n\nTomasz has not been to a dentist this year. ACTION - FC to book a dental check by 30/04/2025.\n")
    assert rec_texts(report) == ["FC to book a dental check by 30/04/2025."]


def test_progress_notes_on_last_reviews_actions_are_not_recommendations():
    report = run(
        "Progress on previous recommendations\n\n1. SW to apply for a passport - not done, carried forward.\n"
        "2. FC to book dental check - done 03/02/2025.\n\nRECOMMENDATIONS\n\n1. SW to apply for a passport by 30/04/2025 (carried forward).\n"
    )
    assert len(report.recommendations) == 1
    assert report.recommendations[0].carried_forward and "repeated_action" in report.recommendations[0].flags


def test_progress_block_recognised_by_status_words_whatever_its_heading():
    report = run(
        "How the October recommendations went\n\n- Dental check - DONE\n- CAMHS referral - ACHIEVED\n- Life story work - not done\n\n"
        "Next steps\n\n1. SW to start life story work by 30/04/2025.\n"
    )
    assert rec_texts(report) == ["SW to start life story work by 30/04/2025."]


def test_discussion_is_not_turned_into_recommendations():
    report = run(
        "Education\n\nTomasz is in Year 5 and enjoys maths. He said he would like to go to the same secondary school as his friend. "
        "His teacher told the meeting that he reads well.\n\nRECOMMENDATIONS\n\n1. DT to hold the PEP by 30/04/2025.\n"
    )
    assert len(report.recommendations) == 1


def test_a_record_with_no_recommendations_is_flagged():
    report = run("Education\n\nTomasz is doing well at school.\n")
    assert report.recommendations == []
    assert "no_recommendations" in [f.code for f in report.flags]
