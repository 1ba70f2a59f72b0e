import Foundation
import DangjianDomain
import DangjianOffice
import DangjianStore

/// 述职评议's documents: the .xlsx of every reporter's tally and result (the committee's record), and the 通报 of the
/// confirmed 综合评价, within the organiser's scope only (REVIEW-09: organisations and their secretaries, to the
/// organisations concerned — never a public display).
enum ReviewDocuments {
    static func workbook(_ round: ReviewRoundRecord, _ reporters: [ReviewReporter]) throws -> Data {
        let grades = round.gradeSet.gradeSet.grades.map(\.name)
        var sheet = XLSXWriter(
            sheetName: "述职评议",
            header: ["党组织", "述职人", "述职方式", "述职报告", "上级点评"] + grades + ["无效票", "测评得分", "满意率", "年度考评", "综合得分", "确定得分", "等次", "调整理由"])
        let first = 5
        sheet.numericColumns = Set(first..<(first + grades.count + 7))
        for r in reporters {
            let counts = r.tally?.counts.map(String.init) ?? Array(repeating: "", count: grades.count)
            sheet.append(
                [r.organisationName, r.name, r.mode.displayName, r.reportFileName ?? "未上传", r.comment ?? ""] + counts + [
                    r.tally.map { String($0.invalid) } ?? "", r.outcome.ballot?.description ?? "", r.outcome.satisfaction.map { "\($0)%" } ?? "",
                    r.outcome.assessment?.description ?? "", r.outcome.combined?.description ?? "", r.final?.description ?? "", r.grade ?? "",
                    r.adjustReason ?? "",
                ])
        }
        return try sheet.data()
    }

    static func bulletin(_ round: ReviewRoundRecord, _ reporters: [ReviewReporter], today: CivilDate) -> OfficialDocument {
        let w = round.weights
        var paragraphs = [
            "根据\(round.year)年度工作安排，\(round.organiserName)于 \(round.heldOn) 组织开展了\(round.name)。\(reporters.count) 名党组织书记"
                + "（现场述职 \(reporters.filter { $0.mode == .onSite }.count) 名、书面述职 \(reporters.filter { $0.mode == .written }.count) 名）"
                + "逐一述职，上级党组织逐一点评，参会人员进行了测评"
                + (w.assessmentPercent > 0 ? "，结合年度考评结果（测评 \(w.ballotPercent)%、考评 \(w.assessmentPercent)%）确定综合评价。" : "，按测评得分确定综合评价。")
                + "现将结果通报如下。"
        ]
        for band in GradeScale.reviewDefault.bands {
            let names = reporters.filter { $0.grade == band.name }.map { "\($0.organisationName)\($0.name)" }
            if !names.isEmpty { paragraphs.append("“\(band.name)”等次（\(names.count) 名）：\(names.joined(separator: "、"))。") }
        }
        paragraphs.append("各党组织书记要对照点评意见和问题清单、责任清单、整改清单，逐项抓好整改，整改情况作为下一年度述职的必述内容（\(RuleID.review03.code)、\(RuleID.review07.code)）。")
        return OfficialDocument(
            title: "关于\(round.name)结果的通报", recipient: "各党组织：", paragraphs: paragraphs, tableHeader: ["党组织", "述职人", "综合得分", "等次"],
            tableRows: reporters.map { [$0.organisationName, $0.name, ($0.final ?? $0.outcome.combined)?.description ?? "", $0.grade ?? ""] },
            issuer: round.organiserName, date: today)
    }
}
