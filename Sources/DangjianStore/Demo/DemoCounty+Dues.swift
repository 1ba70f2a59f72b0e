import Foundation
import DangjianDomain

extension DemoCounty {
    /// This year's 党费 bases for most members of every branch, deterministic: wages across the four bands, a few
    /// retirees, students and farmers; one member in ten is left for the secretary to set.
    func seedDues(_ orgs: [Organisation]) async throws {
        guard members != nil else { return }
        let dues = store.dues
        let year = CalendarYear(of: CivilDate(date: organisations.clock.now()))
        var dice = SyntheticPeople(seed: 2008)
        for org in orgs.sorted(by: { $0.id < $1.id }) where [.branch, .jointBranch].contains(org.type) {
            let sheet = try await dues.sheet(organisationID: org.id, year: year, access: .maintenance)
            for line in sheet.lines where line.monthly == nil && dice.int(1...10) > 1 {
                let roll = dice.int(1...20)
                let category: DuesCategory = roll <= 15 ? .employed : roll <= 18 ? .retired : roll == 19 ? .student : .farmer
                let base = category.takesBase ? Fen(Int64(dice.int(2_500...12_000)) * 100 + Int64(dice.int(0...99))) : nil
                _ = try await dues.setBase(
                    memberID: line.memberID, year: year, category: category, base: base, expectedVersion: 0, access: .maintenance, actor: actor)
            }
        }
    }
}

extension DemoCounty.DemoPart {
    /// 党费：本年度党费基数（新建组织树时）.
    public static let dues = DemoCounty.DemoPart("dues") { county, context in
        guard context.freshTree else { return }
        try await county.seedDues(Array(context.byShort.values))
    }
}
