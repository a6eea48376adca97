"""What the rules count as a concern (GUIDELINES.md, issues test 2): low attendance, not any percentage; a denied problem is no problem (fictional text)."""

import pytest

from recqual.extract.issues import is_concern


@pytest.mark.parametrize(
    "sentence",
    ["Attendance 54%.", "Attendance (summer term) 89%.", "Attendance is 71 per cent.", "She attended 7% of sessions.", "He was suspended twice in May."],
)
def test_low_attendance_and_suspensions_are_concerns(sentence: str) -> None:
    assert is_concern(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Attendance 97%.",
        "Attendance 93% this year.",
        "Attendance 100%.",
        "No suspensions since January.",
        "She has not been excluded this year.",
        "There has been no further self-harm.",
        "Attendance 91% this year, up from 86% in the autumn.",
    ],
)
def test_good_attendance_and_denied_problems_are_not_concerns(sentence: str) -> None:
    assert not is_concern(sentence)


def test_a_denied_problem_beside_a_real_one_is_still_a_concern() -> None:
    assert is_concern("No suspensions since January, but his attendance has dropped to 82%.")
