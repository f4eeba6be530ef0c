"""The report as one self-contained HTML page: inline CSS, plots embedded as data URIs."""

from __future__ import annotations

import base64
from html import escape
from pathlib import Path

from services.analytics.report.model import Section, Table

CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;background:#f5f6f8;color:#1d2430}
header{background:#1d2430;color:#fff;padding:18px 28px}header h1{margin:0;font-size:22px}
header p{margin:4px 0 0;color:#b8c0cc;font-size:13px}main{padding:8px 28px 40px;max-width:1400px}
nav{margin:12px 0;font-size:13px}nav a{margin-right:14px;color:#2a5db0}
section{background:#fff;border:1px solid #dde1e7;border-radius:6px;margin:16px 0;padding:6px 18px 14px}
h2{font-size:18px;border-bottom:1px solid #eee;padding-bottom:6px}h3{font-size:14px;margin:14px 0 6px}
.intro,.note{color:#555;font-size:13px}table{border-collapse:collapse;font-size:12.5px;margin:4px 0 6px}
th,td{border:1px solid #e3e6ea;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f0f2f5}td:first-child,th:first-child{text-align:left}tr.total td{font-weight:600;background:#fafafa}
.cards{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}.card{background:#fff;border:1px solid #dde1e7;
border-radius:6px;padding:10px 14px;min-width:120px}
.card b{display:block;font-size:20px}.card span{font-size:12px;color:#666}
.neg{color:#c0392b}.pos{color:#1e8449}img{max-width:100%;border:1px solid #eee;margin:6px 0}
.empty{color:#888;font-style:italic}
.scroll{overflow-x:auto}
"""


def _cell(value: str) -> str:
    numeric = value.replace(".", "", 1).lstrip("-").isdigit() or value == "-"
    cls = ' class="neg"' if value.startswith("-") and value[1:2].isdigit() else ""
    if not numeric:
        cls = ' style="text-align:left"'
    return f"<td{cls}>{escape(value)}</td>"


def table_html(t: Table) -> str:
    """One table (or its 'none' line)."""
    head = f"<h3>{escape(t.title)}</h3>"
    if not t.rows:
        return head + f'<p class="empty">{escape(t.empty)}</p>'
    ths = "".join(f"<th>{escape(c)}</th>" for c in t.columns)
    total = ' class="total"'
    body = "".join(f"<tr{total if r and r[0] == 'Total' else ''}>{''.join(_cell(c) for c in r)}</tr>" for r in t.rows)
    note = f'<p class="note">{escape(t.note)}</p>' if t.note else ""
    return f'{head}<div class="scroll"><table><thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table></div>{note}'


def _img(path: Path) -> str:
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return f'<img alt="{escape(path.stem)}" data-file="{escape(path.name)}" src="data:image/png;base64,{data}">'


def render(title: str, subtitle: str, cards: list[tuple[str, str]], sections: list[Section], out: Path) -> str:
    """The page; plots are read from ``out`` (the day's directory) and embedded."""
    nav = "".join(f'<a href="#{s.key}">{escape(s.title)}</a>' for s in sections)
    card_html = "".join(
        f'<div class="card"><b class="{"neg" if v.startswith("-") else ""}">{escape(v)}</b>'
        f"<span>{escape(k)}</span></div>"
        for k, v in cards
    )
    parts = []
    for s in sections:
        inner = "".join(_img(out / p) for p in s.plots) + "".join(table_html(t) for t in s.tables)
        parts.append(f'<section id="{s.key}" data-section="{s.key}"><h2>{escape(s.title)}</h2>'
                     f'<p class="intro">{escape(s.intro)}</p>{inner}</section>')  # fmt: skip
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        f"<style>{CSS}</style></head><body><header><h1>{escape(title)}</h1><p>{escape(subtitle)}</p></header>"
        f'<main><nav>{nav}</nav><div class="cards">{card_html}</div>{"".join(parts)}</main></body></html>\n'
    )
