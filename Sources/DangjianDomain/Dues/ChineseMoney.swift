/// 人民币大写 for receipts, as banks write it: 43.22 → "肆拾叁元贰角贰分", 1000 → "壹仟元整", 0.20 → "贰角",
/// 100,000,001.05 → "壹亿零壹元零伍分".
public enum ChineseMoney {
    static let digits: [Character] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"]
    static let smallUnits = ["", "拾", "佰", "仟"]

    /// The amount in capital numerals.
    public static func words(_ amount: Fen) -> String {
        let yuan = amount.value / 100
        let jiao = Int(amount.value / 10 % 10)
        let fen = Int(amount.value % 10)
        var text = yuan > 0 ? integerWords(yuan) + "元" : ""
        if jiao == 0 && fen == 0 { return yuan > 0 ? text + "整" : "零元整" }
        if jiao > 0 {
            text.append(digits[jiao])
            text += "角"
        } else if yuan > 0 {
            text += "零"
        }
        if fen > 0 {
            text.append(digits[fen])
            text += "分"
        }
        return text
    }

    /// 0 < n < 10^12: groups of four digits with 万 and 亿, a single 零 for each run of zeros inside.
    static func integerWords(_ n: Int64) -> String {
        var groups: [Int] = []
        var rest = n
        while rest > 0 {
            groups.append(Int(rest % 10_000))
            rest /= 10_000
        }
        let groupUnits = ["", "万", "亿"]
        var text = ""
        var pendingZero = false
        for index in stride(from: groups.count - 1, through: 0, by: -1) {
            let group = groups[index]
            if group == 0 {
                pendingZero = !text.isEmpty
                continue
            }
            if !text.isEmpty && (pendingZero || group < 1000) { text += "零" }
            pendingZero = false
            text += groupWords(group) + (index < groupUnits.count ? groupUnits[index] : "")
        }
        return text
    }

    /// 1…9999 without leading zeros: 1005 → 壹仟零伍, 1050 → 壹仟零伍拾, 10 → 壹拾.
    static func groupWords(_ n: Int) -> String {
        let ds = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10]
        var text = ""
        var zero = false
        for (i, d) in ds.enumerated() {
            if d == 0 {
                zero = !text.isEmpty
                continue
            }
            if zero { text += "零" }
            zero = false
            text.append(digits[d])
            text += smallUnits[3 - i]
        }
        return text
    }
}
