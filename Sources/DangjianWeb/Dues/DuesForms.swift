import DangjianDomain

/// POST /dues/members/{id}: a member's 党费 category and monthly base for a year, as typed. The amount is computed
/// by the Domain (`DuesCalculator`) when it is stored; this form only reads and bounds what was posted.
struct DuesBaseForm {
    var year: CalendarYear
    var category: DuesCategory
    var base: Fen?
    /// 0 when no base was set for the year yet.
    var version: Int64

    init(_ form: FormData, today: CivilDate) throws(ValidationProblems) {
        var problems: [ValidationFailure] = []
        var year = CalendarYear(of: today)
        do { year = try form.number("year", CalendarYear.self) ?? year } catch { problems.append(error) }
        let category = DuesCategory(rawValue: form.text("category"))
        if category == nil { problems.append(ValidationFailure(field: "category", message: "请选择缴纳党费人员类别（\(RuleID.dues02)…\(RuleID.dues06)）")) }
        var base: Fen?
        if category?.takesBase ?? true {
            do { base = try Fen.parse(form.text("base"), field: "base", label: "月缴费基数") } catch { problems.append(error) }
        }
        guard problems.isEmpty, let category else { throw ValidationProblems(problems: problems) }
        self.year = year
        self.category = category
        self.base = base
        version = form.int64("version") ?? 0
    }
}
