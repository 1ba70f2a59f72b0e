import Hummingbird
import HTTPTypes
import Foundation
import DangjianDomain
import DangjianStore
import DangjianOffice

/// The files a 发展党员 office downloads: the ledger (.xlsx) and a case's generated documents (.docx).
extension DevelopmentController {
    /// GET /development/export.xlsx: the 发展党员 ledger of the subtree.
    func exportLedger(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = FormData.query(request)
        let access = try context.access(for: .membersRead)
        let anchor = try await services.anchorID(query.int64("org"), access)
        let scope = OrganisationScope(rawValue: query.text("scope")) ?? .subtree
        let files = try await services.development.ledger(anchorID: anchor, scope: scope, access: access)
        let labels = try await services.organisations.labels(Set(files.map(\.organisationID)))
        let today = CivilDate(date: services.clock.now())
        let keySteps: [DevelopmentStep] = [
            .application, .activistDesignation, .targetDesignation, .admissionMeeting, .approval, .conversionApproval,
        ]
        var sheet = XLSXWriter(
            sheetName: "发展党员工作台账",
            header: ["党组织", "姓名", "性别", "出生年月", "公民身份号码", "当前阶段", "下一步"]
                + keySteps.map(\.displayName) + ["入党志愿书编号", "档案状态", "临期/逾期提醒"])
        for f in files {
            let c = f.developmentCase
            let status = c.probationCancelled ? "已取消预备党员资格" : f.status == .open ? "进行中" : "已归档"
            sheet.append(
                [
                    labels[f.organisationID] ?? "", f.applicantName, f.gender.displayName, Masking.birthMonth(c.birthDate), f.idNumberMasked,
                    c.stage.displayName, c.nextStep.map { "第 \($0.rawValue) 步 \($0.displayName)" } ?? "已完成",
                ]
                    + keySteps.map { c.date(of: $0)?.description ?? "" }
                    + [
                        c.record(of: .applicationForm)?.facts.formNumber ?? "", status,
                        c.deadlines(today: today).map(\.fullMessage).joined(separator: "；"),
                    ])
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "development_case", objectID: "ledger-\(anchor)", organisationID: anchor,
                summary: "导出发展党员工作台账（\(files.count) 人，身份证号已遮蔽）"), by: context.actor, database: services.database)
        return Download.response(
            try sheet.data(), type: Download.xlsx, name: "development-ledger-\(today).xlsx", chineseName: "发展党员工作台账\(today).xlsx")
    }

    /// GET /development/{id}/documents/{kind}: a document generated from the case (.docx).
    func caseDocument(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id", as: Int64.self)
        let access = try context.access(for: .membersRead)
        guard let kind = DevelopmentDocumentKind(rawValue: context.parameters.get("kind") ?? ""),
            let file = try await services.development.find(id, access: access),
            let org = try await services.organisations.find(file.organisationID, access: access)
        else {
            throw RecordNotFound(objectType: "development_document", objectID: String(id))
        }
        // The committee that approved (recorded with step 17), otherwise the one that will (DEV-23).
        let recorded = file.developmentCase.record(of: .approval)?.facts.approverOrganisationID
        var committee: Organisation? = nil
        if let recorded { committee = try await services.organisations.find(recorded, access: .maintenance) }
        if committee == nil { committee = try await services.development.approvingCommittee(of: org.id) }
        let parties = DevelopmentParties(
            applicant: file.applicantName, gender: file.gender, birthDate: file.developmentCase.birthDate,
            branch: org.name, committee: committee?.name ?? "上级党委")
        let document: OfficialDocument
        do {
            document = try file.developmentCase.document(
                kind, parties: parties, publicityStart: CivilDate.parseLenient(FormData.query(request).text("start")),
                calendar: try await services.store.holidays.calendar())
        } catch let notReady as DocumentNotReady {
            return try await casePage(request, context, caseID: id, form: nil, problems: [notReady.message], warnings: [], status: .badRequest)
        }
        try await services.audit.record(
            AuditEvent(
                action: .export, objectType: "development_case", objectID: String(id), organisationID: org.id,
                summary: "生成\(kind.displayName)：\(file.applicantName)"), by: context.actor, database: services.database)
        return Download.response(
            try DocxWriter.official(document), type: Download.docx, name: "development-\(id)-\(kind.rawValue).docx",
            chineseName: "\(file.applicantName)\(kind.displayName).docx")
    }
}
