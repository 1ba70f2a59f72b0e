// The rule catalog: one entry per rule ID of ../shared/domain/rules.md, ../shared/domain/evaluation.md and the
// product's own rules in docs/decisions. Tests keep it equal to those documents (RuleCatalogTests).

extension RuleID {
    public static let dev01 = RuleID("DEV-01", "Applicant must be at least 18 (年满十八岁) at application", source: "rules.md §1.2")
    public static let dev02 = RuleID("DEV-02", "Apply to the Party organisation of the work/study unit", source: "rules.md §1.2")
    public static let dev03 = RuleID(
        "DEV-03", "The Party organisation must send someone to talk with the applicant within one month of receiving the appli…",
        source: "rules.md §1.2")
    public static let dev04 = RuleID(
        "DEV-04", "Activist selection: candidates come from Party-member recommendation and mass-organisation recommendation (…",
        source: "rules.md §1.2")
    public static let dev05 = RuleID(
        "DEV-05", "Minimum wait between application and activist designation: none at national level", source: "rules.md §1.2")
    public static let dev06 = RuleID("DEV-06", "Assign 1–2 full members as cultivation contacts (培养联系人)", source: "rules.md §1.2")
    public static let dev07 = RuleID("DEV-07", "The branch assesses each activist every six months (每半年考察一次)", source: "rules.md §1.2")
    public static let dev08 = RuleID(
        "DEV-08", "Becoming a development target requires at least one year of cultivation as an activist (经过一年以上培养教育和考察)", source: "rules.md §1.2")
    public static let dev09 = RuleID("DEV-09", "Two full members act as sponsors (入党介绍人)", source: "rules.md §1.2")
    public static let dev10 = RuleID("DEV-10", "Political review (政治审查) is mandatory", source: "rules.md §1.2")
    public static let dev11 = RuleID(
        "DEV-11", "A political-review conclusion is valid for 1 year except in special cases (除特殊情况外，政治审查结果在一年内有效)", source: "rules.md §1.2")
    public static let dev12 = RuleID("DEV-12", "Negative list for political review (政治审查负面清单): UNCONFIRMED", source: "rules.md §1.2")
    public static let dev13 = RuleID(
        "DEV-13", "Short-term concentrated training by the grassroots Party committee or county-level organisation department:…",
        source: "rules.md §1.2")
    public static let dev14 = RuleID(
        "DEV-14", "Branch committee review → pre-review (预审) by the grassroots Party committee that holds approval authority", source: "rules.md §1.2"
    )
    public static let dev15 = RuleID(
        "DEV-15", "If the target will leave the work/study unit within 3 months, admission procedures are generally not handled",
        source: "rules.md §1.2")
    public static let dev16 = RuleID(
        "DEV-16", "After a pass in pre-review, the branch should hold the general meeting discussion within 1 month (一般在1个月内提交…",
        source: "rules.md §1.2")
    public static let dev17 = RuleID(
        "DEV-17", "Publicity (公示) of development targets: common standard ≥ 5 working days (several units also publicise at ac…",
        source: "rules.md §1.2")
    public static let dev18 = RuleID(
        "DEV-18", "Branch general meeting quorum for admission: the number of members present who have voting rights (i.e. ful…",
        source: "rules.md §1.2")
    public static let dev19 = RuleID("DEV-19", "Admission vote: discussion, then secret ballot (无记名投票)", source: "rules.md §1.2")
    public static let dev20 = RuleID(
        "DEV-20", "Persons who may be excluded from the \"should attend\" count, with higher-level approval and a general-meetin…",
        source: "rules.md §1.2")
    public static let dev21 = RuleID("DEV-21", "A branch whose full members fall below 3 may not hold an admission meeting", source: "rules.md §1.2")
    public static let dev22 = RuleID(
        "DEV-22", "Before approving, the higher committee sends a committee member or organiser (组织员) to talk with the candida…",
        source: "rules.md §1.2")
    public static let dev23 = RuleID(
        "DEV-23", "Approval authority: only a Party committee (党委) with approval authority may approve", source: "rules.md §1.2")
    public static let dev24 = RuleID(
        "DEV-24", "The committee must approve the branch's admission resolution within 3 months and file it with the organisat…",
        source: "rules.md §1.2")
    public static let dev25 = RuleID("DEV-25", "The approval record states the start and end dates of probation", source: "rules.md §1.2")
    public static let dev26 = RuleID("DEV-26", "Oath (入党宣誓) facing the Party flag (Constitution Art. 6)", source: "rules.md §1.2")
    public static let dev27 = RuleID(
        "DEV-27", "Probation = 1 year, counted from the date the branch general meeting admitted the member (not the approval…",
        source: "rules.md §1.2")
    public static let dev28 = RuleID("DEV-28", "At the end of probation the branch must promptly discuss conversion", source: "rules.md §1.2")
    public static let dev29 = RuleID(
        "DEV-29", "Conversion procedure: written application by the person → Party group opinion → branch solicits members' an…",
        source: "rules.md §1.2")
    public static let dev30 = RuleID(
        "DEV-30", "The higher committee approves the conversion resolution within 3 months (applying the 6-month cap here is U…",
        source: "rules.md §1.2")
    public static let dev31 = RuleID(
        "DEV-31", "Transferred-in probationary members: when probation ends, the receiving organisation may postpone the conve…",
        source: "rules.md §1.2")
    public static let dev32 = RuleID(
        "DEV-32", "Party standing (党龄) counts from the date of conversion to full membership on expiry of probation", source: "rules.md §1.2")
    public static let dev33 = RuleID(
        "DEV-33", "Archive: after conversion, the application form, application letter, political-review material, conversion…",
        source: "rules.md §1.2")
    public static let dev34 = RuleID(
        "DEV-34", "Application-form numbering (入党志愿书编号): forms are printed under central specifications by provincial-level or…",
        source: "rules.md §1.2")
    public static let dev35 = RuleID(
        "DEV-35", "Supervision: city and county Party committees check development work every six months; provincial committee…",
        source: "rules.md §1.2")
    public static let dev36 = RuleID("DEV-36", "\"Five systems one code\" (五制一编码): UNCONFIRMED", source: "rules.md §1.2")
    public static let life01 = RuleID("LIFE-01", "Branch general meeting (支部党员大会)", source: "rules.md §2.1")
    public static let life02 = RuleID("LIFE-02", "General meeting vote", source: "rules.md §2.1")
    public static let life03 = RuleID("LIFE-03", "Branch committee meeting (支部委员会会议)", source: "rules.md §2.1")
    public static let life04 = RuleID("LIFE-04", "Party group meeting (党小组会)", source: "rules.md §2.1")
    public static let life05 = RuleID("LIFE-05", "Party lecture (党课)", source: "rules.md §2.1")
    public static let life06 = RuleID("LIFE-06", "Thematic Party day (主题党日)", source: "rules.md §2.1")
    public static let life07 = RuleID("LIFE-07", "Organisational life meeting (组织生活会)", source: "rules.md §2.1")
    public static let life08 = RuleID("LIFE-08", "Democratic evaluation of members (民主评议党员)", source: "rules.md §2.1")
    public static let life09 = RuleID("LIFE-09", "Heart-to-heart talks (谈心谈话)", source: "rules.md §2.1")
    public static let life10 = RuleID("LIFE-10", "Dual organisational life (双重组织生活)", source: "rules.md §2.1")
    public static let life11 = RuleID("LIFE-11", "Leadership democratic life meeting (民主生活会)", source: "rules.md §2.1")
    public static let life12 = RuleID(
        "LIFE-12", "A temporary branch may be set up, with higher approval, for an ad hoc body whose members' relations are not…",
        source: "rules.md §2.2")
    public static let life13 = RuleID(
        "LIFE-13", "A project or work lasting ≥ 6 months should have a (regular) branch where the conditions are met", source: "rules.md §2.2")
    public static let org01 = RuleID("ORG-01", "≥ 3 full members (正式党员3人以上) → a branch (党支部) must be set up", source: "rules.md §3.1")
    public static let org02 = RuleID(
        "ORG-02", "A unit with < 3 full members joins a joint branch (联合党支部) grouped by proximity, sector and size", source: "rules.md §3.1")
    public static let org03 = RuleID("ORG-03", "Branch membership is generally ≤ 50", source: "rules.md §3.1")
    public static let org04 = RuleID(
        "ORG-04", "In organs (机关): 50–100 members → general branch committee (党总支), term generally 3 years", source: "rules.md §3.1")
    public static let org05 = RuleID(
        "ORG-05", "In organs: ≥ 100 members → grassroots Party committee (基层党委), elected by a general meeting or congress, ter…",
        source: "rules.md §3.1")
    public static let org06 = RuleID(
        "ORG-06", "≥ 7 full members → branch committee (支部委员会) must be set up, with 3 to 5 members and generally no more than 7",
        source: "rules.md §3.1")
    public static let org07 = RuleID("ORG-07", "< 7 full members → no committee", source: "rules.md §3.1")
    public static let org08 = RuleID("ORG-08", "Larger branches may be split into Party groups (党小组) with group leaders", source: "rules.md §3.1")
    public static let org09 = RuleID(
        "ORG-09", "Validation: a committee's size must be less than half of the branch's full members (支委人数不应超过或等于本支部正式党员的半数):…",
        source: "rules.md §3.1")
    public static let orgT1 = RuleID("ORG-T1", "Grassroots Party committee (基层委员会): 5 years", source: "rules.md §3.2")
    public static let orgT2 = RuleID("ORG-T2", "Elections must be held on schedule when a term expires", source: "rules.md §3.2")
    public static let orgT3 = RuleID(
        "ORG-T3", "Reminder: the higher organisation generally reminds a branch whose term is expiring 6 months in advance, by…",
        source: "rules.md §3.2")
    public static let orgT4 = RuleID(
        "ORG-T4", "Compliance checks: \"term expired, no higher approval, no election within 1 year\" and \"extension beyond 1 ye…",
        source: "rules.md §3.2")
    public static let orgE1 = RuleID("ORG-E1", "Only full members vote and stand for election", source: "rules.md §3.3")
    public static let orgE2 = RuleID("ORG-E2", "Committees are elected by the general meeting", source: "rules.md §3.3")
    public static let orgE3 = RuleID(
        "ORG-E3", "Election quorum: voters present > 4/5 of those who should attend (有选举权的到会人数超过应到会人数的4/5)", source: "rules.md §3.3")
    public static let orgE4 = RuleID(
        "ORG-E4", "Competitive (差额) election for committee members: candidates must exceed seats by at least 20% (委员候选人的差额不少于应…",
        source: "rules.md §3.3")
    public static let orgE5 = RuleID(
        "ORG-E5", "Candidate generation (general branch and branch): the outgoing committee proposes candidates based on most…",
        source: "rules.md §3.3")
    public static let orgE6 = RuleID("ORG-E6", "Secret ballot (无记名投票)", source: "rules.md §3.3")
    public static let orgE7 = RuleID(
        "ORG-E7", "Winning threshold (grassroots): votes in favour must be more than half of the voters present (超过实到会有选举权人数的一…",
        source: "rules.md §3.3")
    public static let orgE8 = RuleID(
        "ORG-E8", "The committee elects the secretary and deputy secretary (a branch without a committee elects them at the ge…",
        source: "rules.md §3.3")
    public static let orgE9 = RuleID(
        "ORG-E9", "By-elections (补选) when a seat falls vacant mid-term: held at a general meeting under the same rules, with h…",
        source: "rules.md §3.3")
    public static let dues01 = RuleID(
        "DUES-01", "Base for salaried members: the relatively fixed, regular part of monthly wages, after tax (税后)", source: "rules.md §4")
    public static let dues02 = RuleID(
        "DUES-02", "Rates for employed members (monthly base *B*, bands inclusive of upper bound): B ≤ 3000 → 0.5%; 3000 < B ≤…",
        source: "rules.md §4")
    public static let dues03 = RuleID("DUES-03", "Annual-salary members: base = pay actually received that month, same bands", source: "rules.md §4")
    public static let dues04 = RuleID(
        "DUES-04", "Self-employed or irregular income: base = the average monthly net income of the previous quarter", source: "rules.md §4")
    public static let dues05 = RuleID("DUES-05", "Retirees (离退休): base = total pension actually received", source: "rules.md §4")
    public static let dues06 = RuleID("DUES-06", "Farmers: 0.2–1 yuan per month, with the exact amount set by the province", source: "rules.md §4")
    public static let dues07 = RuleID(
        "DUES-07", "Members with real difficulty may pay less or be exempt, after branch study and approval by the next higher…",
        source: "rules.md §4")
    public static let dues08 = RuleID("DUES-08", "Voluntary extra payment is unlimited", source: "rules.md §4")
    public static let dues09 = RuleID(
        "DUES-09", "When wages change, the new base applies from the month the new wage is first received", source: "rules.md §4")
    public static let dues10 = RuleID(
        "DUES-10", "Probationary members pay from the date the branch general meeting admitted them", source: "rules.md §4")
    public static let dues11 = RuleID("DUES-11", "Pay monthly, in full, on the member's own initiative", source: "rules.md §4")
    public static let dues12 = RuleID(
        "DUES-12", "The branch collects on a fixed day each month and publishes dues collection and use once a year to members", source: "rules.md §4"
    )
    public static let dues13 = RuleID(
        "DUES-13", "Lapse: a member who, without good reason, for 6 consecutive months does not take part in organisational lif…",
        source: "rules.md §4")
    public static let dues14 = RuleID(
        "DUES-14", "Dues may fund help for members in difficulty and disaster relief for members (see 5.2)", source: "rules.md §4")
    public static let mem01 = RuleID(
        "MEM-01", "A member must report to the branch before leaving (destination, reason, duration) and report back on return",
        source: "rules.md §5.1")
    public static let mem02 = RuleID(
        "MEM-02", "Away ≥ 6 months at a fixed place → transfer the formal organisational relation (转移正式组织关系)", source: "rules.md §5.1")
    public static let mem03 = RuleID(
        "MEM-03", "The certificate is issued and registered by the original Party (working) committee in a standard format pri…",
        source: "rules.md §5.1")
    public static let mem04 = RuleID(
        "MEM-04", "Transfer letter (《中国共产党党员组织关系介绍信》): 3 parts (stub, letter, receipt), serial number by the sending organisation",
        source: "rules.md §5.1")
    public static let mem05 = RuleID(
        "MEM-05", "Letter validity: generally ≤ 3 months, and ≤ 6 months across provinces (UNCONFIRMED; handbook Q&A)", source: "rules.md §5.1")
    public static let mem06 = RuleID(
        "MEM-06", "Online transfer: within a province, through the provincial Party-building information system", source: "rules.md §5.1")
    public static let mem07 = RuleID(
        "MEM-07", "Lost contact: members out of contact with the Party organisation for ≥ 6 months are classified as \"lost-con…",
        source: "rules.md §5.1")
    public static let care01 = RuleID(
        "CARE-01", "\"Glorious 50 years in the Party\" medal (「光荣在党50年」纪念章): for living members whose Party standing reaches 50 y…",
        source: "rules.md §5.2")
    public static let care02 = RuleID(
        "CARE-02", "Members in difficulty (生活困难党员): typical criteria are old age or infirmity with loss of working capacity; se…",
        source: "rules.md §5.2")
    public static let care03 = RuleID("CARE-03", "Pairing assistance (结对帮扶): local practice only", source: "rules.md §5.2")
    public static let care04 = RuleID(
        "CARE-04", "\"Political birthday\" (政治生日): common practice of marking a member's anniversary of joining (usually the admi…",
        source: "rules.md §5.2")
    public static let list01 = RuleID(
        "LIST-01", "An open task or problem is 临期 (yellow) from N days before its deadline through the deadline", source: "decision 0017")
    public static let list02 = RuleID("LIST-02", "An open item is 逾期 (red) from the day after its deadline", source: "decision 0017")
    public static let list03 = RuleID(
        "LIST-03", "验收 is by someone other than those who planned, reported progress on, or requested closure of the rectificat…",
        source: "decision 0017")
    public static let list04 = RuleID(
        "LIST-04", "申请销号 carries the evidence; a rejection and the plan carry their text (measures, responsible person)", source: "decision 0017")
    public static let list05 = RuleID("LIST-05", "A task is reported done only with at least one ledger entry behind it", source: "decision 0017")
    public static let list06 = RuleID(
        "LIST-06", "A campaign's ledger is closed at year end (年底交账); nothing is recorded after", source: "decision 0017")
    public static let list07 = RuleID(
        "LIST-07", "回头看 may reopen a closed problem, with the reason; the new rectification has new rectifiers", source: "decision 0017")
    public static let list08 = RuleID("LIST-08", "Each action only from its state: 发现 → 整改中 → 申请销号 → 销号, or 申请销号 → 整改中", source: "decision 0017")
    public static let list09 = RuleID(
        "LIST-09", "A duty-list item not done in its period is 临期 from the warning days before the period ends, 逾期 after; a fin…",
        source: "decision 0017")
    public static let devplan01 = RuleID(
        "DEVPLAN-01", "Admissions approved in a year are counted against the annual development plan (发展党员年度计划)", source: "decision 0018")
    public static let devplan02 = RuleID(
        "DEVPLAN-02", "Warn a branch after the configured number of full years without an admission (连续三年未发展党员)", source: "decision 0018")

    /// Every rule, in the order of the documents.
    public static let devstep01 = RuleID(
        "DEVSTEP-01", "Development steps are recorded one after another, none skipped; nothing after the last", source: "decision 0028")
    public static let devstep02 = RuleID(
        "DEVSTEP-02", "A step's date is not in the future and not before the previous step's date", source: "decision 0028")

    public static let orgname01 = RuleID(
        "ORGNAME-01", "No two live organisations under the same parent share a name; an import naming an ambiguous one asks which",
        source: "decision 0029")

    public static let catalog: [RuleID] = [
        .dev01, .dev02, .dev03, .dev04, .dev05, .dev06, .dev07, .dev08, .dev09, .dev10, .dev11, .dev12, .dev13, .dev14,
        .dev15, .dev16, .dev17, .dev18, .dev19, .dev20, .dev21, .dev22, .dev23, .dev24, .dev25, .dev26, .dev27, .dev28,
        .dev29, .dev30, .dev31, .dev32, .dev33, .dev34, .dev35, .dev36, .life01, .life02, .life03, .life04, .life05,
        .life06, .life07, .life08, .life09, .life10, .life11, .life12, .life13, .org01, .org02, .org03, .org04, .org05,
        .org06, .org07, .org08, .org09, .orgT1, .orgT2, .orgT3, .orgT4, .orgE1, .orgE2, .orgE3, .orgE4, .orgE5, .orgE6,
        .orgE7, .orgE8, .orgE9, .dues01, .dues02, .dues03, .dues04, .dues05, .dues06, .dues07, .dues08, .dues09,
        .dues10, .dues11, .dues12, .dues13, .dues14, .mem01, .mem02, .mem03, .mem04, .mem05, .mem06, .mem07, .care01,
        .care02, .care03, .care04, .eval01, .eval02, .eval03, .eval04, .eval05, .eval06, .eval07, .eval08, .eval09,
        .eval10, .eval11, .eval12, .eval13, .eval14, .assess01, .assess02, .assess03, .assess04, .assess05, .assess06,
        .assess07, .assess08, .assess09, .comp01, .comp02, .comp03, .comp04, .comp05, .comp06, .comp07, .comp08,
        .comp09, .comp10, .comp11, .comp12, .comp13, .star01, .star02, .star03, .star04, .star05, .star06, .star07,
        .star08, .review01, .review02, .review03, .review04, .review05, .review06, .review07, .review08, .review09,
        .point01, .point02, .point03, .point04, .point05, .point06, .point07, .point08, .vol01, .vol02, .vol03, .vol04,
        .vol05, .vol06, .vol07, .vol08, .vol09, .vol10, .guide01, .guide02, .guide03, .guide04, .guide05, .guide06,
        .guide07, .pub01, .pub02, .pub03, .pub04, .pub05, .pub06, .learn01, .learn02, .learn03, .learn04, .learn05,
        .learn06, .brand01, .brand02, .brand03, .brand04, .bulletin01, .bulletin02, .bulletin03, .bulletin04,
        .bulletin05, .dues15, .dues16, .dues17, .dues18, .dues19, .dues20, .dues21, .list01, .list02, .list03, .list04,
        .list05, .list06, .list07, .list08, .list09, .devplan01, .devplan02, .devstep01, .devstep02, .orgname01,
    ]
}
