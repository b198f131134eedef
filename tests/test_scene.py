"""Reading prompts as scenes, and timing their dialogue into a clip."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.scene import (
    COLOURS,
    DEFAULT_PLACE,
    LEAD_IN_S,
    MAX_SPEEDUP,
    TAIL_S,
    parse_scene,
    time_dialogue,
)
from pipeline.types import DialogueLine


def lines_of(prompt: str) -> list[tuple[str, str]]:
    return [(d.handle, d.text) for d in parse_scene(prompt).dialogue]


def test_mentions_are_listed_once_in_order_of_first_mention():
    assert parse_scene("@bob and @alice meet; @bob waves").handles == ("bob", "alice")


def test_mentions_are_lowercased_like_handles():
    assert parse_scene("@Alice_99 waves").handles == ("alice_99",)


def test_email_address_is_not_a_mention():
    assert parse_scene("write to alice@example.com on the beach").handles == ()


def test_too_short_handle_is_noted_not_used():
    scene = parse_scene("@ab dances")
    assert scene.handles == ()
    assert any("@ab" in n for n in scene.notes)


def test_says_line_goes_to_its_speaker():
    assert lines_of('@alice says "we made it!"') == [("alice", "we made it!")]


def test_colon_line_goes_to_its_speaker():
    assert lines_of('@alice waves. @bob: "hi"') == [("bob", "hi")]


def test_single_quoted_shout_is_dialogue():
    assert lines_of("@alice shouts 'run!'") == [("alice", "run!")]


def test_curly_quotes_are_dialogue():
    assert lines_of("@alice says “see you” and @bob whispers ‘bye’") == [("alice", "see you"), ("bob", "bye")]


def test_apostrophes_inside_a_single_quoted_line_stay_in_it():
    assert lines_of("@bob says 'I can't go, it's late'") == [("bob", "I can't go, it's late")]


def test_possessive_apostrophes_do_not_open_a_line():
    assert lines_of("@alice's dog and @bob's cat run on the beach") == []


def test_speaker_named_after_the_quote_is_used():
    assert lines_of('@bob stands still. "Run!" shouts @alice') == [("alice", "Run!")]


def test_each_line_goes_to_its_own_speaker_in_a_conversation():
    prompt = '@alice says "hello there" and then @bob replies "hi alice" while @alice laughs'
    assert lines_of(prompt) == [("alice", "hello there"), ("bob", "hi alice")]


def test_line_without_clear_speaker_goes_to_nearest_preceding_mention_with_a_note():
    scene = parse_scene('@alice and @bob walk on the beach. "What a view!"')
    assert [(d.handle, d.text) for d in scene.dialogue] == [("bob", "What a view!")]
    assert any("no clear speaker" in n for n in scene.notes)


def test_quote_with_no_mention_is_reported_not_attributed():
    scene = parse_scene('a sign on the beach reads "closed"')
    assert scene.dialogue == ()
    assert scene.unspoken == ("closed",)
    assert any("closed" in n for n in scene.notes)


def test_mention_inside_a_line_is_spoken_not_cast():
    scene = parse_scene('@alice says "where is @bob?"')
    assert scene.handles == ("alice",)
    assert scene.dialogue[0].text == "where is @bob?"


def test_place_time_and_weather_come_from_the_prompt():
    scene = parse_scene("@alice walks down a city street at night in the rain")
    assert (scene.place, scene.time_of_day, scene.weather) == ("city street", "night", "rain")


@pytest.mark.parametrize(
    "prompt, place",
    [
        ("surfing on the beach", "beach"),
        ("hiking in the forest", "forest"),
        ("at the summit of the mountains", "mountains"),
        ("in the office", "office"),
        ("baking in a kitchen", "kitchen"),
        ("floating in outer space", "space"),
        ("lost in the desert", "desert"),
        ("building an igloo in the arctic", "snow"),
        ("singing on stage at a concert", "stage"),
        ("a picnic in the park", "park"),
        ("chatting in a cafe", "cafe"),
        ("swimming underwater near a coral reef", "underwater"),
    ],
)
def test_each_place_is_recognised(prompt, place):
    assert parse_scene(prompt).place == place


def test_place_after_in_the_wins_over_an_earlier_object():
    assert parse_scene("@alice holds a beach ball in the office").place == "office"


def test_under_the_sea_is_underwater_not_the_beach():
    assert parse_scene("dancing under the sea").place == "underwater"


def test_defaults_when_the_prompt_names_no_setting():
    scene = parse_scene("@alice waves")
    assert (scene.place, scene.time_of_day, scene.weather, scene.camera) == (DEFAULT_PLACE, "day", "clear", ())


def test_space_is_dark_by_default():
    assert parse_scene("@alice floats in space").time_of_day == "night"


def test_words_inside_dialogue_do_not_set_the_scene():
    scene = parse_scene('@alice says "what a night on the beach" in the office')
    assert (scene.place, scene.time_of_day) == ("office", "day")


@pytest.mark.parametrize(
    "prompt, moves",
    [
        ("the camera pans left", ("pan_left",)),
        ("slow pan to the right", ("pan_right",)),
        ("zoom in on @alice", ("zoom_in",)),
        ("the camera pulls back", ("zoom_out",)),
        ("a dolly shot", ("dolly",)),
        ("tracking shot of @alice walking", ("tracking",)),
        ("static shot", ("static",)),
        ("the camera orbits them", ("orbit",)),
        ("handheld, shaky", ("handheld",)),
        ("handheld while it zooms in", ("handheld", "zoom_in")),
    ],
)
def test_camera_moves_are_read_in_prompt_order(prompt, moves):
    assert parse_scene(prompt).camera == moves


def test_contradicting_pans_keep_the_first_and_say_so():
    scene = parse_scene("pan left, then pan right")
    assert scene.camera == ("pan_left",)
    assert any("contradict" in n for n in scene.notes)


def test_static_with_moves_keeps_the_moves():
    assert parse_scene("static shot that zooms in").camera == ("zoom_in",)


def test_frying_pan_is_not_a_camera_pan():
    assert parse_scene("@alice flips pancakes with a frying pan in the kitchen").camera == ()


def test_colour_words_set_the_accent():
    scene = parse_scene("@alice in a purple and gold park")
    assert scene.palette.named == ("purple", "gold")
    assert scene.palette.accent == COLOURS["purple"]


def test_sunset_sky_is_warmer_than_night_sky():
    sunset, night = parse_scene("beach at sunset").palette, parse_scene("beach at night").palette
    assert sum(sunset.sky_horizon) > sum(night.sky_horizon)
    assert sunset.sky_horizon[0] > sunset.sky_horizon[2]


# ---- timing ----

TWO = parse_scene('@alice says "we made it through" @bob says "yes we did"')


def test_lines_are_sequential_with_a_pause_inside_the_clip():
    timing = time_dialogue(TWO, 6.0, [1.5, 1.2])
    a, b = timing.lines
    assert a.start_s == pytest.approx(LEAD_IN_S)
    assert a.end_s - a.start_s == pytest.approx(1.5, abs=1e-3)
    assert b.start_s > a.end_s
    assert b.end_s <= 6.0 - TAIL_S + 1e-6
    assert timing.speed == 1.0 and timing.dropped == ()


def test_lines_speak_faster_to_fit_a_short_clip_and_say_so():
    timing = time_dialogue(TWO, 3.0, [1.5, 1.5])
    assert 1.0 < timing.speed <= MAX_SPEEDUP
    assert len(timing.lines) == 2 and timing.dropped == ()
    assert timing.lines[-1].end_s <= 3.0 - TAIL_S + 1e-6
    assert any("faster" in n for n in timing.notes)


def test_line_that_cannot_fit_is_reported_not_silently_dropped():
    timing = time_dialogue(TWO, 2.0, [2.0, 2.0])
    assert [d.handle for d in timing.lines] == ["alice"]
    assert [d.handle for d in timing.dropped] == ["bob"]
    assert any("@bob" in n and "did not fit" in n for n in timing.notes)


def test_timing_refuses_durations_that_do_not_match_the_lines():
    with pytest.raises(ValueError):
        time_dialogue(TWO, 5.0, [1.0])


@settings(max_examples=60, deadline=None)
@given(
    durations=st.lists(st.floats(0.05, 4.0), min_size=1, max_size=5),
    clip=st.floats(2.0, 10.0),
)
def test_timed_lines_never_overlap_and_stay_in_the_clip(durations, clip):
    scene = parse_scene(" ".join(f'@cam{i} says "line {i}"' for i in range(len(durations))))
    timing = time_dialogue(scene, clip, durations)
    assert len(timing.lines) + len(timing.dropped) == len(durations)
    ends = 0.0
    for line, d in zip(timing.lines, durations):
        assert line.start_s >= ends - 1e-6
        assert line.end_s <= clip + 1e-6
        assert line.end_s - line.start_s == pytest.approx(d / timing.speed, abs=1e-3)
        ends = line.end_s
    assert timing.speed <= MAX_SPEEDUP + 1e-9
    assert len(timing.notes) >= len(timing.dropped)


def test_untimed_dialogue_has_zero_times():
    assert parse_scene('@alice says "hi"').dialogue == (DialogueLine("alice", "hi", 0.0, 0.0),)
