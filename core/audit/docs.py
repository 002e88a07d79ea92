"""Generate docs/audit-rules.md from the catalogue, so the documentation cannot drift from the code."""

from __future__ import annotations

import sys

from core.audit.rules import CATALOGUE
from core.audit.report import GAP_LARGE, GAP_MEDIUM
from core.audit.tolerance import HALF_CENT

SEVERITY = {"error": "error（错误）", "warning": "warning（警示）", "info": "info（提示）"}


def render() -> str:
    lines = [
        "# 自动核对规则目录（audit rules）",
        "",
        "本文件由 `python -m core.audit.docs > docs/audit-rules.md` 从代码生成；测试会比对两者，不能手改。",
        "",
        "“自动核对”是 juesuan 用文件自己的数字相互比对（勾稽关系）的结果，不是审计机关的审计结论。"
        "每条规则在入库时对每份文件运行，结果写入视图 `audit_findings` 与 `audit_coverage`。",
        "",
        "## 差距大小",
        "",
        "规则决定一条发现的级别（错误、警示、提示）；差距大小说明两个数相差多远，按差额占两数中较大者的比例：",
        f"**大** ≥ {GAP_LARGE * 100:.0f}%，**中** ≥ {GAP_MEDIUM * 100:.0f}%，**小** 低于此；"
        "没有可比数字的文字类发现记为“—”。页面上先按级别、再按差距大小排序。",
        "",
        "## 容差",
        "",
        f"- **求和**：差额不超过被加数的舍入误差（n 个被加数 × {HALF_CENT} 万元，且至少 0.01）时，只记一条 `info`"
        " 尾数提示，不算错误；超过则按规则的级别记录。以“元”印制的表按元的舍入计算（n × 0.005 元）；"
        "两张表比较时取两者中较粗的单位。",
        f"- **比率与百分比**（执行率、增减率、占比）：若列示值落在各输入分别变动 ±{HALF_CENT} 时比率可取的范围内"
        f"（再放宽列示值自身的 ±{HALF_CENT} 个百分点），即为通过。",
        "- **口径**：只比较同口径的数。情况说明中全部资金的人员支出/公用支出，与公开03表基本支出比较，"
        "而不是与公开06表（仅财政拨款）比较。",
        "- **覆盖**：`failed` = 至少一条 error 或 warning；`passed` = 其余（含只有尾数提示）；"
        "`not_determinable` = 缺少所需数据（从不算作通过）；`not_applicable` = 文件没有这一部分。",
        "",
        "## 规则",
        "",
        "| id | 规则 | 比较什么 | 为什么 | 级别 |",
        "|---|---|---|---|---|",
    ]
    for r in CATALOGUE:
        cells = [r.id, r.title, r.compares, r.why, SEVERITY[r.severity]]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
