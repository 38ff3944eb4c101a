"""Documents a factory downloads: the pick list of its open forwards, and its settlement
statement as CSV and PDF. PDFs embed the label font, so Chinese shows on any machine."""

from __future__ import annotations

import io
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from shelf_labels.money import yuan
from shelf_labels.pdf import register_font
from store_api.core.sheet_cells import csv_bytes
from store_api.fulfilment.consignment import Statement


def _text(value) -> str:
    """A buyer's, a factory's or a product's text as plain text in reportlab's markup: `<b>`
    or a link typed as an address prints as typed, and no tag can fetch an image."""
    return escape(str(value))


def _pdf(title: str, blocks: list, font_path: Path) -> bytes:
    """Build a PDF of paragraphs (markup of this module's own) and tables (plain text)."""
    font = register_font(font_path)
    heading = ParagraphStyle("heading", fontName=font, fontSize=15, leading=20)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13)
    table_style = TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ])
    story = [Paragraph(_text(title), heading), Spacer(0, 4 * mm)]
    for block in blocks:
        if isinstance(block, str):
            story += [Paragraph(block, body), Spacer(0, 2 * mm)]
        else:
            rows = [[Paragraph(_text(cell), body) for cell in row] for row in block]
            table = Table(rows, repeatRows=1, hAlign="LEFT")
            table.setStyle(table_style)
            story += [table, Spacer(0, 5 * mm)]
    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, title=title, leftMargin=15 * mm,
                      rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm).build(story)
    return buffer.getvalue()


def pick_list_pdf(factory_name: str, forwards: list[dict], printed_at: str,
                  font_path: Path) -> bytes:
    """Return a pick list: per forward, where it goes, by when, and what to pack."""
    blocks: list = [f"{printed_at} · {len(forwards)} 单 / forwards"]
    for forward in forwards:
        ship_to = forward["ship_to"]
        blocks.append(f"<b>{_text(forward['order'])}</b> · {_text(forward['id'])} · "
                      f"发货期限 / ship by {_text(forward['dispatch_by'])}<br/>"
                      f"{_text(ship_to['name'])} {_text(ship_to['phone'])} · "
                      f"{_text(ship_to['address'])}")
        blocks.append([["SKU", "品名 / Name", "数量 / Qty", "已发 / Shipped", "□"]] + [
            [line["sku"], f"{line['name_zh']} / {line['name_en']}", line["quantity"],
             line["shipped"], ""] for line in forward["lines"]])
    return _pdf(f"拣货单 Pick list · {factory_name}", blocks, font_path)


def statement_rows(statement: Statement) -> list[list]:
    """Return the statement as rows: sales, returns, and the total owed."""
    rows: list[list] = [["section", "sku", "name", "units", "unit_fen", "amount_fen"]]
    rows += [["sale", line.sku, line.name_zh, line.units, line.supply_price_fen,
              line.amount_fen] for line in statement.lines]
    rows += [["return", line.sku, line.name_zh, line.units, line.offer_unit_fen,
              line.value_fen] for line in statement.returns]
    rows.append(["total_owed", "", "", "", "", statement.total_fen])
    return rows


def statement_csv(statement: Statement) -> bytes:
    """Return the statement as CSV; names that look like formulas are written as text."""
    return csv_bytes(statement_rows(statement))


def statement_pdf(statement: Statement, font_path: Path) -> bytes:
    """Return the statement as a PDF."""
    within = statement.within
    sales = [["SKU", "品名 / Name", "件数 / Units", "供货价 / Supply price", "金额 / Amount"]]
    sales += [[line.sku, line.name_zh, line.units, yuan(line.supply_price_fen),
               yuan(line.amount_fen)] for line in statement.lines]
    returns = [["SKU", "品名 / Name", "件数 / Units", "退货单价 / Offer price", "价值 / Value"]]
    returns += [[line.sku, line.name_zh, line.units, yuan(line.offer_unit_fen),
                 yuan(line.value_fen)] for line in statement.returns]
    blocks = [f"{_text(statement.factory_name)} ({_text(statement.factory_code)}) · "
              f"{within.first.isoformat()} – {within.last.isoformat()}",
              "销售 / Sales", sales, "退回工厂 / Returned to the factory", returns,
              f"<b>应付工厂 / Owed to the factory: {yuan(statement.total_fen)}</b>"]
    return _pdf("结算单 Settlement statement", blocks, font_path)
