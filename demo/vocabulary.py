"""The words demo records are made of: Chinese regions, cities, industries, company and person
names, and how often each value occurs (weights drawn by ``rng.choice`` on a flat tuple)."""

from collections.abc import Iterable

REGIONS = {
    "华北": [("北京", "010", "朝阳区"), ("天津", "022", "和平区"), ("石家庄", "0311", "长安区"),
             ("太原", "0351", "小店区"), ("呼和浩特", "0471", "新城区")],
    "华东": [("上海", "021", "浦东新区"), ("杭州", "0571", "西湖区"), ("南京", "025", "鼓楼区"),
             ("苏州", "0512", "工业园区"), ("宁波", "0574", "鄞州区"), ("合肥", "0551", "蜀山区"),
             ("济南", "0531", "历下区"), ("青岛", "0532", "市南区"), ("福州", "0591", "鼓楼区"),
             ("厦门", "0592", "思明区")],
    "华南": [("广州", "020", "天河区"), ("深圳", "0755", "南山区"), ("东莞", "0769", "南城区"),
             ("佛山", "0757", "禅城区"), ("南宁", "0771", "青秀区"), ("海口", "0898", "龙华区")],
    "华中": [("武汉", "027", "江汉区"), ("长沙", "0731", "岳麓区"), ("郑州", "0371", "金水区"),
             ("南昌", "0791", "东湖区")],
    "西南": [("成都", "028", "高新区"), ("重庆", "023", "渝中区"), ("昆明", "0871", "五华区"),
             ("贵阳", "0851", "观山湖区")],
    "西北": [("西安", "029", "雁塔区"), ("兰州", "0931", "城关区"), ("银川", "0951", "金凤区"),
             ("乌鲁木齐", "0991", "天山区")],
    "东北": [("沈阳", "024", "和平区"), ("大连", "0411", "中山区"), ("长春", "0431", "朝阳区"),
             ("哈尔滨", "0451", "南岗区")],
}  # fmt: skip
# Business is not spread evenly: the east and the south hold most customers.
REGION_WEIGHTS = {"华北": 16, "华东": 32, "华南": 22, "华中": 10, "西南": 9, "西北": 5, "东北": 6}

# (industry, word used in company names, English code for web addresses, weight)
INDUSTRIES = [
    ("制造业", "机械制造", "mfg", 18), ("信息技术", "科技", "tech", 16),
    ("批发零售", "商贸", "trade", 12), ("金融", "投资", "fin", 6),
    ("医疗健康", "医疗器械", "med", 7), ("教育培训", "教育科技", "edu", 5),
    ("物流运输", "物流", "logistics", 7), ("房地产", "置业", "estate", 5),
    ("能源化工", "新能源", "energy", 6), ("餐饮酒店", "餐饮管理", "food", 5),
    ("建筑工程", "建设工程", "build", 7), ("农业食品", "食品", "agri", 6),
]  # fmt: skip
BRAND = [
    ("华", "hua"), ("信", "xin"), ("瑞", "rui"), ("达", "da"), ("宏", "hong"), ("泰", "tai"),
    ("恒", "heng"), ("盛", "sheng"), ("源", "yuan"), ("鑫", "xin"), ("博", "bo"), ("远", "yuan"),
    ("兴", "xing"), ("隆", "long"), ("天", "tian"), ("安", "an"), ("嘉", "jia"), ("和", "he"),
    ("联", "lian"), ("创", "chuang"), ("新", "xin"), ("智", "zhi"), ("通", "tong"), ("卓", "zhuo"),
    ("越", "yue"), ("海", "hai"), ("金", "jin"), ("中", "zhong"), ("振", "zhen"), ("永", "yong"),
    ("立", "li"), ("佳", "jia"), ("启", "qi"), ("明", "ming"), ("德", "de"), ("万", "wan"),
    ("丰", "feng"), ("荣", "rong"), ("宇", "yu"), ("腾", "teng"), ("飞", "fei"), ("云", "yun"),
    ("峰", "feng"), ("广", "guang"), ("东", "dong"), ("方", "fang"), ("正", "zheng"),
    ("诚", "cheng"),
]  # fmt: skip
COMPANY_SUFFIX = ["有限公司"] * 6 + ["股份有限公司"] * 2 + ["集团有限公司", "有限责任公司"]
SURNAMES = [
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("林", "lin"),
    ("高", "gao"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
]  # fmt: skip
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国宇浩凯婷雪琳晨欣怡子涵"
POSITIONS = ["总经理", "副总经理", "采购经理", "财务总监", "技术总监", "销售经理", "行政主管",
             "项目经理", "运营总监", "采购专员"]  # fmt: skip
STREETS = ["人民路", "中山路", "解放路", "建设路", "长江路", "科技路", "新华路", "文化路",
           "滨江大道", "世纪大道"]  # fmt: skip
PRODUCTS = ["ERP 系统", "年度服务合同", "设备采购", "软件许可", "技术支持", "系统集成", "定制开发",
            "云服务套餐", "培训服务", "备件供应"]  # fmt: skip


def _weighted(pairs: Iterable[tuple[object, int]]) -> tuple:
    """A flat tuple holding each value ``weight`` times, so ``rng.choice`` draws by weight."""
    return tuple(value for value, weight in pairs for _ in range(weight))


CITIES = _weighted(((region, city), REGION_WEIGHTS[region]) for region, city_list in REGIONS.items()
                   for city in city_list)  # fmt: skip
INDUSTRY_PICK = _weighted((industry[:3], industry[3]) for industry in INDUSTRIES)
ACCOUNT_TYPES = _weighted([("corporate", 16), ("individual", 2), ("government", 2)])
ACCOUNT_STATUS = _weighted([("active", 17), ("inactive", 3)])
LOYALTY = _weighted([(None, 6), ("platinum", 1), ("gold", 2), ("silver", 4), ("bronze", 7)])
SIZES = _weighted([(None, 2), ("small", 8), ("medium", 6), ("large", 3), ("enterprise", 1)])
ACTIVITY_TYPES = _weighted([("call", 4), ("meeting", 2), ("email", 3), ("note", 1)])
ACTIVITY_PRIORITY = _weighted([("low", 3), ("medium", 5), ("high", 2)])
CASE_TYPES = _weighted([("question", 4), ("complaint", 2), ("suggestion", 1), ("issue", 3)])
CASE_PRIORITY = _weighted([("low", 3), ("medium", 4), ("high", 2), ("urgent", 1)])
CASE_STATUS = _weighted([("new", 2), ("in_progress", 2), ("resolved", 2), ("closed", 4)])
LEAD_SOURCES = _weighted([("website", 4), ("referral", 3), ("event", 2), ("cold_call", 2)])
LEAD_STATUS = _weighted([("new", 4), ("qualified", 3), ("unqualified", 2), ("converted", 1)])
STAGES = _weighted([("prospecting", 3), ("qualification", 2), ("proposal", 2), ("negotiation", 1),
                    ("closed_won", 2), ("closed_lost", 2)])  # fmt: skip
CAMPAIGN_TYPES = ("email", "social", "event", "advertisement")
CAMPAIGN_THEMES = ["新品发布", "年终促销", "行业峰会", "客户答谢会", "春季推广", "数字化转型研讨会",
                   "渠道招募", "品牌周", "线上直播", "老客户回馈"]  # fmt: skip
ACTIVITY_SUBJECTS = {
    "call": ["电话回访：{p}", "电话沟通{p}需求", "跟进{p}报价"],
    "meeting": ["拜访客户：{p}方案讲解", "{p}需求调研会", "商务洽谈：{p}"],
    "email": ["发送{p}报价单", "邮件确认{p}合同条款", "寄送{p}资料"],
    "note": ["客户反馈：{p}", "内部备忘：{p}", "{p}跟进记录"],
}
CASE_SUBJECTS = {
    "question": "咨询{p}使用方法",
    "complaint": "投诉{p}交付延迟",
    "suggestion": "建议改进{p}",
    "issue": "{p}运行故障",
}
