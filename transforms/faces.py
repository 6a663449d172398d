"""Is there a human face in the avatar? One optional signal for the account-type model.

Real people tend to show their face; meme, news, brand and fan pages tend to show a logo, text
or an animal. This module answers "face or not" for image bytes, with OpenCV's bundled Viola-Jones
(Haar) cascades: small, CPU-only, no model download, and good at the one case that matters here,
a frontal face filling a good part of a profile photo.

Definition (FACES_VERSION "haar-v1"):

- Decode with ``cv2.imdecode`` (transparency composited over white; a JPEG's EXIF orientation
  applied). Bytes that do not decode, images smaller than ``MIN_SIDE`` px (1x1 placeholders) and
  images larger than ``MAX_PIXELS`` (decompression bombs) give ``has_face=None``: unknown, not
  "no face".
- Grey, scale so the longer side is 160..384 px, equalise the histogram.
- Search with ``haarcascade_frontalface_default`` for faces whose box is at least 10% of the shorter
  side (an avatar face is large; tiny faces are crowds, patterns or noise), and keep only those
  that ``haarcascade_frontalface_alt2`` confirms (IoU >= 0.3). ``default`` finds more faces but
  also fires on coins and craters; ``alt2`` is stricter. Requiring both cuts false positives.
- A flat image (a default placeholder) is ``has_face=False`` with reason "blank image".

Frontal faces only: a face in profile, covered or very small reads as "no face". The cascade XML
files are read once from the installed OpenCV package (model data, like an import; no other IO).
"""

from __future__ import annotations

import struct
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import pandas as pd

FACES_VERSION = "haar-v1"

MIN_SIDE = 32  # below this there is no face to find (and 1x1 is a placeholder)
MAX_PIXELS = 40_000_000  # refuse to decode more than this: avatars are small
WORK_MIN, WORK_MAX = 160, 384  # the longer side is scaled into this range before searching
MIN_FACE_FRACTION = 0.10  # smallest face box side, as a fraction of the shorter image side
SCALE_FACTOR = 1.1
MIN_NEIGHBORS = 5  # for the default cascade; alt2 confirms with fewer, it is stricter already
CONFIRM_NEIGHBORS = 3
CONFIRM_IOU = 0.3
BLANK_STD = 2.0  # grey-level standard deviation below which an image is flat

PRIMARY_CASCADE = "haarcascade_frontalface_default.xml"
CONFIRM_CASCADE = "haarcascade_frontalface_alt2.xml"


@dataclass(frozen=True, slots=True)
class FaceResult:
    """What the detector saw. ``has_face`` is None when the image could not be judged."""

    has_face: bool | None
    n_faces: int = 0
    largest_face_share: float = 0.0  # area of the largest face box / image area
    reason: str | None = None


class _Cascades:
    """Both cascades, loaded on first use. One lock guards loading and detection, because
    OpenCV does not promise that one CascadeClassifier is safe to use from two threads (it
    parallelises each call internally and releases the GIL, so the lock costs little)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loaded: tuple[cv2.CascadeClassifier, cv2.CascadeClassifier] | None = None

    def _load(self) -> tuple[cv2.CascadeClassifier, cv2.CascadeClassifier]:
        if self._loaded is None:
            pair = []
            for name in (PRIMARY_CASCADE, CONFIRM_CASCADE):
                cascade = cv2.CascadeClassifier(cv2.data.haarcascades + name)
                if cascade.empty():
                    raise RuntimeError(f"OpenCV cascade {name} not found in "
                                       f"{cv2.data.haarcascades}")
                pair.append(cascade)
            self._loaded = (pair[0], pair[1])
        return self._loaded

    def detect(self, grey: np.ndarray, min_side: int) -> np.ndarray:
        """Face boxes (x, y, w, h): primary detections that the confirming cascade agrees on.

        The confirming cascade only searches a margin around each candidate, at its scale,
        which costs a fraction of a second full search.
        """
        with self._lock:
            primary, confirm = self._load()
            found = primary.detectMultiScale(grey, scaleFactor=SCALE_FACTOR,
                                             minNeighbors=MIN_NEIGHBORS,
                                             minSize=(min_side, min_side))
            kept = [box for box in np.asarray(found).reshape(-1, 4)
                    if _confirmed(confirm, grey, box)]
        return np.asarray(kept, dtype=int).reshape(-1, 4)


def _confirmed(confirm: cv2.CascadeClassifier, grey: np.ndarray, box: np.ndarray) -> bool:
    """Does the confirming cascade find a face overlapping ``box`` (IoU >= CONFIRM_IOU)?"""
    x, y, w, h = (int(v) for v in box)
    pad = w // 2
    x0, y0 = max(0, x - pad), max(0, y - pad)
    x1, y1 = min(grey.shape[1], x + w + pad), min(grey.shape[0], y + h + pad)
    lo, hi = max(20, int(w * 0.6)), int(w * 1.6)
    near = confirm.detectMultiScale(grey[y0:y1, x0:x1], scaleFactor=SCALE_FACTOR,
                                    minNeighbors=CONFIRM_NEIGHBORS, minSize=(lo, lo),
                                    maxSize=(hi, hi))
    if len(near) == 0:
        return False
    near = np.asarray(near).reshape(-1, 4) + np.array([x0, y0, 0, 0])
    return bool((_iou(box.reshape(1, 4), near) >= CONFIRM_IOU).any())


_CASCADES = _Cascades()


def declared_size(image: bytes) -> tuple[int, int] | None:
    """(width, height) from a PNG, GIF or JPEG header, without decoding; None if unknown.

    Lets us refuse a decompression bomb (a small file that decodes to gigabytes) up front.
    """
    if image[:8] == b"\x89PNG\r\n\x1a\n" and len(image) >= 24:
        return struct.unpack(">II", image[16:24])
    if image[:6] in (b"GIF87a", b"GIF89a") and len(image) >= 10:
        return struct.unpack("<HH", image[6:10])
    if image[:2] == b"\xff\xd8":
        pos = 2
        while pos + 9 <= len(image) and image[pos] == 0xFF:
            marker = image[pos + 1]
            if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # markers without a length
                pos += 2
                continue
            length = struct.unpack(">H", image[pos + 2:pos + 4])[0]
            if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # start of frame
                height, width = struct.unpack(">HH", image[pos + 5:pos + 9])
                return width, height
            pos += 2 + length
    return None


def _to_grey(image: bytes) -> np.ndarray | None:
    """8-bit grey pixels, or None when the bytes are not an image OpenCV can decode.

    JPEGs are decoded straight to grey, which also applies their EXIF orientation (a phone
    photo stored sideways would hide its face from a frontal detector). Other formats are
    decoded as they are, to see transparency.
    """
    buffer = np.frombuffer(image, dtype=np.uint8)
    flags = cv2.IMREAD_GRAYSCALE if image[:2] == b"\xff\xd8" else cv2.IMREAD_UNCHANGED
    try:
        pixels = cv2.imdecode(buffer, flags)
    except cv2.error:
        return None
    if pixels is None or pixels.size == 0:
        return None
    if pixels.dtype != np.uint8:  # 16-bit PNG or float TIFF
        pixels = cv2.normalize(pixels, None, 0, 255, cv2.NORM_MINMAX).astype(np.uint8)
    if pixels.ndim == 2:
        return pixels
    channels = pixels.shape[2]
    if channels == 4:  # composite transparency over white, as a profile page shows it
        alpha = pixels[:, :, 3:4].astype(np.float32) / 255.0
        rgb = pixels[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        return cv2.cvtColor(rgb.astype(np.uint8), cv2.COLOR_BGR2GRAY)
    if channels == 3:
        return cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY)
    return pixels[:, :, 0]


def _work_scale(height: int, width: int) -> float:
    longer = max(height, width)
    if longer > WORK_MAX:
        return WORK_MAX / longer
    if longer < WORK_MIN:
        return WORK_MIN / longer
    return 1.0


def _iou(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Intersection over union of every box in ``a`` against every box in ``b`` (x, y, w, h)."""
    ax0, ay0, aw, ah = (a[:, i:i + 1].astype(float) for i in range(4))
    bx0, by0, bw, bh = (b[:, i].astype(float) for i in range(4))
    iw = np.clip(np.minimum(ax0 + aw, bx0 + bw) - np.maximum(ax0, bx0), 0, None)
    ih = np.clip(np.minimum(ay0 + ah, by0 + bh) - np.maximum(ay0, by0), 0, None)
    inter = iw * ih
    return inter / (aw * ah + bw * bh - inter)


def detect_face(image: bytes | None) -> FaceResult:
    """Face or not in one avatar image; never raises on bad bytes."""
    if not image:
        return FaceResult(None, reason="no image")
    size = declared_size(image)
    if size is not None and size[0] * size[1] > MAX_PIXELS:
        return FaceResult(None, reason=f"image too large ({size[0]}x{size[1]})")
    grey = _to_grey(image)
    if grey is None:
        return FaceResult(None, reason="not a decodable image")
    height, width = grey.shape
    if min(height, width) < MIN_SIDE:
        return FaceResult(None, reason=f"image too small ({width}x{height})")
    if float(grey.std()) < BLANK_STD:
        return FaceResult(False, reason="blank image")

    scale = _work_scale(height, width)
    if scale != 1.0:
        interpolation = cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
        grey = cv2.resize(grey, (max(1, round(width * scale)), max(1, round(height * scale))),
                          interpolation=interpolation)
    grey = cv2.equalizeHist(grey)
    min_face = max(24, round(MIN_FACE_FRACTION * min(grey.shape)))
    faces = _CASCADES.detect(grey, min_face)
    if len(faces) == 0:
        return FaceResult(False)
    share = float((faces[:, 2] * faces[:, 3]).max()) / float(grey.shape[0] * grey.shape[1])
    return FaceResult(True, n_faces=len(faces), largest_face_share=round(share, 4))


def detect_faces(images: Sequence[bytes | None], index: pd.Index | None = None) -> pd.Series:
    """``has_face`` per image as a nullable boolean Series, in input order (NA = unknown)."""
    values = [detect_face(image).has_face for image in images]
    return pd.Series(pd.array(values, dtype="boolean"), index=index, name="face_in_avatar")
