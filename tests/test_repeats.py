"""Repeated actions, the record's own progress notes, drift across a series, and standing recommendations.

Every record here is fictional: the standard test header (conftest.py) and invented actions, or the fictional corpus.
"""

import json

import pytest

from conftest import run
from recqual.analyse import analyse
from recqual.cli import main
from recqual.follow.progress import status_of
from recqual.render import as_text


def recs(body: str, previous=None):
    return run("RECOMMENDATIONS\n\n" + body, previous=previous).recommendations


def repeated(rec) -> bool:
    return "repeated_action" in rec.flags


# ---- against the previous review ------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "now"),
    [
        ("SW to submit the CICA claim by 31/01/2025.", "Criminal injuries compensation application to be lodged by Ms Osei by 30/04/2025."),
        ("Social worker to apply for passport by 28/02/2025.", "Jess will chase the passport again."),
        ("All professionals to monitor Tomasz's emotional wellbeing given the SDQ score.", "Professionals to keep Tomasz's emotional wellbeing under review."),
        ("Carers to continue to take Tomasz to church on Sundays.", "Carers to continue to support Tomasz with his faith."),
        ("Letterbox contact with Kiera to be set up by 30/04/2025.", "Letterbox exchange with Kiera to be set up - outstanding from last review."),
    ],
)
def test_a_reworded_action_is_a_repeat_linked_to_the_earlier_one(earlier, now):
    previous = run("RECOMMENDATIONS\n\n1. Carers to register Tomasz with an optician by 31/01/2025.\n2. " + earlier + "\n")
    (current,) = recs("1. " + now + "\n", previous=previous)
    assert repeated(current)
    assert current.repeats.previous_id == "R2" and current.repeats.similarity > 0


@pytest.mark.parametrize(
    ("earlier", "now"),
    [
        # a follow-up that moves the action on
        ("FC to book the dental appointment by 31/01/2025.", "FC to take Tomasz to the dental appointment on 3 May."),
        ("SW to refer Tomasz to speech and language therapy.", "Carers to take Tomasz to his first speech and language appointment."),
        ("SSW to book the carers onto the hair and skin care course.", "The carers will go to the hair and skin care course on 23 September."),
        ("SW to complete the connected person assessment of Mrs Pryce.", "SW to present Mrs Pryce's connected person assessment to the fostering panel."),
        ("SW to arrange family time with Bia within 4 weeks.", "Family time with Bia to continue."),
        # the next of something that recurs
        ("DT to hold the autumn term PEP by 31/10/2024.", "DT to hold the next PEP before the Easter holidays."),
        # a different child of a sibling group
        ("Carers to register Amir with a dentist by 31/01/2025.", "Carers to register Leyla with a dentist by 30/04/2025."),
    ],
)
def test_a_look_alike_that_is_not_the_same_action_is_not_a_repeat(earlier, now):
    previous = run("RECOMMENDATIONS\n\n1. " + earlier + "\n2. SW to update the care plan by 28/02/2025.\n")
    (current,) = recs("1. " + now + "\n", previous=previous)
    assert not repeated(current), current.repeats


def test_a_copied_action_is_a_repeat_even_when_done():
    previous = run("RECOMMENDATIONS\n\n1. Lorraine will take you to a Black hair salon of your choice once a month.\n")
    current = run(
        "PROGRESS ON LAST REVIEW'S ACTIONS\n- Hair salon - done, goes monthly.\n\n"
        "RECOMMENDATIONS\n\n1. Lorraine will take you to a Black hair salon of your choice once a month.\n",
        previous=previous,
    )
    assert repeated(current.recommendations[0]) and current.recommendations[0].repeats.similarity == 1.0


def test_each_earlier_action_is_repeated_at_most_once():
    previous = run("RECOMMENDATIONS\n\n1. SW to complete life story work with Tomasz by 31/01/2025.\n")
    current = recs("1. SW to complete life story work with Tomasz by 30/04/2025.\n2. SW to complete the life story book with Tomasz.\n", previous=previous)
    assert sum(r.repeats is not None and r.repeats.previous_id == "R1" for r in current) == 1


# ---- the record's own progress notes --------------------------------------------------------

PROGRESS = """PROGRESS ON LAST REVIEW'S RECOMMENDATIONS
1. Life story work – not done. The SW left in May.
2. Family tracing request – done, submitted 09/05/2025.
3. Remain in placement – yes.

"""


def test_an_action_the_progress_notes_call_not_done_is_a_repeat_without_the_previous_review():
    report = run(PROGRESS + "RECOMMENDATIONS\n\n1. SW to complete life story work with Tomasz by 30/04/2025.\n2. SW to book swimming lessons by 30/04/2025.\n")
    life_story, swimming = report.recommendations
    assert repeated(life_story) and life_story.carried_forward
    s, e = life_story.repeats.evidence
    assert report.text[s:e].startswith("Life story work – not done")
    assert life_story.repeats.previous_id is None
    flag = next(f for f in report.flags if f.code == "repeated_action")
    assert "progress notes" in flag.message and flag.span == life_story.span
    assert not repeated(swimming)
    assert report.to_dict()["recommendations"][0]["repeats"]["evidence"] == [s, e]


def test_an_action_the_progress_notes_call_done_is_not_repeated_by_its_follow_up():
    previous = run("RECOMMENDATIONS\n\n1. SW to submit a family tracing request to the British Red Cross by 31/01/2025.\n")
    current = run(PROGRESS + "RECOMMENDATIONS\n\n1. SW to follow up the family tracing request with the British Red Cross.\n", previous=previous)
    assert not repeated(current.recommendations[0])


def test_a_standing_arrangement_restated_is_a_repeat_even_when_the_notes_call_it_met():
    # An arrangement that goes on is never done, so restating it asks for it again.
    previous = run("RECOMMENDATIONS\n\n1. Tomasz to remain at Birch House with his keyworker Dee.\n")
    notes = "PROGRESS ON LAST REVIEW'S RECOMMENDATIONS\n1. Remain at Birch House – met.\n\n"
    current = run(notes + "RECOMMENDATIONS\n\n1. Tomasz to remain at Birch House until he turns 18 in March.\n", previous=previous)
    assert repeated(current.recommendations[0])


def test_progress_notes_link_a_reworded_repeat_to_the_earlier_action():
    previous = run(
        "RECOMMENDATIONS\n\n1. Lewis to ask Danielle for photos of and information about Theo's paternal family and add them to his life story book.\n"
    )
    current = run(
        "Previous recommendations\n1. Paternal family information - Danielle gave two photos of Theo's grandmother in May. "
        "They have not been added to the life story book yet. Partly achieved.\n\n"
        "RECOMMENDATIONS\n\n1. Photos of Theo's grandmother to be added to his life story book.\n",
        previous=previous,
    )
    rec = current.recommendations[0]
    assert repeated(rec) and rec.repeats.previous_id == "R1" and rec.repeats.evidence is not None


def test_words_after_an_item_say_it_is_carried_forward():
    report = run(
        "RECOMMENDATIONS\n\n"
        "Action: Recruit a short break carer and agree a written plan for respite.\nLead: Joanne Hale (SSW)\nBy: 31 October 2025\n"
        "Why: carried forward from March, when it was agreed but not achieved.\n\n"
        "Action: Book an eye test.\nLead: Carers\nBy: 30 April 2025\n"
    )
    respite, eyes = report.recommendations
    assert respite.carried_forward and repeated(respite)
    assert not eyes.carried_forward and not repeated(eyes)


@pytest.mark.parametrize(
    ("item", "carried"),
    [
        ("SW to register Ana with a dentist - outstanding - asap", True),
        ("Passport application carried fwd from the last review.", True),
        ("Ms Pardew to hold a PEP meeting by 27/02/2026 to agree a timetable for the outstanding assignments.", False),
    ],
)
def test_an_item_saying_outstanding_is_carried_forward_but_outstanding_work_it_names_is_not(item, carried):
    [rec] = recs(f"1. {item}\n")
    assert rec.carried_forward == carried and repeated(rec) == carried


@pytest.mark.parametrize(
    ("note", "status"),
    [
        ("not done. The SW left in May.", "not_done"),
        ("DONE late (referral made 2 April). On the waiting list.", "done"),
        ("Partly - two of four sessions done", "not_done"),
        ("GP referral made in December but sent back; not resubmitted as the SW left.", "not_done"),
        ("yes.", "continuing"),
        ("Filed late on 6/03/2026 (assessor sickness).", "done"),
        ("see identity.", "unknown"),
    ],
)
def test_a_progress_note_says_what_became_of_the_action(note, status):
    assert status_of(note) == status


# ---- drift across a series ------------------------------------------------------------------


def _series(root, child: str):
    reports, previous = [], None
    for n in (1, 2, 3):
        path = root / "corpus/annotated/source" / child / f"{child}-r{n}.txt"
        previous = analyse(path.read_text(encoding="utf-8"), source=path.name, previous=previous)
        reports.append(previous)
    return reports


def test_an_action_carried_across_three_reviews_is_drift(root):
    *_, third = _series(root, "c061")  # fictional: life story work asked for at every review
    life_story = next(r for r in third.recommendations if "life story work" in r.text)
    assert life_story.repeats.reviews >= 3 and "drift" in life_story.flags
    flag = next(f for f in third.flags if f.code == "drift" and f.recommendation == life_story.id)
    assert flag.message == f"This action has been carried across {life_story.repeats.reviews} reviews: drift"
    as_json = next(r for r in third.to_dict()["recommendations"] if r["id"] == life_story.id)
    assert as_json["repeats"]["reviews"] == life_story.repeats.reviews and "drift" in as_json["flags"]
    assert f"drift: {life_story.repeats.reviews} reviews" in " ".join(as_text(third, width=400).split())
    # an action asked for for the first time at the second review has not drifted
    assert all(r.repeats is None or r.repeats.reviews < 3 or "drift" in r.flags for r in third.recommendations)


def test_the_cli_counts_drift_with_earlier_reviews_oldest_first(root, capsys):
    folder = root / "corpus/annotated/source/c061"
    args = ["analyse", str(folder / "c061-r3.txt"), "--previous", str(folder / "c061-r1.txt"), "--previous", str(folder / "c061-r2.txt"), "--format", "json"]
    assert main(args) == 0
    report = json.loads(capsys.readouterr().out)
    assert max(r["repeats"]["reviews"] for r in report["recommendations"] if r["repeats"]) >= 3
    assert report["previous_source"].endswith("c061-r2.txt")


def test_the_record_saying_how_long_an_action_has_waited_counts_too():
    (rec,) = recs("1. SW to make the British Red Cross family tracing referral (third review running) by 30/04/2025.\n")
    assert rec.repeats.reviews == 3 and "drift" in rec.flags


def test_a_single_review_has_no_drift():
    assert all("drift" not in r.flags for r in recs("1. SW to complete life story work with Tomasz by 30/04/2025.\n"))


# ---- standing recommendations ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Tomasz to remain in his long-term placement with the Ledgers.",
        "Carers to continue to meet Tomasz's needs.",
        "Carers to continue to meet Tomasz's cultural and religious needs.",
        "Contact with mum to carry on as it is.",
        "Video calls with mother to continue fortnightly.",
        "Short breaks to continue.",
        "Kath and Dev to continue to provide a stable home.",
    ],
)
def test_an_arrangement_restated_is_a_standing_recommendation(text):
    (rec,) = recs("1. " + text + "\n")
    assert "standing_recommendation" in rec.flags


@pytest.mark.parametrize(
    "text",
    [
        "Placement search for a children's home nearer Brackenfold to continue.",
        "SW to continue to support Tomasz with his asylum claim.",
        "SW to book swimming lessons by 30/04/2025.",
    ],
)
def test_work_still_in_hand_is_not_a_standing_recommendation(text):
    (rec,) = recs("1. " + text + "\n")
    assert "standing_recommendation" not in rec.flags
