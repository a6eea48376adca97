"""What a review must cover: every domain, the child's views, a permanence plan from the second review. All records are fictional."""

from recqual.analyse import analyse


def record(body: str, *, born: str = "02/06/2014", number: int = 3, name: str = "Tomasz") -> str:
    return (
        "LOOKED AFTER CHILD REVIEW (fictional test record)\n\n"
        f"Child's name: {name} Wrenfield\nDate of birth: {born}\nDate of review: 14/03/2025\nReview number: {number}\n"
        "IRO: Helen Mossbury\nDate of next review: 10/09/2025\n\n" + body
    )


COVERED = (
    "Health\nThe review health assessment was done in January; the dentist saw him in February.\n\n"
    "Education\nHe is in Year 5 at Hillside Primary and his PEP is up to date.\n\n"
    "Identity\nHis Polish heritage matters to him and he goes to Polish Mass with his carers.\n\n"
    "Family\nContact with mum is fortnightly and goes well.\n\n"
    "Emotional wellbeing\nHis SDQ score is 9 and he is happy and settled.\n\n"
    "Tomasz's views\nTomasz said he likes living with Mr and Mrs Hale and wants to stay.\n\n"
    "Permanence\nThe plan is for long-term fostering with Mr and Mrs Hale, which the review endorses.\n\n"
    "RECOMMENDATIONS\n1. SW to open a bank account for Tomasz by 30/04/2025.\n"
)


def flags(report, code):
    return [f for f in report.flags if f.code == code]


def test_a_record_that_covers_everything_has_no_coverage_flags():
    report = analyse(record(COVERED))
    assert not [f for f in report.flags if f.code in ("missing_domain", "missing_child_views", "no_permanence_plan")]


def test_no_word_on_education_for_a_school_age_child_is_flagged_with_the_date_of_birth_as_evidence():
    text = record(COVERED.replace("Education\nHe is in Year 5 at Hillside Primary and his PEP is up to date.\n\n", ""))
    report = analyse(text)
    (flag,) = flags(report, "missing_domain")
    assert flag.message == "Nothing is said about education for a child of 10"
    s, e = flag.span
    assert text[s:e].startswith("Date of birth: 02/06/2014")
    assert "education" in flag.suggestion


def test_a_baby_needs_no_word_on_education():
    text = record(COVERED.replace("Education\nHe is in Year 5 at Hillside Primary and his PEP is up to date.\n\n", ""), born="01/06/2023")
    assert not flags(analyse(text), "missing_domain")


def test_the_front_sheet_does_not_count_as_a_word_on_identity():
    text = record(COVERED.replace("Identity\nHis Polish heritage matters to him and he goes to Polish Mass with his carers.\n\n", ""))
    assert "Child's name" in text
    assert [f.message for f in flags(analyse(text), "missing_domain")] == ["Nothing is said about identity"]


def test_the_childs_views_absent_are_flagged_at_the_views_heading():
    text = record(COVERED.replace("Tomasz said he likes living with Mr and Mrs Hale and wants to stay.", "Consultation form not returned."))
    (flag,) = flags(analyse(text), "missing_child_views")
    s, e = flag.span
    assert text[s:e] == "Tomasz's views"


def test_a_reason_the_child_could_not_give_views_is_enough():
    text = record(
        COVERED.replace(
            "Tomasz said he likes living with Mr and Mrs Hale and wants to stay.", "Tomasz is too young to give his views in words; I saw him play at nursery."
        )
    )
    assert not flags(analyse(text), "missing_child_views")


def test_a_letter_telling_the_child_what_they_said_records_their_views():
    text = record(
        "Dear Tomasz,\n\nThank you for meeting me. You told me you like your school and want to keep seeing your mum.\n\n"
        + COVERED.replace("Tomasz's views\nTomasz said he likes living with Mr and Mrs Hale and wants to stay.\n\n", "")
    )
    assert not flags(analyse(text), "missing_child_views")


def test_no_permanence_plan_at_the_second_review_is_flagged_with_the_sentence_that_says_so():
    text = record(
        COVERED.replace("The plan is for long-term fostering with Mr and Mrs Hale, which the review endorses.", "There is no permanence plan."), number=2
    )
    (flag,) = flags(analyse(text), "no_permanence_plan")
    s, e = flag.span
    assert text[s:e] == "There is no permanence plan."
    assert flag.message == "No permanence plan is recorded at review 2"


def test_an_action_to_make_a_permanence_plan_is_not_a_plan():
    body = COVERED.replace("Permanence\nThe plan is for long-term fostering with Mr and Mrs Hale, which the review endorses.\n\n", "")
    text = record(body + "2. SW to hold a permanence planning meeting and present the permanence plan by 30/04/2025.\n", number=4)
    (flag,) = flags(analyse(text), "no_permanence_plan")
    s, e = flag.span
    assert text[s:e] == "Review number: 4"


def test_the_first_review_needs_no_permanence_plan_yet():
    text = record(
        COVERED.replace("The plan is for long-term fostering with Mr and Mrs Hale, which the review endorses.", "There is no permanence plan."), number=1
    )
    assert not flags(analyse(text), "no_permanence_plan")


def test_a_plan_named_in_the_first_words_of_a_record_is_read():
    report = analyse("Adoption is the plan for Tomasz\nReview number: 2\n\nRECOMMENDATIONS\n1. SW to open a bank account by 30/04/2025.\n")
    assert not flags(report, "no_permanence_plan")
