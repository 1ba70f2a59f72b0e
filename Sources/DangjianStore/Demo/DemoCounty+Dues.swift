import Foundation
import DangjianDomain

extension DemoCounty {
    /// This year's 党费 bases for most members of every branch, deterministic: wages across the four bands, a few
    /// retirees, students and farmers; one member in ten is left for the secretary to set. Then the collection: most
    /// members paid the last two months on the 10th (this month is still to collect), one in ten stopped in the
    /// summer (a DUES-13 reminder), and one in thirty has paid nothing this year (a DUES-19 review for a person to
    /// decide).
    func seedDues(_ orgs: [Organisation]) async throws {
        guard members != nil else { return }
        let dues = store.dues
        let today = CivilDate(date: organisations.clock.now())
        let year = CalendarYear(of: today)
        let thisMonth = DuesMonth(containing: today)
        var dice = SyntheticPeople(seed: 2008)
        var reductionShown = false
        for org in orgs.sorted(by: { $0.id < $1.id }) where [.branch, .jointBranch].contains(org.type) {
            let sheet = try await dues.sheet(organisationID: org.id, year: year, access: .maintenance)
            for line in sheet.lines where line.monthly == nil && dice.int(1...10) > 1 {
                let roll = dice.int(1...20)
                let category: DuesCategory = roll <= 15 ? .employed : roll <= 18 ? .retired : roll == 19 ? .student : .farmer
                let base = category.takesBase ? Fen(Int64(dice.int(2_500...12_000)) * 100 + Int64(dice.int(0...99))) : nil
                let saved = try await dues.setBase(
                    memberID: line.memberID, year: year, category: category, base: base, expectedVersion: 0, access: .maintenance, actor: actor)
                guard let monthly = saved.line.monthly else { continue }
                // One 少交 application the branch has agreed to, waiting for the higher committee (DUES-07/18).
                if !reductionShown && category == .retired && monthly.value > 100 {
                    reductionShown = true
                    let r = try await dues.applyReduction(
                        memberID: line.memberID,
                        DuesReductionDraft(
                            exempt: false, monthly: Fen(clamping: monthly.value / 2), from: thisMonth, months: 6, reason: "配偶重病，医疗支出大"),
                        access: .maintenance, actor: actor)
                    _ = try await dues.decideReduction(
                        r.id, .branchAgree, note: "支委会研究同意", expectedVersion: r.version, access: .maintenance, actor: actor)
                }
                let pattern = dice.int(1...30)
                let months: [DuesMonth] =
                    pattern == 1 ? [] : pattern <= 4 ? [thisMonth.adding(months: -5)] : [thisMonth.adding(months: -2), thisMonth.adding(months: -1)]
                for month in months where month.year == year.value {
                    let paidOn = CivilDate(year: month.year, month: month.month, day: 10) ?? today
                    _ = try await dues.record(
                        memberID: line.memberID, DuesEntryDraft(kind: .regular, months: [month], amount: monthly, paidOn: paidOn),
                        method: dice.int(1...3) == 1 ? .cash : .online, access: .maintenance, actor: actor)
                }
            }
        }
        try await seedDuesAccounts(orgs, today: today)
    }

    /// The accounts (DUES-20/21): every branch remitted each finished period's dues in full on the 5th of the next
    /// month; the first committee that received any spent part of it on member training.
    func seedDuesAccounts(_ orgs: [Organisation], today: CivilDate) async throws {
        let dues = store.dues
        let year = CalendarYear(of: today)
        let thisMonth = DuesMonth(containing: today)
        for org in orgs.sorted(by: { $0.id < $1.id }) where [.branch, .jointBranch].contains(org.type) && org.parentID != nil {
            let statement = try await dues.accountStatement(organisationID: org.id, year: year, access: .maintenance)
            for line in statement.lines where line.period.last < thisMonth && line.figures.outstanding > 0 {
                guard let amount = Fen(line.figures.outstanding) else { continue }
                let on = CivilDate(year: line.period.last.adding(months: 1).year, month: line.period.last.adding(months: 1).month, day: 5) ?? today
                _ = try await dues.recordAccountEntry(
                    organisationID: org.id,
                    DuesAccountEntryDraft(
                        kind: .remittance, amount: amount, occurredOn: min(on, today), period: line.period, voucher: "缴-\(line.period.code)"),
                    access: .maintenance, actor: actor)
            }
        }
        for org in orgs.sorted(by: { $0.id < $1.id }) where org.type.level >= 3 {
            let statement = try await dues.accountStatement(organisationID: org.id, year: year, access: .maintenance)
            guard statement.closing >= 20_000 else { continue }
            _ = try await dues.recordAccountEntry(
                organisationID: org.id,
                DuesAccountEntryDraft(
                    kind: .expenditure, amount: Fen(clamping: statement.closing / 4), occurredOn: today, category: .training, voucher: "记-01",
                    note: "党员冬训教材和讲课费"),
                access: .maintenance, actor: actor)
            break
        }
    }
}

extension DemoCounty.DemoPart {
    /// 党费：本年度党费基数和近两个月的收缴（新建组织树时）.
    public static let dues = DemoCounty.DemoPart("dues") { county, context in
        guard context.freshTree else { return }
        try await county.seedDues(Array(context.byShort.values))
    }
}
