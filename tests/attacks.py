"""What a clip goes through once it leaves the studio: re-encoding, rescaling, JPEG; shared by tests and bench."""
from __future__ import annotations

import io
from pathlib import Path

import av
import cv2
import numpy as np


def load_frames(path: Path, n: int, size: tuple[int, int]) -> np.ndarray:
    """The first n frames of a video, resized to (w, h)."""
    with av.open(str(path)) as c:
        frames = [f.to_ndarray(format="rgb24") for _, f in zip(range(n), c.decode(video=0))]
    return np.stack([cv2.resize(f, size, interpolation=cv2.INTER_AREA) for f in frames])


def encode_h264(frames: np.ndarray, crf: int, fps: int = 24) -> bytes:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as out:
        vs = out.add_stream("libx264", rate=fps)
        vs.width, vs.height, vs.pix_fmt = frames.shape[2], frames.shape[1], "yuv420p"
        vs.options = {"crf": str(crf)}
        for f in frames:
            for p in vs.encode(av.VideoFrame.from_ndarray(f, format="rgb24")):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
    return buf.getvalue()


def h264(frames: np.ndarray, crf: int = 28) -> np.ndarray:
    """Frames after an H.264 re-encode."""
    with av.open(io.BytesIO(encode_h264(frames, crf))) as c:
        return np.stack([f.to_ndarray(format="rgb24") for f in c.decode(video=0)])


def rescaled(frames: np.ndarray, factor: float = 0.75) -> np.ndarray:
    """Frames scaled down by `factor` and back to their size."""
    h, w = frames.shape[1:3]
    small = (round(w * factor), round(h * factor))
    return np.stack([cv2.resize(cv2.resize(f, small, interpolation=cv2.INTER_AREA), (w, h),
                                interpolation=cv2.INTER_LINEAR) for f in frames])


def jpeg(frames: np.ndarray, quality: int = 75) -> np.ndarray:
    def once(f):
        ok, buf = cv2.imencode(".jpg", cv2.cvtColor(f, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
        return cv2.cvtColor(cv2.imdecode(buf, cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
    return np.stack([once(f) for f in frames])


# ---- what a re-share does to a whole file (ffmpeg; tests and the bench only, never the studio) -------

# Audio re-encoded as most apps do: AAC at 96 kbit/s.
AAC_96K = ["-c:a", "aac", "-b:a", "96k"]
CAPTION = ("drawbox=x=0:y=ih*0.72:w=iw:h=ih*0.2:color=black@0.75:t=fill,"
           "drawtext=text='when the beach day goes right':fontcolor=white:fontsize=h/16:x=(w-tw)/2:y=h*0.78")


def _vf(chain: str, crf: int = 23) -> list[str]:
    return ["-vf", chain, "-c:v", "libx264", "-crf", str(crf), "-pix_fmt", "yuv420p", *AAC_96K]


# name -> ffmpeg output options. Sizes in the names are relative to the 832x480 studio clip.
EDITS: dict[str, list[str]] = {
    "untouched": [],
    "remux": ["-map_metadata", "-1", "-c", "copy"],
    "crf23": _vf("null", 23),
    "crf30": _vf("null", 30),
    "crf35": _vf("null", 35),
    "crf40": _vf("null", 40),
    "scale_0.5x": _vf("scale=trunc(iw/4)*2:trunc(ih/4)*2"),
    "scale_720p": _vf("scale=-2:720"),
    "crop_5pct_right": _vf("crop=trunc(iw*0.95/2)*2:ih:0:0"),
    "crop_10pct_right": _vf("crop=trunc(iw*0.90/2)*2:ih:0:0"),
    "crop_5pct_all_sides": _vf("crop=trunc(iw*0.90/2)*2:trunc(ih*0.90/2)*2"),
    "crop_10pct_all_sides": _vf("crop=trunc(iw*0.80/2)*2:trunc(ih*0.80/2)*2"),
    "crop_5pct_right_resized_back": _vf("crop=trunc(iw*0.95/2)*2:ih:0:0,scale=832:480"),
    "crop_10pct_right_resized_back": _vf("crop=trunc(iw*0.90/2)*2:ih:0:0,scale=832:480"),
    "crop_5pct_all_sides_resized_back": _vf("crop=trunc(iw*0.90/2)*2:trunc(ih*0.90/2)*2,scale=832:480"),
    "crop_10pct_all_sides_resized_back": _vf("crop=trunc(iw*0.80/2)*2:trunc(ih*0.80/2)*2,scale=832:480"),
    "hflip": _vf("hflip"),
    "rotate_3deg": _vf("rotate=3*PI/180"),
    "colour_brightness_contrast_saturation": _vf("eq=brightness=0.06:contrast=1.3:saturation=1.5"),
    "reframe_9x16_1080x1920": _vf("crop=trunc(ih*9/16/2)*2:ih,scale=1080:1920"),
    "screen_recording_0.9x_pad_crf28": _vf("scale=trunc(iw*0.45)*2:trunc(ih*0.45)*2,"
                                           "pad=ceil(iw/0.9/2)*2:ceil(ih/0.9/2)*2:(ow-iw)/2:(oh-ih)/2", 28),
    "blur": _vf("gblur=sigma=1.5"),
    "noise": _vf("noise=alls=12:allf=t"),
    "fps_30": ["-r", "30", *_vf("null")],
    "fps_12": ["-r", "12", *_vf("null")],
    "speed_1.25x": ["-af", "atempo=1.25", *_vf("setpts=PTS/1.25")],
    "trim_first_1s": ["-ss", "1", *_vf("null")],
    "trim_middle_2s": ["-ss", "1.5", "-t", "2", *_vf("null")],
    "caption_bar": _vf(CAPTION),
}


def ffmpeg_edit(src: Path, dst: Path, edit: str) -> Path:
    """dst: src after one re-share edit from EDITS, done by the ffmpeg command line."""
    import shutil
    import subprocess

    if edit == "untouched":
        shutil.copy(src, dst)
        return dst
    if shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is missing: scripts/install-test-tools.sh installs it")
    options = EDITS[edit]
    # -ss before -i seeks the input (as a trimming app does); every other option applies to the output.
    pre = options[:2] if options[:1] == ["-ss"] else []
    cmd = ["ffmpeg", "-v", "error", "-y", *pre, "-i", str(src), *options[len(pre):], str(dst)]
    subprocess.run(cmd, check=True, capture_output=True, timeout=300)
    return dst
