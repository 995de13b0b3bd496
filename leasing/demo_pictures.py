"""Drawn pictures for the demo buildings: no photos of real places ship with the code."""

import io
import random

from PIL import Image, ImageDraw

#: Facade colours per building type (brick red fire stations, grey depots, …).
FACADES = {
    "fire_station": ((150, 52, 40), (120, 40, 30)),
    "depot": ((120, 126, 132), (95, 100, 105)),
    "school": ((196, 164, 120), (170, 138, 96)),
    "daycare": ((226, 196, 90), (200, 170, 70)),
    "office": ((170, 176, 184), (140, 146, 154)),
    "villa": ((214, 220, 210), (180, 186, 176)),
    "warehouse": ((140, 100, 70), (115, 80, 55)),
    "industrial": ((90, 120, 140), (70, 96, 116)),
    "other": ((160, 160, 160), (130, 130, 130)),
}


def facade_jpeg(building_type, seed, size=(960, 640)):
    """A simple drawing of a building's facade as JPEG bytes, the same for the same seed."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size, (186, 214, 236))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.78), width, height], fill=(92, 128, 84))
    wall, trim = FACADES.get(building_type, FACADES["other"])
    left, right = int(width * 0.12), int(width * 0.88)
    top, ground = int(height * (0.28 + rng.random() * 0.12)), int(height * 0.8)
    draw.rectangle([left, top, right, ground], fill=wall, outline=trim, width=6)
    draw.polygon(
        [(left - 20, top), ((left + right) // 2, top - int(height * 0.16)), (right + 20, top)], fill=(60, 60, 66)
    )
    _windows(draw, rng, left, top, right, ground)
    door_w = int(width * (0.16 if building_type in ("fire_station", "depot", "industrial") else 0.07))
    door_x = left + rng.randint(40, max(41, right - left - door_w - 40))
    draw.rectangle([door_x, ground - int(height * 0.22), door_x + door_w, ground], fill=(48, 56, 64))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def _windows(draw, rng, left, top, right, ground):
    rows = rng.randint(1, 3)
    cols = rng.randint(4, 8)
    cell_w, cell_h = (right - left) / cols, (ground - top) / (rows + 1)
    for row in range(rows):
        for col in range(cols):
            x0 = left + col * cell_w + cell_w * 0.25
            y0 = top + row * cell_h + cell_h * 0.3
            draw.rectangle([x0, y0, x0 + cell_w * 0.5, y0 + cell_h * 0.45], fill=(220, 234, 242), outline=(40, 40, 40))
