"""Finding products the way a buyer types: Chinese words, the trade's words for a category,
pinyin initials or spelling, English names and SKUs; best matches first."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from pypinyin import lazy_pinyin
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from store_api.catalogue.models import Product, ShelfSlot
from store_api.core.resources import config_dir

MAX_TERMS = 5


@cache
def category_words(path: Path) -> dict[str, tuple[str, ...]]:
    """Read the words buyers search by for each category (config/search_words.toml)."""
    data = tomllib.loads(path.read_text("utf-8"))
    return {category: tuple(words) for category, words in data.get("categories", {}).items()}


@lru_cache(maxsize=50_000)
def _pinyin(name: str) -> tuple[str, str]:
    """The initials and the spelling of a name's Chinese characters (保温杯: bwb, baowenbei)."""
    syllables = lazy_pinyin(name, errors="ignore")
    return "".join(s[0] for s in syllables if s), "".join(syllables)


@dataclass(frozen=True)
class Entry:
    """What a search reads of a product: its id and the texts it is found by."""

    id: int
    sku: str
    name_zh: str
    name_en: str
    category: str


def _term_score(term: str, product: Entry, words: tuple[str, ...]) -> int:
    """How well one typed term matches a product; 0 when it does not."""
    name = product.name_zh
    if term in product.sku.lower():
        return 100
    if term in name:
        return 90 if name.startswith(term) else 80
    if term in product.name_en.lower():
        return 70
    if any(word in term or term in word for word in words):
        return 60
    if term.isascii() and term.isalpha():
        initials, spelled = _pinyin(name)
        if term in initials or term in spelled:
            return 50
    # Every character of a Chinese term somewhere in the name: 钢杯 finds 不锈钢保温杯.
    if len(term) > 1 and not term.isascii() and all(ch in name for ch in term):
        return 30
    return 0


def find(session: Session, text: str, limit: int = 40,
         words: dict[str, tuple[str, ...]] | None = None) -> list[Product]:
    """Return active products on the shelves matching every typed term, best first; words
    are each category's search words, by default the centre's (config/search_words.toml)."""
    terms = text.lower().split()[:MAX_TERMS]
    if not terms:
        return []
    if words is None:
        words = category_words(config_dir() / "search_words.toml")
    # The texts of every product on the shelves, scored here; only the best are then loaded.
    entries = session.execute(
        select(Product.id, Product.sku, Product.name_zh, Product.name_en, Product.category)
        .join(ShelfSlot, ShelfSlot.product_id == Product.id)
        .where(Product.status == "active", ShelfSlot.status == "active"))
    found = []
    for entry in (Entry(*row) for row in entries):
        scores = [_term_score(term, entry, words.get(entry.category, ())) for term in terms]
        if all(scores):
            found.append((-sum(scores), entry.sku, entry.id))
    best = [product_id for _, _, product_id in sorted(found)[:limit]]
    loaded = {p.id: p for p in session.scalars(
        select(Product).where(Product.id.in_(best))
        .options(selectinload(Product.slot), selectinload(Product.images),
                 selectinload(Product.price_tiers)))}
    return [loaded[product_id] for product_id in best]
