"""Draw the browser extension's toolbar and store icons (plugin/icons/icon-<size>.png): a tick on recqual's blue.

    python scripts/make_plugin_icons.py

Drawn at 8 times the size and scaled down, so the edges are smooth at 16 px. Run again only to change the design.
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parents[1] / "plugin" / "icons"
SIZES = (16, 32, 48, 128)
BLUE = (29, 79, 145, 255)  # the accent of web/style.css
WHITE = (255, 255, 255, 255)
SCALE = 8


def draw(size: int) -> Image.Image:
    big = size * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=BLUE)
    # A tick: short stroke down to the left, long stroke up to the right.
    points = [(0.24 * big, 0.52 * big), (0.42 * big, 0.70 * big), (0.76 * big, 0.30 * big)]
    pen.line(points, fill=WHITE, width=max(SCALE * 2, big // 9), joint="curve")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    for size in SIZES:
        draw(size).save(ICONS / f"icon-{size}.png", optimize=True)
        print(ICONS / f"icon-{size}.png")


if __name__ == "__main__":
    main()
