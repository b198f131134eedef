"""The invisible mark: the clip id in every frame, through re-encoding and rescaling; nothing in unmarked video."""
from __future__ import annotations

from pathlib import Path

import av
import cv2
import numpy as np
import pytest

from safety import invisible_mark as im
from safety.errors import SafetyError
from tests.attacks import encode_h264, load_frames, rescaled

VIDEOS = Path(__file__).resolve().parent / "fixtures" / "videos"
CLIP_ID = "3f9a0c41d2e87b65"
SIZE = (832, 480)  # 16:9 at 480p, the studio's widest output


def fixture_frames(name: str, n: int, size: tuple[int, int] = SIZE) -> np.ndarray:
    return load_frames(VIDEOS / name, n, size)


@pytest.fixture(scope="module")
def original() -> np.ndarray:
    return fixture_frames("liveportrait_woman_earrings_d3.mp4", 24)


@pytest.fixture(scope="module")
def marked(original: np.ndarray) -> np.ndarray:
    return im.embed_frames(original, CLIP_ID)


def test_clip_id_round_trips_through_the_payload():
    bits = im.payload_bits(CLIP_ID)
    assert bits.shape == (im.PAYLOAD_BITS,)
    assert im.clip_id_from_bits(bits) == CLIP_ID
    flipped = bits.copy()
    flipped[5] ^= 1
    assert im.clip_id_from_bits(flipped) is None  # the check bits catch a wrong bit


@pytest.mark.parametrize("bad", ["3f9a0c41d2e87b6", "3f9a0c41d2e87b6z", "3F9A0C41D2E87B65", "", None])
def test_a_clip_id_that_is_not_16_lowercase_hex_digits_is_refused(bad, original):
    with pytest.raises(SafetyError) as e:
        im.embed_frames(original[:1], bad)
    assert e.value.code == "bad_clip_id"


def test_every_frame_alone_carries_the_clip_id(marked):
    for i in range(len(marked)):
        r = im.decode_frames(marked[i : i + 1])
        assert (r.found, r.clip_id, r.bit_errors) == (True, CLIP_ID, 0), f"frame {i}"


def test_mark_leaves_luminance_alone_and_is_invisible(original, marked):
    luma = lambda x: cv2.cvtColor(x.reshape(-1, x.shape[2], 3), cv2.COLOR_RGB2YUV)[..., 0].astype(int)
    changed = np.abs(luma(marked) - luma(original))
    # Only rounding (and clipping at 0/255) touches Y: the mark lives in chroma.
    assert (changed <= 1).mean() > 0.999, float((changed <= 1).mean())
    psnr = cv2.PSNR(marked.reshape(-1, SIZE[0], 3), original.reshape(-1, SIZE[0], 3))
    assert psnr > 38, psnr


def test_mark_survives_h264_at_crf_28(marked, tmp_path):
    path = tmp_path / "crf28.mp4"
    path.write_bytes(encode_h264(marked, crf=28))
    r = im.decode_video(path)
    assert (r.found, r.clip_id) == (True, CLIP_ID)
    assert r.frames_read == 16


def test_mark_survives_downscale_to_three_quarters_and_back(marked):
    r = im.decode_frames(rescaled(marked, 0.75))
    assert (r.found, r.clip_id) == (True, CLIP_ID)


def test_mark_survives_h264_then_downscale_and_back(marked, tmp_path):
    path = tmp_path / "crf28.mp4"
    path.write_bytes(encode_h264(marked, crf=28))
    with av.open(str(path)) as c:
        decoded = np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])
    r = im.decode_frames(rescaled(decoded, 0.75))
    assert (r.found, r.clip_id) == (True, CLIP_ID)


def test_a_copy_left_at_a_smaller_size_is_read_at_the_marked_size(marked):
    small = np.stack([cv2.resize(f, (624, 360), interpolation=cv2.INTER_AREA) for f in marked])
    assert not im.decode_frames(small).found  # the block grid is the marked frame's
    r = im.decode_frames(small, size=SIZE)
    assert (r.found, r.clip_id) == (True, CLIP_ID)


@pytest.mark.parametrize("video", sorted(p.name for p in VIDEOS.glob("*.mp4")))
def test_unmarked_real_video_reads_as_not_found(video):
    r = im.decode_video(VIDEOS / video)
    assert r.frames_read == 16
    assert (r.found, r.clip_id, r.bit_errors) == (False, None, None)


def test_unmarked_frames_at_studio_size_read_as_not_found(original):
    assert not im.decode_frames(original).found
    assert not im.decode_frames(rescaled(original, 0.75)).found


def test_embedding_matches_the_imwatermark_reference_decoder(original):
    """Same transform as imwatermark's dwtDctSvd: its own decoder reads our blocks (round-robin layout)."""
    from imwatermark import WatermarkDecoder

    bits = im.payload_bits(CLIP_ID)
    n_blocks = im._block_count(*original.shape[1:3])
    frame = im._embed_block_bits(original[0], bits[np.arange(n_blocks) % len(bits)].astype(np.float32))
    read = WatermarkDecoder("bits", len(bits)).decode(cv2.cvtColor(frame, cv2.COLOR_RGB2BGR), "dwtDctSvd",
                                                       scales=[0, im.STEP, 0])
    assert np.array_equal(np.asarray(read, dtype=np.uint8), bits)


def test_frames_too_small_or_of_the_wrong_kind_are_refused(original):
    with pytest.raises(SafetyError) as e:
        im.embed_frames(original[:1, :200, :200].copy(), CLIP_ID)
    assert e.value.code == "frame_too_small"
    with pytest.raises(SafetyError) as e:
        im.embed_frames(original[0], CLIP_ID)
    assert e.value.code == "bad_frames"
    assert im.decode_frames(original[:1, :200, :200].copy()).found is False
