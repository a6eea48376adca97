"""The closed vocabularies of the annotation scheme (see corpus/annotated/GUIDELINES.md)."""

STYLES = frozenset(
    {
        "pipe_table",
        "tab_table",
        "labelled_form",
        "numbered_list",
        "narrative",
        "letter",
        "bullets",
        "case_export",
        "no_heading",
    }
)
GRADES = ("inadequate", "requires improvement", "good", "outstanding")
DEADLINE_KINDS = frozenset({"date", "relative", "event", "vague"})
OWNER_ROLES = frozenset(
    {
        "social_worker",
        "supervising_social_worker",
        "foster_carer",
        "residential_worker",
        "iro",
        "manager",
        "school",
        "virtual_school",
        "health",
        "camhs",
        "personal_adviser",
        "parent",
        "family",
        "child",
        "advocate",
        "legal",
        "youth_justice",
        "other",
    }
)
DOMAINS = frozenset(
    {
        "education",
        "identity",
        "health",
        "emotional",
        "family",
        "placement",
        "permanence",
        "self_care",
        "safeguarding",
        "leaving_care",
        "leisure",
    }
)
SPLITS = ("train", "dev", "test")
MIN_WORDS, MAX_WORDS = 700, 2000
