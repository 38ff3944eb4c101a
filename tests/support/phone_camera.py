"""A phone camera photographing a printed label in an aisle: tilt, perspective, distance,
defocus, uneven and dim light, sensor noise and JPEG, all drawn from a seeded random source."""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageChops, ImageFilter

FOCAL_PX = 985.0  # a 1280-pixel preview across a 66° field of view, as on most phones


@dataclass(frozen=True)
class Shot:
    """How one photograph was taken, kept so a failure can be reproduced and described."""

    distance_mm: float
    tilt_deg: tuple[float, float]
    roll_deg: float
    aim_mm: tuple[float, float]
    blur_px: float
    light: tuple[float, float]  # darkest and brightest share of the light across the frame
    black: int
    noise: float
    jpeg_quality: int

    @classmethod
    def draw(cls, rng: random.Random) -> Shot:
        return cls(distance_mm=rng.uniform(170, 300),
                   tilt_deg=(rng.uniform(-30, 30), rng.uniform(-30, 30)),
                   roll_deg=rng.uniform(-25, 25),
                   aim_mm=(rng.uniform(-3, 3), rng.uniform(-3, 3)),
                   blur_px=rng.uniform(0.3, 1.1),
                   light=(rng.uniform(0.35, 0.7), rng.uniform(0.8, 1.0)),
                   black=rng.randint(15, 55),
                   noise=rng.uniform(2, 7),
                   jpeg_quality=rng.randint(35, 75))


def _solve(matrix: list[list[float]], values: list[float]) -> list[float]:
    """Solve a small linear system by Gaussian elimination with partial pivoting."""
    rows = [row[:] + [value] for row, value in zip(matrix, values, strict=True)]
    size = len(rows)
    for column in range(size):
        pivot = max(range(column, size), key=lambda r: abs(rows[r][column]))
        rows[column], rows[pivot] = rows[pivot], rows[column]
        for r in range(size):
            if r != column:
                factor = rows[r][column] / rows[column][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[column], strict=True)]
    return [rows[r][size] / rows[r][r] for r in range(size)]


def _homography(frame: list[tuple[float, float]], scene: list[tuple[float, float]]) -> list[float]:
    """Return PIL's perspective coefficients mapping frame pixels to scene pixels."""
    matrix, values = [], []
    for (x, y), (u, v) in zip(frame, scene, strict=True):
        matrix.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        values.append(u)
        matrix.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values.append(v)
    return _solve(matrix, values)


def _project(point: tuple[float, float], shot: Shot, centre: float) -> tuple[float, float]:
    """Where a point of the label's plane (mm from the aim point) falls in the frame."""
    a, b = (math.radians(t) for t in shot.tilt_deg)
    roll = math.radians(shot.roll_deg)
    x, y, z = point[0], point[1], 0.0
    y, z = y * math.cos(a) - z * math.sin(a), y * math.sin(a) + z * math.cos(a)
    x, z = x * math.cos(b) + z * math.sin(b), -x * math.sin(b) + z * math.cos(b)
    x, y = x * math.cos(roll) - y * math.sin(roll), x * math.sin(roll) + y * math.cos(roll)
    depth = shot.distance_mm + z
    return centre + FOCAL_PX * x / depth, centre + FOCAL_PX * y / depth


def photograph(scene: Image.Image, px_per_mm: float, aim: tuple[float, float], view_mm: float,
               shot: Shot) -> Image.Image:
    """Photograph a greyscale print (px_per_mm pixels per millimetre) aimed at a point.

    The frame is the scanner's viewfinder: a square that sees view_mm of the print head-on,
    so neighbouring labels come into it as they would on a shelf.
    """
    scale = FOCAL_PX / shot.distance_mm  # frame pixels per millimetre, head-on
    # Shrink the print first by whole steps, so the perspective warp never skips detail.
    step = max(1, int(px_per_mm / scale / 1.5))
    if step > 1:
        scene = scene.reduce(step)
        px_per_mm /= step
        aim = (aim[0] / step, aim[1] / step)
    size = round(view_mm * scale)
    centre = size / 2
    corners = [(-20.0, -20.0), (20.0, -20.0), (20.0, 20.0), (-20.0, 20.0)]
    aim_x = aim[0] + shot.aim_mm[0] * px_per_mm
    aim_y = aim[1] + shot.aim_mm[1] * px_per_mm
    frame = [_project(corner, shot, centre) for corner in corners]
    print_points = [(aim_x + u * px_per_mm, aim_y + v * px_per_mm) for u, v in corners]
    image = scene.transform((size, size), Image.Transform.PERSPECTIVE,
                            _homography(frame, print_points), Image.Resampling.BICUBIC,
                            fillcolor=235)
    image = image.filter(ImageFilter.GaussianBlur(shot.blur_px))

    # Light falls off across the frame in a random direction; the darkest print is lifted.
    low, high = shot.light
    gradient = Image.linear_gradient("L").rotate(shot.roll_deg * 7, expand=False,
                                                 fillcolor=255).resize((size, size))
    gradient = gradient.point(lambda g: round(255 * (low + (high - low) * g / 255)))
    image = ImageChops.multiply(image, gradient)
    black = shot.black
    image = image.point(lambda v: round(black + v * (255 - black) / 255))
    noise = Image.effect_noise((size, size), shot.noise)
    image = ImageChops.add(image, noise, scale=1.0, offset=-128)

    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=shot.jpeg_quality)
    return Image.open(io.BytesIO(buffer.getvalue()))
