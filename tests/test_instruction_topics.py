"""Owners' free-text instructions read as topics and polarity (safety.instruction_topics), in the
owners' languages, against prompts in the studio's four languages. Wordings written for this test."""
from safety.instruction_topics import BY_NAME, polarity, shows, topics_by_meaning, topics_by_words
from safety.policy import OwnerInstructions, check_prompt
from safety.text import fold


def decide(prompt: str, instruction: str, handle: str = "ana", cameos: tuple[str, ...] = ("ana",)):
    return check_prompt(prompt, cameos, [OwnerInstructions(handle, instruction, ())], guard=None)


def test_an_instruction_names_its_topic_in_each_language():
    assert "alcohol" in topics_by_words(fold("nunca me enseñes bebiendo alcohol"))
    assert "smoking" in topics_by_words(fold("Ich will nie mit Zigaretten gezeigt werden"))
    assert "gambling" in topics_by_words(fold("pas de jeux d'argent, merci"))
    assert "weapons" in topics_by_words(fold("nada de armas"))


def test_only_wholesome_forbids_what_a_family_audience_would_not_expect():
    assert polarity(fold("only family-friendly clips please")) == "only"
    named = topics_by_words(fold("only family-friendly clips please"))
    assert {"alcohol", "violence", "gambling"} <= set(named)


def test_an_instruction_in_a_script_no_cue_covers_is_read_by_meaning():
    assert topics_by_meaning("タバコを吸っている私を見せないで") == ["smoking"]


def test_a_word_the_prompt_rules_out_does_not_show_the_topic():
    assert not shows(BY_NAME["alcohol"], fold("@x raising a glass of alcohol-free bubbly at midnight"))
    assert not shows(BY_NAME["smoking"], fold("@x au balcon, sans cigarette, juste un thé"))
    assert shows(BY_NAME["alcohol"], fold("@x pouring three shots of tequila for the table"))


def test_a_forbidden_topic_is_refused_across_languages_and_quoted():
    d = decide("@ana sirviendo whisky en una fiesta de oficina", "Never show me with booze, I'm in recovery.")
    assert not d.allowed and d.categories == ("instruction",)
    assert "Never show me with booze" in d.reason


def test_a_near_miss_of_a_forbidden_topic_stays_allowed():
    assert decide("@ana biting into a crisp green apple at a farmers' market", "no meat ever, I'm vegan").allowed
    assert decide("@ana mit einem Glas Apfelschorle im Biergarten, alkoholfrei", "kein Alkohol bitte").allowed


def test_an_owner_may_refuse_to_appear_with_another_cameo():
    d = decide("@ana and @rico painting a fence together", "never put me in a clip with @rico", cameos=("ana", "rico"))
    assert not d.allowed
    assert decide("@ana and @jo painting a fence together", "never put me in a clip with @rico",
                  cameos=("ana", "jo")).allowed


def test_a_positive_wish_is_not_enforced_on_a_prompt():
    assert decide("@ana in a red raincoat in the rain", "only show me in cooking videos").allowed
