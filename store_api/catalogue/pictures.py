"""Product pictures: checked to be a real JPEG, PNG or WebP, scaled down, kept under var/media."""

from __future__ import annotations

import io
import uuid
import warnings
from pathlib import Path

from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import func, select

from store_api.catalogue.lookup import product_by_sku
from store_api.catalogue.models import ProductImage
from store_api.core import audit
from store_api.core.db import Database
from store_api.core.errors import DomainError

FORMATS = ("JPEG", "PNG", "WEBP")
# Pictures come from phones; anything past this many pixels is refused unread.
MAX_PIXELS = 50_000_000


def _bad_picture() -> DomainError:
    return DomainError(_l("The file is not a JPEG, PNG or WebP picture."), code="bad_picture",
                       field="picture")


def scaled_jpeg(data: bytes, max_px: int) -> bytes:
    """Check the bytes are a picture of an allowed kind and return it as a JPEG no larger
    than max_px on its longest side."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data))
            if picture.format not in FORMATS or picture.width * picture.height > MAX_PIXELS:
                raise _bad_picture()
            picture.load()
    except (UnidentifiedImageError, OSError, Image.DecompressionBombWarning,
            Image.DecompressionBombError, ValueError):
        raise _bad_picture() from None
    picture = picture.convert("RGB")
    picture.thumbnail((max_px, max_px))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue()


def add(db: Database, sku: str, data: bytes, *, media_dir: Path, max_px: int,
        actor: audit.Actor) -> ProductImage:
    """Store a picture after the product's others."""
    jpeg = scaled_jpeg(data, max_px)
    with db.unit_of_work() as session:
        product = product_by_sku(session, sku)
        relative = f"products/{product.id}/{uuid.uuid4().hex}.jpg"
        target = media_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(jpeg)
        last = session.scalar(select(func.max(ProductImage.position)).where(
            ProductImage.product_id == product.id))
        image = ProductImage(product_id=product.id, path=relative,
                             position=(last if last is not None else -1) + 1)
        session.add(image)
        audit.record(session, actor, "catalogue.picture.add", "product", product.id,
                     after={"picture": relative})
    return image


def remove(db: Database, sku: str, image_id: int, *, actor: audit.Actor) -> None:
    """Take a picture off a product; the file stays until the media folder is cleaned."""
    with db.unit_of_work() as session:
        product = product_by_sku(session, sku)
        image = session.get(ProductImage, image_id)
        if image is None or image.product_id != product.id:
            raise DomainError(_l("There is no such picture."), code="not_found", status=404)
        session.delete(image)
        audit.record(session, actor, "catalogue.picture.remove", "product", product.id,
                     before={"picture": image.path})
