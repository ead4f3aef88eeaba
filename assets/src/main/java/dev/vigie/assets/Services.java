package dev.vigie.assets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Names of services and the protocols an asset speaks. A protocol is the flow's {@code app_proto} when a parser
 * recognised it, else the IANA name of a well-known responder port for the protocols that matter in a hospital
 * inventory (SMB, RDP, LDAP, databases, DICOM's 104/11112, HL7's 2575, ...). Each protocol has a bit index so
 * that an asset's protocols are two {@code long}s.
 */
final class Services {
    private Services() {}

    private static final List<String> NAMES = new ArrayList<>(List.of(
            "dns", "tls", "http", "ftp", "ftp-data", "ssh", "dhcp", "hl7", "dicom", "telnet", "smtp",
            "smb", "netbios", "rdp", "ldap", "kerberos", "ntp", "snmp", "mdns", "llmnr", "syslog", "mssql", "mysql",
            "postgres", "vnc", "imap", "pop3", "sip", "tftp", "https", "modbus", "mqtt", "winrm", "rpc"));

    private static final Map<Integer, String> TCP = Map.ofEntries(
            Map.entry(21, "ftp"), Map.entry(22, "ssh"), Map.entry(23, "telnet"), Map.entry(25, "smtp"),
            Map.entry(53, "dns"), Map.entry(80, "http"), Map.entry(88, "kerberos"), Map.entry(104, "dicom"),
            Map.entry(110, "pop3"), Map.entry(135, "rpc"), Map.entry(139, "netbios"), Map.entry(143, "imap"),
            Map.entry(389, "ldap"), Map.entry(443, "https"), Map.entry(445, "smb"), Map.entry(502, "modbus"),
            Map.entry(636, "ldap"), Map.entry(1433, "mssql"), Map.entry(1883, "mqtt"), Map.entry(2575, "hl7"),
            Map.entry(3306, "mysql"), Map.entry(3389, "rdp"), Map.entry(5432, "postgres"), Map.entry(5900, "vnc"),
            Map.entry(5985, "winrm"), Map.entry(5986, "winrm"), Map.entry(8080, "http"), Map.entry(8443, "https"),
            Map.entry(11112, "dicom"));
    private static final Map<Integer, String> UDP = Map.ofEntries(
            Map.entry(53, "dns"), Map.entry(67, "dhcp"), Map.entry(69, "tftp"), Map.entry(88, "kerberos"),
            Map.entry(123, "ntp"), Map.entry(137, "netbios"), Map.entry(138, "netbios"), Map.entry(161, "snmp"),
            Map.entry(514, "syslog"), Map.entry(5060, "sip"), Map.entry(5353, "mdns"), Map.entry(5355, "llmnr"));

    /** The protocol of a flow: its app_proto, else the responder port's well-known name, else null. */
    static String protocol(String appProto, int ipProto, int respPort) {
        if (appProto != null) return appProto;
        return port(ipProto, respPort);
    }

    static String port(int ipProto, int port) {
        return ipProto == 6 ? TCP.get(port) : ipProto == 17 ? UDP.get(port) : null;
    }

    /** Bit index of a protocol name, registering it (up to 64); -1 past that. */
    static synchronized int bit(String name) {
        int i = NAMES.indexOf(name);
        if (i >= 0) return i;
        if (NAMES.size() >= 64) return -1;
        NAMES.add(name);
        return NAMES.size() - 1;
    }

    static synchronized List<String> names(long bits) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            if ((bits & (1L << i)) != 0) out.add(NAMES.get(i));
        }
        return out;
    }

    /** "tcp/22 ssh", "udp/67 dhcp", "tcp/8081". */
    static String label(int key) {
        int proto = key >>> 16, port = key & 0xFFFF;
        String p = proto == 6 ? "tcp" : proto == 17 ? "udp" : String.valueOf(proto);
        String n = port(proto, port);
        return p + "/" + port + (n == null ? "" : " " + n);
    }
}
