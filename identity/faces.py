"""Find, align and embed faces behind one small interface.

Two real backends: dlib (the offline default; its weights ship in the
face-recognition-models wheel) and insightface ArcFace (buffalo_l, better, but
its weights are downloaded or copied in and are licensed for non-commercial
research only). Every template records the backend and model that made it, and
`compare_templates` refuses to compare templates of different models: their
spaces are unrelated, so a score between them means nothing.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Protocol

import cv2
import numpy as np

from identity.embedding import Embedding
from identity.errors import IdentityError, ModelUnavailableError
from identity.pose import head_pose_from_landmarks


@dataclass(frozen=True)
class Face:
    """One detected face: where it is, how sure the detector is, its landmarks and pose."""

    bbox: tuple[float, float, float, float]  # x0, y0, x1, y1 in pixels of the image given
    det_score: float
    landmarks: np.ndarray  # (68, 2) in iBUG-300W order, pixels
    yaw_deg: float  # positive: the person turned to their own left (nose to image right)
    pitch_deg: float  # positive: the person looks up

    @property
    def height(self) -> float:
        return self.bbox[3] - self.bbox[1]


class FaceTemplate(Embedding):
    """A face identity embedding, tagged with what made it."""


class FaceBackend(Protocol):
    name: str
    model: str
    # Scores above this are the same person in a 1:1 comparison (see each backend for the measured figure).
    match_threshold: float
    # The stricter threshold for a face searched against many people (1:N: the likeness firewall, the
    # protected gallery); its expected false-match rate per size of gallery is in README "Calibration".
    one_to_n_threshold: float

    def detect(self, rgb: np.ndarray, small_faces: bool = False) -> list[Face]:
        """Faces in an RGB image; `small_faces` trades speed for finding faces far from the camera."""
        ...

    def embed(self, rgb: np.ndarray, face: Face) -> FaceTemplate: ...

    def align(self, rgb: np.ndarray, face: Face, size: int = 256) -> np.ndarray: ...

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float: ...

    def similarity_matrix(self, a: np.ndarray, b: np.ndarray, b_prepared: bool = False) -> np.ndarray:
        """Scores of every row of `a` (m, d) with every row of `b` (n, d): (m, n), as `similarity` would give.
        `b_prepared`: b's rows come from `centroid` (the index's matrix), which may save work."""
        ...

    def centroid(self, vectors: np.ndarray) -> np.ndarray:
        """One vector standing for several templates of one person (what the identity index searches)."""
        ...


def unit_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, np.float32)
    return x / (np.linalg.norm(x, axis=-1, keepdims=True) + 1e-9)


def euclidean_similarity_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 - Euclidean distance for every pair, from one matrix product (dlib's score, vectorised)."""
    a = np.asarray(a, np.float32)
    b = np.asarray(b, np.float32)
    d2 = np.einsum("ij,ij->i", a, a)[:, None] + np.einsum("ij,ij->i", b, b)[None, :] - 2.0 * (a @ b.T)
    return 1.0 - np.sqrt(np.maximum(d2, 0.0))


def made_by(template: FaceTemplate, backend: FaceBackend) -> bool:
    return (template.backend, template.model) == (backend.name, backend.model)


def compare_templates(backend: FaceBackend, a: FaceTemplate, b: FaceTemplate) -> float:
    """Similarity of two templates; refuses templates made by different models."""
    for t in (a, b):
        if not made_by(t, backend):
            raise IdentityError(
                "model_mismatch",
                f"a face template made by {t.backend}/{t.model} cannot be compared with "
                f"{backend.name}/{backend.model}; re-enroll with the active face backend",
            )
    return backend.similarity(a.vector, b.vector)


def _align_by_eyes(rgb: np.ndarray, left_eye: np.ndarray, right_eye: np.ndarray, size: int) -> np.ndarray:
    """A square crop, eyes level, the face filling it as a portrait reference would."""
    center = (left_eye + right_eye) / 2.0
    dx, dy = right_eye - left_eye
    angle = float(np.degrees(np.arctan2(dy, dx)))
    eye_dist = float(np.hypot(dx, dy))
    # Eyes at 38% of the height and 30% of the width apart: head, hair and chin in frame.
    scale = (0.30 * size) / max(eye_dist, 1.0)
    m = cv2.getRotationMatrix2D((float(center[0]), float(center[1])), angle, scale)
    m[0, 2] += size / 2.0 - center[0]
    m[1, 2] += 0.38 * size - center[1]
    return cv2.warpAffine(rgb, m, (size, size), flags=cv2.INTER_AREA, borderMode=cv2.BORDER_REPLICATE)


class DlibBackend:
    """HOG detector, 68-point landmarks and the ResNet face descriptor from dlib.

    The descriptor's authors report 99.38% on LFW with "same person" meaning a
    Euclidean distance below 0.6; `similarity` is 1 - distance so that, as for
    every backend, higher means more alike, and the threshold 0.40 is that same
    0.6. On ../shared/fixtures/faces (9 people, 40 photos, 90 genuine and 690
    impostor pairs) it measured EER 0.0%; at 0.40, FAR 0/690 and FRR 1/90; the
    lowest genuine similarity was 0.382 and the highest impostor 0.377 (see
    README "Calibration"). We keep dlib's LFW-calibrated value rather than
    fitting 40 photos: the fixtures say only that it is not far off.
    """

    name = "dlib"
    model = "dlib_face_recognition_resnet_model_v1"
    match_threshold = 0.40
    # 1:N: 140 real photos of 19 people (the fixtures and 10 LFW people, 540 genuine and 9,190 impostor
    # pairs): at 0.45 no impostor pair passed and 95.0% of genuine pairs did (README "Calibration").
    one_to_n_threshold = 0.45

    # Detect on a copy at most this wide: faces in an enrollment clip are large,
    # and HOG finds faces of ~80 px and up (upsampling once halves that).
    detect_width = 320
    detect_width_small_faces = 800

    def __init__(self) -> None:
        try:
            import dlib
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pkg_resources deprecation inside the models package
                import face_recognition_models as frm
        except ImportError as exc:  # pragma: no cover - both are in requirements.txt
            raise ModelUnavailableError(
                "dlib_missing",
                "the dlib face backend needs dlib-bin and face-recognition-models "
                "(pip install -r requirements.txt)",
            ) from exc
        self._detector = dlib.get_frontal_face_detector()
        self._shape = dlib.shape_predictor(frm.pose_predictor_model_location())
        self._encoder = dlib.face_recognition_model_v1(frm.face_recognition_model_location())
        self._dlib = dlib

    def detect(self, rgb: np.ndarray, small_faces: bool = False) -> list[Face]:
        h, w = rgb.shape[:2]
        upsample = 1 if small_faces else 0
        scale = min(1.0, (self.detect_width_small_faces if small_faces else self.detect_width) / float(w))
        small = cv2.resize(rgb, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA) if scale < 1 else rgb
        rects, scores, _ = self._detector.run(small, upsample, 0.0)
        faces = []
        for rect, score in zip(rects, scores):
            full = self._dlib.rectangle(
                int(rect.left() / scale), int(rect.top() / scale), int(rect.right() / scale), int(rect.bottom() / scale)
            )
            shape = self._shape(rgb, full)
            pts = np.array([[p.x, p.y] for p in shape.parts()], dtype=np.float64)
            yaw, pitch = head_pose_from_landmarks(pts, (h, w))
            faces.append(
                Face(
                    bbox=(full.left(), full.top(), full.right(), full.bottom()),
                    det_score=float(score),
                    landmarks=pts,
                    yaw_deg=yaw,
                    pitch_deg=pitch,
                )
            )
        return faces

    def embed(self, rgb: np.ndarray, face: Face) -> FaceTemplate:
        x0, y0, x1, y1 = (int(v) for v in face.bbox)
        rect = self._dlib.rectangle(x0, y0, x1, y1)
        shape = self._shape(rgb, rect)
        vec = np.asarray(self._encoder.compute_face_descriptor(np.ascontiguousarray(rgb), shape, 0), dtype=np.float32)
        return FaceTemplate(self.name, self.model, vec)

    def align(self, rgb: np.ndarray, face: Face, size: int = 256) -> np.ndarray:
        lm = face.landmarks
        return _align_by_eyes(rgb, lm[36:42].mean(axis=0), lm[42:48].mean(axis=0), size)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        return float(1.0 - np.linalg.norm(np.asarray(a, np.float32) - np.asarray(b, np.float32)))

    def similarity_matrix(self, a: np.ndarray, b: np.ndarray, b_prepared: bool = False) -> np.ndarray:
        return euclidean_similarity_matrix(a, b)

    def centroid(self, vectors: np.ndarray) -> np.ndarray:
        return np.mean(np.asarray(vectors, np.float32), axis=0)


class InsightFaceBackend:
    """ArcFace (buffalo_l) through insightface and onnxruntime; CUDA when present.

    The buffalo_l weights are published by the insightface project for
    non-commercial research use only; a commercial deployment must license them
    or use the dlib backend. Threshold: cosine 0.40, the value insightface's
    own verification examples use for buffalo_l (about FAR 1e-4 on IJB-C); it
    could not be measured here because the weights cannot be downloaded.
    """

    name = "insightface"
    model = "buffalo_l/w600k_r50"
    match_threshold = 0.40
    # Not measured here (no weights); ArcFace r50 on IJB-C keeps about 95% of genuine pairs at a
    # false-accept rate of 1e-6 near cosine 0.5, the order a gallery of 1e5 people needs.
    one_to_n_threshold = 0.50

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        missing = missing_insightface_models(self.root)
        if missing:
            raise ModelUnavailableError(
                "insightface_models_missing",
                f"insightface buffalo_l models not found under {self.root / 'models' / 'buffalo_l'} "
                f"(missing: {', '.join(missing)}). Download buffalo_l.zip from the insightface releases "
                "and unzip it there, or set CAMEO_INSIGHTFACE_ROOT, or use CAMEO_FACE_BACKEND=dlib. "
                "The weights are for non-commercial research use only.",
            )
        try:
            import onnxruntime
            from insightface.app import FaceAnalysis
        except ImportError as exc:
            raise ModelUnavailableError(
                "insightface_missing",
                "the insightface backend needs the insightface and onnxruntime(-gpu) packages "
                "(pip install -r requirements-gpu.txt)",
            ) from exc
        providers = [p for p in ("CUDAExecutionProvider", "CPUExecutionProvider") if p in onnxruntime.get_available_providers()]
        self._app = FaceAnalysis(
            name="buffalo_l",
            root=str(self.root),
            allowed_modules=["detection", "recognition", "landmark_3d_68"],
            providers=providers,
        )
        self._app.prepare(ctx_id=0 if "CUDAExecutionProvider" in providers else -1, det_size=(640, 640))

    def _faces(self, rgb: np.ndarray):
        return self._app.get(cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR))

    def detect(self, rgb: np.ndarray, small_faces: bool = False) -> list[Face]:
        h, w = rgb.shape[:2]  # the SCRFD detector finds small faces at its one setting
        out = []
        for f in self._faces(rgb):
            pts = np.asarray(f.landmark_3d_68[:, :2], dtype=np.float64)
            yaw, pitch = head_pose_from_landmarks(pts, (h, w))
            out.append(Face(tuple(float(v) for v in f.bbox), float(f.det_score), pts, yaw, pitch))
        return out

    def embed(self, rgb: np.ndarray, face: Face) -> FaceTemplate:
        faces = self._faces(rgb)
        if not faces:
            raise IdentityError("no_face", "no face found to embed")
        cx, cy = (face.bbox[0] + face.bbox[2]) / 2, (face.bbox[1] + face.bbox[3]) / 2
        best = min(faces, key=lambda f: (f.bbox[0] + f.bbox[2] - 2 * cx) ** 2 + (f.bbox[1] + f.bbox[3] - 2 * cy) ** 2)
        return FaceTemplate(self.name, self.model, np.asarray(best.normed_embedding, dtype=np.float32))

    def align(self, rgb: np.ndarray, face: Face, size: int = 256) -> np.ndarray:
        lm = face.landmarks
        return _align_by_eyes(rgb, lm[36:42].mean(axis=0), lm[42:48].mean(axis=0), size)

    def similarity(self, a: np.ndarray, b: np.ndarray) -> float:
        a = np.asarray(a, np.float32)
        b = np.asarray(b, np.float32)
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) + 1e-9))

    def similarity_matrix(self, a: np.ndarray, b: np.ndarray, b_prepared: bool = False) -> np.ndarray:
        return unit_rows(a) @ (np.asarray(b, np.float32) if b_prepared else unit_rows(b)).T

    def centroid(self, vectors: np.ndarray) -> np.ndarray:
        return unit_rows(np.mean(unit_rows(vectors), axis=0))


INSIGHTFACE_FILES = ("det_10g.onnx", "w600k_r50.onnx", "1k3d68.onnx")


def missing_insightface_models(root: Path) -> list[str]:
    folder = Path(root) / "models" / "buffalo_l"
    return [f for f in INSIGHTFACE_FILES if not (folder / f).is_file()]


@lru_cache(maxsize=4)
def get_face_backend(choice: str = "auto", insightface_root: str = "data/insightface") -> FaceBackend:
    """The backend named by the setting; "auto" takes insightface when its models are present, else dlib+sface."""
    if choice == "dlib":
        return DlibBackend()
    if choice == "dlib+sface":
        from identity.sface import DlibSFaceBackend

        return DlibSFaceBackend()
    if choice == "insightface":
        return InsightFaceBackend(Path(insightface_root))
    if choice != "auto":
        raise IdentityError("bad_setting",
                            f"unknown face backend {choice!r}: expected auto, dlib+sface, dlib or insightface")
    if not missing_insightface_models(Path(insightface_root)):
        try:
            return InsightFaceBackend(Path(insightface_root))
        except ModelUnavailableError:
            pass  # models present but the package is not: the offline default still works
    from identity.sface import DlibSFaceBackend

    return DlibSFaceBackend()
