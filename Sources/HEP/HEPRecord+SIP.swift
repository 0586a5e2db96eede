extension HEPRecord {
    /// Parses `payload` as a SIP message and fills the SIP columns.
    mutating func fillSIP(options: HEPOptions) {
    }
}
