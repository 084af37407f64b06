/**
 * Decision texts as offices write them — meeting minutes (会议纪要), leaders' instructions
 * (领导批示) and documents (文件) — with the split a supervision officer would make. The
 * splitter's tests run against every case; add a case whenever a real text splits wrongly.
 */

import type { KnownDepartment } from "../../src/domain/splitter/departments.js";

export const CORPUS_DEPARTMENTS: KnownDepartment[] = [
  { id: 1, name: "市财政局", aliases: ["财政局", "财政"] },
  { id: 2, name: "市住房和城乡建设局", aliases: ["市住建局", "住建局", "住建"] },
  { id: 3, name: "市交通运输局", aliases: ["交通运输局", "交通局"] },
  { id: 4, name: "市教育局", aliases: ["教育局"] },
  { id: 5, name: "市卫生健康委员会", aliases: ["市卫健委", "卫健委"] },
  { id: 6, name: "市发展和改革委员会", aliases: ["市发改委", "发改委"] },
  { id: 7, name: "市生态环境局", aliases: ["生态环境局", "环保局"] },
  { id: 8, name: "市公安局", aliases: ["公安局"] },
  { id: 9, name: "市人力资源和社会保障局", aliases: ["市人社局", "人社局"] },
  { id: 10, name: "市自然资源和规划局", aliases: ["自然资源局", "规划局"] },
  { id: 11, name: "市市场监督管理局", aliases: ["市场监管局"] },
];

export interface ExpectedItem {
  /** Words the proposed title contains. */
  title?: string;
  /** The lead department's name, or null when the item names none. */
  lead?: string | null;
  co?: string[];
  /** A day deadline (YYYY-MM-DD), or hours after the reference instant for urgent deadlines. */
  due?: string | { hours: number } | null;
  urgent?: boolean;
  unknown?: string[];
  tags?: string[];
  cadence?: "none" | "weekly" | "fortnightly" | "monthly" | { hours: number };
  heading?: string;
  /** Fields that must be flagged as guessed. */
  guessed?: string[];
  /** Fields that must not be flagged as guessed. */
  stated?: string[];
}

export interface CorpusCase {
  name: string;
  source: "meeting" | "instruction" | "document";
  /** The decision's date; the reference instant is 10:00 that day in Asia/Shanghai. */
  decisionDate: string;
  text: string;
  /** Words the preamble contains ("" when there is none). */
  preamble?: string;
  trailer?: string;
  items: ExpectedItem[];
}

export const CORPUS: CorpusCase[] = [
  {
    name: "常务会议纪要，一、二、三，由…牵头…配合",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `市政府第15次常务会议研究决定：
一、由财政局牵头，住建局、交通局配合，12月15日前完成老旧小区改造资金拨付。
二、住建局负责，本月底前制定城中村改造实施方案，每周报送进展。
三、交通局要立即组织排查全市公交站台安全隐患，48小时内报告结果。`,
    preamble: "常务会议研究决定",
    items: [
      {
        title: "完成老旧小区改造资金拨付",
        lead: "市财政局",
        co: ["市住房和城乡建设局", "市交通运输局"],
        due: "2026-12-15",
        urgent: false,
        stated: ["lead", "co"],
      },
      {
        title: "制定城中村改造实施方案",
        lead: "市住房和城乡建设局",
        co: [],
        due: "2026-11-30",
        cadence: "weekly",
      },
      {
        title: "组织排查全市公交站台安全隐患",
        lead: "市交通运输局",
        due: { hours: 48 },
        urgent: true,
        guessed: ["lead", "urgent"],
      },
    ],
  },
  {
    name: "领导批示，无编号，一个事项",
    source: "instruction",
    decisionDate: "2026-11-25",
    text: "此事请住建局牵头研究，两周内拿出整改方案报我。",
    preamble: "",
    items: [
      {
        title: "研究，拿出整改方案报我",
        lead: "市住房和城乡建设局",
        co: [],
        due: "2026-12-09",
        guessed: ["due"],
      },
    ],
  },
  {
    name: "文件，（一）（二），全称",
    source: "document",
    decisionDate: "2026-11-25",
    text: `关于做好今冬明春供暖保障工作的通知
各有关单位：
为确保群众温暖过冬，现就有关工作通知如下：
（一）市发展和改革委员会牵头，市财政局配合，2027年1月10日前落实供暖企业燃料补贴。
（二）市生态环境局负责，12月15日前完成燃煤锅炉排放检查，每两周报送进展。
（三）市市场监督管理局负责供暖收费价格监督检查，年底前报送检查结果。`,
    preamble: "各有关单位",
    items: [
      {
        title: "落实供暖企业燃料补贴",
        lead: "市发展和改革委员会",
        co: ["市财政局"],
        due: "2027-01-10",
        stated: ["due", "lead", "co"],
      },
      { title: "完成燃煤锅炉排放检查", lead: "市生态环境局", due: "2026-12-15", cadence: "fortnightly" },
      { title: "供暖收费价格监督检查", lead: "市市场监督管理局", due: "2026-12-31" },
    ],
  },
  {
    name: "会议纪要，1. 2. 3.，别名",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `专题会议议定事项：
1. 财政局下周五前拨付首批应急资金500万元。
2. 卫健委会同教育局做好校园流感防控，本周内印发工作指引。
3. 公安局加强重点路段夜间巡逻，即刻落实。`,
    preamble: "专题会议议定事项",
    items: [
      { title: "拨付首批应急资金500万元", lead: "市财政局", due: "2026-12-04", urgent: false },
      { title: "做好校园流感防控", lead: "市卫生健康委员会", co: ["市教育局"], due: "2026-11-27", tags: [] },
      { title: "加强重点路段夜间巡逻", lead: "市公安局", urgent: true, due: { hours: 24 } },
    ],
  },
  {
    name: "一是…二是…三是，连在一句里",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: "会议要求，一是人社局牵头，10个工作日内完成农民工工资拖欠排查；二是住建局配合人社局督促在建项目落实工资专户制度；三是财政局年底前足额保障就业补助资金。",
    preamble: "会议要求",
    items: [
      { title: "完成农民工工资拖欠排查", lead: "市人力资源和社会保障局", due: "2026-12-09", tags: ["民生"] },
      {
        title: "督促在建项目落实工资专户制度",
        lead: "市人力资源和社会保障局",
        co: ["市住房和城乡建设局"],
        due: null,
      },
      { title: "足额保障就业补助资金", lead: "市财政局", due: "2026-12-31" },
    ],
  },
  {
    name: "①②③ 圆圈编号",
    source: "instruction",
    decisionDate: "2026-11-25",
    text: `请相关单位抓紧办理：
①自然资源局3天内核实违法占地情况；
②环保局同步开展环境影响评估，一个月内出具意见；
③由市公安局牵头依法查处，及时报告进展。`,
    preamble: "抓紧办理",
    items: [
      { title: "核实违法占地情况", lead: "市自然资源和规划局", due: "2026-11-28" },
      { title: "同步开展环境影响评估", lead: "市生态环境局", due: "2026-12-25" },
      { title: "依法查处", lead: "市公安局", due: null, stated: ["lead"] },
    ],
  },
  {
    name: "1、2、 顿号编号，有事项不写单位",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `办公会决定：
1、各单位于本月底前报送2027年重点工作计划。
2、交通运输局牵头制定春运保障方案，明年1月10日前报市政府。
3、加强机关作风建设，杜绝走过场。`,
    preamble: "办公会决定",
    items: [
      { title: "各单位报送2027年重点工作计划", lead: null, due: "2026-11-30" },
      { title: "制定春运保障方案", lead: "市交通运输局", due: "2027-01-10" },
      { title: "加强机关作风建设", lead: null, due: null },
    ],
  },
  {
    name: "1） 2） 右括号编号",
    source: "document",
    decisionDate: "2026-11-25",
    text: `工作安排
1）市场监管局负责开展食品安全专项检查，12月20日前报送情况；
2）卫健委配合做好食源性疾病监测；
3）教育局负责校园食堂排查，本月底前完成。`,
    preamble: "工作安排",
    items: [
      { title: "开展食品安全专项检查", lead: "市市场监督管理局", due: "2026-12-20", tags: ["民生"] },
      { title: "做好食源性疾病监测", lead: null, co: ["市卫生健康委员会"], due: null },
      { title: "校园食堂排查", lead: "市教育局", due: "2026-11-30" },
    ],
  },
  {
    name: "两级编号：一、标题下（一）（二）",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `会议议定：
一、关于老旧小区改造
（一）由住建局牵头，12月15日前完成第二批项目开工。
（二）财政局负责，年底前下达配套资金。
二、关于交通拥堵治理
（一）交通局牵头，公安局配合，下月底前完成学校周边交通组织优化。
（二）规划局负责，明年3月底前完成停车设施专项规划。`,
    preamble: "会议议定",
    items: [
      {
        title: "完成第二批项目开工",
        lead: "市住房和城乡建设局",
        due: "2026-12-15",
        heading: "关于老旧小区改造",
      },
      { title: "下达配套资金", lead: "市财政局", due: "2026-12-31", heading: "关于老旧小区改造" },
      {
        title: "完成学校周边交通组织优化",
        lead: "市交通运输局",
        co: ["市公安局"],
        due: "2026-12-31",
        heading: "关于交通拥堵治理",
      },
      {
        title: "完成停车设施专项规划",
        lead: "市自然资源和规划局",
        due: "2027-03-31",
        heading: "关于交通拥堵治理",
      },
    ],
  },
  {
    name: "一、下带 1. 2. 细项不拆（标题本身含单位和时限）",
    source: "document",
    decisionDate: "2026-11-25",
    text: `一、市教育局牵头，12月31日前完成中小学校舍安全排查，重点做到：
1.排查危房；
2.检查消防设施。
二、市卫健委负责，两周内完成冬季传染病防控演练。`,
    preamble: "",
    items: [
      { title: "完成中小学校舍安全排查", lead: "市教育局", due: "2026-12-31" },
      { title: "完成冬季传染病防控演练", lead: "市卫生健康委员会", due: "2026-12-09" },
    ],
  },
  {
    name: "未登记的单位",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `会议决定：
一、市城管局牵头，住建局配合，10个工作日内完成主干道占道经营整治。
二、市应急管理局负责，立即开展燃气安全检查。`,
    preamble: "会议决定",
    items: [
      {
        title: "完成主干道占道经营整治",
        lead: null,
        co: ["市住房和城乡建设局"],
        unknown: ["市城管局"],
        due: "2026-12-09",
      },
      { title: "开展燃气安全检查", lead: null, unknown: ["市应急管理局"], urgent: true, due: { hours: 24 } },
    ],
  },
  {
    name: "结尾一段不属于最后一项",
    source: "document",
    decisionDate: "2026-11-25",
    text: `一、财政局12月10日前下达项目资金。
二、发改委12月20日前完成项目审批。

请各单位高度重视，每周五前报送工作进展。`,
    preamble: "",
    trailer: "请各单位高度重视",
    items: [
      { title: "下达项目资金", lead: "市财政局", due: "2026-12-10", cadence: "none" },
      { title: "完成项目审批", lead: "市发展和改革委员会", due: "2026-12-20", cadence: "none" },
    ],
  },
  {
    name: "无编号，几段各有单位",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `关于优化营商环境，会议强调：
市场监管局要在12月18日前完成企业开办全程网办。
人社局要在本月底前推出稳岗返还免申即享。
发改委牵头梳理惠企政策清单，年底前公布。`,
    preamble: "会议强调",
    items: [
      { title: "完成企业开办全程网办", lead: "市市场监督管理局", due: "2026-12-18" },
      { title: "推出稳岗返还免申即享", lead: "市人力资源和社会保障局", due: "2026-11-30" },
      { title: "梳理惠企政策清单", lead: "市发展和改革委员会", due: "2026-12-31" },
    ],
  },
  {
    name: "第一，第二，",
    source: "instruction",
    decisionDate: "2026-11-25",
    text: `对群众反映的供水问题，批示如下：第一，住建局即刻派员现场核查；第二，卫健委3天内完成水质检测；第三，财政局做好应急经费保障。`,
    preamble: "批示如下",
    items: [
      { title: "派员现场核查", lead: "市住房和城乡建设局", urgent: true, tags: ["民生"] },
      { title: "完成水质检测", lead: "市卫生健康委员会", due: "2026-11-28", tags: ["民生"] },
      { title: "做好应急经费保障", lead: "市财政局", due: null, tags: ["民生"] },
    ],
  },
  {
    name: "工作日跨国庆长假和调休日",
    source: "meeting",
    decisionDate: "2026-09-28",
    text: `节前安全检查会议决定：
一、公安局牵头，5个工作日内完成重点场所安全检查。
二、交通局负责，节后3个工作日内报送客流分析。`,
    preamble: "节前安全检查",
    items: [
      { title: "完成重点场所安全检查", lead: "市公安局", due: "2026-10-10" },
      { title: "报送客流分析", lead: "市交通运输局", due: "2026-10-08" },
    ],
  },
  {
    name: "12月底前、下月底前",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `一、住建局12月底前完成保障性住房分配。
二、自然资源局下月底前完成不动产登记积案清理。`,
    preamble: "",
    items: [
      { title: "完成保障性住房分配", lead: "市住房和城乡建设局", due: "2026-12-31", tags: ["民生"] },
      { title: "完成不动产登记积案清理", lead: "市自然资源和规划局", due: "2026-12-31" },
    ],
  },
  {
    name: "（1）（2）半角括号数字",
    source: "document",
    decisionDate: "2026-11-25",
    text: `任务分工：
(1) 发改委牵头，财政局、住建局配合，编制明年重大项目计划，明年1月15日前完成；
(2) 交通运输局负责，12月5日前完成农村公路安全隐患整治。`,
    preamble: "任务分工",
    items: [
      {
        title: "编制明年重大项目计划",
        lead: "市发展和改革委员会",
        co: ["市财政局", "市住房和城乡建设局"],
        due: "2027-01-15",
      },
      { title: "完成农村公路安全隐患整治", lead: "市交通运输局", due: "2026-12-05" },
    ],
  },
  {
    name: "每2小时报告的急件",
    source: "instruction",
    decisionDate: "2026-11-25",
    text: "请公安局、交通局立即组织力量做好寒潮天气道路交通保障，每2小时报告一次情况。",
    preamble: "",
    items: [
      {
        title: "组织力量做好寒潮天气道路交通保障",
        lead: "市公安局",
        co: ["市交通运输局"],
        urgent: true,
        cadence: { hours: 2 },
        guessed: ["lead", "co", "urgent"],
      },
    ],
  },
  {
    name: "年内完成、每月报送",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `一、卫健委牵头，年内完成基层医疗机构标准化建设，每月报送进展。
二、教育局负责，本月内完成教师职称评审。`,
    preamble: "",
    items: [
      {
        title: "完成基层医疗机构标准化建设",
        lead: "市卫生健康委员会",
        due: "2026-12-31",
        cadence: "monthly",
        tags: ["民生"],
      },
      { title: "完成教师职称评审", lead: "市教育局", due: "2026-11-30" },
    ],
  },
  {
    name: "数字里的点不是编号",
    source: "document",
    decisionDate: "2026-11-25",
    text: "财政局负责筹措1.5亿元专项资金，12月30日前到位，并做好2.0版预算系统上线。",
    preamble: "",
    items: [{ title: "筹措1.5亿元专项资金", lead: "市财政局", due: "2026-12-30" }],
  },
  {
    name: "中文括号（一）在行内",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: "会议明确：（一）由市人社局牵头，两周内出台高校毕业生就业见习补贴办法；（二）财政局配合落实补贴资金。",
    preamble: "会议明确",
    items: [
      {
        title: "出台高校毕业生就业见习补贴办法",
        lead: "市人力资源和社会保障局",
        due: "2026-12-09",
        tags: ["民生"],
      },
      { title: "落实补贴资金", lead: null, co: ["市财政局"] },
    ],
  },
  {
    name: "指定年份的日期和“之前”",
    source: "instruction",
    decisionDate: "2026-12-28",
    text: "请发改委于2027年2月28日之前完成“十五五”规划中期评估准备工作。",
    preamble: "",
    items: [
      {
        title: "完成“十五五”规划中期评估准备工作",
        lead: "市发展和改革委员会",
        due: "2027-02-28",
        stated: ["due"],
      },
    ],
  },
  {
    name: "事项里有“站”“院”等字，不是单位",
    source: "meeting",
    decisionDate: "2026-12-01",
    text: `一、交通局牵头，两周内完成全市公交站台安全隐患排查整改，切实保障群众出行安全。
二、卫健委负责，本月底前完成社区卫生服务站和乡镇卫生院冬季物资储备。`,
    preamble: "",
    items: [
      { title: "完成全市公交站台安全隐患排查整改", lead: "市交通运输局", due: "2026-12-15", tags: ["民生"] },
      { title: "完成社区卫生服务站和乡镇卫生院冬季物资储备", lead: "市卫生健康委员会", due: "2026-12-31" },
    ],
  },
  {
    name: "空白和换行很多的粘贴文本",
    source: "meeting",
    decisionDate: "2026-11-25",
    text: `

  会议决定：

  一、 住建局  本月底前完成燃气管道改造摸底。

  二、 财政局  年底前拨付改造补助。

`,
    preamble: "会议决定",
    items: [
      { title: "完成燃气管道改造摸底", lead: "市住房和城乡建设局", due: "2026-11-30" },
      { title: "拨付改造补助", lead: "市财政局", due: "2026-12-31" },
    ],
  },
];
