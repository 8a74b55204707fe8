"""Site settings: one YAML file (``site.yaml``), every option declared once.

Each option has a type, a default (``REQUIRED`` when it has none) and a check;
the loader reports every bad or unknown key with its line, then stops. What
names one gazette (its address, name and publisher) has no default: the
site's own ``site.yaml`` says it.
Nothing here may influence a URL path: only the absolute address prefix.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field as dataclass_field, make_dataclass
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit

import yaml

from .problems import Problems

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

REQUIRED = object()


def _base_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "必须是以 http:// 或 https:// 开头的完整网址"
    if not value.endswith("/") or parts.query or parts.fragment:
        return "必须以 / 结尾，且不带 ? 或 # 部分，例如 https://example.gov.cn/gongbao/"
    return None


def _non_empty(value: str) -> str | None:
    return None if value.strip() else "不能为空"


def _positive(value: int) -> str | None:
    return None if value >= 1 and not isinstance(value, bool) else "必须是正整数"


def _names(value: list) -> str | None:
    if all(isinstance(name, str) and name.strip() for name in value) and len(set(value)) == len(value):
        return None
    return "必须是互不相同的栏目名称的列表，例如 [市政府文件, 大事记]"


def _labels(value: dict) -> str | None:
    if all(isinstance(k, str) and k.strip() and isinstance(v, str) and v.strip() for k, v in value.items()):
        return None
    return "必须写成 {栏目名称: 显示名称}，两者都不能为空"


def _language(value: str) -> str | None:
    return None if re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", value) else "不是有效的语言代码（如 zh-CN）"


@dataclass(frozen=True)
class Option:
    name: str
    type: type
    default: object
    check: Callable[[object], str | None] | None
    help: str


OPTIONS: tuple[Option, ...] = (
    Option("base_url", str, REQUIRED, _base_url, "网站的永久网址前缀，用于引用格式、规范链接和元数据"),
    Option("site_name", str, REQUIRED, _non_empty, "网站名称，显示在每页页眉"),
    Option("publisher", str, REQUIRED, _non_empty, "发布机构，用于元数据和页脚"),
    Option("language", str, "zh-CN", _language, "页面语言"),
    Option("footer_note", str, "", None, "页脚附加说明（可为空）"),
    Option("content_dir", str, "content", _non_empty, "内容目录（相对于设置文件所在目录）"),
    Option("output_dir", str, "public", _non_empty, "默认输出目录（相对于设置文件所在目录）"),
    Option("inbox_dir", str, "inbox", _non_empty, "收件目录：待发布的原始文本所在目录（相对于设置文件所在目录）"),
    Option("search_segment_documents", int, 256, _positive,
           "全文检索索引最小分段的文件数；新增一期只重建最后几个分段，分段越小，重建越快，每个检索文件中的分段越多"),
    Option("sections", list, (), _names,
           "栏目的显示顺序（栏目名称的列表）；未列出的栏目按公报首次刊出的先后排在后面。栏目由导入自动建立，无须在此登记"),
    Option("section_labels", dict, (), _labels,
           "栏目的显示名称：{公报印出的栏目名称: 网站上显示的名称}，例如 {区级文件选登: 区政府文件}；网址不随之改变"),
)


class _SettingsBase:
    base_url: str
    section_labels: tuple[tuple[str, str], ...]

    def section_label(self, name: str) -> str:
        """How the site shows a section: as the settings label it, else as the gazette prints it."""
        return dict(self.section_labels).get(name, name)

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, e.g. ``/gongbao/``."""
        return urlsplit(self.base_url).path or "/"


# The settings' fields follow from OPTIONS: an option is added in one place.
Settings = make_dataclass(
    "Settings",
    [(o.name, o.type) if o.default is REQUIRED else (o.name, o.type, dataclass_field(default=o.default)) for o in OPTIONS],
    bases=(_SettingsBase,),
    frozen=True,
)
Settings.__doc__ = "The site's settings, one field per option of ``OPTIONS``."


def from_mapping(data: dict, problems: Problems, path: str = "site.yaml",
                 lines: dict[str, int] | None = None) -> Settings | None:
    """Validate a mapping of options; report each problem, None if any."""
    lines = lines or {}
    before = len(problems.errors)
    known = {o.name for o in OPTIONS}
    for key in data:
        if key not in known:
            problems.error(path, lines.get(key), f"未知的设置项 “{key}”；可用的设置项：{'、'.join(sorted(known))}")
    values = {}
    for option in OPTIONS:
        if option.name not in data:
            if option.default is REQUIRED:
                problems.error(path, None, f"缺少必填设置项 “{option.name}”（{option.help}）："
                                           f"请在网站设置文件 {Path(path).name} 中加一行 “{option.name}: …”")
            values[option.name] = option.default
            continue
        value = data[option.name]
        if not isinstance(value, option.type):
            problems.error(path, lines.get(option.name),
                           f"设置项 “{option.name}” 应为{_TYPE_NAMES[option.type]}，实际为 {value!r}")
            continue
        message = option.check(value) if option.check else None
        if message:
            problems.error(path, lines.get(option.name), f"设置项 “{option.name}” {message}：{value!r}")
        values[option.name] = value
    if len(problems.errors) > before:
        return None
    # lists and mappings are kept as tuples (of pairs): settings are frozen
    return Settings(**{k: tuple(v.items() if isinstance(v, dict) else v) if isinstance(v, (list, dict)) else v
                       for k, v in values.items()})


_TYPE_NAMES = {str: "文本", int: "整数", bool: "true/false", list: "列表", dict: "映射（名称: 值）"}


def load(path: Path, problems: Problems) -> Settings | None:
    """Read ``site.yaml``; problems carry the file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.error(path, None, "找不到网站设置文件")
        return None
    except UnicodeDecodeError:
        problems.error(path, None, "网站设置文件不是 UTF-8 编码")
        return None
    try:
        node = yaml.compose(text, Loader=SafeLoader)
        data = yaml.load(text, Loader=SafeLoader) if node is not None else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problems.error(path, mark.line + 1 if mark else None, f"不是有效的 YAML：{getattr(exc, 'problem', exc)}")
        return None
    if not isinstance(data, dict):
        problems.error(path, 1, "网站设置文件应是“设置项: 值”的映射")
        return None
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value} if node is not None else {}
    return from_mapping(data, problems, str(path), lines)
