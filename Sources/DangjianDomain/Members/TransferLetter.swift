/// The transfer letter (《中国共产党党员组织关系介绍信》, MEM-04) as a document: three parts — stub (存根), letter (介绍信)
/// and receipt (回执) — each on its own page, numbered by the sending organisation. The Store supplies the facts, the
/// Office layer renders it (`DocxWriter.transferLetter`).
public struct TransferLetter: Sendable, Equatable {
    /// One part of the letter.
    public struct Part: Sendable, Equatable {
        public var title: String
        /// 第 … 号.
        public var number: String
        /// The body, each line a paragraph indented two characters.
        public var lines: [String]
        /// Seal and date lines, flush right.
        public var signature: [String]
        public var startsNewPage: Bool
    }

    public var parts: [Part]

    /// The letter for a member going from one organisation to another.
    /// - Parameters:
    ///   - duesPaidUntil: the last month paid (党费交到), printed as 二〇二六年十一月.
    public init(
        letterNumber: String, memberName: String, gender: Gender, age: Int, ethnicity: String?, partyStatus: PartyStatus,
        idNumber: String, from: String, to: String, issuedOn: CivilDate, validDays: Int, duesPaidUntil: (year: Int, month: Int)
    ) {
        let status = partyStatus == .full ? "正式" : "预备"
        let dues = ChineseNumerals.yearMonth(duesPaidUntil.year, duesPaidUntil.month)
        let issued = ChineseNumerals.date(issuedOn)
        let body =
            "\(memberName) 同志（\(gender.displayName)，\(age) 岁，\(ethnicity ?? "")），系中共\(status)党员，公民身份号码 \(idNumber)，"
            + "由 \(from) 去 \(to)，请转接组织关系。该同志党费已交到 \(dues)。"
        func part(_ title: String, _ lines: [String], signature: [String], newPage: Bool) -> Part {
            Part(title: "中国共产党党员组织关系介绍信（\(title)）", number: "第 \(letterNumber) 号", lines: lines, signature: signature, startsNewPage: newPage)
        }
        parts = [
            part("存根", [body, "（有效期 \(validDays) 天）", "经办：\(from)　　\(issued)"], signature: [], newPage: false),
            part(
                "介绍信", ["\(to)：", body, "（有效期 \(validDays) 天，至 \(issuedOn.adding(days: validDays)) 止）"],
                signature: ["\(from)（盖章）", issued], newPage: true),
            part(
                "回执", ["\(from)：", "\(memberName) 同志的党员组织关系已转达我处，特此回复。", "（请于一个月内寄回，\(RuleID.mem04)）"],
                signature: ["接收党组织（盖章）　　　年　　月　　日"], newPage: true),
        ]
    }
}
