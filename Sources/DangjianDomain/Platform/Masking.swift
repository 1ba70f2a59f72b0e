/// Display masking of personal information (脱敏), applied on the server before anything reaches a page,
/// an export or a log (security.md §2, display-masking rules; GB/T 35273 §7.2).
public enum Masking {
    /// `610102199001011234` → `6101**************`: keeps province and city only (issue 15, H5; decision 0023).
    ///
    /// The last four digits (three of them the sequence number, one the check digit) are not shown: beside a birth
    /// date and the gender they narrowed the full number to one or two candidates. With only the first four digits,
    /// what any page shows together leaves more than 1,000 candidates (`RobustnessTests.h5`).
    public static func idNumber(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count > 8 else { return String(repeating: "*", count: chars.count) }
        return String(chars[0..<4]) + String(repeating: "*", count: chars.count - 4)
    }

    /// A birth date as lists, masked exports, the API and development ledgers show it (出生年月): `1990-01`. Only a
    /// page that shows one member to someone who may reveal that member's ID number carries the day (issue 15, H5).
    public static func birthMonth(_ date: CivilDate) -> String {
        let d = date.description
        return String(d.prefix(7))
    }

    /// `13812341234` → `138****1234`.
    public static func phone(_ value: String) -> String {
        let chars = Array(value)
        guard chars.count >= 7 else { return String(repeating: "*", count: chars.count) }
        return String(chars[0..<3]) + String(repeating: "*", count: chars.count - 7) + String(chars[(chars.count - 4)...])
    }

    /// `张小明` → `张*明`, `张三` → `张*`.
    public static func name(_ value: String) -> String {
        let chars = Array(value)
        switch chars.count {
        case 0: return ""
        case 1: return "*"
        case 2: return String(chars[0]) + "*"
        default: return String(chars[0]) + String(repeating: "*", count: chars.count - 2) + String(chars[chars.count - 1])
        }
    }

    /// Replaces any 18-digit ID number or 11-digit mobile number inside free text with its masked form.
    /// Used on log lines and audit details as a last line of defence.
    public static func scrubFreeText(_ text: String) -> String {
        // Fast path: text without a run of 11 or more digits has nothing to mask (most audit summaries and values).
        var digits = 0
        var longRun = false
        for byte in text.utf8 {
            if (byte >= 0x30 && byte <= 0x39) || ((byte == 0x58 || byte == 0x78) && digits == 17) {
                digits += 1
                if digits >= 11 { longRun = true; break }
            } else {
                digits = 0
            }
        }
        if !longRun { return text }
        var result = ""
        var run = ""
        func flush() {
            if run.count == 18 {
                result += idNumber(run)
            } else if run.count == 11, run.first == "1" {
                result += phone(run)
            } else {
                result += run
            }
            run = ""
        }
        for ch in text {
            if ch.isASCII && (ch.isNumber || ((ch == "X" || ch == "x") && run.count == 17)) {
                run.append(ch)
            } else {
                flush()
                result.append(ch)
            }
        }
        flush()
        return result
    }
}
