package dev.vigie.decode;

import static org.junit.jupiter.api.Assertions.*;

import dev.vigie.capture.CapturedPacket;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every frame of every capture in ../shared/captures, decoded under its own link type. */
class PacketDecoderRealCapturesTest {

    @Test
    void decodesEveryRealCapture() throws IOException {
        Path dir = MiniPcap.capturesDir();
        Assumptions.assumeTrue(dir != null, "no ../shared/captures in this checkout");

        DecodeCounters counters = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(counters);
        DecodedPacket out = new DecodedPacket();
        CapturedPacket frame = new CapturedPacket();
        long frames = 0;
        long malformed = 0;
        Map<String, Long> malformedByFile = new TreeMap<>();

        List<Path> files = MiniPcap.captureFiles(dir);
        for (Path file : files) {
            for (MiniPcap.Frame f : MiniPcap.read(file, Integer.MAX_VALUE)) {
                frame.data = f.data();  // exactly the captured bytes: an over-read throws
                frame.captureLength = f.data().length;
                frame.originalLength = f.originalLength();
                frame.linkType = f.linkType();
                DecodeResult r = decoder.decode(frame, out);
                frames++;
                String violation = DecodeInvariants.check(frame, out, r);
                assertNull(violation, () -> file + " frame: " + violation);
                if (r == DecodeResult.MALFORMED) {
                    malformed++;
                    malformedByFile.merge(dir.relativize(file) + " " + out.error, 1L, Long::sum);
                }
            }
        }
        assertNull(DecodeInvariants.checkCounters(counters, frames, malformed));

        System.out.printf("decoded %d frames from %d captures: ipv4 %d ipv6 %d arp %d other %d malformed %d%n",
                frames, files.size(), counters.ipv4, counters.ipv6, counters.arp, counters.otherEtherType, malformed);
        System.out.printf("  tcp %d udp %d icmp %d icmpv6 %d other-ip %d fragments v4 %d v6 %d%n", counters.tcp,
                counters.udp, counters.icmp, counters.icmpv6, counters.otherIpProtocol, counters.ipv4Fragments,
                counters.ipv6Fragments);
        System.out.println("  errors " + counters.errors.nonZero() + " unknown link types "
                + counters.byUnknownLinkType);
        malformedByFile.forEach((k, v) -> System.out.println("  malformed " + v + " in " + k));

        assertTrue(frames > 100_000, "read " + frames + " frames");
        assertTrue(counters.ipv4 > 0 && counters.ipv6 > 0 && counters.arp > 0 && counters.icmp > 0);
        // Real traffic is overwhelmingly well formed; a decoder bug shows up as a malformed rate, not a crash.
        assertTrue(malformed * 100 < frames, malformed + " malformed of " + frames);
    }
}
