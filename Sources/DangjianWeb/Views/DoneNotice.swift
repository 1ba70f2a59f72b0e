import Hummingbird

/// What a page says after a form saved something and redirected to it (issue 17 item 12: "no success message after
/// recording a step, a ledger entry or a problem action"). The redirect carries only the code (`?done=step`), so the
/// message is always one of ours — nothing from the request is echoed.
enum DoneNotice: String, CaseIterable {
    case stepRecorded = "step"
    case materialAdded = "material"
    case meetingRecorded = "meeting"
    case problemRegistered = "problem"
    case problemUpdated = "problem-action"
    case taskUpdated = "task"
    case dutyRecorded = "duty"
    case checkinClosed = "checkin-closed"
    case alreadySubmitted = "repeat"
    case meetingCorrected = "meeting-corrected"
    case meetingDeleted = "meeting-deleted"

    var message: String {
        switch self {
        case .stepRecorded: "已记录该步骤。"
        case .materialAdded: "已补充材料。"
        case .meetingRecorded: "已保存会议记录。"
        case .problemRegistered: "已登记该问题，可在下方制定整改措施。"
        case .problemUpdated: "已记录办理情况。"
        case .taskUpdated: "已记入台账。"
        case .dutyRecorded: "已记入责任清单台账。"
        case .checkinClosed: "签到已结束，出勤情况已记入会议记录。"
        case .meetingCorrected: "已保存更正，更正前的内容保留在下方“更正记录”中。"
        case .meetingDeleted: "已删除该记录，它不再计入统计；删除原因已记入审计日志。"
        case .alreadySubmitted: "这张表单已经提交过，本次未重复保存；以下是上次提交的结果。"
        }
    }

    /// `location` with the notice's code added to its query.
    func after(_ location: String) -> String {
        location + (location.contains("?") ? "&" : "?") + "done=" + rawValue
    }

    /// The notice a request's `done` parameter names, if any.
    static func of(_ request: Request) -> DoneNotice? {
        request.uri.queryParameters.get("done").flatMap(DoneNotice.init(rawValue:))
    }
}

extension PageRenderer {
    /// A 303 to `location` that shows `notice` there.
    static func redirect(_ location: String, done notice: DoneNotice) -> Response {
        redirect(notice.after(location))
    }
}
