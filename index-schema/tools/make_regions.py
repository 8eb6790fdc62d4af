#!/usr/bin/env python3
"""Generate index-schema/regions.csv, the gazetteer tongbao uses to find a bulletin's region.

Reads the shared region data (see ../REGIONS-SOURCE.md):

    derived/regions.csv           NBS 2023 hierarchy, short names, abbreviations, facets
    derived/historical_names.csv  names that MCA code lists used before a renaming

and writes one compact table (standard library only, deterministic output):

    python3 index-schema/tools/make_regions.py [DATA_DIR] > index-schema/regions.csv

DATA_DIR defaults to ../shared/data/regions seen from the repository root (or $REGIONS_DATA).

Output columns (documented again in the header of the generated file):
    code      6-digit GB/T 2260 code (of the successor for former names)
    level     province | city | county | former
    name      canonical full name (for `former`, the old name)
    short     short name found in running text (广西, 清远, 英德), may be empty
    aliases   `|`-separated other names: one-character abbreviations of provinces
              (used only to resolve user input) and longer forms such as 延边州
    province  canonical province name
    city      canonical prefecture-level name of the facet, empty for provinces and
              for districts of the four municipalities
    flags     `|`-separated: municipality, word (the short name is an everyday word:
              only trusted right before a police unit), province_direct, zone (NBS
              statistical zone: full name only), former, sar
"""

import csv
import io
import os
import sys
from pathlib import Path

# City-level short names that are ordinary words or famous non-places in running text
# (长治久安, 大同小异, 平安安康, 与会来宾, 白银 silver, 中山路, 黄山 the mountain,
# 普洱 tea, 阿里 the company, 北海公园, 朝阳 sunrise, 玉树临风, 三明治 …).  They are
# still matched right before a police unit (长治市公安局, 中山警方) and as full names.
WORDLIKE_CITY_SHORTS = {
    "大同", "长治", "安康", "来宾", "白银", "中山", "黄山", "普洱", "阿里", "北海",
    "朝阳", "兴安", "玉树", "红河", "文山", "白山", "黑河", "海东", "海西", "海北",
    "海南", "吉安", "和田", "三明", "广安", "金华", "东方", "平安", "合作", "通化",
    "永州", "宜春", "新余", "南平", "黄南", "甘南", "临夏", "阿坝", "德宏", "怒江",
    "大庆", "东营", "商洛", "资阳", "吉林",
}

# County short names that are police or township words and precede 派出所/民警/分局 without
# meaning the county (公安民警, 平安警务, 城关派出所, 中心派出所, 新华分局 …): dropped, the
# full names (公安县, 平安区, 城关区) still match.
COUNTY_SHORT_STOP = {
    "公安", "平安", "城关", "城中", "城东", "城西", "城南", "城北", "市中", "新城", "老城",
    "新华", "中心", "开发", "高新", "经开", "郊区", "城区", "矿区", "东区", "西区", "南区",
    "北区", "人民", "和平", "向阳", "胜利", "红旗", "解放", "前进", "建设", "光明",
}

SKIP_FLAGS = {"placeholder", "same_as_parent_city"}


def data_dir():
    if len(sys.argv) > 1:
        return Path(sys.argv[1])
    if os.environ.get("REGIONS_DATA"):
        return Path(os.environ["REGIONS_DATA"])
    return Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "regions"


def facet_parts(facet):
    parts = [p for p in facet.split("/") if p]
    return (parts[0] if parts else "", parts[1] if len(parts) > 1 else "")


def former_short(name):
    for suf in ("自治州", "地区", "盟", "市", "县", "区"):
        if name.endswith(suf) and len(name) - len(suf) >= 2:
            return name[: -len(suf)]
    return ""


def main():
    root = data_dir()
    rows = list(csv.DictReader(open(root / "derived" / "regions.csv", encoding="utf-8")))
    by_code = {r["code"]: r for r in rows}
    current_names = {r["name"] for r in rows}

    out = []
    for r in rows:
        flags = set(f for f in r["flags"].split("|") if f)
        if flags & SKIP_FLAGS or not r["facet"]:
            continue
        province, city = facet_parts(r["facet"])
        level = r["level"]
        short = r["short"]
        aliases = [a for a in r["aliases"].split("|") if a]
        new_flags = []
        if r["kind"] == "直辖市":
            new_flags.append("municipality")
        if r["kind"] == "特别行政区" or "not_in_nbs_2023(from china-region)" in flags:
            new_flags.append("sar")
        if "province_direct" in flags:
            new_flags.append("province_direct")
        if "nbs_statistical_zone" in flags:
            new_flags.append("zone")
            short = ""
        if level == "city" and short in WORDLIKE_CITY_SHORTS:
            new_flags.append("word")
        if level == "county" and (len(short) < 2 or short in COUNTY_SHORT_STOP):
            short = ""
        if level == "province":
            city = ""
        out.append([r["code"], level, r["name"], short, "|".join(aliases), province, city,
                    "|".join(new_flags)])

    # Renamed divisions: only successors we can trust.  The same code under a new name is
    # certain (襄樊市 → 襄阳市); a same-short-name successor is trusted for old prefecture-
    # level units (吕梁地区 → 吕梁市, 莱芜市 → 莱芜区 of 济南) and for counties only when the
    # successor is a county of the same prefecture (密云县 → 密云区), never across levels
    # (大同县 became 云州区, not 大同市).
    seen = set()
    for h in csv.DictReader(open(root / "derived" / "historical_names.csv", encoding="utf-8")):
        old = h["old_name"]
        if old in current_names or old in seen or len(old) < 3 or "直辖" in old or "-" in old:
            continue
        succ = None
        if h["same_code_now"] and h["code"] in by_code:
            succ = by_code[h["code"]]
        elif h["same_short_now"]:
            code = h["same_short_now"].split()[0]
            cand = by_code.get(code)
            if cand is not None:
                old_is_city = h["code"].endswith("00")
                if old_is_city or (cand["level"] == "county" and cand["code"][:4] == h["code"][:4]):
                    succ = cand
        if succ is None or not succ["facet"] or set(succ["flags"].split("|")) & SKIP_FLAGS:
            continue
        province, city = facet_parts(succ["facet"])
        if succ["level"] == "province":
            city = ""
        seen.add(old)
        short = former_short(old)
        if short in COUNTY_SHORT_STOP:
            short = ""
        out.append([succ["code"], "former", old, short, "", province, city, "former"])

    buf = io.StringIO()
    buf.write(HEADER)
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["code", "level", "name", "short", "aliases", "province", "city", "flags"])
    for row in out:
        w.writerow(row)
    sys.stdout.write(buf.getvalue())


HEADER = """\
# tongbao gazetteer: generated by index-schema/tools/make_regions.py from the NBS 2023
# division codes (china-division 2.7.0, WTFPL) and province abbreviations (china-region
# 1.4.1, ISC); see REGIONS-SOURCE.md.  Lines starting with # are comments.
# Columns: code, level (province|city|county|former), name (canonical full name; for
# `former` the old name), short (name used in running text), aliases (|-separated; one
# character abbreviations only resolve user input), province, city (prefecture of the
# facet; empty for provinces and municipal districts), flags (|-separated: municipality,
# word = short name is an everyday word and is trusted only right before a police unit,
# province_direct, zone = NBS statistical zone, former = renamed division, sar).
# To add a place by hand, append a row; to stop a short name matching, add `word`.
"""

if __name__ == "__main__":
    main()
