package dev.vigie.sensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Real UDP and TCP collectors on 127.0.0.1. */
class SyslogForwarderTest {
    static final Pattern RFC5424 = Pattern.compile(
            "<(\\d+)>1 (\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z) (\\S+) vigie (\\d+) (\\S+) \\[vigie@32473 sid=\"(\\d+)\" severity=\"(\\d)\"\\] (\\{.*\\})");

    @Test
    void udpSendsOneRfc5424DatagramPerAlertWithTheEveLine() throws Exception {
        try (DatagramSocket collector = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            collector.setSoTimeout(5000);
            try (SyslogForwarder f = new SyslogForwarder(SyslogForwarder.Target.parse("udp://127.0.0.1:" + collector.getLocalPort()))) {
                f.accept(AlertAggregatorTest.alert("vigie.scan.vertical", "10.0.0.1", "10.0.0.2", 1_000_000_000L));
                byte[] buf = new byte[65536];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                collector.receive(p);
                String msg = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
                Matcher m = RFC5424.matcher(msg);
                assertTrue(m.matches(), msg);
                assertEquals(String.valueOf(16 * 8 + 3), m.group(1), "local0, severity 2 -> err");
                assertEquals("vigie.scan.vertical", m.group(5));
                assertEquals("9000001", m.group(6));
                assertTrue(m.group(8).contains("\"event_type\":\"alert\"") && m.group(8).contains("\"src_ip\":\"10.0.0.1\""), msg);
            }
        }
    }

    @Test
    void tcpUsesOctetCountingAndReconnectsWhenTheCollectorComesBack() throws Exception {
        int port;
        List<String> got = new ArrayList<>();
        try (ServerSocket first = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            port = first.getLocalPort();
            try (SyslogForwarder f = new SyslogForwarder(SyslogForwarder.Target.parse("tcp://127.0.0.1:" + port))) {
                f.accept(AlertAggregatorTest.alert("r1", "a", "b", 1));
                f.accept(AlertAggregatorTest.alert("r2", "a", "b", 2));
                try (Socket s = first.accept()) {
                    s.setSoTimeout(5000);
                    got.addAll(frames(s.getInputStream(), 2));
                }
                first.close(); // the collector goes away
                f.accept(AlertAggregatorTest.alert("r3", "a", "b", 3));
                Thread.sleep(300);
                try (ServerSocket again = new ServerSocket(port, 5, InetAddress.getLoopbackAddress())) {
                    f.accept(AlertAggregatorTest.alert("r4", "a", "b", 4));
                    again.setSoTimeout(20_000);
                    try (Socket s = again.accept()) {
                        s.setSoTimeout(10_000);
                        got.addAll(frames(s.getInputStream(), 1));
                    }
                }
                assertTrue(f.reconnects() + f.errors() >= 1, "the broken connection was noticed");
            }
        }
        assertTrue(got.get(0).contains(" r1 ") && got.get(1).contains(" r2 "), got.toString());
        for (String m : got) {
            assertTrue(RFC5424.matcher(m).matches(), m);
        }
    }

    /** Reads {@code n} RFC 6587 octet-counted frames. */
    static List<String> frames(InputStream in, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            StringBuilder len = new StringBuilder();
            int c;
            while ((c = in.read()) != ' ') {
                if (c < 0) throw new IllegalStateException("closed");
                len.append((char) c);
            }
            byte[] msg = in.readNBytes(Integer.parseInt(len.toString()));
            out.add(new String(msg, StandardCharsets.UTF_8));
        }
        return out;
    }

    @Test
    void badTargetsAreRefusedClearly() {
        for (String t : new String[] {"syslog.example:514", "http://x:1", "udp://host", "tcp://:514"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SyslogForwarder.Target.parse(t));
            assertTrue(e.getMessage().contains("udp://host:port"), e.getMessage());
        }
    }
}
