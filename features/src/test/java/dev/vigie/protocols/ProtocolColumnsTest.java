package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigie.features.FlowRow;
import dev.vigie.flow.EndReason;
import dev.vigie.flow.Flow;
import dev.vigie.schema.Column;
import org.apache.arrow.memory.RootAllocator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.arrow.vector.FieldVector;
import org.junit.jupiter.api.Test;

/**
 * The column writers keep the Column contract: a value that does not exist is written as null, every time. The
 * protocol sections the row writer skips as a whole are declared where the columns are added; they must hold
 * exactly the columns named after their protocol, and nothing a flow of another kind sets (ftp_control_flow_id is
 * written on FTP data flows, app_proto and cleartext_credentials on every candidate).
 */
class ProtocolColumnsTest {
    private static final Map<Class<?>, List<String>> PREFIXES = Map.of(
            DnsParser.class, List.of("dns_"), TlsParser.class, List.of("tls_", "ja3", "ja4"),
            HttpParser.class, List.of("http_"), FtpParser.class, List.of("ftp_"), SshParser.class, List.of("ssh_"),
            DhcpParser.class, List.of("dhcp_"), Hl7Parser.class, List.of("hl7_"), DicomParser.class, List.of("dicom_"));


    @Test
    void aNullOverwritesThePreviousValueInAReusedRow() {
        ProtocolAnalyzer analyzer = new ProtocolAnalyzer();
        analyzer.bind(0, 1);
        Flow ftpFlow = new Flow();
        FtpParser ftp = new FtpParser(false);
        ftp.users.add("alice");
        ftp.loginFailed = 3;
        ftp.sawCredentials = true;
        ProtocolState state = new ProtocolState(ftp, true);
        state.ftpControlFlowId = -1;
        ftpFlow.attach(0, state, 1);
        Flow other = new Flow();
        other.attach(0, new ProtocolState(new TlsParser(), true), 1);
        Flow none = new Flow();
        FlowRow row = new FlowRow();
        try (RootAllocator allocator = new RootAllocator()) {
            for (Column<FlowRow> c : analyzer.columns()) {
                // the way rules read a column: one vector, row 0, flow after flow
                try (FieldVector v = c.field().createVector(allocator)) {
                    v.setInitialCapacity(1);
                    v.allocateNew();
                    c.filler().fill(v, 0, row.set(ftpFlow, EndReason.TCP_CLOSE));
                    Object first = v.getObject(0);
                    c.filler().fill(v, 0, row.set(other, EndReason.TCP_CLOSE));
                    Object second = v.getObject(0);
                    c.filler().fill(v, 0, row.set(none, EndReason.TCP_CLOSE));
                    assertTrue(v.isNull(0), c.name() + " keeps " + v.getObject(0) + " of an earlier flow");
                    if (c.name().startsWith("ftp_") && !c.name().equals("ftp_control_flow_id")
                            && !c.name().equals("ftp_commands")) {
                        assertFalse(first == null, c.name());
                        assertEquals(null, second, c.name() + " on a TLS flow");
                    }
                }
            }
        }
    }

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
