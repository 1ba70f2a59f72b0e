/// 031 (issue 17, item 20): an outgoing transfer across provinces (MEM-05: the letter's longer validity; MEM-06: the
/// paper letter is required besides the record). When the letter was printed is read from the audit trail (the
/// printing is audited as a reveal of the full ID number), so printing — a GET — writes nothing else.
enum Migration031TransferCrossProvince {
    static let migration = Migration(version: 31, name: "transfer_cross_province") { _ in
        [
            "ALTER TABLE member_transfers ADD COLUMN cross_province BIGINT NOT NULL DEFAULT 0"
        ]
    }
}
