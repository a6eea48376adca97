"""Owners and deadlines as records write them, resolved against the review date."""

import datetime as dt

import pytest

from recqual.extract.deadline import Anchors, resolve_cell, resolve_in_text
from recqual.extract.owner import from_cell, from_text

ANCHORS = Anchors(review=dt.date(2025, 3, 14), next_review=dt.date(2025, 9, 10), date_of_birth=dt.date(2010, 6, 1))


@pytest.mark.parametrize(
    "text, owner, role",
    [
        ("SW to complete life story work", "SW", "social_worker"),
        ("FC to take Tomasz to the optician", "FC", "foster_carer"),
        ("DT to share the PEP targets", "DT", "school"),
        ("VSH to fund tuition", "VSH", "virtual_school"),
        ("PA to help Aisha open a bank account", "PA", "personal_adviser"),
        ("TM to authorise the passport fee", "TM", "manager"),
        ("Dean Hollis, supervising social worker, to arrange carer training", "Dean Hollis, supervising social worker", "supervising_social_worker"),
        ("Mrs Tolland will arrange a dental check", "Mrs Tolland", None),
        ("The virtual school to fund a tutor", "The virtual school", "virtual_school"),
        ("Criminal injuries compensation application to be lodged by Ms Osborne", "Ms Osborne", None),
        ("Refer to CAMHS (SW) by 3 May", "SW", "social_worker"),
    ],
)
def test_owner_found_and_normalised(text, owner, role):
    found = from_text(text, 0)
    assert found is not None and found.text == owner and found.role == role
    assert text[found.span[0] : found.span[1]] == owner


@pytest.mark.parametrize(
    "text",
    [
        "All professionals to monitor Tomasz's wellbeing",
        "A referral for an advocate will be made.",
        "Professionals to explore a school place",
        "We will keep this under review",
    ],
)
def test_vague_owners_and_passive_voice_have_no_owner(text):
    assert from_text(text, 0) is None


@pytest.mark.parametrize("cell", ["TBC", "all", "N/A", "  "])
def test_vague_owner_cells_have_no_owner(cell):
    assert from_cell(cell, 0) is None


@pytest.mark.parametrize(
    "text, kind, date",
    [
        ("12/05/2025", "date", "2025-05-12"),
        ("12.5.25", "date", "2025-05-12"),
        ("12th May", "date", "2025-05-12"),
        ("May 2025", "date", "2025-05-31"),
        ("end of June", "date", "2025-06-30"),
        ("w/c 24 March", "date", "2025-03-24"),
        ("within 4 weeks", "relative", "2025-04-11"),
        ("in 10 working days", "relative", "2025-03-28"),
        ("2 wks", "relative", "2025-03-28"),
        ("within a month", "relative", "2025-04-14"),
        ("before the next review", "event", "2025-09-10"),
        ("by the end of the summer term", "event", None),
        ("by Feb half term", "event", None),
        ("prior to the final hearing", "event", None),
        ("before her 16th birthday", "event", "2026-06-01"),
        ("by Christmas", "event", "2025-12-25"),
        ("asap", "vague", None),
        ("as soon as possible", "vague", None),
        ("ongoing", "vague", None),
        ("as and when", "vague", None),
        ("tbc", "vague", None),
        ("when poss", "vague", None),
    ],
)
def test_deadline_kinds_and_resolution(text, kind, date):
    found = resolve_cell(text, ANCHORS)
    assert found is not None and found.kind == kind
    assert (found.date.isoformat() if found.date else None) == date


def test_working_days_skip_english_bank_holidays():
    easter = Anchors(review=dt.date(2025, 4, 16))  # Good Friday 18 April, Easter Monday 21 April
    assert resolve_cell("5 working days", easter).date == dt.date(2025, 4, 25)


def test_frequencies_are_not_deadlines():
    assert resolve_in_text("Carers to continue to take her swimming every Saturday", ANCHORS) is None
    assert resolve_in_text("SW to visit every six weeks", ANCHORS) is None


def test_a_date_after_by_is_chosen_over_a_date_the_action_mentions():
    found = resolve_in_text("SW to write to the school about the 3 May trip by 20/04/2025", ANCHORS)
    assert found.date == dt.date(2025, 4, 20)
