/// What the audit trail's stored identifiers mean in words an auditor reads (issue 17 item 14): the kinds of
/// objects (`meeting` → 会议记录) and the fields whose changes are recorded (`held_on` → 日期). An identifier without an
/// entry is shown as stored.
public enum AuditVocabulary {
    public static let objectNames: [String: String] = [
        "organisation": "党组织", "user": "账户", "member": "党员", "meeting": "组织生活记录", "development_case": "发展党员档案",
        "member_transfer": "组织关系转接", "export_request": "导出申请", "problem": "问题清单", "term": "换届", "reminder_letter": "提醒函",
        "import_job": "导入", "campaign": "创建活动", "unit": "单位", "supervision_round": "督导检查", "floating_certificate": "流动党员活动证",
        "evaluation": "民主评议", "duty_template": "责任清单模板", "task_assignment": "任务", "route": "页面", "meeting_checkin": "扫码签到",
        "duty_list": "责任清单", "audit_log": "审计日志", "attachment": "附件", "api_token": "访问令牌", "supervision_visit": "督导记录",
        "supervision_group": "督导组", "session": "登录会话", "role_assignment": "角色授权", "database": "数据库", "application_form": "入党志愿书编号",
        "setting": "系统设置", "rule_book": "规则参数", "responsibility_letter": "责任书", "member_statistics": "党员统计",
        "ledger_report": "月通报", "holiday_calendar": "节假日", "development_target": "发展计划指标", "development_plan": "发展党员计划",
        "development_entry": "发展党员记录", "development_document": "发展党员文书", "compliance_report": "组织生活月报", "campaign_task": "活动任务",
        "dues_base": "党费基数", "meeting_revision": "会议记录更正",
    ]

    public static let fieldNames: [String: String] = [
        "assessment_category": "考核类别", "attendance": "出席情况", "category": "类别", "child_ids": "下级组织", "disabled": "停用",
        "display_name": "姓名", "dissolved_reason": "撤销原因", "failed_count": "登录失败次数", "floating_destination": "流入地",
        "held_on": "日期", "is_floating": "流动党员", "kind": "类型", "leader": "负责人", "member_id": "关联党员", "member_ids": "党员",
        "name": "名称", "org_type": "组织类型", "organisation_id": "所在组织", "parent_id": "上级组织", "password": "密码",
        "password_policy": "密码策略", "path": "组织路径", "postponed_until": "延期至", "returned_on": "收回日期", "rule_book": "规则参数",
        "place": "地点", "host": "主持人", "recorder": "记录人", "lecturer": "授课人", "theme_items": "主题党日内容", "agenda": "议程", "minutes": "会议记录",
        "decisions": "决定事项", "votes": "表决", "short_name": "简称", "username": "登录名", "status": "状态", "topic": "主题",
        "dues_category": "党费类别", "dues_base": "党费基数（元/月）", "dues_monthly": "每月应交党费（元）", "cross_province": "跨省转出",
    ]

    /// `member` → 党员.
    public static func objectName(_ type: String) -> String { objectNames[type] ?? type }

    /// A changed field in words: a member's field by its title (`MemberField`), else the table above.
    public static func fieldName(_ field: String, objectType: String) -> String {
        if objectType == "member", let memberField = MemberField(key: field) { return memberField.title }
        return fieldNames[field] ?? field
    }
}
