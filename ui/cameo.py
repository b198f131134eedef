"""My cameo: enroll by webcam against a challenge, then manage who may use it, or revoke it."""
from __future__ import annotations

import time
from pathlib import Path

import anyio
import gradio as gr

from identity.challenge import Challenge
from identity.consent import LEVELS, SWITCHES
from identity.enrollment import Verdict
from identity.imageio import decode_png
from identity.jobs import Job
from identity.store import Account
from pipeline.studio import Studio
from pipeline.wav import from_wav
from ui.common import PLAYER_HEIGHT, friendly, require
from ui.words import current_language, refuse, say, t
from ui.jobs import outcome, wait_for
from workers.queues import JobQueue
from ui.takedown import sweep_cached_clips

LEVEL_LABELS = {"only_me": "Only me", "approved": "People I approve", "mutuals": "Mutuals (we follow each other)",
                "everyone": "Everyone"}
TURN_WORDS = {"LEFT": "LEFT", "RIGHT": "RIGHT", "UP": "UP", "DOWN": "DOWN"}
CHECK_NAMES = {"challenge": "Challenge", "one_face": "One face", "face_quality": "Face quality",
               "head_turns": "Head turns", "liveness": "Liveness", "same_person": "Same person",
               "digits": "Digits", "voice": "Voice", "not_registered": "Not enrolled already"}
SWITCH_LABELS = {"no_political": "No political content", "no_violence": "No violence",
                 "keep_clothes": "Keep my clothes as recorded"}
REVOKE_TEXT = ("Revoking deletes your face templates, voice embedding and reference images for good, stops every "
               "job using your cameo, and takes down every clip and draft that features you. Only a tombstone "
               "(ids, dates, hashes) stays in the audit log.")


def challenge_markdown(ch: Challenge, lang: str = "en") -> str:
    """The challenge in the person's language. The digits are English words in every language: the offline
    recogniser knows no other, and after a sentence in French it reads them after a pause (identity/speech.py)."""
    minutes = int((ch.expires_at or 0) - ch.issued_at) // 60
    turns = [say(TURN_WORDS[d], lang) for d in ch.turns]
    if ch.language == "en":
        steps = [say('Say: "{sentence}"', lang, sentence=ch.sentence),
                 say("Then read these digits aloud: {digits}", lang, digits=ch.spoken_digits)]
    else:
        steps = [say('Say: "{sentence}"', lang, sentence=ch.sentence),
                 say("Pause for a second, then read these digits aloud **in English** (the offline speech "
                     "recogniser knows English digits only): {digits}", lang, digits=ch.spoken_digits)]
    steps.append(say("Then turn your head {turns}, back to the centre each time", lang,
                     turns=say(", then ", lang).join(t.lower() for t in turns)))
    numbered = "\n".join(f"{i}. {line}" for i, line in enumerate(steps, start=1))
    return (
        f"## {say('Your challenge', lang)}\n\n{numbered}\n\n"
        f"<div id='challenge-digits' style='font-size:3em;font-weight:bold;letter-spacing:0.3em'>"
        f"{ch.spoken_digits}</div>\n\n"
        f"<div id='challenge-turns' style='font-size:1.6em'>{say('Head turns:', lang)} <b>{' → '.join(turns)}</b>"
        f"</div>\n\n"
        f"<div id='challenge-sentence'>{say('Say: “{sentence}”', lang, sentence=ch.sentence)}</div>\n\n"
        + say("Record one clip of at most 15 s, alone, facing the camera. The challenge expires in {minutes} "
              "minutes and can be used once.", lang, minutes=minutes)
    )


def verdict_markdown(v: Verdict, lang: str = "en") -> str:
    if v.ok:
        return say("### ✅ Your cameo is ready\nCameo id `{cameo}`. Only you can use it until you allow others.",
                   lang, cameo=v.cameo_id)
    # The verifier's reasons are English sentences; in another language each is named by its check first.
    failed = [c for c in v.checks if not c.passed and c.reason]
    reasons = "\n".join(f"- {c.reason}" if lang == "en" else f"- **{say(CHECK_NAMES.get(c.name, c.name), lang)}** : "
                        f"{c.reason}" for c in failed)
    return say("### ❌ We could not verify this recording\n{reasons}\n\nStart a new enrollment and record again.",
               lang, reasons=reasons)


def countdown(ch: Challenge | None, now: float | None = None) -> str:
    if ch is None or ch.expires_at is None:
        return ""
    left = int(ch.expires_at - (time.time() if now is None else now))
    if left <= 0:
        return say("**This challenge expired.** Start a new enrollment for a fresh one.")
    return say("Time left for this challenge: **{left}**", left=f"{left // 60}:{left % 60:02d}")


def start_enrollment(studio: Studio, account: Account | None):
    acc = require(account)
    lang = current_language()
    ch = studio.enroller.new_challenge(acc.handle, language=lang)
    return challenge_markdown(ch, lang), ch


def submit_recording(queue: JobQueue, account: Account, source: str, video_path: str | None,
                     ch: Challenge | None) -> Job:
    """Hand a recording to an enrollment worker (encrypted in the media store until it is judged).

    With a cameo already, the recording re-records it (same person only; settings and approvals stay).
    """
    if ch is None:
        raise refuse("Start an enrollment first: the challenge tells you what to say and do.")
    if not video_path:
        raise refuse("Record your clip first.")
    try:
        return queue.submit_enrollment(account, Path(video_path), ch.to_json(), source)
    finally:
        # The cameo keeps templates, crops and a voice embedding; the raw recording is not kept here.
        Path(video_path).unlink(missing_ok=True)


def verdict_of(job: Job) -> str:
    """The verdict markdown of a finished enrollment job (or its error)."""
    return verdict_markdown(Verdict.from_dict(outcome(job)), current_language())


def my_cameo(studio: Studio, account: Account | None):
    """Crops, settings and a description of the signed-in person's cameo (or what to do without one)."""
    if account is None:
        return [], say("Sign in to see your cameo."), "only_me", "", [], False
    cameo = studio.store.active_cameo_of(account)
    if cameo is None:
        return [], say("You have no cameo yet: start an enrollment above."), "only_me", "", [], False
    crops = [decode_png(p) for p in studio.store.crops_png(cameo.id, cameo.n_crops)]
    level, text, switches = studio.ledger.settings_of(cameo.id)
    pitch = cameo.quality.get("median_pitch_hz")
    about = say("Cameo `{cameo}`, enrolled with {face_model}. Voice: a {voice_model} embedding", cameo=cameo.id,
                face_model=f"{cameo.templates[0].backend}/{cameo.templates[0].model}", voice_model=cameo.voice.model) + (
        say(", median pitch {hz} Hz.", hz=f"{pitch:.0f}") if pitch else ".")
    return crops, about, level, text, switches, studio.ledger.publication_approval(cameo.id)


def build(studio: Studio, account: gr.State, allow_upload: bool, queue: JobQueue):
    source = "upload" if allow_upload else "webcam"
    gr.Markdown(t("Enroll your cameo: one short recording proves it is really you, and that you agree. "
                  "With a cameo already, a new recording re-records it: it must be you again, and your settings and "
                  "approvals stay."))
    start_btn = gr.Button(t("Start enrollment"), variant="primary", elem_id="start-enrollment")
    challenge_md = gr.Markdown(elem_id="challenge")
    countdown_md = gr.Markdown(elem_id="challenge-countdown")
    clock = gr.Timer(1.0, active=False)  # ticks only while a challenge is waiting for its recording
    challenge_state = gr.State(None)
    # Unmirrored: the verifier reads "left" as the person's own left in the camera's view,
    # and Gradio would need ffmpeg on the server to flip a mirrored recording.
    # Shown with a challenge: the camera opens only when there is something to do.
    video = gr.Video(label=t("Your recording"), sources=["webcam", "upload"] if allow_upload else ["webcam"],
                     include_audio=True, webcam_options=gr.WebcamOptions(mirror=False), elem_id="recording",
                     height=PLAYER_HEIGHT, visible=False)
    verify_btn = gr.Button(t("Verify and create my cameo"), variant="primary", elem_id="verify-enrollment",
                           visible=False)
    verdict_md = gr.Markdown(elem_id="verdict")

    gr.Markdown(t("### My cameo"))
    crops = gr.Gallery(label=t("Your reference images"), columns=3, height=220, elem_id="my-crops")
    about = gr.Markdown(elem_id="my-cameo")
    with gr.Row():
        sample_btn = gr.Button(t("Hear my cameo voice"), elem_id="voice-sample-btn")
        sample = gr.Audio(label=t("Voice sample"), interactive=False, elem_id="voice-sample")
    level = gr.Radio([(t(LEVEL_LABELS[k]), k) for k in LEVELS], label=t("Who may use my cameo"), value="only_me",
                     elem_id="level")
    instructions = gr.Textbox(label=t("Instructions for people using my cameo (max 500 characters)"), lines=2,
                              elem_id="instructions")
    switches = gr.CheckboxGroup([(t(SWITCH_LABELS[k]), k) for k in SWITCHES], label=t("Rules"), elem_id="switches")
    approve = gr.Checkbox(label=t("I approve each clip with my cameo before it is published (they wait in my "
                                  "Appearances & inbox tab)"), elem_id="approve-publication")
    save_btn = gr.Button(t("Save settings"), elem_id="save-settings")
    saved_md = gr.Markdown(elem_id="settings-saved")
    with gr.Accordion(t("Revoke and delete my cameo"), open=False):
        gr.Markdown(t(REVOKE_TEXT))
        sure = gr.Checkbox(label=t("I understand: delete my cameo and take down every clip with me in it"),
                           elem_id="revoke-sure")
        revoke_btn = gr.Button(t("Revoke my cameo"), variant="stop", elem_id="revoke-btn")
    revoked_md = gr.Markdown(elem_id="revoked")

    @friendly
    def start(acc):
        md, ch = start_enrollment(studio, acc)
        return (md, ch, gr.Video(visible=True, value=None), gr.Button(visible=True), countdown(ch),
                gr.Timer(active=True))

    def tick(ch):
        text = countdown(ch)
        return text, gr.Timer(active=ch is not None and ch.expires_at is not None and ch.expires_at > time.time())

    @friendly
    async def verify(acc, video_path, ch, progress=gr.Progress()):
        require(acc)
        if ch is not None and ch.handle != acc.handle:
            raise refuse("This challenge was issued to another account; start a new enrollment.")
        progress(0.05, desc=say("Sending your recording"))
        job = await anyio.to_thread.run_sync(submit_recording, queue, acc, source, video_path, ch)
        md = verdict_of(await wait_for(queue, job.id, progress))
        mine = await anyio.to_thread.run_sync(my_cameo, studio, acc)
        return (md, None, "", gr.Timer(active=False), *mine)  # a challenge answers one recording

    @friendly
    def save(acc, lvl, text, sw, approve_each=False):
        acc = require(acc)
        cameo = studio.store.active_cameo_of(acc)
        if cameo is None:
            raise refuse("You have no cameo yet.")
        studio.ledger.set_permission(acc, cameo.id, lvl)
        studio.ledger.set_instructions(acc, cameo.id, text or "", list(sw or []))
        if bool(approve_each) != studio.ledger.publication_approval(cameo.id):  # audit-logged: only a change
            studio.ledger.set_publication_approval(acc, cameo.id, bool(approve_each))
        return say("Saved: {level}.", level=say(LEVEL_LABELS[lvl])) + (
            say(" Clips with your cameo wait for your approval.") if approve_each else "")

    @friendly
    def revoke(acc, confirmed):
        acc = require(acc)
        if not confirmed:
            raise refuse("Tick the box to confirm: revoking cannot be undone.")
        cameo = studio.store.active_cameo_of(acc)
        if cameo is None:
            raise refuse("You have no cameo to revoke.")
        studio.ledger.revoke(acc, cameo.id)
        sweep_cached_clips(studio.library)
        return (say("Your cameo was revoked: its biometric data is deleted and its clips are taken down."), False, "",
                *my_cameo(studio, acc))

    @friendly
    async def hear(acc, progress=gr.Progress()):
        job = queue.submit_voice_sample(require(acc))  # made by a worker, where the voice model lives
        done = await wait_for(queue, job.id, progress)
        outcome(done)  # a refusal or a failure, in words
        return from_wav(queue.take_voice_sample(done))

    sample_btn.click(hear, [account], [sample], api_name="voice_sample")
    mine = [crops, about, level, instructions, switches, approve]
    start_btn.click(start, [account], [challenge_md, challenge_state, video, verify_btn, countdown_md, clock],
                    api_name="start_enrollment")
    clock.tick(tick, [challenge_state], [countdown_md, clock], show_progress="hidden")
    verify_btn.click(verify, [account, video, challenge_state],
                     [verdict_md, challenge_state, countdown_md, clock, *mine])
    save_btn.click(save, [account, level, instructions, switches, approve], [saved_md], api_name="save_settings")
    revoke_btn.click(revoke, [account, sure], [revoked_md, sure, saved_md, *mine])
    return lambda acc: my_cameo(studio, acc), mine
