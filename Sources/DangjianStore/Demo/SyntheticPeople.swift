public import DangjianDomain

/// Deterministic synthetic people for demo and scale data: plausible names, valid ID numbers, dates consistent with
/// the rules (admitted at 18 or later, converted one year after admission). Same seed, same people.
public struct SyntheticPeople: Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed &* 0x9E3779B97F4A7C15 | 1 }

    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
    static let given = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彬鹏辉建国建华志强晓东海波慧颖婷雪梅丹凤晨阳宇浩然思远佳怡子涵欣怡嘉豪俊杰")
    static let areas = ["610102", "610103", "610104", "610111", "610112", "610113", "610114", "610115", "610116", "610122"]

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int { range.lowerBound + Int(next() % UInt64(range.count)) }

    /// One member draft as of `today`.
    public mutating func draft(today: CivilDate, category: PersonnelCategory? = nil) -> MemberDraft {
        let surname = Self.surnames[int(0...(Self.surnames.count - 1))]
        var name = String(surname)
        for _ in 0..<int(1...2) { name.append(Self.given[int(0...(Self.given.count - 1))]) }
        let age = int(20...88)
        let birth = CivilDate(year: today.year - age, month: int(1...12), day: int(1...28)) ?? .earliest
        let male = int(0...1) == 1
        let sequence = int(0...499) * 2 + (male ? 1 : 0)
        let body =
            Self.areas[int(0...(Self.areas.count - 1))] + birth.description.replacingOccurrences(of: "-", with: "") + String(format: "%03d", sequence)
        let idNumber = body + String(IDNumber.checkCharacter(for: body) ?? "X")
        let earliestJoin = birth.adding(years: 18)
        let yearsAvailable = max(0, today.year - earliestJoin.year - 1)
        var join = CivilDate(year: earliestJoin.year + int(0...min(yearsAvailable, 40)), month: int(1...12), day: int(1...28)) ?? .earliest
        if join < earliestJoin { join = earliestJoin }
        if join > today { join = earliestJoin }
        let probationary = join.adding(years: 1) > today || int(0...40) == 0
        var d = MemberDraft()
        d.name = name
        d.idNumber = idNumber
        d.ethnicity = int(0...12) == 0 ? ["回族", "满族", "蒙古族", "土家族"][int(0...3)] : "汉族"
        d.education = [Education.master, .bachelor, .bachelor, .bachelor, .college, .college, .vocational, .highSchool][int(0...7)].displayName
        let resolvedCategory = category ?? (age >= 60 ? .retired : (age < 23 ? .student : .employed))
        d.personnelCategory = resolvedCategory.displayName
        if probationary {
            let recent = today.adding(months: -int(1...11))
            d.partyStatus = PartyStatus.probationary.displayName
            d.joinDate = (recent < earliestJoin ? earliestJoin : recent).description
        } else {
            d.partyStatus = PartyStatus.full.displayName
            d.joinDate = join.description
            d.fullMemberDate = join.adding(years: 1).description
        }
        d.phone = "1" + ["3", "5", "8", "9"][int(0...3)] + String(format: "%09d", int(0...999_999_999))
        d.workUnit = resolvedCategory == .employed ? "示范县" + ["财政局", "教育局", "人民政府办公室", "档案馆", "城关镇"][int(0...4)] : ""
        return d
    }
}
