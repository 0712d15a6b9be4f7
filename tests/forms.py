"""Render a report's cells in the text forms that real reports come in.

The property tests draw balanced tables, write them in each form and parse
them back; the forms follow the seeds (see FORMAT.md, "What the inputs look
like").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal

from kgbuild.numbers import plain_decimal
from kgbuild.statute import T2_ROWS, T3_ROWS, T4_ROWS, Kind

T2_LABELS = {
    "rules": "规章",
    "normative": "规范性文件",
    "licensing": "行政许可",
    "other_services": "其他对外管理服务事项",
    "penalty": "行政处罚",
    "coercion": "行政强制",
    "fees": "行政事业性收费",
    "procurement": "政府集中采购",
}
T2_LABELS_2021 = {**T2_LABELS, "normative": "行政规范性文件"}
T2_SECTIONS = {  # the 第二十条 item that heads each T2 row, and its column headers
    "2019": {
        "rules": ("第二十条第（一）项", ["本年新制作数量", "本年新公开数量", "对外公开总数量"]),
        "licensing": ("第二十条第（五）项", ["上一年项目数量", "本年增/减", "处理决定数量"]),
        "penalty": ("第二十条第（六）项", ["上一年项目数量", "本年增/减", "处理决定数量"]),
        "fees": ("第二十条第（八）项", ["上一年项目数量", "本年增/减"]),
        "procurement": ("第二十条第（九）项", ["采购项目数量", "采购总金额"]),
    },
    "2021": {
        "rules": ("第二十条第（一）项", ["本年制发件数", "本年废止件数", "现行有效件数"]),
        "licensing": ("第二十条第（五）项", ["本年处理决定数量"]),
        "penalty": ("第二十条第（六）项", ["本年处理决定数量"]),
        "fees": ("第二十条第（八）项", ["本年收费金额（单位：万元）"]),
    },
}
T3_LABELS = {
    "new": "一、本年新收政府信息公开申请数量",
    "carried": "二、上年结转政府信息公开申请数量",
    "granted": "（一）予以公开",
    "partial": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "denied.secret": "1.属于国家秘密",
    "denied.law": "2.其他法律行政法规禁止公开",
    "denied.safety": "3.危及“三安全一稳定”",
    "denied.third_party": "4.保护第三方合法权益",
    "denied.internal": "5.属于三类内部事务信息",
    "denied.process": "6.属于四类过程性信息",
    "denied.enforcement": "7.属于行政执法案卷",
    "denied.query": "8.属于行政查询事项",
    "unavailable.not_held": "1.本机关不掌握相关政府信息",
    "unavailable.to_create": "2.没有现成信息需要另行制作",
    "unavailable.unclear": "3.补正后申请内容仍不明确",
    "rejected.complaint": "1.信访举报投诉类申请",
    "rejected.repeat": "2.重复申请",
    "rejected.publication": "3.要求提供公开出版物",
    "rejected.excessive": "4.无正当理由大量反复申请",
    "rejected.confirm": "5.要求行政机关确认或重新出具已获取信息",
    "other": "（六）其他处理",
    "other.no_correction": "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "other.no_fee": "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "other.misc": "3.其他",
    "total": "（七）总计",
    "forward": "四、结转下年度继续办理",
}
T3_GROUPS = {  # the group label printed before a row's own label
    "granted": "三、本年度办理结果",
    "denied.secret": "（三）不予公开",
    "unavailable.not_held": "（四）无法提供",
    "rejected.complaint": "（五）不予处理",
}
T3_HEADER = [
    ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", "申请人情况"],
    ["自然人", "法人或其他组织", "总计"],
    ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
]
T4_HEADER = [
    ["行政复议", "行政诉讼"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", "复议后起诉"],
    ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
]

Cells = Mapping[str, int | Decimal | None]


def money_text(value: Decimal, unit: str) -> str:
    """An amount in 万元 written in another unit, exactly."""
    scale = {"万元": Decimal(1), "元": Decimal(10000), "亿元": Decimal("0.0001")}[unit]
    return f"{plain_decimal(value * scale)}{unit}"


def value_text(kind: Kind, value: int | Decimal | None, unit: str = "万元") -> str:
    if value is None:
        return "—"  # how reports print a blank cell in text
    if kind is Kind.MONEY:
        return money_text(Decimal(value), unit)
    if kind is Kind.CHANGE and value < 0:
        return f"减{-value}"
    return str(value)


Line = tuple[str, list[str], list[str]]
"""A line of the tables: its kind (heading, header, row), its labels and its values."""


def table_rows(version: str, cells: Cells, unit: str = "万元") -> list[Line]:
    """The report's tables, line by line, in the order the form prints them."""
    out: list[Line] = [("heading", ["二、主动公开政府信息情况"], [])]
    labels = T2_LABELS_2021 if version == "2021" else T2_LABELS
    for row in T2_ROWS[version]:
        if row.key in T2_SECTIONS[version]:
            item, headers = T2_SECTIONS[version][row.key]
            out += [("header", [item], []), ("header", ["信息内容", *headers], [])]
        values = [value_text(c.kind, cells.get(row.cell_key(c.key)), unit) for c in row.columns]
        out.append(("row", [labels[row.key]], values))
    out.append(("heading", ["三、收到和处理政府信息公开申请情况"], []))
    out += [("header", h, []) for h in T3_HEADER]
    for row in T3_ROWS[version]:
        if row.optional and all(cells.get(k) is None for k in row.keys):
            continue
        label = [T3_GROUPS[row.key]] if row.key in T3_GROUPS else []
        if version == "2021" and row.key == "other.no_correction" and cells.get("T3.other.total") is None:
            label = ["（六）其他处理"]
        values = [value_text(c.kind, cells.get(row.cell_key(c.key))) for c in row.columns]
        out.append(("row", [*label, T3_LABELS[row.key]], values))
    out.append(("heading", ["四、政府信息公开行政复议、行政诉讼情况"], []))
    out += [("header", h, []) for h in T4_HEADER]
    t4 = [value_text(c.kind, cells.get(g.cell_key(c.key))) for g in T4_ROWS for c in g.columns]
    out.append(("row", [], t4))
    return out


def _document(title: list[str], body: list[str]) -> str:
    narrative = ["一、总体情况", "", "本机关认真贯彻落实《中华人民共和国政府信息公开条例》。", ""]
    closing = ["", "五、存在的主要问题及改进情况", "", "下一步将继续做好政府信息公开工作。", ""]
    return "\n".join([*title, "", *narrative, *body, *closing])


def markdown_tabs(agency: str, year: int, version: str, cells: Cells) -> str:
    """Seed 000: Markdown headings, each table row a tab-separated line."""
    body = []
    for kind, labels, values in table_rows(version, cells):
        body.append(f"## {labels[0]}" if kind == "heading" else "\t".join(labels + values))
    return _document([f"# {agency} {year} 年政府信息公开工作年度报告"], body)


def cell_lines(agency: str, year: int, version: str, cells: Cells) -> str:
    """Seed 001: scraped HTML, every cell on its own line with blank lines between."""
    body = []
    for _kind, labels, values in table_rows(version, cells):
        for f in labels + values:
            body += [f, ""]
    title = [
        "首页",
        "",
        "政府信息公开年报",
        "",
        f"{agency}{year}年政府信息公开工作年度报告",
        "",
        "发布时间: 2021-03-01",
    ]
    return _document(title, body)


def indented(agency: str, year: int, version: str, cells: Cells) -> str:
    """Seed 002: cells on their own lines, indented with tabs, rows apart by blank lines."""
    body = []
    for kind, labels, values in table_rows(version, cells):
        if kind == "heading":
            body.append(labels[0])
            continue
        body += [f"\t{f}" for f in labels + values] + [""]
    return _document([agency, f"{year}年政府信息公开工作年度报告"], body)


def pdf_text(agency: str, year: int, version: str, cells: Cells) -> str:
    """Seed 003: PDF text, one line a row, labels broken by spaces, numbers spaced."""
    body = []
    for kind, labels, values in table_rows(version, cells, unit="亿元"):
        if kind == "heading":
            body.append(labels[0])
            continue
        broken = [label[:3] + " " + label[3:] if len(label) > 4 else label for label in labels]
        body.append(" ".join(broken + values))
    return _document([f"{agency} {year} 年政府 信息公开工作年度报告"], body)


def _pipes(cells: list[str], outer: bool) -> str:
    row = " | ".join(cells)
    return f"| {row} |" if outer else row


def markdown_pipes(agency: str, year: int, version: str, cells: Cells, *, outer: bool = True) -> str:
    """A PDF-to-Markdown converter's output: one small pipe table per row group,
    a caption heading between tables, generic column headers (数据1…)."""
    body: list[str] = []
    table: list[str] = []

    def close() -> None:
        if table:
            width = table[0].count("|") + (-1 if outer else 1)
            header = [f"数据{i}" for i in range(1, width + 1)]
            body.extend(["", _pipes(header, outer), _pipes(["---"] * width, outer), *table, ""])
            table.clear()

    for kind, labels, values in table_rows(version, cells):
        if kind == "heading":
            close()
            body += [labels[0], f"### {labels[0][2:]}"]
        elif kind == "header":
            close()
            body.append(" ".join(labels))
        else:
            table.append(_pipes([*labels, *values] if labels else values, outer))
            if labels and labels[0] in T3_GROUPS.values():
                close()  # a group label starts a table of its own
    close()
    return _document([f"{year} 年{agency}政府信息公开", "工作年度报告"], body)


def flattened(agency: str, year: int, version: str, cells: Cells) -> str:
    """A site archive's flattened text: a header block, then the body on one line."""
    body = "".join("".join(labels + values) for _kind, labels, values in table_rows(version, cells))
    header = [
        f"标题: {agency}{year}年政府信息公开工作年度报告",
        f"发布时间: {year + 1}-01-20 09:00",
        "=" * 20 + " 正文 " + "=" * 20,
    ]
    prose = "一、总体情况本机关认真贯彻落实《条例》，全年主动公开政府信息120条。"
    return "\n".join([*header, prose + body + "五、存在的主要问题及改进情况下一步将继续做好政府信息公开工作。"])


FORMS: dict[str, Callable[[str, int, str, Cells], str]] = {
    "markdown-tabs": markdown_tabs,
    "cell-lines": cell_lines,
    "indented": indented,
    "pdf-text": pdf_text,
    "markdown-pipes": markdown_pipes,
    "markdown-pipes-bare": lambda a, y, v, c: markdown_pipes(a, y, v, c, outer=False),
}
"""Forms that keep every cell's place: each parses back to exactly its cells."""


# ---------------------------------------------------------------------------
# Published forms: the tables as real HTML, DOCX and PDF lay them out, spans
# and all (modelled on the Shanghai page in fixtures/real/).


class Span:
    """A table cell as a document writes it, with its spans."""

    def __init__(self, text: str, rowspan: int = 1, colspan: int = 1) -> None:
        self.text, self.rowspan, self.colspan = text, rowspan, colspan


Block = tuple[str, object]  # ("p", text) or ("table", rows of Span)

_T3_GROUP_ROWS = {"denied": 8, "unavailable": 3, "rejected": 5, "other": 3}
_T3_GROUP_LABELS = {
    "denied": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "rejected": "（五）不予处理",
    "other": "（六）其他处理",
}
BLANK_MARKS = ("", "\u00a0", "/", "—", "无")


def _blank(i: int) -> str:
    return BLANK_MARKS[i % len(BLANK_MARKS)]


def _values(row, cells: Cells, blank_zeros: bool, unit: str = "万元") -> list[Span]:  # type: ignore[no-untyped-def]
    out = []
    for i, c in enumerate(row.columns):
        v = cells.get(row.cell_key(c.key))
        shown = None if v is None or (blank_zeros and v == 0 and c.kind is Kind.COUNT) else v
        out.append(Span(_blank(i) if shown is None else value_text(c.kind, shown, unit)))
    return out


def published_blocks(
    agency: str, year: int, version: str, cells: Cells, *, blank_zeros: bool = False, split_t3: bool = False
) -> list[Block]:
    """The report as paragraphs and spanned tables, in the order a page shows them."""
    blocks: list[Block] = [
        ("p", f"{agency}{year}年政府信息公开工作年度报告"),
        ("p", "发布日期：2021-01-29"),
        ("p", "一、总体情况"),
        ("p", "本机关认真贯彻落实《中华人民共和国政府信息公开条例》，2020年共收到申请9件。"),
        ("p", "二、主动公开政府信息情况"),
    ]
    t2: list[list[Span]] = []
    width = 4
    labels = T2_LABELS_2021 if version == "2021" else T2_LABELS
    for row in T2_ROWS[version]:
        if row.key in T2_SECTIONS[version]:
            item, headers = T2_SECTIONS[version][row.key]
            t2.append([Span(item, colspan=width)])
            t2.append([Span("信息内容"), *(Span(h) for h in headers)])
        t2.append([Span(labels[row.key]), *_values(row, cells, blank_zeros)])
    blocks.append(("table", t2))
    blocks.append(("p", "三、收到和处理政府信息公开申请情况"))
    t3: list[list[Span]] = [
        [Span(T3_HEADER[0][0], rowspan=3, colspan=3), Span("申请人情况", colspan=7)],
        [Span("自然人", rowspan=2), Span("法人或其他组织", colspan=5), Span("总计", rowspan=2)],
        [Span(h) for h in T3_HEADER[2]],
    ]
    rows = [r for r in T3_ROWS[version] if not (r.optional and all(cells.get(k) is None for k in r.keys))]
    outcome = [r.key for r in rows if r.key not in ("new", "carried", "forward")]
    for row in rows:
        labels_: list[Span] = []
        group = row.key.split(".")[0]
        if row.key in ("new", "carried", "forward"):
            labels_ = [Span(T3_LABELS[row.key], colspan=3)]
        else:
            if row.key == outcome[0]:
                labels_.append(Span("三、本年度办理结果", rowspan=len(outcome)))
            if "." in row.key and group in _T3_GROUP_ROWS:
                first = next(r.key for r in rows if r.key.startswith(group + "."))
                if row.key == first:
                    has_group_row = group == "other" and any(r.key == "other" for r in rows)
                    labels_.append(
                        Span("" if has_group_row else _T3_GROUP_LABELS[group], rowspan=_T3_GROUP_ROWS[group])
                    )
                labels_.append(Span(T3_LABELS[row.key]))
            else:
                labels_.append(Span(T3_LABELS[row.key], colspan=2))
        t3.append([*labels_, *_values(row, cells, blank_zeros)])
        if split_t3 and row.key == "denied.query":  # the table continues in a second <table>
            blocks.append(("table", t3))
            t3 = []
    blocks.append(("table", t3))
    blocks.append(("p", "四、政府信息公开行政复议、行政诉讼情况"))
    outcomes = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values4 = [s for g in T4_ROWS for s in _values(g, cells, blank_zeros)]
    t4 = [
        [Span("行政复议", colspan=5), Span("行政诉讼", colspan=10)],
        [*(Span(o, rowspan=2) for o in outcomes), Span("未经复议直接起诉", colspan=5), Span("复议后起诉", colspan=5)],
        [Span(o) for o in outcomes * 2],
        values4,
    ]
    blocks.append(("table", t4))
    blocks += [("p", "五、存在的主要问题及改进情况"), ("p", "一是公开内容还不够全面。")]
    return blocks


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\u00a0", "&nbsp;")


def _word_markup(text: str) -> str:
    """Word-pasted HTML: a span per character, mso- styles."""
    return "".join(
        f'<span style="font-family:仿宋_GB2312;mso-ascii-font-family:Arial">{_esc(ch)}</span>' for ch in text
    )


def html_page(
    agency: str,
    year: int,
    version: str,
    cells: Cells,
    *,
    charset: str = "utf-8",
    declare: bool = True,
    blank_zeros: bool = False,
    word: bool = False,
    split_t3: bool = False,
    layout: bool = False,
    fullwidth: bool = False,
) -> bytes:
    """A CMS page holding the report: navigation, scripts, share links around it."""
    text = _word_markup if word else _esc
    body: list[str] = []
    for kind, content in published_blocks(agency, year, version, cells, blank_zeros=blank_zeros, split_t3=split_t3):
        if kind == "p":
            body.append(f"<p class=MsoNormal>{text(content)}</p>")  # type: ignore[arg-type]
            continue
        body.append('<table border="1" cellspacing="0" style="mso-table-layout-alt:fixed">')
        for row in content:  # type: ignore[attr-defined]
            tds = []
            for span in row:
                attrs = (f' rowspan="{span.rowspan}"' if span.rowspan > 1 else "") + (
                    f' colspan="{span.colspan}"' if span.colspan > 1 else ""
                )
                value = span.text.translate(_FULLWIDTH) if fullwidth else span.text
                tds.append(f"<td{attrs}><p align=center>{text(value) or '&nbsp;'}</p></td>")
            body.append("<tr>" + "".join(tds) + "</tr>")
        body.append("</table>")
    content = "\n".join(body)
    if layout:
        content = f'<table width="100%"><tr><td class="content">{content}</td></tr></table>'
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">' if declare else ""
    page = f"""<!DOCTYPE html>
<html><head>{meta}<title>{_esc(agency)}{year}年政府信息公开工作年度报告_{_esc(agency)}网</title>
<script>var stats = "本年新收 1 2 3 4 5 6 7"; function share() {{ return 0; }}</script>
<style>td {{ font-size: 12px; }}</style></head>
<body><div class="nav"><ul><li><a href="/">首页</a></li><li>政务公开</li><li>政府信息公开年报</li></ul></div>
<div class="position">当前位置：首页 &gt; 政府信息公开 &gt; 年度报告</div>
<div class="article">
{content}
</div>
<div class="share">分享到：<a>微信</a> <a>微博</a> <a>QQ空间</a></div>
<div class="footer">主办：{_esc(agency)}办公室 电话：0454-1234567 ICP备案号：黑ICP备05000001号</div>
</body></html>"""
    return page.encode(charset)


_FULLWIDTH = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _grid(rows: list[list[Span]]) -> tuple[list[list[str]], list[tuple[int, int, int, int]]]:
    """Spanned rows laid on a full grid: texts, and (row, col, last row, last col) spans."""
    grid: dict[tuple[int, int], str] = {}
    spans = []
    for r, row in enumerate(rows):
        c = 0
        for span in row:
            while (r, c) in grid:
                c += 1
            for dr in range(span.rowspan):
                for dc in range(span.colspan):
                    grid[(r + dr, c + dc)] = ""
            grid[(r, c)] = span.text
            if span.rowspan > 1 or span.colspan > 1:
                spans.append((r, c, r + span.rowspan - 1, c + span.colspan - 1))
            c += span.colspan
    width = max(c for _, c in grid) + 1
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))], spans


def docx_bytes(
    agency: str, year: int, version: str, cells: Cells, *, blank_zeros: bool = False, layout: bool = False
) -> bytes:
    """The report as a Word file, with merged cells where the form has them.

    :param layout: the whole report inside the one cell of a table that lays out the page.
    """
    import io

    import docx

    document = docx.Document()
    body = document.add_table(rows=1, cols=1).cell(0, 0) if layout else document
    for kind, content in published_blocks(agency, year, version, cells, blank_zeros=blank_zeros):
        if kind == "p":
            body.add_paragraph(content)  # type: ignore[arg-type]
            continue
        texts, spans = _grid(content)  # type: ignore[arg-type]
        table = body.add_table(rows=len(texts), cols=len(texts[0]))
        for r, row in enumerate(texts):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
        for r0, c0, r1, c1 in spans:
            merged = table.cell(r0, c0).merge(table.cell(r1, c1))
            merged.text = texts[r0][c0]
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pdf_bytes(agency: str, year: int, version: str, cells: Cells, *, blank_zeros: bool = False) -> bytes:
    """The report as a PDF with a text layer (ruled tables, a CJK font), as reportlab draws it."""
    import io

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("cell", fontName="STSong-Light", fontSize=6, leading=7, wordWrap="CJK")
    out = io.BytesIO()
    story = []
    for kind, content in published_blocks(agency, year, version, cells, blank_zeros=blank_zeros):
        if kind == "p":
            story.append(Paragraph(content, ParagraphStyle("p", fontName="STSong-Light", fontSize=10, leading=14)))  # type: ignore[arg-type]
            continue
        texts, spans = _grid(content)  # type: ignore[arg-type]
        width = len(texts[0])
        widths = [45] * width if width >= 10 else [200] + [110] * (width - 1)
        if width == 10:
            widths = [60, 60, 160] + [45] * 7
        data = [[Paragraph(_esc(v), style) if v else "" for v in row] for row in texts]
        commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("FONTNAME", (0, 0), (-1, -1), "STSong-Light")]
        commands += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in spans]
        story.append(Table(data, colWidths=widths, style=TableStyle(commands)))
    SimpleDocTemplate(out, pagesize=landscape(A4)).build(story)
    return out.getvalue()
