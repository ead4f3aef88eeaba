package dev.vigie.protocols;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of every parser: valid conversations mutated (random bytes after a valid header, lengths set past
 * the buffer, bytes flipped, cut short), random segmentation, and raw calls with hostile buffers. The only
 * property: nothing throws and no parser exception is counted (the analyzer's safety net must stay unused).
 */
class ProtocolFuzzTest {
    private static final long SEED = 0x5eed_1e55L;
    private static final int ROUNDS = 4000;

    /** One direction's bytes of a seed conversation. */
    private record Turn(boolean fromClient, byte[] data) {}

    private record Seed(String name, boolean udp, int port, List<Turn> turns) {}

    private static Turn c(String s) {
        return new Turn(true, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Turn s(String s) {
        return new Turn(false, s.getBytes(StandardCharsets.ISO_8859_1));
    }

    private static Turn c(byte[] b) {
        return new Turn(true, b);
    }

    private static Turn s(byte[] b) {
        return new Turn(false, b);
    }

    private static List<Seed> seeds() throws Exception {
        byte[] der = Files.readAllBytes(Path.of("src/test/resources/protocols/selfsigned.der"));
        byte[] q = Messages.dnsQuery(7, "www.example.com", 1);
        byte[] r = Messages.dnsResponse(7, "www.example.com", 1, 0, Bytes.hex("5db8d822"));
        List<Seed> seeds = new ArrayList<>();
        seeds.add(new Seed("dns", true, 53, List.of(c(q), s(r))));
        seeds.add(new Seed("dns-tcp", false, 53, List.of(c(new Bytes().u16(q.length).bytes(q).array()),
                s(new Bytes().u16(r.length).bytes(r).array()))));
        seeds.add(new Seed("dhcp", true, 67, List.of(c(Messages.dhcp(1, 1, Bytes.hex("a4b1c2d3e4f5"),
                Messages.option(55, new byte[] {1, 3, 6}), Messages.option(12, "pc".getBytes()),
                Messages.option(81, new byte[] {4, 0, 0, 2, 'p', 'c', 0}))))));
        seeds.add(new Seed("tls12", false, 443, List.of(c(Messages.specClientHello("a.test", true, true)),
                s(Messages.serverHello(0x0303, 0xc02f, false)), s(Messages.certificate(der, der)))));
        seeds.add(new Seed("tls13", false, 443, List.of(c(Messages.specClientHello("b.test", false, true)),
                s(Messages.serverHello(0x0304, 0x1301, true)))));
        seeds.add(new Seed("http", false, 80, List.of(
                c("POST /a HTTP/1.1\r\nHost: h\r\nAuthorization: Basic YWxpY2U6czNjcmV0\r\nContent-Length: 3\r\n\r\nabc"),
                s("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"))));
        seeds.add(new Seed("ftp", false, 21, List.of(s("220 hi\r\n"), c("USER a\r\nPASS b\r\n"), s("530 no\r\n"),
                c("PASV\r\n"), s("227 ok (10,0,0,2,4,1)\r\n"), c("EPRT |1|10.0.0.1|6275|\r\nPORT 10,0,0,1,1,2\r\n"),
                s("229 x (|||5000|)\r\n"), c("STOR x\r\n"))));
        seeds.add(new Seed("ssh", false, 22, List.of(s("SSH-2.0-server\r\n"), c("SSH-2.0-client\r\n"),
                c(Messages.sshPacket(20, 300)), s(Messages.sshPacket(20, 300)), s(Messages.sshPacket(21, 0)),
                c(Messages.sshPacket(21, 0)), c(new byte[52]), s(new byte[52]), c(new byte[90]), s(new byte[36]))));
        seeds.add(new Seed("hl7", false, 2575, List.of(c(Messages.mllp("MSH|^~\\&|A|B|C|D|2024||ADT^A01|1|P|2.5", "PID|1")),
                s(Messages.mllp("MSH|^~\\&|C|D|A|B|2024||ACK|1|P|2.5")))));
        seeds.add(new Seed("dicom", false, 11112, List.of(c(Messages.associateRq("CALLED", "CALLING")))));
        seeds.add(new Seed("telnet", false, 23, List.of(s(new byte[] {(byte) 0xff, (byte) 0xfd, 1}), s("login: "))));
        return seeds;
    }

    private static byte[] mutate(Random rnd, byte[] in) {
        byte[] b = in.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> {                                   // random bytes after a valid header
                int keep = Math.min(b.length, 1 + rnd.nextInt(Math.max(1, Math.min(b.length, 64))));
                byte[] tail = new byte[rnd.nextInt(600)];
                rnd.nextBytes(tail);
                b = Arrays.copyOf(b, keep + tail.length);
                System.arraycopy(tail, 0, b, keep, tail.length);
            }
            case 1 -> {                                   // lengths past the buffer
                for (int k = 0; k < 1 + rnd.nextInt(4) && b.length > 4; k++) {
                    int at = rnd.nextInt(b.length - 3);
                    int v = rnd.nextBoolean() ? 0xFF : 0x7F;
                    b[at] = (byte) v;
                    b[at + 1] = (byte) 0xFF;
                    if (rnd.nextBoolean()) {
                        b[at + 2] = (byte) 0xFF;
                    }
                }
            }
            case 2 -> {                                   // flipped bytes
                for (int k = 0; k < 1 + rnd.nextInt(8) && b.length > 0; k++) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 + rnd.nextInt(255));
                }
            }
            case 3 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));      // cut short
            case 4 -> {                                   // a valid message repeated, glued to itself
                byte[] twice = Arrays.copyOf(b, b.length * 2);
                System.arraycopy(b, 0, twice, b.length, b.length);
                b = twice;
            }
            default -> { }                                // unchanged: keeps the rest of the conversation valid
        }
        return b;
    }

    @Test
    void mutatedConversationsNeverThrow() throws Exception {
        Random rnd = new Random(SEED);
        List<Seed> seeds = seeds();
        long flows = 0;
        for (int batch = 0; batch < ROUNDS / 200; batch++) {
            try (Harness h = new Harness()) {
                for (int i = 0; i < 200; i++) {
                    Seed seed = seeds.get(rnd.nextInt(seeds.size()));
                    int clientPort = 1024 + batch * 200 + i;
                    if (seed.udp()) {
                        int serverPort = seed.port();
                        int cport = seed.port() == 67 ? 68 : clientPort;
                        for (Turn t : seed.turns()) {
                            byte[] d = mutate(rnd, t.data());
                            if (t.fromClient()) {
                                h.udp("10.1.0.1", cport, "10.1.0.2", serverPort, d);
                            } else {
                                h.udp("10.1.0.2", serverPort, "10.1.0.1", cport, d);
                            }
                        }
                    } else {
                        Conversation conv = new Conversation(h, "10.1.0.1", clientPort, "10.1.0.2",
                                rnd.nextInt(8) == 0 ? 1 + rnd.nextInt(60000) : seed.port()).open();
                        for (Turn t : seed.turns()) {
                            conv.mss = rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(8) : 1 + rnd.nextInt(1460);
                            conv.send(t.fromClient(), mutate(rnd, t.data()));
                            if (rnd.nextInt(20) == 0) {
                                conv.lose(t.fromClient(), 1 + rnd.nextInt(100));
                            }
                        }
                        conv.close();
                    }
                    flows++;
                }
                h.finish();
                assertEquals(0, h.analyzer.counters().exceptions, "parser exceptions in batch " + batch);
            }
        }
        System.out.println("fuzzed " + flows + " mutated conversations");
    }

    @Test
    void rawHostileBuffersNeverThrow() {
        Random rnd = new Random(SEED + 1);
        ParseContext ctx = new ParseContext(new ProtocolCounters());
        ctx.flow = null;
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[rnd.nextInt(300)];
            rnd.nextBytes(b);
            if (b.length > 0 && rnd.nextBoolean()) {
                // a plausible first byte for one of the protocols, to get past the first checks
                byte[] starts = {22, 'S', 'G', 'H', 0x0B, 0x01, '2', (byte) 0xFF, 0, 1};
                b[0] = starts[rnd.nextInt(starts.length)];
            }
            int off = b.length == 0 ? 0 : rnd.nextInt(b.length);
            int len = b.length - off;
            boolean full = rnd.nextInt(10) == 0;
            boolean orig = rnd.nextBoolean();
            new DnsParser().onDatagram(ctx, orig, b, off, len);
            new DnsParser().onStream(ctx, orig, b, off, len, full);
            new DhcpParser().onDatagram(ctx, orig, b, off, len);
            new TlsParser().onStream(ctx, orig, b, off, len, full);
            new HttpParser().onStream(ctx, orig, b, off, len, full);
            new SshParser().onStream(ctx, orig, b, off, len, full);
            new Hl7Parser().onStream(ctx, orig, b, off, len, full);
            new DicomParser().onStream(ctx, orig, b, off, len, full);
            new TelnetParser().onStream(ctx, orig, b, off, len, full);
            X509Summary.parse(new X509Summary(), ctx.sb, b, off, len);
            Text.value(ctx.sb, b, off, len);
        }
    }

    @Test
    void mutatedCertificatesNeverThrow() throws Exception {
        byte[] der = Files.readAllBytes(Path.of("src/test/resources/protocols/selfsigned.der"));
        Random rnd = new Random(SEED + 2);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            byte[] b = mutate(rnd, der);
            X509Summary.parse(new X509Summary(), sb, b, 0, b.length);
        }
    }
}
