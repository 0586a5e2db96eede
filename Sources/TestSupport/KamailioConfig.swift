/// The Kamailio 5.6 configuration the interop tests run: a stateful proxy on `sipPort` (UDP and TCP) that relays to
/// a sipp UAS on `uasPort` and duplicates every request and reply as HEPv3 (capture id 2001) to `hepPort` over the
/// given transport. Recipe: shared/research/platform.md §2.
public enum KamailioConfig {
    public static func siptrace(sipPort: Int, uasPort: Int, hepPort: Int, transport: String) -> String {
        let uri = transport == "udp" ? "sip:127.0.0.1:\(hepPort)" : "sip:127.0.0.1:\(hepPort);transport=tcp"
        return """
            #!KAMAILIO
            debug=2
            log_stderror=yes
            children=1
            auto_aliases=no
            listen=udp:127.0.0.1:\(sipPort)
            listen=tcp:127.0.0.1:\(sipPort)
            mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"
            loadmodule "tm.so"
            loadmodule "sl.so"
            loadmodule "rr.so"
            loadmodule "pv.so"
            loadmodule "textops.so"
            loadmodule "siputils.so"
            loadmodule "siptrace.so"
            modparam("siptrace", "duplicate_uri", "\(uri)")
            modparam("siptrace", "hep_mode_on", 1)
            modparam("siptrace", "hep_version", 3)
            modparam("siptrace", "hep_capture_id", 2001)
            modparam("siptrace", "trace_to_database", 0)
            modparam("siptrace", "trace_on", 1)
            request_route { sip_trace(); if (is_method("INVITE|SUBSCRIBE")) record_route();
              if (has_totag()) { loose_route(); } $du = "sip:127.0.0.1:\(uasPort)"; t_on_reply("TRACE_REPLY"); t_relay(); exit; }
            onreply_route[TRACE_REPLY] { sip_trace(); }
            """
    }
}
