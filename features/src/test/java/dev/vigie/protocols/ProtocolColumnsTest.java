package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The protocol sections the row writer skips as a whole are declared where the columns are added; they must hold
 * exactly the columns named after their protocol, and nothing a flow of another kind sets (ftp_control_flow_id is
 * written on FTP data flows, app_proto and cleartext_credentials on every candidate).
 */
class ProtocolColumnsTest {
    private static final Map<Class<?>, List<String>> PREFIXES = Map.of(
            DnsParser.class, List.of("dns_"), TlsParser.class, List.of("tls_", "ja3", "ja4"),
            HttpParser.class, List.of("http_"), FtpParser.class, List.of("ftp_"), SshParser.class, List.of("ssh_"),
            DhcpParser.class, List.of("dhcp_"), Hl7Parser.class, List.of("hl7_"), DicomParser.class, List.of("dicom_"));

    @Test
    void sectionsAreExactlyTheColumnsNamedAfterTheirProtocol() {
        ProtocolColumns.Layout layout = ProtocolColumns.all(new RowView(new ProtocolAnalyzer()));
        List<String> names = layout.columns().stream().map(c -> c.name()).toList();
        Map<String, List<String>> declared = new TreeMap<>();
        int last = 0;
        for (ProtocolColumns.Section s : layout.sections()) {
            assertEquals(true, s.from() >= last && s.to() > s.from(), "sections in order, not empty: " + s);
            last = s.to();
            declared.put(s.parser().getSimpleName(), names.subList(s.from(), s.to()));
        }
        Map<String, List<String>> byName = new TreeMap<>();
        for (var e : PREFIXES.entrySet()) {
            List<String> own = new ArrayList<>();
            for (String n : names) {
                if (e.getValue().stream().anyMatch(n::startsWith) && !n.equals("ftp_control_flow_id")) own.add(n);
            }
            byName.put(e.getKey().getSimpleName(), own);
        }
        assertEquals(byName, declared);
        assertEquals(8, layout.sections().size());
    }
}
