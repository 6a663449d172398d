"""Avatar images for the sandbox, so the face-in-avatar signal can run end to end offline.

People mostly show a face (``PERSON_FACE_SHARE`` of them; the rest show a pet, a cup of coffee,
a rocket...), pages show a logo, text, an animal or an object, never a face. Each avatar is
derived from its path: a deterministic crop, flip, tilt and colour shift of a source picture,
200x200, so no two avatars are byte-identical and a rerun serves the same bytes.

Source pictures come only from installed packages: scikit-image's bundled sample images
(``astronaut`` is the one face). scikit-image is a test dependency; without it (e.g. ``scout
demo`` from a plain install) every avatar is a generated coloured tile with initials or shapes,
so the demo has no faces unless the ``test`` extra is installed.
"""

from __future__ import annotations

import hashlib
import random
from functools import lru_cache

import cv2
import numpy as np

AVATAR_SIDE = 200
PERSON_FACE_SHARE = 0.85  # most creators show their face; some a pet, a plate, a view
JPEG_QUALITY = 88

# Where the astronaut's face is in skimage.data.astronaut() (512x512): centre x, y and side.
_FACE_CENTRE = (223.0, 113.0)
_FACE_SIDE = 93.0

# Non-face pictures by account kind (skimage.data names).
_NON_FACE: dict[str, tuple[str, ...]] = {
    "person": ("chelsea", "coffee", "rocket", "horse", "grass"),
    "animal": ("chelsea", "horse"),
    "brand": ("logo", "coffee", "colorwheel"),
    "news": ("text", "page"),
    "facts": ("text", "page", "moon", "hubble_deep_field"),
    "meme": ("chelsea", "coffee", "text", "rocket"),
    "repost": ("colorwheel", "text", "rocket"),
    "fan": ("logo", "colorwheel", "rocket"),
}
_WHOLE = frozenset({"text", "page", "logo"})  # shown whole and unmirrored, as a page would


def _rng(key: str) -> random.Random:
    """A generator seeded from the key (sha256, not Python's salted hash)."""
    return random.Random(int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "big"))


def shows_face(key: str, kind: str) -> bool:
    """Whether the avatar at ``key`` is meant to show a face (when sample photos are available)."""
    return kind == "person" and _rng(key + "#face").random() < PERSON_FACE_SHARE


@lru_cache(maxsize=None)
def _sample(name: str) -> np.ndarray | None:
    """A scikit-image sample picture as 8-bit BGR, or None when scikit-image is not installed."""
    try:
        from skimage import data

        pixels = np.asarray(getattr(data, name)())
    except (ImportError, AttributeError, OSError, ValueError):
        return None
    if pixels.dtype != np.uint8:  # bool or float pictures (horse)
        pixels = (np.clip(pixels.astype(np.float32), 0, 1) * 255).astype(np.uint8)
    if pixels.ndim == 2:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_GRAY2BGR)
    elif pixels.shape[2] == 4:  # the logo: flatten its transparency onto white
        alpha = pixels[:, :, 3:4].astype(np.float32) / 255.0
        rgb = pixels[:, :, :3].astype(np.float32) * alpha + 255.0 * (1.0 - alpha)
        pixels = cv2.cvtColor(rgb.astype(np.uint8), cv2.COLOR_RGB2BGR)
    else:
        pixels = cv2.cvtColor(pixels, cv2.COLOR_RGB2BGR)
    pixels.setflags(write=False)  # shared by every avatar cut from it
    return pixels


def _square(src: np.ndarray, x: float, y: float, side: float) -> np.ndarray:
    """A square crop of ``side`` px centred near (x, y), kept inside the picture."""
    height, width = src.shape[:2]
    side = int(min(side, height, width))
    x0 = int(np.clip(x - side / 2, 0, width - side))
    y0 = int(np.clip(y - side / 2, 0, height - side))
    return src[y0:y0 + side, x0:x0 + side]


def _vary(img: np.ndarray, rng: random.Random, tilt: float, flip: bool = True) -> np.ndarray:
    """Flip, tilt, resize and shift colour and brightness: same subject, different bytes."""
    if flip and rng.random() < 0.5:
        img = img[:, ::-1]
    if tilt:
        centre = (img.shape[1] / 2, img.shape[0] / 2)
        matrix = cv2.getRotationMatrix2D(centre, rng.uniform(-tilt, tilt), 1.0)
        img = cv2.warpAffine(np.ascontiguousarray(img), matrix, (img.shape[1], img.shape[0]),
                             borderMode=cv2.BORDER_REFLECT)
    img = cv2.resize(np.ascontiguousarray(img), (AVATAR_SIDE, AVATAR_SIDE),
                     interpolation=cv2.INTER_AREA)
    hsv = cv2.cvtColor(img, cv2.COLOR_BGR2HSV)
    hsv[:, :, 0] = ((hsv[:, :, 0].astype(np.int16) + rng.randint(-12, 12)) % 180).astype(np.uint8)
    img = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    return cv2.convertScaleAbs(img, alpha=rng.uniform(0.85, 1.15), beta=rng.uniform(-20, 20))


def _face_photo(src: np.ndarray, rng: random.Random) -> np.ndarray:
    """The astronaut, framed like a profile photo: the face fills roughly 10-40% of it."""
    side = _FACE_SIDE * rng.uniform(1.6, 4.0)
    x = _FACE_CENTRE[0] + rng.uniform(-0.2, 0.2) * side
    y = _FACE_CENTRE[1] + rng.uniform(-0.1, 0.25) * side
    return _vary(_square(src, x, y, side), rng, tilt=8.0)


def _letterbox(src: np.ndarray, rng: random.Random) -> np.ndarray:
    """The whole picture on a square of its own border colour, nudged off centre."""
    height, width = src.shape[:2]
    side = int(max(height, width) * rng.uniform(1.05, 1.3))
    fill = np.median(np.concatenate([src[0], src[-1]]), axis=0)
    canvas = np.empty((side, side, 3), np.uint8)
    canvas[:] = fill.astype(np.uint8)
    y0 = rng.randint(0, side - height)
    x0 = rng.randint(0, side - width)
    canvas[y0:y0 + height, x0:x0 + width] = src
    return canvas


def _object_photo(name: str, src: np.ndarray, rng: random.Random) -> np.ndarray:
    """Text and logos whole (never mirrored); photos as a crop of 70-100% of the shorter side."""
    if name in _WHOLE:
        return _vary(_letterbox(src, rng), rng, tilt=0.0, flip=False)
    height, width = src.shape[:2]
    side = min(height, width) * rng.uniform(0.7, 1.0)
    x, y = rng.uniform(side / 2, width - side / 2), rng.uniform(side / 2, height - side / 2)
    return _vary(_square(src, x, y, side), rng, tilt=0.0)


def _initials(label: str) -> str:
    """Up to two initials; ASCII only, as OpenCV's Hershey fonts draw nothing else."""
    words = "".join(ch if ch.isascii() and ch.isalnum() else " " for ch in label).split()
    return "".join(w[0] for w in words[:2]).upper() or "?"


def generated_tile(key: str, label: str) -> np.ndarray:
    """A flat coloured tile with initials and a shape: the no-photo fallback (never a face)."""
    rng = _rng(key + "#tile")
    hsv = np.full((AVATAR_SIDE, AVATAR_SIDE, 3), (rng.randrange(180), 140, 200), np.uint8)
    img = cv2.cvtColor(hsv, cv2.COLOR_HSV2BGR)
    accent = tuple(int(v) for v in 255 - img[0, 0])
    centre = (rng.randint(40, 160), rng.randint(40, 160))
    if rng.random() < 0.5:
        cv2.circle(img, centre, rng.randint(20, 60), accent, -1, cv2.LINE_AA)
    else:
        cv2.rectangle(img, (centre[0] - 40, centre[1] - 25), (centre[0] + 40, centre[1] + 25),
                      accent, -1, cv2.LINE_AA)
    text = _initials(label)
    font, scale, thick = cv2.FONT_HERSHEY_SIMPLEX, 2.4, 6
    (tw, th), _ = cv2.getTextSize(text, font, scale, thick)
    origin = ((AVATAR_SIDE - tw) // 2, (AVATAR_SIDE + th) // 2)
    cv2.putText(img, text, origin, font, scale, (255, 255, 255), thick, cv2.LINE_AA)
    return img


@lru_cache(maxsize=1)
def default_avatar() -> bytes:
    """Mastodon's ``missing.png``: a grey head-and-shoulders silhouette, PNG."""
    img = np.full((AVATAR_SIDE, AVATAR_SIDE, 3), 205, np.uint8)
    cv2.circle(img, (100, 78), 38, (150, 150, 150), -1, cv2.LINE_AA)
    cv2.ellipse(img, (100, 200), (75, 70), 0, 180, 360, (150, 150, 150), -1, cv2.LINE_AA)
    return cv2.imencode(".png", img)[1].tobytes()


@lru_cache(maxsize=1024)
def avatar_image(key: str, kind: str, label: str, fmt: str = "jpeg") -> bytes:
    """The avatar for ``key`` (its path) of an account of ``kind``, encoded as JPEG or PNG."""
    rng = _rng(key)
    img: np.ndarray | None = None
    if shows_face(key, kind):
        src = _sample("astronaut")
        img = None if src is None else _face_photo(src, rng)
    else:
        names = _NON_FACE.get(kind, _NON_FACE["brand"])
        name = names[rng.randrange(len(names))]
        src = _sample(name)
        img = None if src is None else _object_photo(name, src, rng)
    if img is None:
        img = generated_tile(key, label)
    if fmt == "png":
        return cv2.imencode(".png", img)[1].tobytes()
    return cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, JPEG_QUALITY])[1].tobytes()
