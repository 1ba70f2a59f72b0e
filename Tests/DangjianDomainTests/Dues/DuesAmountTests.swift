import Testing
@testable import DangjianDomain

@Suite("党费 amounts (DUES-02…06, DUES-16)")
struct DuesAmountTests {
    static func fen(_ text: String) throws -> Fen { try #require(try Fen.parse(text, field: "base", label: "月基数")) }

    @Test(
        "DUES-16: employed members at every band boundary, the rate on the whole base, rounded half up to the fen",
        arguments: [
            ("2999.99", "15.00", 50), ("3000.00", "15.00", 50), ("3000.01", "30.00", 100), ("4321.57", "43.22", 100),
            ("5000.00", "50.00", 100), ("5000.01", "75.00", 150), ("10000.00", "150.00", 150), ("10000.01", "200.00", 200),
            ("0.99", "0.00", 50), ("1.00", "0.01", 50), ("0", "0.00", 50), ("99999999.99", "2000000.00", 200),
        ])
    func employed(base: String, expected: String, basisPoints: Int) throws {
        let amount = try DuesCalculator.monthly(.employed, base: try Self.fen(base))
        #expect(amount.monthly.description == expected && amount.basisPoints == basisPoints && amount.rule == .dues02)
    }

    @Test(
        "DUES-05: retirees 0.5 % up to 5,000.00 inclusive, 1 % above", arguments: [("5000.00", "25.00"), ("5000.01", "50.00"), ("1234.50", "6.17")])
    func retirees(base: String, expected: String) throws {
        let amount = try DuesCalculator.monthly(.retired, base: try Self.fen(base))
        #expect(amount.monthly.description == expected && amount.rule == .dues05)
    }

    @Test("DUES-03/04: annual salary and self-employed use the wage bands; the explanation names the band and rules")
    func otherBases() throws {
        #expect(try DuesCalculator.monthly(.annualSalary, base: try Self.fen("8000")).monthly.description == "120.00")
        let amount = try DuesCalculator.monthly(.selfEmployed, base: try Self.fen("3000.01"))
        #expect(amount.monthly.description == "30.00" && amount.rule == .dues04)
        #expect(amount.explanation == "月基数 3000.01 元，3000 元以上至 5000 元按 1%：30.00 元（DUES-04、DUES-16）")
    }

    @Test("DUES-06: farmers pay the province's amount, students and the others 0.20 a month, whatever base is typed")
    func flatAmounts() throws {
        var province = DuesParameters.national
        province.farmerMonthly = try Self.fen("0.50")
        #expect(try DuesCalculator.monthly(.farmer, base: nil, parameters: province).monthly.description == "0.50")
        #expect(try DuesCalculator.monthly(.farmer, base: nil).monthly.description == "0.20")
        for category in [DuesCategory.student, .unemployed, .relief, .minimumAllowance] {
            let amount = try DuesCalculator.monthly(category, base: try Self.fen("9999"))
            #expect(amount.monthly.value == 20 && amount.basisPoints == nil && amount.rule == .dues06)
        }
    }

    @Test("a category with a base refuses a missing one, naming the base and the rule")
    func missingBase() {
        #expect(throws: ValidationFailure(field: "base", message: "请填写月工资收入（税后，按 DUES-15 扣除后）", ruleID: "DUES-02")) {
            try DuesCalculator.monthly(.employed, base: nil)
        }
    }

    @Test("amounts are read as people type them and refused in Chinese otherwise; never a floating-point number")
    func parsing() throws {
        #expect(try Fen.parse("3,000.5", field: "base", label: "月基数")?.value == 300_050)
        #expect(try Fen.parse("３０００．０１", field: "base", label: "月基数")?.value == 300_001)
        #expect(try Fen.parse("￥3000元", field: "base", label: "月基数")?.value == 300_000)
        #expect(try Fen.parse("  ", field: "base", label: "月基数") == nil)
        #expect(try Fen.parse("3000.", field: "base", label: "月基数")?.value == 300_000)
        #expect(throws: ValidationFailure(field: "base", message: "月基数不能为负数（“-5”）")) { try Fen.parse("-5", field: "base", label: "月基数") }
        for bad in ["abc", "3000.001", "1e5", ".5", "100000000.01", "99999999999", "3.0.0", "NaN"] {
            #expect(throws: ValidationFailure.self, "\(bad)") { try Fen.parse(bad, field: "base", label: "月基数") }
        }
        #expect(try Fen.parse("100000000", field: "base", label: "月基数")?.value == Fen.maximum)
        #expect(Fen(-1) == nil && Fen(Fen.maximum + 1) == nil)
    }

    @Test(
        "DUES-16's rounding is a parameter: half up (default), down or up, to the fen, 角 or 元",
        arguments: [
            ("4321.57", DuesRounding.halfUp, 1, "43.22"), ("4321.57", .down, 1, "43.21"), ("4321.57", .up, 1, "43.22"),
            ("4321.57", .halfUp, 10, "43.20"), ("4321.57", .down, 10, "43.20"), ("4321.57", .up, 10, "43.30"),
            ("4321.57", .halfUp, 100, "43.00"), ("4350.00", .halfUp, 100, "44.00"), ("2999.99", .halfUp, 1, "15.00"),
            ("2999.99", .down, 1, "14.99"), ("3000.00", .up, 1, "15.00"), ("3000.01", .down, 1, "30.00"),
        ])
    func rounding(base: String, mode: DuesRounding, unit: Int, expected: String) throws {
        var parameters = DuesParameters.national
        parameters.rounding = mode
        parameters.roundingUnitFen = unit
        #expect(try DuesCalculator.monthly(.employed, base: try Self.fen(base), parameters: parameters).monthly.description == expected)
    }

    @Test("the rule book carries the dues and points parameters with their documented defaults, and refuses nonsense")
    func ruleBook() {
        let book = RuleBook.national2014
        #expect(book.duesParameters.farmerMonthly == Fen(20) && book.duesParameters.rounding == .halfUp)
        #expect(book.duesCollection == .national && book.duesReduction == .national && book.duesRemittance == .national)
        #expect(book.duesBase == .national && book.pointRules == .national)
        var local = book
        local.version = "某省-2027"
        local.duesFarmerMonthlyFen = 50
        local.duesCommitteeRemitPercent = 10
        local.pointsTwoStarTenths = 550
        #expect(local.problems().isEmpty)
        #expect(local.duesParameters.farmerMonthly == Fen(50) && local.duesParameters.version == "DuesRules2008+某省-2027")
        #expect(local.duesRemittance.committeeShareBasisPoints == 1_000 && local.pointRules.starThresholds.last == Points(tenths: 550))
        local.duesFarmerMonthlyFen = 150
        local.duesAlertMonths = 9
        local.duesRoundingUnitFen = 5
        local.pointsFourStarTenths = 950
        #expect(
            Set(local.problems().map(\.field)) == [
                "dues_farmer_monthly_fen", "dues_alert_months", "dues_rounding_unit_fen", "points_two_star_tenths",
            ])
    }
}
