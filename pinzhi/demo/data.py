"""Fixed reference data of the demo company: geography, products, ranks, phone prefixes.

Everything here is plain data, so that the generator's output depends only on the seed:
the region codes are real (GB/T 2260) so that the ID numbers look right for their city,
and the area codes are the cities' real ones so that landlines match their unit.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    code: str  # the sub-branch's unit code; unique across every province
    name: str
    area_code: str
    weight: float  # share of the branch's sales force
    districts: tuple[tuple[str, str], ...]  # (region code, district name)


@dataclass(frozen=True)
class Province:
    code: str  # the branch's unit code
    name: str
    cities: tuple[City, ...]  # the capital first: the branch sits there


def _city(code: str, name: str, area: str, weight: float, districts: str) -> City:
    """`districts` is "440106天河 440104越秀": a region code glued to a district name."""
    pairs = tuple((item[:6], item[6:]) for item in districts.split())
    return City(code, name, area, weight, pairs)


PROVINCES: tuple[Province, ...] = (
    Province("GD", "广东", (
        _city("GZ", "广州", "020", 3.0,
              "440106天河 440104越秀 440105海珠 440103荔湾 440111白云 440113番禺 440112黄埔"),
        _city("SZ", "深圳", "0755", 3.0, "440305南山 440304福田 440303罗湖 440306宝安 440307龙岗"),
        _city("FS", "佛山", "0757", 1.5, "440604禅城 440605南海 440606顺德"),
        _city("DG", "东莞", "0769", 1.5, "441900莞城 441900南城 441900东城 441900长安"),
        _city("ZH", "珠海", "0756", 0.8, "440402香洲 440403斗门"),
        _city("HUI", "惠州", "0752", 0.8, "441302惠城 441303惠阳"),
        _city("ST", "汕头", "0754", 0.8, "440507龙湖 440511金平"),
        _city("ZS", "中山", "0760", 0.7, "442000石岐 442000东区"),
        _city("JM", "江门", "0750", 0.6, "440703蓬江 440704江海"),
        _city("ZHJ", "湛江", "0759", 0.6, "440802赤坎 440803霞山"),
    )),
    Province("JS", "江苏", (
        _city("NJ", "南京", "025", 3.0, "320102玄武 320104秦淮 320105建邺 320106鼓楼 320115江宁"),
        _city("SUZ", "苏州", "0512", 2.5, "320508姑苏 320505虎丘 320506吴中 320507相城"),
        _city("WX", "无锡", "0510", 1.5, "320213梁溪 320214新吴 320211滨湖"),
        _city("CZ", "常州", "0519", 1.0, "320402天宁 320404钟楼 320411新北"),
        _city("NT", "南通", "0513", 1.0, "320613崇川 320612通州"),
        _city("XZ", "徐州", "0516", 1.0, "320302鼓楼 320311泉山"),
        _city("YZ", "扬州", "0514", 0.7, "321002广陵 321003邗江"),
    )),
    Province("ZJ", "浙江", (
        _city("HZ", "杭州", "0571", 3.0,
              "330106西湖 330102上城 330105拱墅 330108滨江 330109萧山 330110余杭"),
        _city("NB", "宁波", "0574", 2.0, "330203海曙 330205江北 330212鄞州"),
        _city("WZ", "温州", "0577", 1.5, "330302鹿城 330303龙湾 330304瓯海"),
        _city("JX", "嘉兴", "0573", 0.8, "330402南湖 330411秀洲"),
        _city("SX", "绍兴", "0575", 0.8, "330602越城 330603柯桥"),
        _city("JH", "金华", "0579", 0.8, "330702婺城 330703金东"),
        _city("TZ", "台州", "0576", 0.8, "331002椒江 331003黄岩"),
    )),
    Province("SD", "山东", (
        _city("JN", "济南", "0531", 2.5, "370102历下 370103市中 370104槐荫 370105天桥 370112历城"),
        _city("QD", "青岛", "0532", 2.5, "370202市南 370203市北 370211黄岛 370212崂山"),
        _city("YT", "烟台", "0535", 1.0, "370602芝罘 370613莱山"),
        _city("WF", "潍坊", "0536", 1.0, "370702潍城 370705奎文"),
        _city("LY", "临沂", "0539", 1.0, "371302兰山 371311罗庄"),
        _city("ZB", "淄博", "0533", 0.8, "370303张店 370302淄川"),
    )),
    Province("SC", "四川", (
        _city("CD", "成都", "028", 4.0, "510104锦江 510105青羊 510106金牛 510107武侯 510108成华"),
        _city("MY", "绵阳", "0816", 1.0, "510703涪城 510704游仙"),
        _city("DY", "德阳", "0838", 0.7, "510603旌阳"),
        _city("NC", "南充", "0817", 0.7, "511302顺庆 511303高坪"),
        _city("YB", "宜宾", "0831", 0.7, "511502翠屏"),
        _city("LS", "乐山", "0833", 0.6, "511102市中"),
    )),
    Province("HB", "湖北", (
        _city("WH", "武汉", "027", 4.0, "420106武昌 420102江岸 420103江汉 420104硚口 420111洪山"),
        _city("YC", "宜昌", "0717", 1.0, "420502西陵 420503伍家岗"),
        _city("XY", "襄阳", "0710", 1.0, "420606樊城 420602襄城"),
        _city("JZ", "荆州", "0716", 0.7, "421002沙市 421003荆州"),
        _city("HS", "黄石", "0714", 0.6, "420202黄石港"),
    )),
)

ALL_CITIES: tuple[City, ...] = tuple(c for p in PROVINCES for c in p.cities)


@dataclass(frozen=True)
class Size:
    agents: int
    policies: int
    cases: int  # quality cases people found in the year (rules §7; the rules make the rest)
    provinces: tuple[str, ...]
    max_cities: int  # per province: the small company is four Guangdong cities
    # The policies are signed over the year ending on --until, or over its last `months`
    # calendar months (the scale run's peak month: a year's new business in one month).
    months: int | None = None


SIZES = {
    "small": Size(agents=600, policies=20_000, cases=300, provinces=("GD",), max_cities=4),
    "large": Size(agents=20_000, policies=1_000_000, cases=10_000,
                  provinces=("GD", "JS", "ZJ", "SD", "SC", "HB"), max_cities=99),
    # Issue 9's scale run (tests/bench/scale.py): a large insurer's peak month.
    "peak": Size(agents=100_000, policies=3_000_000, cases=30_000,
                 provinces=("GD", "JS", "ZJ", "SD", "SC", "HB"), max_cities=99, months=1),
}

AGENTS_PER_TEAM = 12
TEAMS_PER_OFFICE = 4

# Ranks (职级), lowest first. Every team has exactly one 业务经理, its manager; each
# office's head (高级业务经理) sits in the office's first team.
AGENT, SUPERVISOR, SENIOR_SUPERVISOR, MANAGER, SENIOR_MANAGER = (
    "业务员", "业务主任", "高级业务主任", "业务经理", "高级业务经理",
)
MEMBER_RANKS = ((AGENT, 72), (SUPERVISOR, 18), (SENIOR_SUPERVISOR, 10))
# Relative sales of a rank: managers sell too, and more.
RANK_PRODUCTIVITY = {
    AGENT: 1.0, SUPERVISOR: 1.4, SENIOR_SUPERVISOR: 1.8, MANAGER: 2.0, SENIOR_MANAGER: 2.2,
}

# Mobile prefixes in use by the three carriers (all match MOBILE_RE 1[3-9]x).
MOBILE_PREFIXES = tuple(
    str(p) for p in (
        *range(130, 140), 145, 147, *range(150, 154), *range(155, 160), 166, 173, 175,
        176, 177, 178, *range(180, 190), 191, 198, 199,
    )
)

CHINESE_NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ProductSpec:
    code: str
    name: str
    kind: str
    long_term: bool
    cooling_off_days: int
    weight: float  # share of sales
    median: int  # typical annual premium, yuan
    sigma: float  # spread of the premium (log-normal)
    rate_bp: int  # first-year commission rate of regular premiums, basis points
    single_share: float = 0.0  # share of single-premium (趸交) sales
    monthly_share: float = 0.0  # share of monthly payment


# Commission rates follow the kind: protection pays the agent most, investment-like
# products least, and single premiums a small fraction (SINGLE_RATE_BP).
PRODUCTS: tuple[ProductSpec, ...] = (
    ProductSpec("TR101", "鑫福十年定期寿险", "traditional", True, 15, 6, 3000, 0.6, 3000,
                monthly_share=0.10),
    ProductSpec("TR102", "福寿安康终身寿险", "traditional", True, 15, 5, 12000, 0.7, 3200,
                single_share=0.05, monthly_share=0.03),
    ProductSpec("TR103", "金色年华养老年金保险", "traditional", True, 15, 4, 8000, 0.7, 1800,
                single_share=0.20),
    ProductSpec("TR104", "育才少儿教育年金保险", "traditional", True, 15, 3, 6000, 0.6, 2000,
                single_share=0.10),
    ProductSpec("TR105", "平安如意两全保险", "traditional", True, 20, 2, 10000, 0.6, 2200,
                single_share=0.10),
    ProductSpec("PA201", "鸿利两全保险（分红型）", "participating", True, 15, 8, 10000, 0.7,
                2000, single_share=0.15),
    ProductSpec("PA202", "金满仓年金保险（分红型）", "participating", True, 20, 7, 20000, 0.8,
                1500, single_share=0.25),
    ProductSpec("PA203", "福禄双喜两全保险（分红型）", "participating", True, 15, 6, 8000, 0.6,
                2200, single_share=0.10),
    ProductSpec("PA204", "富贵年年终身寿险（分红型）", "participating", True, 15, 4, 15000, 0.8,
                2500, single_share=0.10),
    ProductSpec("UN301", "聚宝盆终身寿险（万能型）", "universal", True, 15, 3, 20000, 0.8, 800,
                single_share=0.40),
    ProductSpec("UN302", "财富通年金保险（万能型）", "universal", True, 15, 3, 30000, 0.8, 600,
                single_share=0.50),
    ProductSpec("UN303", "稳赢一号两全保险（万能型）", "universal", True, 20, 2, 25000, 0.7, 700,
                single_share=0.40),
    ProductSpec("UL401", "金账户投资连结保险", "unit_linked", True, 15, 2, 30000, 0.8, 600,
                single_share=0.60),
    ProductSpec("UL402", "创赢投资连结保险", "unit_linked", True, 15, 1.5, 25000, 0.8, 500,
                single_share=0.50),
    ProductSpec("UL403", "智选投资连结保险（A款）", "unit_linked", True, 20, 1, 40000, 0.8, 500,
                single_share=0.60),
    ProductSpec("HE501", "康宁终身重大疾病保险", "health", True, 15, 9, 6000, 0.6, 3500,
                monthly_share=0.15),
    ProductSpec("HE502", "守护天使少儿重大疾病保险", "health", True, 15, 5, 3000, 0.5, 3000,
                monthly_share=0.10),
    ProductSpec("HE503", "长护无忧长期护理保险", "health", True, 15, 2, 5000, 0.6, 3000,
                monthly_share=0.10),
    ProductSpec("HE504", "惠民防癌疾病保险", "health", True, 20, 2, 2500, 0.5, 2800,
                monthly_share=0.10),
    ProductSpec("HE505", "安心住院医疗保险", "health", False, 15, 4, 800, 0.5, 1500),
    ProductSpec("HE506", "百万无忧医疗保险", "health", False, 15, 4, 600, 0.5, 1200,
                monthly_share=0.30),
    ProductSpec("AC601", "安康一年意外伤害保险", "accident", False, 15, 6, 300, 0.5, 2500),
    ProductSpec("AC602", "出行无忧交通意外伤害保险", "accident", False, 15, 3, 200, 0.4, 2500),
    ProductSpec("AC603", "守护三十年意外伤害保险", "accident", True, 15, 2, 2500, 0.5, 2000),
    ProductSpec("AC604", "附加意外伤害医疗保险", "accident", False, 15, 2, 150, 0.4, 2000),
)
SINGLE_RATE_BP = 300
SINGLE_PREMIUM_FACTOR = 6  # a single premium is several years' worth of regular ones
